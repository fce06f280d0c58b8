package org.pimopt.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.problem.Instance;
import org.pimopt.sim.SimResult;
import org.pimopt.solve.SolveResult;

/**
 * The report's comparison of strategies: the figures of {@link SolveReport#table}, one row per
 * strategy, each figure cell carrying the summary.json field it shows ({@code latencyNs},
 * {@code simulated.latencyNs}, ...) and its exact value.
 */
final class StrategyTable {
    private StrategyTable() {}

    static String html(Instance instance, List<SolveResult> results, Map<String, SimResult> sims,
                       Map<String, String> notSimulated, Map<String, String> verification) {
        Goal goal = instance.goal();
        Objective primary = goal.primary();
        SolveResult best = SolveResult.best(instance, results);
        boolean simulated = !sims.isEmpty() || !notSimulated.isEmpty();
        // The referee's ranking: each simulated plan against the best simulated one, in the goal's objective.
        double bestSim = sims.values().stream().mapToDouble(s -> simulated(primary, s)).min().orElse(Double.NaN);
        String simNote = simulated ? "; under it, in small type, the simulator's and the model's error (model - sim) / sim" : "";
        List<HtmlTable.Column> columns = List.of(
                HtmlTable.Column.text("strategy"),
                HtmlTable.Column.text("status"),
                HtmlTable.Column.num(primary.label(), "the goal's first objective, " + primary.unit() + ", cost model;"
                        + " under it the gap to the proven bound, (objective - bound) / objective"),
                HtmlTable.Column.num("latency/batch", "cost model" + simNote),
                HtmlTable.Column.num("samples/s", "cost model"),
                HtmlTable.Column.num("energy/sample", "cost model" + simNote),
                HtmlTable.Column.num("EDP (pJ*ns)", "energy per sample x latency per sample, cost model"),
                HtmlTable.Column.num("cells written", "crossbar cells programmed per batch"),
                HtmlTable.Column.num("DRAM bytes", "per batch"),
                HtmlTable.Column.num("partitions", ""),
                HtmlTable.Column.num("vs best", "objective / the best plan's, cost model" + (simulated
                        ? "; under it, the simulated " + primary.label() + " / the best simulated plan's" : "")),
                HtmlTable.Column.num("time", "wall time of the strategy"));
        HtmlTable t = new HtmlTable("strategies", columns);
        for (SolveResult r : results) {
            List<HtmlTable.Cell> row = new ArrayList<>();
            row.add(HtmlTable.Cell.of(r.strategy()));
            HtmlTable.Cell status = new HtmlTable.Cell(SolveReport.status(r), "status", r.status().name(), "", null);
            row.add(r.note() == null || r.note().isEmpty() ? status : status.withTitle(r.note()));
            if (r.plan() == null) {
                for (int i = 2; i < 11; i++) {
                    row.add(HtmlTable.Cell.of("-"));
                }
                row.add(HtmlTable.Cell.figure(SolveReport.ms(r.wallMillis()), "wallMillis", r.wallMillis()));
                t.row("", Map.of("strategy", r.strategy()), row);
                continue;
            }
            BatchMetrics m = r.metrics();
            SimResult s = sims.get(r.strategy());
            // The simulator's figures go under the model's; a plan that was not simulated says why there.
            HtmlTable.Cell notRun = HtmlTable.Cell.of("not simulated")
                    .withTitle(notSimulated.getOrDefault(r.strategy(), "not simulated"));
            HtmlTable.Cell simLatency = !simulated ? null : s == null ? notRun
                    : new HtmlTable.Cell("sim " + SolveReport.time(s.latencyNs()) + " (" + SimReport.error(m.latencyNs(),
                            s.latencyNs()) + ")", "simulated.latencyNs", String.valueOf(s.latencyNs()), "", null);
            HtmlTable.Cell simEnergy = !simulated ? null : s == null ? notRun
                    : new HtmlTable.Cell("sim " + SolveReport.energy(s.energyPerSamplePj()) + " (" + SimReport.error(
                            m.energyPerSamplePj(), s.energyPerSamplePj()) + ")", "simulated.energyPerSamplePj",
                            String.valueOf(s.energyPerSamplePj()), "", null);
            HtmlTable.Cell simRatio = !simulated ? null : s == null ? notRun
                    : HtmlTable.Cell.of(String.format(Locale.ROOT, "sim %.3fx", simulated(primary, s) / bestSim));
            row.add(HtmlTable.Cell.figure(value(primary, r.objective()), "objective", r.objective()).withSecond(r.gap() == null
                    ? null : HtmlTable.Cell.figure(String.format(Locale.ROOT, "gap %.2f%%", 100 * r.gap()), "gap", r.gap())));
            row.add(HtmlTable.Cell.figure(SolveReport.time(m.latencyNs()), "latencyNs", m.latencyNs()).withSecond(simLatency));
            row.add(HtmlTable.Cell.figure(SolveReport.sig(m.throughputPerSecond()), "throughputPerS", m.throughputPerSecond()));
            row.add(HtmlTable.Cell.figure(SolveReport.energy(m.energyPerSamplePj()), "energyPerSamplePj", m.energyPerSamplePj())
                    .withSecond(simEnergy));
            row.add(HtmlTable.Cell.figure(SolveReport.sig(m.edp()), "edpPjNs", m.edp()));
            row.add(HtmlTable.Cell.figure(Units.count(m.cellsWritten()), "cellsWritten", m.cellsWritten()));
            row.add(HtmlTable.Cell.figure(Units.count(m.dramBytes()), "dramBytes", m.dramBytes()));
            row.add(HtmlTable.Cell.figure(String.valueOf(r.plan().partitions().size()), "partitions",
                    r.plan().partitions().size()));
            row.add(HtmlTable.Cell.of(String.format(Locale.ROOT, "%.3fx", goal.primaryValue(m) / goal.primaryValue(best.metrics())))
                    .withSecond(simRatio));
            row.add(HtmlTable.Cell.figure(SolveReport.ms(r.wallMillis()), "wallMillis", r.wallMillis()));
            t.row(r == best ? "best" : "", Map.of("strategy", r.strategy()), row);
        }
        StringBuilder out = new StringBuilder();
        out.append("<p>Every strategy on the same instance, priced by one cost model")
                .append(simulated ? "; in small type under the model's figures, the discrete-event simulator's (pipeline"
                        + " schedule, physical effects on) with the model's error (model - sim) / sim" : "")
                .append(". The highlighted row is the best plan by the goal <code>").append(Html.text(goal.toString()))
                .append("</code>. OPTIMAL names in brackets the engine that proved it when that is not the strategy's"
                        + " own search. Energy and EDP are per sample, the other figures per batch.</p>\n");
        out.append(t);
        List<String> notes = new ArrayList<>();
        for (SolveResult r : results) {
            if (r.note() != null && !r.note().isEmpty() && !r.note().equals("heuristic")) {
                notes.add("<code>" + Html.text(r.strategy()) + "</code>: " + Html.text(r.note()));
            }
        }
        notSimulated.forEach((strategy, why) -> notes.add("<code>" + Html.text(strategy) + "</code> (simulation): "
                + Html.text(why)));
        verification.forEach((strategy, line) -> notes.add("<code>" + Html.text(strategy) + "</code> (--verify): "
                + Html.text(line)));
        if (!notes.isEmpty()) {
            out.append("<ul class=\"note\">\n");
            notes.forEach(n -> out.append("<li>").append(n).append("</li>\n"));
            out.append("</ul>\n");
        }
        return out.toString();
    }

    /** A value of the objective, with its unit. */
    static String value(Objective o, double v) {
        return switch (o) {
            case LATENCY -> SolveReport.time(v);
            case ENERGY -> SolveReport.energy(v);
            case EDP -> SolveReport.sig(v) + " pJ*ns";
            case WRITES -> Units.count(Math.round(v)) + " cells";
            case DRAM -> Units.count(Math.round(v)) + " B";
        };
    }

    /** The objective as the simulator measured it. */
    static double simulated(Objective o, SimResult s) {
        return switch (o) {
            case LATENCY -> s.latencyNs();
            case ENERGY -> s.energy().totalPj();
            case EDP -> s.edp();
            case WRITES -> s.cellsWritten();
            case DRAM -> s.dramBytes();
        };
    }
}
