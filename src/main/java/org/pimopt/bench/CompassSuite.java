package org.pimopt.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.report.Charts;

/**
 * COMPASS's setting (DATE 2025): VGG16, ResNet18 and SqueezeNet on its chips S/M/L at batch 1 to
 * 16, every strategy, throughput (objective latency) and EDP (objective edp) relative to the
 * greedy and layerwise baselines, set beside the ratios COMPASS published.
 */
final class CompassSuite implements Suite {
    static final List<String> NETWORKS = List.of("vgg16", "resnet18", "squeezenet1_0");
    static final List<String> HEURISTICS = List.of("layerwise", "greedy", "pimcomp-balance", "pimcomp-fill", "clsa-greedy",
            "compass-ga", "dp");
    /** COMPASS's throughput gains over greedy and over layerwise, per network. */
    static final Map<String, double[]> PUBLISHED_THROUGHPUT = Map.of("vgg16", new double[] {1.80, 1.56},
            "resnet18", new double[] {1.71, 1.31}, "squeezenet1_0", new double[] {2.24, 1.98});
    static final double PUBLISHED_MEAN_THROUGHPUT = 1.78;
    /** COMPASS's EDP gains on ResNet18 on chip S: over greedy, over layerwise. */
    static final double[] PUBLISHED_EDP_RESNET18_S = {1.28, 2.08};
    /** Within this relative distance a ratio "reaches" the published one. */
    static final double TOLERANCE = 0.05;

    @Override
    public String name() {
        return "compass";
    }

    @Override
    public List<BenchCase> cases(SuiteOptions options) {
        List<String> chips = options.quick() ? List.of("compass-s") : List.of("compass-s", "compass-m", "compass-l");
        List<Integer> batches = options.quick() ? List.of(1, 4, 16) : List.of(1, 2, 4, 8, 16);
        List<BenchCase> out = new ArrayList<>();
        for (String goal : List.of("latency", "edp")) {
            List<String> strategies = new ArrayList<>(HEURISTICS);
            // The default exact portfolio, on both goals (dp-lattice and CP-SAT model EDP); each engine
            // alone is compared in the scaling and exact suites, where their time is the question.
            strategies.add("exact");
            for (String net : NETWORKS) {
                for (String chip : chips) {
                    for (int b : batches) {
                        out.add(new BenchCase(name(), BenchCase.key(name(), net, chip, b, goal), net, chip, b, goal,
                                strategies));
                    }
                }
            }
        }
        return out;
    }

    /** Baseline metric / strategy metric per case (higher is better for the strategy). */
    private static double gain(Map<String, ResultRow> c, String strategy, String baseline, boolean edp) {
        ResultRow s = "best".equals(strategy) ? Reports.best(c) : c.get(strategy);
        ResultRow base = c.get(baseline);
        if (s == null || base == null || !s.hasPlan() || !base.hasPlan()) {
            return Double.NaN;
        }
        return edp ? base.edpPjNs() / s.edpPjNs() : s.throughputPerS() / base.throughputPerS();
    }

    private static List<Map<String, ResultRow>> select(Map<String, Map<String, ResultRow>> cases, String goal,
                                                       String net, String chip) {
        List<Map<String, ResultRow>> out = new ArrayList<>();
        for (Map<String, ResultRow> c : cases.values()) {
            ResultRow any = c.values().iterator().next();
            if (any.goal().equals(goal) && (net == null || any.model().equals(net))
                    && (chip == null || any.hardware().equals(chip))) {
                out.add(c);
            }
        }
        return out;
    }

    private static double geo(List<Map<String, ResultRow>> cases, String strategy, String baseline, boolean edp) {
        return Markdown.geomean(cases.stream().map(c -> gain(c, strategy, baseline, edp)).toList());
    }

    static String verdict(double ours, double published) {
        if (Double.isNaN(ours)) {
            return "no data";
        }
        if (ours > published * (1 + TOLERANCE)) {
            return "exceeds";
        }
        if (ours < published * (1 - TOLERANCE)) {
            return "falls short of";
        }
        return "reaches";
    }

