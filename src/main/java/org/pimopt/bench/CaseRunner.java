package org.pimopt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.pipeline.SolvePipeline;
import org.pimopt.pipeline.Verification;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.report.SolveReport;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.registry.Strategies;

/**
 * Runs every strategy of one case, as {@code pimopt solve} does: heuristics first in the listed
 * order, exact engines ({@link Strategies#isExact}) last with the best plan so far as their warm
 * start; unlike {@code solve}, each run gets the case's whole time limit. Each plan is checked
 * by the {@link Validator} (a failing plan is recorded as {@code ERROR} with a note "invalid plan: ..." and reported on the
 * alarm channel) and then scored by the {@link PlanScorer}. Each row carries the peak memory of its run, validation and
 * scoring included ({@link MemoryPeak}: the JVM's heap in use and the process's resident set).
 *
 * <p>The instance is lowered and OPTIMALs re-checked by the pipeline's stages ({@link SolvePipeline#lower},
 * {@link Verification}), as for {@code solve}. The strategy loop stays here, not in {@link SolvePipeline}:
 * a benchmark gives every strategy the whole limit rather than a share of one deadline, opens a memory
 * window per strategy and scores each plan as it comes, and keeps an invalid plan's claimed figures in
 * its row (solve's loop drops the plan), so running it through solve's loop would change the rows.
 */
public final class CaseRunner {
    /**
     * @param timeoutMillis budget of each strategy run on a case
     * @param workers       solver threads of each exact engine run
     */
    public record Settings(long timeoutMillis, long seed, int workers, PlanScorer scorer, boolean verify) {
        public Settings(long timeoutMillis, long seed, int workers, PlanScorer scorer) {
            this(timeoutMillis, seed, workers, scorer, false);
        }

        /**
         * Time for re-checking one OPTIMAL ({@code bench --verify}): a third of the limit, 2 to 20 s.
         * Most checks end in a second or two; 10 s (the earlier sixth of a 60 s limit) left four
         * proven plans of compass-m and -l unchecked with two cases running side by side, of which
         * three confirm alone in 6-9 s (mobilenet_v2 on compass-l at batch 1 needs more than 13 s).
         */
        double verifySeconds() {
            return Math.max(2, Math.min(20, timeoutMillis / 3000.0));
        }
    }

    private final Settings settings;
    private final Function<String, Strategy> strategies;

    public CaseRunner(Settings settings) {
        this(settings, Strategies::byName);
    }

    /** With another way to find strategies by name (tests use it to plant a faulty one). */
    CaseRunner(Settings settings, Function<String, Strategy> strategies) {
        this.settings = settings;
        this.strategies = strategies;
    }

    /** One row per strategy of the case, in the case's order. */
    public List<ResultRow> run(BenchCase c, Consumer<String> alarms) {
        Instance instance;
        try {
            Chip chip = ChipLoader.load(c.hardware());
            // The lowering of 'pimopt solve', without limits (a case's goal has none).
            instance = SolvePipeline.lower(Models.load(c.model(), chip), chip, c.batch(), Goal.parse(c.goal()), List.of());
        } catch (RuntimeException e) {
            alarms.accept("ERROR " + c.key() + ": cannot build the instance: " + e.getMessage());
            return c.strategies().stream().map(s -> error(c, s, -1, 0, "instance: " + e.getMessage())).toList();
        }
        List<String> order = new ArrayList<>();
        c.strategies().stream().filter(s -> !Strategies.isExact(s)).forEach(order::add);
        c.strategies().stream().filter(Strategies::isExact).forEach(order::add);
        List<SolveResult> results = new ArrayList<>();
        ResultRow[] rows = new ResultRow[c.strategies().size()];
        List<ResultRow> front = new ArrayList<>();
        for (String name : order) {
            int position = c.strategies().indexOf(name);
            if (name.equals(ParetoSuite.STRATEGY)) {
                // The front of the case's two goals, one row per point, after the heuristics it starts from.
                MemoryPeak.Window window = MemoryPeak.open();
                List<ResultRow> points = ParetoSuite.run(c, instance, results, settings, alarms);
                MemoryPeak.Peak peak = window.peak();
                points.forEach(r -> front.add(r.withPeak(peak.heapMib(), peak.rssMib())));
                continue;
            }
            MemoryPeak.Window window = MemoryPeak.open();
            ResultRow row = runOne(c, instance, name, results, alarms);
            MemoryPeak.Peak peak = window.peak();
            rows[position] = row.withPeak(peak.heapMib(), peak.rssMib());
        }
        List<ResultRow> out = new ArrayList<>(java.util.Arrays.stream(rows).filter(java.util.Objects::nonNull).toList());
        out.addAll(front);
        return out;
    }

