package org.pimopt.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.pimopt.pipeline.ParetoPipeline;
import org.pimopt.pipeline.PipelineOptions;
import org.pimopt.problem.Instance;
import org.pimopt.report.ParetoPlot;
import org.pimopt.report.ParetoReport;
import org.pimopt.report.ReportPage;
import org.pimopt.report.SolveReport;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.pareto.ParetoGoals;

/**
 * {@code solve --pareto F,G}'s words to the user: runs {@link ParetoPipeline} (which writes the
 * front's files), then the HTML report when asked, the table and where the files went.
 */
final class ParetoStep {
    private ParetoStep() {}

    static int run(SolveCommand cmd, PipelineOptions options, ParetoGoals goals, PrintWriter stdout, PrintWriter err) {
        Instance instance = options.instance();
        ParetoPipeline.Result r = ParetoPipeline.run(options, goals, cmd.paretoPoints);
        if (r.front().points().isEmpty()) {
            err.println("pimopt: no point of the " + goals.label() + " front found, nothing written to " + cmd.out + ": "
                    + r.front().stopped());
            err.flush();
            return Main.USER_ERROR;
        }
        String footnote = ParetoPipeline.footnote(r.front());
        String caption = r.caption(instance);
        cmd.report.write(cmd, instance, r.rows(), r.simulations().results(), r.simulations().skipped(), Map.of(), new Convergence(),
                options.budget().startNanos(), stdout, List.of(ReportPage.Section.figure("pareto", "The " + goals.label()
                        + " front", ParetoPlot.svgElement(r.front(), r.found(), caption, footnote), footnote)
                        .with(ParetoReport.html(r.front()))));
        if (cmd.json) {
            stdout.print(r.summaryJson());
        } else {
            stdout.println();
            stdout.print(SolveReport.table(instance, r.rows(), r.simulations().results(), r.simulations().skipped()));
            stdout.println();
            stdout.println(footnote);
            stdout.println("wrote " + cmd.out.resolve("pareto.csv") + ", " + cmd.out.resolve("pareto.svg") + ", "
                    + cmd.out.resolve("summary.json") + ", " + cmd.out.resolve("plan.json") + " (pareto-1) and "
                    + r.front().points().size() + " plan(s) in " + cmd.out.resolve("plans"));
        }
        stdout.flush();
        return r.anyStrategyFailed() ? Main.ENGINE_FAILED : 0;
    }
}
