package org.pimopt.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.pimopt.bench.FidelityBench.Row;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;

/** The Markdown page of {@link FidelityBench}: how far the model is from the simulator, and where. */
final class FidelityReport {
    static final double LATENCY_TARGET = 0.03;
    static final double ENERGY_TARGET = 0.02;
    static final double WORST_TARGET = 0.10;

    private FidelityReport() {}

    static String markdown(String command, List<Row> rows, List<Row> all, long exactMillis) {
        StringBuilder md = new StringBuilder("# Model fidelity: the cost model against the discrete-event simulator\n\n");
        md.append(SimBench.provenance(command)).append('\n');
        md.append(String.format(Locale.ROOT, "Plans: every strategy (%s) on every zoo network and preset, objective latency;"
                + " `%s` runs %d s per case on 2 threads from the best of the others' plans (as `solve` runs it), the others"
                + " up to 60 s. Each plan is priced by the cost model and"
                + " simulated (pipeline schedule, every physical effect on: %s). Error = (model - simulation) / simulation."
                + " The model is stated in formulations/partitioning.md (\"The cost model every engine prices\").%n%n",
                String.join(", ", FidelityBench.STRATEGIES), FidelityBench.EXACT, exactMillis / 1000,
                SimConfig.physical(Schedule.PIPELINE).effects()));
        if (rows.isEmpty()) {
            return md.append("No plans simulated yet.\n").toString();
        }
        double latencyMae = mean(rows, r -> Math.abs(r.latencyError()));
        double energyMae = mean(rows, r -> Math.abs(r.energyError()));
        Row worst = rows.stream().max(Comparator.comparingDouble(r -> Math.abs(r.latencyError()))).orElseThrow();
        long over = rows.stream().filter(r -> Math.abs(r.latencyError()) > WORST_TARGET).count();
        double analytic = rows.stream().mapToDouble(r -> Math.abs(r.analyticLatency() - r.modelLatency()) / r.modelLatency())
                .max().orElse(0);
        md.append("## Targets\n\n");
        md.append(String.format(Locale.ROOT, "- Latency mean absolute error over %d plans: **%s** (target %s).%n", rows.size(),
                pct2(latencyMae), pct2(LATENCY_TARGET)));
        md.append(String.format(Locale.ROOT, "- Energy per sample mean absolute error: **%s** (target %s).%n",
                pct2(energyMae), pct2(ENERGY_TARGET)));
        md.append(String.format(Locale.ROOT, "- Plans off by more than %s: **%d** (target 0); the worst: %s %s on %s at batch %d,"
                + " %+.2f%%.%n", pct2(WORST_TARGET), over, worst.network(), worst.strategy(), worst.preset(),
                worst.batch(), 100 * worst.latencyError()));
        md.append(exactAgainstBest(rows));
        md.append(String.format(Locale.ROOT, "- With every effect in the model's form (`SimConfig.analytic`) the simulator"
                + " reproduces the model: largest relative latency difference %.2g over all plans.%n%n", analytic));
        md.append("## By strategy\n\n").append(groups(rows, Row::strategy, "strategy")).append('\n');
        md.append("## By preset and batch\n\n").append(groups(rows, r -> r.preset() + " b" + r.batch(), "preset, batch"))
                .append('\n');
        md.append("## By network\n\n").append(groups(rows, Row::network, "network")).append('\n');
        md.append(effects(rows));
        md.append(worstRows(rows));
        List<String> missing = new ArrayList<>();
        for (Row r : all) {
            if (Double.isNaN(r.simLatency())) {
                missing.add(r.network() + " " + r.strategy() + " on " + r.preset() + " b" + r.batch() + ": " + r.status());
            }
        }
        if (!missing.isEmpty()) {
            md.append("\n## Not simulated (no plan)\n\n");
            missing.forEach(m -> md.append("- ").append(m).append('\n'));
        }
        return md.toString();
    }

