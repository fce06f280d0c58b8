package org.pimopt.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.sim.SimResult;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.registry.Strategies;

/**
 * {@code solve --report FILE.html}: one self-contained page that a researcher opens instead of
 * reading the tables. Sections, in order: the inputs, the strategies, the best plan partition by
 * partition, a Gantt chart of its simulated batch, the engines' convergence (when an exact engine
 * recorded any), then whatever sections the caller adds (a Pareto front, when solve computes one).
 * A section with nothing to show is left out, not drawn empty.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /**
     * What a solve produced, as {@link SolveReport#json} takes it: the results, their simulations by
     * strategy, why a plan was not simulated, {@code --verify}'s verdicts, and the engines'
     * progress with the command's start on {@link System#nanoTime}'s clock.
     */
    public record Run(Instance instance, List<SolveResult> results, Map<String, SimResult> sims,
                      Map<String, String> notSimulated, Map<String, String> verification, Convergence convergence,
                      long startNanos) {
        public Run {
            results = results.stream().filter(java.util.Objects::nonNull).toList();
            sims = Map.copyOf(sims);
            notSimulated = Map.copyOf(notSimulated);
            verification = Map.copyOf(verification);
        }
    }

    /** The page, with {@code more} sections after the standard ones. */
    public static String render(ReportInputs inputs, Run run, List<ReportPage.Section> more) {
        Instance instance = run.instance();
        SolveResult best = SolveResult.best(instance, run.results());
        SimResult bestSim = best == null ? null : run.sims().get(best.strategy());
        List<ReportPage.Section> sections = new ArrayList<>();
        sections.add(new ReportPage.Section("inputs", "Inputs", InputsTable.html(inputs, instance)));
        sections.add(new ReportPage.Section("strategies", "Strategies",
                StrategyTable.html(instance, run.results(), run.sims(), run.notSimulated(), run.verification())));
        if (best != null) {
            sections.add(new ReportPage.Section("plan", "Best plan, partition by partition", plan(instance, best, bestSim)));
            sections.add(gantt(best, bestSim, run.notSimulated().get(best.strategy())));
        }
        convergence(run).ifPresent(sections::add);
        sections.addAll(more);
        String title = "pimopt: " + instance.network().name() + " on " + instance.chip().name() + ", batch "
                + instance.batch() + ", " + instance.goal()
                + (instance.goal().limits().isEmpty() ? "" : ", limits " + instance.goal().limits().stated());
        return ReportPage.render(title, subtitle(inputs, best, bestSim), sections);
    }

    /** Writes the page through a temporary file beside it, so a reader never sees half of it. */
    public static void write(Path target, ReportInputs inputs, Run run, List<ReportPage.Section> more) {
        PlanIo.writeAtomically(target, render(inputs, run, more).getBytes(StandardCharsets.UTF_8));
    }

    private static String subtitle(ReportInputs inputs, SolveResult best, SimResult sim) {
        StringBuilder s = new StringBuilder();
        if (best == null) {
            s.append("no strategy found a plan");
        } else {
            s.append("best plan: ").append(best.strategy()).append(", ").append(SolveReport.status(best)).append(", ")
                    .append(best.plan().partitions().size()).append(" partition(s), ")
                    .append(SolveReport.time(best.metrics().latencyNs())).append(" per batch");
            if (sim != null) {
                s.append(" (").append(SolveReport.time(sim.latencyNs())).append(" simulated)");
            }
        }
        return s.append("; made ").append(inputs.date().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(" by ")
                .append(inputs.version()).toString();
    }

    private static String plan(Instance instance, SolveResult best, SimResult sim) {
        StringBuilder out = new StringBuilder();
        out.append("<p>The plan of <code>").append(Html.text(best.strategy())).append("</code>")
                .append(best.plan().layout() != null ? ", with its placement and write schedule" : "")
                .append(": the network runs as ").append(best.plan().partitions().size())
                .append(" partition(s) one after another; each is programmed into the crossbars, then the batch flows"
                        + " through it. Times are for the batch of ").append(instance.batch())
                .append("; the model's columns are the cost model's, the sim columns the simulator's.</p>\n");
        out.append(PlanTables.partitions(instance, best.plan(), sim));
        out.append("<h3>Where the energy goes</h3>\n");
        out.append(PlanTables.energy(best.metrics(), sim, instance.batch()));
        return out.toString();
    }

    /** The Gantt chart of the best plan's simulation, or one line saying why there is none. */
    private static ReportPage.Section gantt(SolveResult best, SimResult sim, String notSimulated) {
        String title = "Simulated batch (Gantt)";
        if (sim == null) {
            String why = notSimulated != null ? notSimulated : "not simulated (solve --no-simulate)";
            return new ReportPage.Section("gantt", title, "<p class=\"note\">The best plan was " + Html.text(why) + ".</p>\n");
        }
        String caption = String.format(Locale.ROOT, "The plan of %s in the discrete-event simulator, %s schedule, effects: %s;"
                        + " %,d events, crossbar utilization %.1f%%, core utilization %.1f%%.%s Hover a bar for its span.",
                best.strategy(), sim.schedule().label(), sim.effects().replace(",", ", "), sim.events(), 100 * sim.crossbarUtilization(),
                100 * sim.coreUtilization(), sim.layoutExecuted() ? " Programming follows the plan's write schedule and"
                        + " overlaps compute; writes that begin during the previous batch are cut at 0." : "");
        return ReportPage.Section.wideFigure("gantt", title, GanttChart.svg(sim), caption);
    }

    private static Optional<ReportPage.Section> convergence(Run run) {
        return ConvergencePlot.element(run.convergence(), run.instance().goal().primary(), run.startNanos())
                .map(svg -> ReportPage.Section.figure("convergence", "Convergence of the exact engines", svg,
                        "Each exact engine's best objective (solid) and proven bound (dashed) in the cost model's "
                                + run.instance().goal().primary().unit() + ", against seconds from the command's start;"
                                + " where they meet, the optimum is proven. Also written as convergence.csv and"
                                + " convergence.svg in the output folder."));
    }
}
