package org.pimopt.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.report.Charts;

/**
 * How far each heuristic is from the best proven objective: a CP-SAT (or other exact engine)
 * optimum when one is proven, else dp's optimum over the fixed unit order, on the zoo CNNs and
 * every hardware preset.
 */
final class OptimalitySuite implements Suite {
    /** Zoo networks that are not CNNs (their inclusion is left to a later suite). */
    static final List<String> NOT_CNN = List.of("bert-base", "vit-b16");
    static final List<String> HEURISTICS = List.of("layerwise", "greedy", "pimcomp-balance", "pimcomp-fill", "clsa-greedy",
            "compass-ga");
    static final List<String> QUICK_NETWORKS = List.of("lenet5", "resnet18", "squeezenet1_0", "mobilenet_v2");
    static final List<String> QUICK_CHIPS = List.of("compass-s", "compass-m");
    /** Chips on which every zoo CNN runs in the full suite. */
    static final List<String> SMALL_CHIPS = List.of("compass-s", "compass-m", "compass-l");
    /**
     * Networks run on the large presets (isaac, puma, pimcomp: 9,000-17,000 crossbars). There the
     * heuristics' replication search is slow (compass-ga took over two minutes on mobilenet_v2 on
     * isaac, beyond any case budget, since it checks its deadline only between steps), so the full
     * suite keeps to networks it prices in seconds.
     */
    static final List<String> LARGE_CHIP_NETWORKS = List.of("lenet5", "alexnet", "resnet18");
    static final int BATCH = 16;

    @Override
    public String name() {
        return "optimality";
    }

    static List<String> cnns() {
        return ModelCatalog.zooNames().stream().filter(n -> !NOT_CNN.contains(n)).toList();
    }

    @Override
    public List<BenchCase> cases(SuiteOptions options) {
        List<String> strategies = new ArrayList<>(HEURISTICS);
        strategies.add("dp");
        // The portfolio proves what can be proven in the budget; each engine alone is compared with
        // it in the scaling and exact suites.
        strategies.add("exact");
        List<BenchCase> out = new ArrayList<>();
        for (String chip : options.quick() ? QUICK_CHIPS : ChipLoader.presetNames()) {
            List<String> nets = options.quick() ? QUICK_NETWORKS : SMALL_CHIPS.contains(chip) ? cnns() : LARGE_CHIP_NETWORKS;
            for (String net : nets) {
                out.add(new BenchCase(name(), BenchCase.key(name(), net, chip, BATCH, "latency"), net, chip, BATCH,
                        "latency", strategies));
            }
        }
        return out;
    }

    /** The best proven objective of a case and who proved it: an exact engine's optimum beats dp's (wider model). */
    record Reference(String by, double objective, double lowerBound) {}

    static Reference reference(Map<String, ResultRow> c) {
        ResultRow best = null;
        double lower = Double.NaN;
        for (String e : org.pimopt.solve.registry.Strategies.EXACT_ENGINES) {
            ResultRow r = c.get(e);
            if (r != null && r.hasPlan()) {
                if (!Double.isNaN(r.bound())) {
                    lower = Double.isNaN(lower) ? r.bound() : Math.max(lower, r.bound());
                }
                if (r.optimal() && (best == null || r.objective() < best.objective())) {
                    best = r;
                }
            }
        }
        if (best != null) {
            return new Reference(best.strategy(), best.objective(), lower);
        }
        ResultRow dp = c.get("dp");
        if (dp != null && dp.optimal()) {
            return new Reference("dp (fixed order)", dp.objective(), lower);
        }
        return new Reference("none", Double.NaN, lower);
    }