    @Override
    public void report(List<ResultRow> rows, List<String> comments, Path dir) {
        Map<String, Map<String, ResultRow>> cases = Reports.byCase(rows);
        List<String> strategies = new ArrayList<>();
        rows.forEach(r -> {
            if (!strategies.contains(r.strategy())) {
                strategies.add(r.strategy());
            }
        });
        List<String> shown = new ArrayList<>(strategies);
        shown.add("best");
        StringBuilder md = new StringBuilder(Reports.header("COMPASS setting: throughput and EDP against the baselines",
                name(), comments, rows));
        md.append("Networks ").append(String.join(", ", NETWORKS)).append(" on COMPASS chips, every batch size listed in "
                + "the data; objective `latency` for throughput (samples/s = batch / batch latency) and objective `edp` "
                + "for EDP (energy per sample x latency per sample). A ratio is strategy over baseline for throughput and "
                + "baseline over strategy for EDP (higher is better), as a geometric mean over chips and batches. `best` "
                + "is the best plan any pimopt strategy found for the case. Verdicts use a tolerance of "
                + (int) (TOLERANCE * 100) + "% and are computed from the data.\n\n");
        md.append(Reports.errors(rows));

        md.append("## Verdict against COMPASS's published ratios\n\n");
        md.append("Over the cases in this file: chips ")
                .append(String.join(", ", rows.stream().map(ResultRow::hardware).distinct().toList()))
                .append("; batches ").append(rows.stream().map(r -> Integer.toString(r.batch())).distinct()
                        .collect(java.util.stream.Collectors.joining(", ")))
                .append(". COMPASS's mean 1.78x is the mean of its six per-network ratios; pimopt's is computed the same way.\n\n");
        List<List<String>> verdicts = new ArrayList<>();
        double sumGa = 0;
        double sumBest = 0;
        int n = 0;
        for (String net : NETWORKS) {
            double[] pub = PUBLISHED_THROUGHPUT.get(net);
            String[] baselines = {"greedy", "layerwise"};
            for (int i = 0; i < 2; i++) {
                List<Map<String, ResultRow>> sel = select(cases, "latency", net, null);
                double ga = geo(sel, "compass-ga", baselines[i], false);
                double best = geo(sel, "best", baselines[i], false);
                if (!sel.isEmpty()) {
                    sumGa += ga;
                    sumBest += best;
                    n++;
                }
                verdicts.add(List.of("throughput " + net + " vs " + baselines[i], Markdown.ratio(pub[i]),
                        Markdown.ratio(ga), verdict(ga, pub[i]), Markdown.ratio(best), verdict(best, pub[i])));
            }
        }
        double meanGa = n == 0 ? Double.NaN : sumGa / n;
        double meanBest = n == 0 ? Double.NaN : sumBest / n;
        verdicts.add(List.of("throughput, mean of the six above", Markdown.ratio(PUBLISHED_MEAN_THROUGHPUT),
                Markdown.ratio(meanGa), verdict(meanGa, PUBLISHED_MEAN_THROUGHPUT), Markdown.ratio(meanBest),
                verdict(meanBest, PUBLISHED_MEAN_THROUGHPUT)));
        String[] edpBase = {"greedy", "layerwise"};
        for (int i = 0; i < 2; i++) {
            List<Map<String, ResultRow>> sel = select(cases, "edp", "resnet18", "compass-s");
            double ga = geo(sel, "compass-ga", edpBase[i], true);
            double best = geo(sel, "best", edpBase[i], true);
            verdicts.add(List.of("EDP resnet18 on compass-s vs " + edpBase[i], Markdown.ratio(PUBLISHED_EDP_RESNET18_S[i]),
                    Markdown.ratio(ga), verdict(ga, PUBLISHED_EDP_RESNET18_S[i]), Markdown.ratio(best),
                    verdict(best, PUBLISHED_EDP_RESNET18_S[i])));
        }
        md.append(Markdown.table(List.of("figure", "COMPASS published", "pimopt compass-ga", "compass-ga",
                "pimopt best plan", "best plan"), verdicts)).append('\n');
        md.append("In words:\n\n");
        for (List<String> v : verdicts) {
            md.append(String.format(Locale.ROOT, "- %s: pimopt's compass-ga %s the published %s (%s); pimopt's best plan %s it (%s).%n",
                    v.get(0), v.get(3), v.get(1), v.get(2), v.get(5), v.get(4)));
        }
        md.append('\n');

        for (String goal : List.of("latency", "edp")) {
            boolean edp = goal.equals("edp");
            for (String baseline : List.of("greedy", "layerwise")) {
                md.append("## ").append(edp ? "EDP" : "Throughput").append(" relative to ").append(baseline)
                        .append(" (objective ").append(goal).append(")\n\n");
                List<List<String>> table = new ArrayList<>();
                List<String> chipsSeen = new ArrayList<>();
                rows.stream().map(ResultRow::hardware).distinct().forEach(chipsSeen::add);
                for (String net : NETWORKS) {
                    for (String chip : chipsSeen) {
                        List<Map<String, ResultRow>> sel = select(cases, goal, net, chip);
                        if (sel.isEmpty()) {
                            continue;
                        }
                        List<String> r = new ArrayList<>(List.of(net, chip));
                        for (String s : shown) {
                            r.add(Markdown.ratio(geo(sel, s, baseline, edp)));
                        }
                        table.add(r);
                    }
                }
                List<String> head = new ArrayList<>(List.of("network", "chip"));
                head.addAll(shown);
                md.append(Markdown.table(head, table)).append('\n');
            }
        }

        md.append("## Throughput per case (samples/s, objective latency)\n\n");
        List<List<String>> perCase = new ArrayList<>();
        for (Map<String, ResultRow> c : select(cases, "latency", null, null)) {
            ResultRow any = c.values().iterator().next();
            List<String> r = new ArrayList<>(List.of(any.model(), any.hardware(), Integer.toString(any.batch())));
            for (String s : strategies) {
                ResultRow x = c.get(s);
                String cell = x == null || !x.hasPlan() ? (x == null ? "-" : x.status()) : Markdown.num(x.throughputPerS(), "%.0f");
                if (x != null && x.hasPlan() && org.pimopt.solve.registry.Strategies.isExact(s)) {
                    cell += x.optimal() ? " (opt)" : Double.isNaN(x.gap()) ? " (no bound)" : " (gap " + Markdown.pct(x.gap()) + ")";
                }
                r.add(cell);
            }
            perCase.add(r);
        }
        List<String> head = new ArrayList<>(List.of("network", "chip", "batch"));
        head.addAll(strategies);
        md.append(Markdown.table(head, perCase)).append('\n');

        md.append("## Plots\n\n");
        for (String net : NETWORKS) {
            List<Charts.Panel> panels = new ArrayList<>();
            Map<String, List<Map<String, ResultRow>>> byChip = new LinkedHashMap<>();
            for (Map<String, ResultRow> c : select(cases, "latency", net, null)) {
                byChip.computeIfAbsent(c.values().iterator().next().hardware(), k -> new ArrayList<>()).add(c);
            }
            for (var e : byChip.entrySet()) {
                List<Charts.Series> series = new ArrayList<>();
                for (String s : strategies) {
                    List<double[]> pts = new ArrayList<>();
                    for (Map<String, ResultRow> c : e.getValue()) {
                        ResultRow x = c.get(s);
                        if (x != null && x.hasPlan()) {
                            pts.add(new double[] {x.batch(), x.throughputPerS()});
                        }
                    }
                    pts.sort((a, b) -> Double.compare(a[0], b[0]));
                    series.add(new Charts.Series(s, pts, false));
                }
                panels.add(new Charts.Panel(e.getKey() + ": samples/s", series));
            }
            if (panels.isEmpty()) {
                continue;
            }
            String file = "compass-throughput-" + net + ".svg";
            md.append(Reports.plot(dir, file, net + " throughput vs batch", () -> Charts.lines(dir.resolve(file),
                    net + ": throughput vs batch (objective latency, " + rows.get(0).scorer() + " scorer)",
                    Reports.footnote(comments), "batch",
                    true, false, panels)));
        }
        Reports.write(dir, name() + ".md", md.toString());
    }
}
