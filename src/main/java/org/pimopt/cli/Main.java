package org.pimopt.cli;

import java.io.PrintWriter;
import org.pimopt.PimoptException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code pimopt} command. User errors print one line and exit 2; bugs exit 1. */
@Command(name = "pimopt", mixinStandardHelpOptions = true, version = "pimopt 0.1.0",
        description = "Optimal partitioning, replication and weight replacement of DNNs on crossbar PIM chips.",
        subcommands = {SolveCommand.class, SimulateCommand.class, PlaceCommand.class, InspectCommand.class, ModelsCommand.class,
                HwCommand.class, ImportCommand.class, ExportCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int USER_ERROR = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * When the command began, on {@link System#nanoTime}'s clock: the JVM's start for a process
     * run from the shell (a user's timeout counts JVM start-up and class loading), the call of
     * {@link #run} in tests.
     */
    final long startNanos;

    Main(long startNanos) {
        this.startNanos = startNanos;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        long sinceJvmStart = Math.max(0, System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                System.nanoTime() - sinceJvmStart * 1_000_000L));
    }

    /** Runs the command line with the given streams; returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.nanoTime());
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, long startNanos) {
        CommandLine cli = new CommandLine(new Main(startNanos));
        // Every command answers --help and --version, not only the top one.
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("pimopt: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            if (ex instanceof PimoptException) {
                err.println("pimopt: " + ex.getMessage());
                if (verbose) {
                    ex.printStackTrace(err);
                }
                return USER_ERROR;
            }
            err.println("pimopt: internal error: " + ex + (verbose ? "" : " (run with --verbose for the stack trace)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Picocli lets errors through. The instance the user asked for is too large for the heap
            // (solve has already written what it found): one line, not a trace.
            err.println("pimopt: out of memory (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB heap): the instance is too large; give the JVM more with PIMOPT_JAVA_OPTS=-Xmx8g, or make it smaller");
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(err);
            }
            code = USER_ERROR;
        }
        out.flush();
        err.flush();
        return code;
    }
}
