package org.pimopt.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.report.Charts;
import org.pimopt.solve.pareto.ParetoFront;
import org.pimopt.solve.pareto.ParetoGoals;
import org.pimopt.solve.pareto.ParetoPoint;
import org.pimopt.solve.pareto.ParetoSweep;

/**
 * Issue 25's fronts: resnet18, squeezenet1_1, mobilenet_v2 and googlenet on compass-s/m/l at batch 16,
 * the latency-energy front of each (formulations/pareto.md), with every heuristic's plan beside it.
 * A case runs the heuristics, then the sweep ({@link #STRATEGY}) with the run's time limit, warm-started
 * from their plans; each front point is a row {@code pareto-N} priced by the cost model (the space the
 * points are proven in), its note saying how it was found. Run it with {@code --scorer analytic} so
 * that the heuristics' rows are in the same figures.
 */
final class ParetoSuite implements Suite {
    /** The case's strategy that stands for the sweep; its rows are named {@code pareto-N}. */
    static final String STRATEGY = "pareto";
    static final String GOALS = "latency,energy";
    static final List<String> NETWORKS = List.of("resnet18", "squeezenet1_1", "mobilenet_v2", "googlenet");
    static final List<String> CHIPS = List.of("compass-s", "compass-m", "compass-l");
    static final List<String> QUICK_NETWORKS = List.of("lenet5", "resnet18");
    static final List<String> QUICK_CHIPS = List.of("compass-s");
    static final int BATCH = 16;

    @Override
    public String name() {
        return "pareto";
    }

    @Override
    public List<BenchCase> cases(SuiteOptions options) {
        List<String> strategies = new ArrayList<>(ZooSuite.BASELINES);
        strategies.add(STRATEGY);
        List<BenchCase> out = new ArrayList<>();
        for (String chip : options.quick() ? QUICK_CHIPS : CHIPS) {
            for (String net : options.quick() ? QUICK_NETWORKS : NETWORKS) {
                out.add(new BenchCase(name(), BenchCase.key(name(), net, chip, BATCH, GOALS), net, chip, BATCH, GOALS, strategies));
            }
        }
        return out;
    }

    /** The sweep on a case: one row per front point, model figures, the first point's note saying how the sweep ended. */
    static List<ResultRow> run(BenchCase c, Instance instance, List<SolveResult> heuristics, CaseRunner.Settings settings,
                               Consumer<String> alarms) {
        ParetoGoals goals = ParetoGoals.parse(c.goal());
        long start = System.nanoTime();
        List<ResultRow> rows = new ArrayList<>();
        ParetoFront front;
        try {
            SolveOptions options = new SolveOptions(settings.timeoutMillis(), settings.seed(), settings.workers(), line -> {});
            List<Plan> plans = heuristics.stream().map(SolveResult::plan).filter(p -> p != null).toList();
            front = new ParetoSweep(instance, goals, ParetoSweep.DEFAULT_SOLVES, ParetoSweep.DEFAULT_EPS)
                    .run(options, start + settings.timeoutMillis() * 1_000_000L, plans);
        } catch (RuntimeException | OutOfMemoryError e) {
            alarms.accept("ERROR " + c.key() + " pareto: " + e);
            return List.of(new ResultRow(c.suite(), c.key(), c.model(), c.hardware(), c.batch(), c.goal(), "pareto-1", "analytic",
                    "ERROR", "", "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, -1, -1, -1, instance.units().size(), (System.nanoTime() - start) / 1_000_000, -1, -1,
                    settings.timeoutMillis(), settings.seed(), String.valueOf(e)));
        }
        for (int i = 0; i < front.points().size(); i++) {
            ParetoPoint p = front.points().get(i);
            BatchMetrics m = p.metrics();
            String note = p.how() + "; scope " + p.scope() + (i == 0 ? String.format(Locale.ROOT, "; front: %d points,"
                    + " %d proven, complete %s, stopped: %s, %d runs in %.1f s", front.points().size(), front.proven(),
                    front.complete(), front.stopped(), front.solves(), front.millis() / 1000.0) : "");
            double gap = p.gap() == null ? Double.NaN : p.gap();
            double f = goals.f(m);
            rows.add(new ResultRow(c.suite(), c.key(), c.model(), c.hardware(), c.batch(), c.goal(), "pareto-" + (i + 1),
                    "analytic", p.proven() ? "OPTIMAL" : "FEASIBLE", p.proven() ? p.provenBy() : "", "", f, f,
                    Double.isNaN(gap) ? Double.NaN : f * (1 - gap), gap, m.latencyNs(), m.throughputPerSecond(),
                    m.energyPerSamplePj(), m.edp(), m.cellsWritten(), m.dramBytes(), p.plan().partitions().size(),
                    instance.units().size(), p.millis(), -1, -1, settings.timeoutMillis(), settings.seed(), note));
        }
        return rows;
    }

