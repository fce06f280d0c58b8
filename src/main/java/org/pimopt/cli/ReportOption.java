package org.pimopt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.pimopt.PimoptException;
import org.pimopt.TempFiles;
import org.pimopt.problem.Instance;
import org.pimopt.report.HtmlReport;
import org.pimopt.report.ReportInputs;
import org.pimopt.sim.SimResult;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.SolveResult;
import picocli.CommandLine.Option;

/** solve's {@code --report FILE.html}: the self-contained HTML page of the run (org.pimopt.report.HtmlReport). */
final class ReportOption {
    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write one self-contained HTML page of the run (it opens offline: inline SVG, no scripts):"
                    + " the inputs, the strategy table with model and simulated figures, the best plan partition by"
                    + " partition, a Gantt chart of its simulated batch and the engines' convergence. Written after"
                    + " summary.json; its folder must exist.")
    Path file;

    /**
     * Refuses, before any time is spent solving, a page that could not be written: a folder, a
     * folder that does not exist, one where no file can be created. One line naming the file.
     */
    void check() {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new PimoptException(file + ": --report names a folder; give the page's file name, e.g. "
                    + file.resolve("report.html"));
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new PimoptException(file + ": cannot write the report: folder " + dir + " does not exist");
        }
        // Creating a file is the only test that holds everywhere (permissions, read-only mounts, root).
        try {
            Files.delete(TempFiles.beside(file));
        } catch (IOException | SecurityException e) {
            throw new PimoptException(file + ": cannot write the report: " + Main.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** Writes the page when asked for, and says so on stdout unless the summary is printed as JSON there. */
    void write(SolveCommand solve, Instance instance, List<SolveResult> results, Map<String, SimResult> sims,
               Map<String, String> notSimulated, Map<String, String> verification, Convergence convergence,
               long startNanos, PrintWriter stdout) {
        write(solve, instance, results, sims, notSimulated, verification, convergence, startNanos, stdout, List.of());
    }

    /** {@link #write} with sections after the standard ones (the Pareto front of {@code --pareto}). */
    void write(SolveCommand solve, Instance instance, List<SolveResult> results, Map<String, SimResult> sims,
               Map<String, String> notSimulated, Map<String, String> verification, Convergence convergence,
               long startNanos, PrintWriter stdout, List<org.pimopt.report.ReportPage.Section> more) {
        if (file == null) {
            return;
        }
        ReportInputs inputs = new ReportInputs(command(solve), solve.model.model, solve.hardware.hardware,
                solve.timeoutMillis, solve.strategies, solve.seed, solve.workers, version(solve), Instant.now());
        HtmlReport.write(file, inputs, new HtmlReport.Run(instance, results, sims, notSimulated, verification, convergence,
                startNanos), more);
        if (!solve.json) {
            stdout.println("wrote " + file);
        }
    }

    /** The command line as given, each argument quoted for a POSIX shell where it needs it. */
    private static String command(SolveCommand solve) {
        List<String> args = solve.spec.commandLine().getParseResult() == null ? List.of()
                : solve.spec.commandLine().getParseResult().originalArgs();
        return "pimopt " + args.stream().map(ReportOption::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    private static String version(SolveCommand solve) {
        String[] v = solve.spec.root().version();
        return v.length == 0 ? "pimopt" : v[0];
    }
}