    private ResultRow runOne(BenchCase c, Instance instance, String name, List<SolveResult> results,
                             Consumer<String> alarms) {
        int units = instance.units().size();
        long start = System.nanoTime();
        SolveResult r;
        try {
            Strategy strategy = strategies.apply(name);
            SolveOptions options = new SolveOptions(settings.timeoutMillis(), settings.seed(), settings.workers(),
                    line -> {});
            SolveResult warm = SolveResult.best(instance, withinPartitions(results, name));
            if (warm != null) {
                options = options.withWarmStart(warm.plan());
            }
            r = strategy.solve(instance, options);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // One engine exhausting the heap or stack on a large case is a result, not the end of the run.
            alarms.accept("ERROR " + c.key() + " " + name + ": " + e);
            return error(c, name, units, millisSince(start), String.valueOf(e));
        }
        String note = r.note() == null ? "" : r.note();
        if (r.wallMillis() > 2 * settings.timeoutMillis() + 1000) {
            // Strategies check their deadline between steps; one step can be long on a large chip.
            note = "overran its time limit (" + r.wallMillis() + " ms of " + settings.timeoutMillis() + "); " + note;
            alarms.accept("SLOW " + c.key() + " " + name + ": " + r.wallMillis() + " ms against a limit of "
                    + settings.timeoutMillis() + " ms");
        }
        if (r.plan() == null) {
            return row(c, name, r.status().name(), units, null, r, note);
        }
        List<String> violations = Validator.violations(instance, r.plan());
        if (!violations.isEmpty()) {
            String why = "invalid plan: " + String.join("; ", violations.subList(0, Math.min(5, violations.size())));
            alarms.accept("INVALID " + c.key() + " " + name + ": " + why);
            return row(c, name, "ERROR", units, null, r, why);
        }
        results.add(r);
        BatchMetrics m;
        try {
            m = settings.scorer().score(instance, r.plan());
        } catch (RuntimeException e) {
            // A plan the scorer (the simulator) refuses is a finding to report, not a reason to lose the run.
            alarms.accept("ERROR " + c.key() + " " + name + ": scoring failed: " + e);
            return row(c, name, "ERROR", units, null, r, "scoring failed: " + e);
        }
        return row(c, name, r.status().name(), verified(instance, r), units, m, r, note);
    }

    /** A {@code cpsat-kN} run only takes a warm start it can keep (at most N partitions). */
    private static List<SolveResult> withinPartitions(List<SolveResult> results, String name) {
        Integer k = Strategies.partitionLimit(name);
        return k == null ? results : results.stream().filter(r -> r.plan().partitions().size() <= k).toList();
    }

    private ResultRow row(BenchCase c, String strategy, String status, int units, BatchMetrics m, SolveResult r,
                          String note) {
        return row(c, strategy, status, "", units, m, r, note);
    }

    private ResultRow row(BenchCase c, String strategy, String status, String verified, int units, BatchMetrics m,
                          SolveResult r, String note) {
        Goal goal = Goal.parse(c.goal());
        double objective = m == null ? Double.NaN : goal.primaryValue(m);
        double bound = r.bound() == null ? Double.NaN : r.bound();
        double gap = r.gap() == null ? Double.NaN : r.gap();
        return new ResultRow(c.suite(), c.key(), c.model(), c.hardware(), c.batch(), c.goal(), strategy,
                settings.scorer().name(), status, status.equals("OPTIMAL") ? r.provenBy() : "", verified, objective, r.plan() == null ? Double.NaN : r.objective(), bound, gap,
                m == null ? Double.NaN : m.latencyNs(), m == null ? Double.NaN : m.throughputPerSecond(),
                m == null ? Double.NaN : m.energyPerSamplePj(), m == null ? Double.NaN : m.edp(),
                m == null ? -1 : m.cellsWritten(), m == null ? -1 : m.dramBytes(),
                r.plan() == null ? -1 : r.plan().partitions().size(), units, r.wallMillis(), -1, -1, settings.timeoutMillis(),
                settings.seed(), note == null ? "" : note);
    }

    /** The verdict of re-checking an OPTIMAL of an exact engine, with --verify; empty otherwise. */
    private String verified(Instance instance, SolveResult r) {
        return settings.verify() ? Verification.verdictOfProof(instance, r, settings.verifySeconds(), settings.workers()) : "";
    }

    private ResultRow error(BenchCase c, String strategy, int units, long wallMillis, String note) {
        return new ResultRow(c.suite(), c.key(), c.model(), c.hardware(), c.batch(), c.goal(), strategy,
                settings.scorer().name(), "ERROR", "", "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, units, wallMillis, -1, -1, settings.timeoutMillis(),
                settings.seed(), note);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