    @Override
    public void report(List<ResultRow> rows, List<String> comments, Path dir) {
        List<String> expected = cases(new SuiteOptions(Reports.quick(comments), null)).stream().map(BenchCase::key).toList();
        Map<String, Map<String, ResultRow>> cases = ZooSuite.inOrder(Reports.byCase(rows), expected);
        StringBuilder md = new StringBuilder(Reports.header("The latency-energy front", name(), comments, rows));
        md.append("Every case runs the heuristics (" + String.join(", ", ZooSuite.BASELINES) + "), then the front of latency"
                + " and energy per batch (`solve --pareto latency,energy`, formulations/pareto.md) within the run's time"
                + " limit: the least latency, the least energy and the least EDP, each by the `exact` portfolio, then"
                + " least latency under energy limits between them (at most " + ParetoSweep.DEFAULT_SOLVES + " runs). A"
                + " point is **proven** (no plan is better in both) when its run was OPTIMAL over every plan; otherwise"
                + " its gap is the run's gap on latency. Front figures are the cost model's; a heuristic's distance is"
                + " how much worse it is in each goal than the nearest front point that dominates it (nearest: the"
                + " least of the larger of the two excesses).\n\n");
        md.append(Reports.errors(rows));
        List<List<String>> summary = new ArrayList<>();
        StringBuilder detail = new StringBuilder();
        for (var e : cases.entrySet()) {
            Map<String, ResultRow> c = e.getValue();
            List<ResultRow> points = c.values().stream().filter(r -> r.strategy().startsWith("pareto-")).toList();
            List<ResultRow> heuristics = c.values().stream().filter(r -> !r.strategy().startsWith("pareto-")).toList();
            ResultRow any = c.values().iterator().next();
            String label = any.model() + " / " + any.hardware() + " / b" + any.batch();
            long proven = points.stream().filter(ResultRow::optimal).count();
            String how = points.isEmpty() ? "no point" : points.get(0).note().replaceAll(".*; front: ", "");
            Map<String, double[]> dist = new LinkedHashMap<>();
            for (ResultRow h : heuristics) {
                double[] d = distance(h, points);
                if (d != null) {
                    dist.put(h.strategy(), d);
                }
            }
            String nearest = dist.entrySet().stream().min((a, b) -> Double.compare(Math.max(a.getValue()[1], a.getValue()[2]),
                    Math.max(b.getValue()[1], b.getValue()[2]))).map(x -> x.getKey() + " (+" + Markdown.pct(x.getValue()[1])
                    + " latency, +" + Markdown.pct(x.getValue()[2]) + " energy)").orElse("-");
            double span = points.size() < 2 ? Double.NaN
                    : energy(points.get(0)) / energy(points.get(points.size() - 1)) - 1;
            double cost = points.size() < 2 ? Double.NaN
                    : points.get(points.size() - 1).latencyNs() / points.get(0).latencyNs() - 1;
            summary.add(List.of(label, String.valueOf(points.size()), String.valueOf(proven), Markdown.pct(span),
                    Markdown.pct(cost), nearest, how));
            detail.append("### ").append(label).append("\n\n");
            String picture = plot(dir, label, points, heuristics);
            if (picture != null) {
                detail.append("![").append(label).append(": front and heuristics](").append(picture).append(")\n\n");
            }
            List<List<String>> t = new ArrayList<>();
            for (ResultRow p : points) {
                t.add(List.of(p.strategy(), p.note().replaceAll("; front: .*", ""), p.optimal() ? "proven (" + p.provenBy() + ")"
                        : "gap " + Markdown.pct(p.gap()), Markdown.num(p.latencyNs() / 1e6, "%.4f"), Markdown.num(energy(p) / 1e9,
                        "%.4f"), String.valueOf(p.partitions()), "", ""));
            }
            for (ResultRow h : heuristics) {
                double[] d = dist.get(h.strategy());
                t.add(List.of(h.strategy(), "heuristic", h.status(), Markdown.num(h.latencyNs() / 1e6, "%.4f"),
                        Markdown.num(energy(h) / 1e9, "%.4f"), String.valueOf(h.partitions()),
                        d == null ? "-" : "pareto-" + (int) d[0], d == null ? "-" : "+" + Markdown.pct(d[1]) + " / +" + Markdown.pct(d[2])));
            }
            detail.append(Markdown.table(List.of("plan", "how", "status", "latency (ms/batch)", "energy (mJ/batch)", "partitions",
                    "nearest front point", "worse: latency / energy"), t)).append('\n');
        }
        md.append("## Fronts\n\n");
        md.append(Markdown.table(List.of("case", "points", "proven", "energy saved along the front", "latency it costs",
                "nearest heuristic", "the sweep"), summary)).append('\n');
        md.append("`energy saved along the front`: the least-latency point's energy over the least-energy point's, less 1;"
                + " `latency it costs`: the least-energy point's latency over the least-latency point's, less 1.\n\n");
        md.append("## Each case\n\n").append(detail);
        Reports.write(dir, name() + ".md", md.toString());
    }