    @Override
    public void report(List<ResultRow> rows, List<String> comments, Path dir) {
        Map<String, Map<String, ResultRow>> cases = Reports.byCase(rows);
        StringBuilder md = new StringBuilder(Reports.header("Optimality gaps of the heuristics", name(), comments, rows));
        md.append("Objective `latency` (batch " + BATCH + "). The reference of a case is the best *proven* objective: an "
                + "exact engine's (cpsat, choco, mip) when it proved optimality within the time limit (its model: any "
                + "dependency-respecting order, a bounded number of partitions), otherwise dp's, which is optimal over "
                + "contiguous partitions of the fixed unit order only. Gap = heuristic latency / reference - 1; a "
                + "negative gap means the heuristic found a plan outside the reference's model that beats it. "
                + "`lower bound` is the best bound an exact engine proved; `best vs bound` is how far the best plan "
                + "found may still be from the true optimum of that engine's model. The full suite runs every zoo CNN on "
                + "the COMPASS chips and " + String.join(", ", LARGE_CHIP_NETWORKS) + " on the large presets, where the "
                + "heuristics' replication search takes minutes per case for larger networks.\n\n");
        md.append(Reports.errors(rows));
        List<String> strategies = new ArrayList<>(HEURISTICS);
        strategies.add("dp");
        Map<String, List<Double>> gaps = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> byNet = new LinkedHashMap<>();
        List<List<String>> table = new ArrayList<>();
        int byExact = 0;
        for (Map<String, ResultRow> c : cases.values()) {
            ResultRow any = c.values().iterator().next();
            Reference ref = reference(c);
            if (org.pimopt.solve.registry.Strategies.isExact(ref.by())) {
                byExact++;
            }
            List<String> r = new ArrayList<>(List.of(any.model(), any.hardware(), Integer.toString(any.units()), ref.by()));
            for (String s : strategies) {
                double v = Reports.value(c, s, ResultRow::objective);
                double gap = v / ref.objective() - 1;
                r.add(Markdown.pct(gap));
                if (!Double.isNaN(gap)) {
                    gaps.computeIfAbsent(s, k -> new ArrayList<>()).add(gap);
                    byNet.computeIfAbsent(any.model(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(s, k -> new ArrayList<>()).add(gap);
                }
            }
            ResultRow best = Reports.best(c);
            r.add(Markdown.pct(best == null || Double.isNaN(ref.lowerBound()) ? Double.NaN
                    : best.objective() / ref.lowerBound() - 1));
            table.add(r);
        }
        md.append("## Summary over " + cases.size() + " cases (" + byExact + " with an exact engine's proven optimum)\n\n");
        List<List<String>> summary = new ArrayList<>();
        for (String s : strategies) {
            List<Double> g = gaps.getOrDefault(s, List.of());
            double mean = g.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double max = g.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            long within1 = g.stream().filter(x -> x <= 0.01).count();
            long negative = g.stream().filter(x -> x < -1e-9).count();
            summary.add(List.of(s, Integer.toString(g.size()), Markdown.pct(mean), Markdown.pct(max),
                    within1 + " / " + g.size(), Long.toString(negative)));
        }
        md.append(Markdown.table(List.of("strategy", "cases", "mean gap", "max gap", "within 1%", "beats reference"),
                summary)).append('\n');
        md.append("## Per case\n\n");
        List<String> head = new ArrayList<>(List.of("network", "hardware", "units", "reference"));
        head.addAll(strategies);
        head.add("best vs bound");
        md.append(Markdown.table(head, table)).append('\n');
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (var e : byNet.entrySet()) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String s : HEURISTICS) {
                List<Double> g = e.getValue().getOrDefault(s, List.of());
                m.put(s, 100 * g.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
            }
            bars.put(e.getKey(), m);
        }
        md.append("## Plot\n\n");
        String file = "optimality-gap.svg";
        md.append(Reports.plot(dir, file, "heuristic gaps", () -> Charts.bars(dir.resolve(file),
                "Gap to the best proven latency, mean over hardware presets", Reports.footnote(comments), "network", "gap (%)", bars)));
        Reports.write(dir, name() + ".md", md.toString());
    }
}
