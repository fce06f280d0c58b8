package org.pimopt.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.report.Charts;
import org.pimopt.solve.registry.Strategies;

/**
 * Issue 23's matrix: every zoo network on every hardware preset at batch 1 and 16, objectives
 * latency and edp (15 x 6 x 2 x 2 = 360 cases). Each case runs every heuristic, then the {@code exact}
 * portfolio from the best of their plans; plans are scored as the run says (the simulator by
 * default). Each row carries the peak memory of its run ({@link MemoryPeak}).
 *
 * <p>Targets (issue 23, one case at a time, 60 s): at least 90% of the cases proven optimal, at most
 * 1% gap in every other case, no exact run over its limit by more than 2 s, none killed for memory.
 */
final class ZooSuite implements Suite {
    static final String PORTFOLIO = "exact";
    static final List<String> BASELINES = List.of("layerwise", "greedy", "pimcomp-balance", "pimcomp-fill",
            "clsa-greedy", "compass-ga", "dp");
    static final List<Integer> BATCHES = List.of(1, 16);
    static final List<String> GOALS = List.of("latency", "edp");
    /** The quick variant: small networks on a small and a large chip, both goals (a minute or two at 5 s). */
    static final List<String> QUICK_NETWORKS = List.of("lenet5", "alexnet");
    static final List<String> QUICK_CHIPS = List.of("compass-s", "puma");
    static final List<Integer> QUICK_BATCHES = List.of(16);
    static final double PROVEN_SHARE_TARGET = 0.90;
    static final double GAP_TARGET = 0.01;
    /** An exact run ending later than its limit plus this overran. */
    static final long OVERRUN_MILLIS = 2_000;
    static final String PLOT = "zoo-time.svg";

    @Override
    public String name() {
        return "zoo";
    }

    static List<String> networks() {
        return ModelCatalog.zooNames();
    }

    static List<String> chips() {
        return ChipLoader.presetNames();
    }