    /**
     * The case's front (joined) and each heuristic's plan (a marker) in latency and energy, log axes
     * so that plans far off the front still show; the file's name, or null without a point.
     */
    private static String plot(Path dir, String label, List<ResultRow> points, List<ResultRow> heuristics) {
        if (points.isEmpty()) {
            return null;
        }
        List<Charts.Series> series = new ArrayList<>();
        series.add(new Charts.Series("front (" + points.stream().filter(ResultRow::optimal).count() + " of " + points.size()
                + " proven)", points.stream().map(p -> new double[] {p.latencyNs() / 1e6, energy(p) / 1e9}).toList(), false));
        for (ResultRow h : heuristics) {
            if (!Double.isNaN(h.latencyNs())) {
                series.add(new Charts.Series(h.strategy(), List.<double[]>of(new double[] {h.latencyNs() / 1e6, energy(h) / 1e9}),
                        false, false));
            }
        }
        String file = "pareto-" + label.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "") + ".svg";
        Charts.lines(dir.resolve(file), label + ": latency-energy front", "front points and heuristics' plans, cost model",
                "latency (ms per batch)", true, true, List.of(new Charts.Panel("energy (mJ per batch)", series)));
        return file;
    }

    private static double energy(ResultRow r) {
        return r.energyPerSamplePj() * r.batch();
    }

    /** {point index, latency excess, energy excess} of the nearest front point that dominates or equals the plan; null if none. */
    private static double[] distance(ResultRow h, List<ResultRow> points) {
        if (Double.isNaN(h.latencyNs())) {
            return null;
        }
        double[] best = null;
        for (int i = 0; i < points.size(); i++) {
            ResultRow p = points.get(i);
            double dl = h.latencyNs() / p.latencyNs() - 1;
            double de = energy(h) / energy(p) - 1;
            if (dl < -1e-9 || de < -1e-9) {
                continue;
            }
            double[] d = {i + 1, Math.max(0, dl), Math.max(0, de)};
            if (best == null || Math.max(d[1], d[2]) < Math.max(best[1], best[2])) {
                best = d;
            }
        }
        return best;
    }
}