    /** The exact engine's plan against the best simulated plan of its case. */
    private static String exactAgainstBest(List<Row> rows) {
        int cases = 0;
        int within2 = 0;
        int within5 = 0;
        double worst = 1;
        String worstCase = "";
        for (Map<String, Row> c : FidelityBench.byCase(rows).values()) {
            Row exact = c.get(FidelityBench.EXACT);
            if (exact == null) {
                continue;
            }
            double best = c.values().stream().mapToDouble(Row::simLatency).min().orElseThrow();
            double ratio = exact.simLatency() / best;
            cases++;
            within2 += ratio <= 1.02 ? 1 : 0;
            within5 += ratio <= 1.05 ? 1 : 0;
            if (ratio > worst) {
                worst = ratio;
                worstCase = exact.network() + " on " + exact.preset() + " at batch " + exact.batch();
            }
        }
        return String.format(Locale.ROOT, "- `%s`'s plan simulated against the best simulated plan of its case: within 2%% in"
                + " **%d of %d** cases, within 5%% in %d; the largest ratio %.3f (%s).%n", FidelityBench.EXACT, within2, cases,
                within5, worst, worstCase.isEmpty() ? "-" : worstCase);
    }

    private static String groups(List<Row> rows, Function<Row, String> key, String name) {
        Map<String, List<Row>> groups = new TreeMap<>();
        rows.forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
        List<List<String>> table = new ArrayList<>();
        groups.forEach((k, g) -> table.add(List.of(k, Integer.toString(g.size()), pct2(mean(g, r -> Math.abs(r.latencyError()))),
                pctSigned(g.stream().mapToDouble(Row::latencyError).max().orElse(0)),
                pctSigned(g.stream().mapToDouble(Row::latencyError).min().orElse(0)),
                pct2(mean(g, r -> Math.abs(r.energyError()))))));
        return Markdown.table(List.of(name, "plans", "latency MAE", "largest +", "largest -", "energy MAE"), table);
    }

    /** Each effect alone on the exact engine's plans: what the model leaves out, and how much. */
    private static String effects(List<Row> rows) {
        List<Row> exact = rows.stream().filter(r -> r.strategy().equals(FidelityBench.EXACT)).toList();
        if (exact.isEmpty()) {
            return "";
        }
        List<List<String>> table = new ArrayList<>();
        for (int e = 0; e < FidelityBench.EFFECTS.length; e++) {
            int i = e;
            double meanAbs = mean(exact, r -> Math.abs(r.effects()[i]));
            double most = exact.stream().mapToDouble(r -> r.effects()[i]).max().orElse(0);
            double least = exact.stream().mapToDouble(r -> r.effects()[i]).min().orElse(0);
            table.add(List.of(FidelityBench.EFFECTS[e], pct2(meanAbs), pctSigned(most), pctSigned(least)));
        }
        return "## Each effect alone\n\nOn `" + FidelityBench.EXACT + "`'s plans: latency with only that effect in its"
                + " physical form, against the simulation with every effect in the model's form (fill-io: a sample's"
                + " loads before and stores after it instead of one transfer before it; free-issue: a sample enters as"
                + " soon as its inputs are in and waits at busy stages, instead of one slowest-stage period after the"
                + " previous one; vector-time: each vector layer on the pooled vector"
                + " units as data allows instead of one stage at the end of the chain; write-slots: whole crossbars on"
                + " `writeParallelism` slots instead of a fluid write rate; write-waits-for-fetch: a unit is written only"
                + " after its weights arrived; noc-latency: transfers between the simulator's placed cores (farthest reader)"
                + " instead of the mean hop distance; overlap-writes: copies written while the previous partition"
                + " computes).\n\n"
                + Markdown.table(List.of("effect", "mean |change|", "largest +", "largest -"), table) + "\n";
    }

    private static String worstRows(List<Row> rows) {
        List<Row> sorted = rows.stream().sorted(Comparator.comparingDouble((Row r) -> -Math.abs(r.latencyError()))).toList();
        List<List<String>> table = new ArrayList<>();
        for (Row r : sorted.subList(0, Math.min(25, sorted.size()))) {
            table.add(List.of(r.network(), r.preset(), Integer.toString(r.batch()), r.strategy(), Integer.toString(r.partitions()),
                    ms(r.modelLatency()), ms(r.simLatency()), pctSigned(r.latencyError()), pctSigned(r.energyError())));
        }
        return "## The 25 largest latency errors\n\nAll plans are in `model-fidelity.csv`.\n\n"
                + Markdown.table(List.of("network", "preset", "batch", "strategy", "partitions", "model ms", "sim ms",
                        "latency err", "energy err"), table);
    }

    private static String ms(double ns) {
        return String.format(Locale.ROOT, "%.4f", ns / 1e6);
    }

    private static String pct2(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String pctSigned(double v) {
        return String.format(Locale.ROOT, "%+.2f%%", 100 * v);
    }

    private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