    @Override
    public List<BenchCase> cases(SuiteOptions options) {
        List<BenchCase> out = new ArrayList<>();
        List<String> strategies = new ArrayList<>(BASELINES);
        strategies.add(PORTFOLIO);
        for (String chip : options.quick() ? QUICK_CHIPS : chips()) {
            for (String net : options.quick() ? QUICK_NETWORKS : networks()) {
                for (int batch : options.quick() ? QUICK_BATCHES : BATCHES) {
                    for (String goal : GOALS) {
                        out.add(new BenchCase(name(), BenchCase.key(name(), net, chip, batch, goal), net, chip, batch,
                                goal, strategies));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void report(List<ResultRow> rows, List<String> comments, Path dir) {
        List<String> expected = cases(new SuiteOptions(Reports.quick(comments), null)).stream().map(BenchCase::key).toList();
        Map<String, Map<String, ResultRow>> cases = inOrder(Reports.byCase(rows), expected);
        StringBuilder md = new StringBuilder(Reports.header("Every zoo network on every chip", name(), comments, rows));
        md.append("Every case (" + networks().size() + " zoo networks x " + chips().size() + " presets x batch "
                + BATCHES + " x objective " + GOALS + " in the full suite) runs the heuristics ("
                + String.join(", ", BASELINES) + "), then `" + PORTFOLIO + "`, the default portfolio (dp-lattice, "
                + "then CP-SAT from the best plan so far), each with the run's time limit. A case's status, gap and "
                + "`proven by` are exact's (`proven by`: what proved the OPTIMAL: `dp-lattice`, `cpsat`, or `bound` when "
                + "a plan met a bound valid for every plan); its time is exact's wall time. Ratios are each plan's "
                + "objective over the best plan of the case, all scored as the header says.\n\n"
                + "**Peak memory** is measured per strategy run (`bench/MemoryPeak`): `heap` is the largest Java heap in "
                + "use (live objects and uncollected garbage; taken just before each collection from the JVM's GC "
                + "notifications and sampled every " + MemoryPeak.PERIOD_MILLIS + " ms); `rss` the largest resident set "
                + "of the process (sampled; it includes native memory such as CP-SAT's, and every page the JVM has "
                + "touched so far in the run, so in one JVM it never falls below earlier cases' peaks). A case's figure "
                + "is the largest of its runs. Both are of the whole JVM: with `--jobs` above 1 they include the cases "
                + "running beside it.\n\n");
        md.append(Reports.errors(rows));
        md.append(targets(cases, expected));
        md.append(byNetwork(cases));
        md.append(baselines(cases));
        md.append(plot(cases, comments, dir));
        for (String chip : chipsOf(cases)) {
            md.append("## ").append(chip).append("\n\n");
            md.append(caseTable(cases, chip)).append('\n');
        }
        Reports.write(dir, name() + ".md", md.toString());
    }

    /** The cases in the suite's order (a merged file is sorted by key), others after them as found. */
    static Map<String, Map<String, ResultRow>> inOrder(Map<String, Map<String, ResultRow>> cases, List<String> order) {
        Map<String, Map<String, ResultRow>> out = new LinkedHashMap<>();
        for (String k : order) {
            if (cases.containsKey(k)) {
                out.put(k, cases.get(k));
            }
        }
        cases.forEach(out::putIfAbsent);
        return out;
    }

    /** What a case's numbers are: exact's row, the best row, the largest peaks of its rows. */
    record CaseView(String key, String model, String hardware, int batch, String goal, int units, ResultRow exact,
                    ResultRow best, long heapMib, long rssMib) {
        static CaseView of(String key, Map<String, ResultRow> c) {
            ResultRow any = c.values().iterator().next();
            int units = c.values().stream().mapToInt(ResultRow::units).max().orElse(-1);
            long heap = c.values().stream().mapToLong(ResultRow::peakHeapMib).max().orElse(-1);
            long rss = c.values().stream().mapToLong(ResultRow::peakRssMib).max().orElse(-1);
            return new CaseView(key, any.model(), any.hardware(), any.batch(), any.goal(), units, c.get(PORTFOLIO),
                    Reports.best(c), heap, rss);
        }

        String label() {
            return model + "/" + hardware + "/b" + batch + "/" + goal;
        }

        boolean proven() {
            return exact != null && exact.optimal();
        }

        /** exact's gap: 0 when proven, NaN when it has no plan or no bound. */
        double gap() {
            if (exact == null || !exact.hasPlan()) {
                return Double.NaN;
            }
            return exact.optimal() ? 0 : exact.gap();
        }
    }

    static List<CaseView> views(Map<String, Map<String, ResultRow>> cases) {
        List<CaseView> out = new ArrayList<>();
        cases.forEach((k, c) -> out.add(CaseView.of(k, c)));
        return out;
    }

    /** The targets, counted plainly over every case of the matrix (a case with no rows counts as missed). */
    static String targets(Map<String, Map<String, ResultRow>> cases, List<String> expected) {
        Set<String> all = new LinkedHashSet<>(expected);
        all.addAll(cases.keySet());
        List<CaseView> views = views(cases);
        int total = all.size();
        List<String> missing = all.stream().filter(k -> !cases.containsKey(k)).toList();
        List<CaseView> noExact = views.stream().filter(v -> v.exact == null).toList();
        long proven = views.stream().filter(CaseView::proven).count();
        Map<String, Long> by = new java.util.TreeMap<>();
        views.stream().filter(CaseView::proven).forEach(v ->
                by.merge(v.exact.provenBy().isEmpty() ? PORTFOLIO : v.exact.provenBy(), 1L, Long::sum));
        List<CaseView> unproven = views.stream().filter(v -> v.exact != null && !v.proven()).toList();
        List<CaseView> overGap = unproven.stream().filter(v -> Double.isNaN(v.gap()) || v.gap() > GAP_TARGET).toList();
        double worstGap = overGap.stream().mapToDouble(v -> Double.isNaN(v.gap()) ? Double.POSITIVE_INFINITY : v.gap())
                .max().orElse(0);
        List<CaseView> overran = views.stream().filter(v -> v.exact != null
                && v.exact.wallMillis() > v.exact.timeoutMillis() + OVERRUN_MILLIS).toList();
        long worstOver = overran.stream().mapToLong(v -> v.exact.wallMillis() - v.exact.timeoutMillis()).max().orElse(0);
        List<ResultRow> baselineOverran = cases.values().stream().flatMap(c -> c.values().stream())
                .filter(r -> !r.strategy().equals(PORTFOLIO) && r.wallMillis() > r.timeoutMillis() + OVERRUN_MILLIS).toList();
        List<ResultRow> errors = cases.values().stream().flatMap(c -> c.values().stream())
                .filter(r -> r.status().equals("ERROR")).toList();
        List<ResultRow> memory = errors.stream().filter(r -> isMemoryError(r.note())).toList();
        long heapMax = views.stream().mapToLong(CaseView::heapMib).max().orElse(-1);
        long rssMax = views.stream().mapToLong(CaseView::rssMib).max().orElse(-1);
        CaseView heapCase = views.stream().filter(v -> v.heapMib == heapMax && heapMax >= 0).findFirst().orElse(null);

        StringBuilder md = new StringBuilder("## Targets\n\n");
        md.append("- Proven optimal by " + PORTFOLIO + ": **" + proven + " of " + total + " cases** (" + Markdown.pct(
                total == 0 ? Double.NaN : (double) proven / total) + "; target at least " + Markdown.pct(PROVEN_SHARE_TARGET)
                + ")" + (by.isEmpty() ? "" : "; proven by " + join(by)) + ".\n");
        md.append("- Cases over " + Markdown.pct(GAP_TARGET) + " gap: **" + overGap.size() + "** of the " + unproven.size()
                + " not proven (target 0)" + (overGap.isEmpty() ? "" : "; the largest gap is " + (Double.isInfinite(worstGap)
                ? "unbounded (no bound or no plan)" : Markdown.pct(worstGap)) + ": " + labels(overGap, 12)) + ".\n");
        md.append("- Cases where " + PORTFOLIO + " ran over its time limit by more than " + OVERRUN_MILLIS / 1000 + " s: **"
                + overran.size() + "** (target 0)" + (overran.isEmpty() ? "" : "; the most by " + Markdown.seconds(worstOver) + ": "
                + labels(overran, 12)) + ". Heuristic runs over their limit by as much: " + baselineOverran.size()
                + (baselineOverran.isEmpty() ? "" : " (" + rowLabels(baselineOverran, 8) + ")") + ".\n");
        md.append("- Memory: **" + memory.size() + " runs ran out of memory** (OutOfMemoryError, target 0); "
                + "**" + missing.size() + " cases have no rows** (a JVM killed mid-case, e.g. by the OOM killer when each "
                + "case runs in its own JVM, or not run yet)" + (missing.isEmpty() ? "" : ": " + String.join(", ",
                missing.subList(0, Math.min(12, missing.size())).stream().map(k -> k.substring(k.indexOf('/') + 1)).toList())
                + (missing.size() > 12 ? ", ..." : "")) + "; "
                + (errors.size() - memory.size()) + " other error rows" + (noExact.isEmpty() ? "" : "; " + noExact.size()
                + " cases without an " + PORTFOLIO + " row") + ". Largest peak heap "
                + (heapMax < 0 ? "not measured" : heapMax + " MiB (" + heapCase.label() + ")") + ", largest peak resident set "
                + (rssMax < 0 ? "not measured" : rssMax + " MiB") + ".\n\n");
        return md.toString();
    }

    static boolean isMemoryError(String note) {
        return note != null && (note.contains("OutOfMemoryError") || note.contains("memory limit"));
    }

    /** Proven cases out of all, per network (rows) and chip (columns). */
    static String byNetwork(Map<String, Map<String, ResultRow>> cases) {
        List<CaseView> views = views(cases);
        List<String> chips = chipsOf(cases);
        List<String> nets = new ArrayList<>(new LinkedHashSet<>(views.stream().map(CaseView::model).toList()));
        List<String> head = new ArrayList<>(List.of("network", "units"));
        head.addAll(chips);
        head.add("all");
        List<List<String>> table = new ArrayList<>();
        for (String net : nets) {
            List<CaseView> mine = views.stream().filter(v -> v.model.equals(net)).toList();
            List<String> r = new ArrayList<>(List.of(net, unitRange(mine)));
            for (String chip : chips) {
                r.add(provenOf(mine.stream().filter(v -> v.hardware.equals(chip)).toList()));
            }
            r.add(provenOf(mine));
            table.add(r);
        }
        List<String> last = new ArrayList<>(List.of("all", unitRange(views)));
        for (String chip : chips) {
            last.add(provenOf(views.stream().filter(v -> v.hardware.equals(chip)).toList()));
        }
        last.add(provenOf(views));
        table.add(last);
        return "## Proven, by network and chip\n\nCases proven optimal of the cases run (`units`: the network's "
                + "units on the chips, smallest to largest).\n\n" + Markdown.table(head, table) + "\n";
    }

    private static String provenOf(List<CaseView> views) {
        return views.isEmpty() ? "-" : views.stream().filter(CaseView::proven).count() + "/" + views.size();
    }

    private static String unitRange(List<CaseView> views) {
        int lo = views.stream().mapToInt(CaseView::units).filter(u -> u >= 0).min().orElse(-1);
        int hi = views.stream().mapToInt(CaseView::units).max().orElse(-1);
        return lo < 0 ? "-" : lo == hi ? Integer.toString(lo) : lo + "-" + hi;
    }

    /** Each baseline and exact against the best plan of each case. */
    static String baselines(Map<String, Map<String, ResultRow>> cases) {
        List<String> strategies = new ArrayList<>(BASELINES);
        strategies.add(PORTFOLIO);
        List<List<String>> table = new ArrayList<>();
        for (String s : strategies) {
            List<Double> ratios = new ArrayList<>();
            int plans = 0;
            int best = 0;
            List<Double> times = new ArrayList<>();
            for (Map<String, ResultRow> c : cases.values()) {
                ResultRow r = c.get(s);
                if (r == null) {
                    continue;
                }
                times.add((double) r.wallMillis());
                ResultRow b = Reports.best(c);
                if (r.hasPlan() && b != null) {
                    plans++;
                    double ratio = r.objective() / b.objective();
                    ratios.add(ratio);
                    best += ratio <= 1 + 1e-9 ? 1 : 0;
                }
            }
            if (times.isEmpty()) {
                continue;
            }
            times.sort(null);
            table.add(List.of(s, Integer.toString(times.size()), Integer.toString(plans), Integer.toString(best),
                    Markdown.ratio(Markdown.geomean(ratios)),
                    Markdown.ratio(ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)),
                    Markdown.seconds(times.get(times.size() / 2)), Markdown.seconds(times.get(times.size() - 1))));
        }
        return "## Strategies against the best plan\n\n`best` counts the cases where the strategy's plan is (one of) the "
                + "best; ratios are its objective over the best plan's, geometric mean and largest over the cases where it "
                + "has a plan.\n\n" + Markdown.table(List.of("strategy", "cases", "plans", "best", "geomean / best",
                "worst / best", "median time", "longest time"), table) + "\n";
    }

    /** exact's wall time against the network's units: proven cases, and the others at the time they used. */
    static String plot(Map<String, Map<String, ResultRow>> cases, List<String> comments, Path dir) {
        List<CaseView> views = views(cases).stream().filter(v -> v.exact != null && v.units > 0).toList();
        List<Charts.Series> series = new ArrayList<>();
        for (String chip : chipsOf(cases)) {
            List<double[]> proven = new ArrayList<>();
            List<double[]> open = new ArrayList<>();
            for (CaseView v : views) {
                if (v.hardware.equals(chip)) {
                    (v.proven() ? proven : open).add(new double[] {v.units, Math.max(1e-3, v.exact.wallMillis() / 1000.0)});
                }
            }
            if (!proven.isEmpty()) {
                series.add(new Charts.Series(chip, sortByX(proven), false, false));
            }
            if (!open.isEmpty()) {
                series.add(new Charts.Series(chip + " (not proven)", sortByX(open), true, false));
            }
        }
        long limit = views.stream().mapToLong(v -> v.exact.timeoutMillis()).max().orElse(0);
        if (limit > 0 && !views.isEmpty()) {
            double lo = views.stream().mapToInt(CaseView::units).min().getAsInt();
            double hi = views.stream().mapToInt(CaseView::units).max().getAsInt();
            series.add(new Charts.Series("time limit", List.of(new double[] {lo, limit / 1000.0},
                    new double[] {hi, limit / 1000.0}), true, true));
        }
        StringBuilder md = new StringBuilder("## Proof time against units\n\nEach point is one case: `" + PORTFOLIO
                + "`'s wall time against the network's units on the chip, one colour per chip; points of the series "
                + "marked `(not proven)` are cases that ended unproven (at the time they used). Both axes logarithmic.\n\n");
        md.append(Reports.plot(dir, PLOT, "proof time vs units", () -> Charts.lines(dir.resolve(PLOT),
                "Time to proven optimality vs units (" + PORTFOLIO + ", every zoo case)", Reports.footnote(comments),
                "units", true, true, List.of(new Charts.Panel("seconds", series)))));
        return md.toString();
    }

    private static List<double[]> sortByX(List<double[]> points) {
        List<double[]> out = new ArrayList<>(points);
        out.sort((a, b) -> Double.compare(a[0], b[0]));
        return out;
    }

    /** One row per case of a chip. */
    static String caseTable(Map<String, Map<String, ResultRow>> cases, String chip) {
        List<String> head = new ArrayList<>(List.of("network", "batch", "goal", "units", "status", "proven by", "gap",
                "time", "heap MiB", "rss MiB", "best by", PORTFOLIO + " / best"));
        BASELINES.forEach(b -> head.add(b + " / best"));
        List<List<String>> table = new ArrayList<>();
        for (Map.Entry<String, Map<String, ResultRow>> e : cases.entrySet()) {
            CaseView v = CaseView.of(e.getKey(), e.getValue());
            if (!v.hardware.equals(chip)) {
                continue;
            }
            ResultRow x = v.exact;
            List<String> r = new ArrayList<>(List.of(v.model, Integer.toString(v.batch), v.goal, Integer.toString(v.units),
                    x == null ? "-" : x.status(), x == null || x.provenBy().isEmpty() ? "-" : x.provenBy(),
                    x == null || !x.hasPlan() ? "-" : Double.isNaN(v.gap()) ? "no bound" : Markdown.pct(v.gap()),
                    x == null ? "-" : Markdown.seconds(x.wallMillis()), mib(v.heapMib), mib(v.rssMib),
                    v.best == null ? "-" : v.best.strategy(),
                    v.best == null ? "-" : ratio3(Reports.value(e.getValue(), PORTFOLIO, ResultRow::objective) / v.best.objective())));
            for (String b : BASELINES) {
                double val = Reports.value(e.getValue(), b, ResultRow::objective);
                r.add(v.best == null ? "-" : Markdown.ratio(val / v.best.objective()));
            }
            table.add(r);
        }
        return Markdown.table(head, table);
    }

    private static List<String> chipsOf(Map<String, Map<String, ResultRow>> cases) {
        List<String> seen = new ArrayList<>(new LinkedHashSet<>(cases.values().stream()
                .map(c -> c.values().iterator().next().hardware()).toList()));
        List<String> order = new ArrayList<>(chips());
        seen.sort((a, b) -> Integer.compare(rank(order, a), rank(order, b)));
        return seen;
    }

    private static int rank(List<String> order, String chip) {
        int i = order.indexOf(chip);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static String mib(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    private static String ratio3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3fx", v);
    }

    private static String join(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    private static String labels(List<CaseView> views, int max) {
        List<String> parts = views.stream().limit(max).map(v -> v.label() + (v.exact == null ? "" : " ("
                + (v.proven() ? "OPTIMAL" : Double.isNaN(v.gap()) ? v.exact.status() + ", no bound"
                : "gap " + Markdown.pct(v.gap())) + ", " + Markdown.seconds(v.exact.wallMillis()) + ")")).toList();
        return String.join("; ", parts) + (views.size() > max ? "; ..." : "");
    }

    private static String rowLabels(List<ResultRow> rows, int max) {
        List<String> parts = rows.stream().limit(max).map(r -> r.model() + "/" + r.hardware() + "/b" + r.batch() + "/"
                + r.goal() + " " + r.strategy() + " " + Markdown.seconds(r.wallMillis())).toList();
        return String.join("; ", parts) + (rows.size() > max ? "; ..." : "");
    }
}
