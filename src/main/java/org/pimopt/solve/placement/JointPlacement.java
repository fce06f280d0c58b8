package org.pimopt.solve.placement;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.dp.WarmStart;
import org.pimopt.solve.replacement.Replacement;

/**
 * Partition, copies and placement decided at once ({@link JointModel}, formulations/joint.md) for
 * small instances, then the write schedule of the result ({@link Replacement}), as {@code solve
 * --place} does after its strategies. Lexicographic: the goal's objectives in order, then NoC
 * byte-hops summed over partitions; energy prices the NoC from the placement's byte-hops
 * ({@link #placedMetrics}) instead of the mean-hop estimate. EDP is declined (a product of two
 * sums, one of which would now depend on the placement).
 */
public final class JointPlacement {
    /** Share of the budget for the warm start and the model; the rest is the write schedule's. */
    static final double MODEL_SHARE = 0.75;

    private JointPlacement() {}

    /** What the joint path did. */
    public sealed interface Outcome permits Solved, Declined {}

    /** The instance is outside the joint model (too large, edp, no plan): {@code why}, one line. */
    public record Declined(String why) implements Outcome {}

    /**
     * @param result       the plan with its layout; metrics and objective priced with the placement's NoC byte-hops
     * @param placed       each partition's placement (in the form {@link Placer#place} returns)
     * @param replacement  the write schedule of the layout
     * @param byteHops     NoC byte-hops per sample, summed over partitions
     * @param partitions   most partitions the model allowed
     */
    public record Solved(SolveResult result, Placer.Placed placed, Replacement.Result replacement, double byteHops,
                         int partitions) implements Outcome {}

    public static Outcome solve(Instance instance, SolveOptions options) {
        return solve(instance, options, null);
    }

    /** @param maxPartitions most partitions (null: the warm start's plus half as many, at least two more, as cpsat) */
    public static Outcome solve(Instance instance, SolveOptions options, Integer maxPartitions) {
        long start = System.nanoTime();
        long end = options.deadlineNanos(start);
        long modelDeadline = start + (long) (options.timeoutMillis() * MODEL_SHARE) * 1_000_000L;
        if (instance.goal().objectives().contains(Objective.EDP)) {
            return new Declined("edp is not modelled jointly (energy x latency, with energy depending on the placement)");
        }
        SolveResult warm = WarmStart.of(instance, new SolveOptions(Math.max(1, options.timeoutMillis() / 4), options.seed(),
                options.workers(), line -> {}, options.warmStart(), options.cancelled(), options.convergence()));
        int k = WarmStart.partitionLimit(maxPartitions, warm.plan(), instance.units().size());
        JointModel.Size size = JointModel.size(instance, k);
        if (!size.fits()) {
            return new Declined("instance too large for the joint model: " + size.describe());
        }
        options.progress().accept("joint: one model of partitions, copies and placement: " + size.describe());
        Loader.loadNativeLibraries();
        JointModel jm = new JointModel(instance, k);
        Map<String, Object> stats = new LinkedHashMap<>();
        JointModel.Solution best = null;
        stats.put("buildMillis", millis(start));
        if (warm.plan().partitions().size() <= k) {
            best = warmSolution(instance, jm, warm.plan(), seconds(modelDeadline) / 4);
        }
        stats.put("warmMillis", millis(start));
        stats.put("warmCompleted", best != null);
        List<Objective> objectives = instance.goal().objectives();
        int levels = objectives.size() + 1;
        Status status = Status.OPTIMAL;
        Double bound = null;
        stats.put("maxPartitions", k);
        stats.put("placementBooleans", size.literals());
        stats.put("distanceTerms", size.terms());
        for (int level = 0; level < levels; level++) {
            boolean hops = level == objectives.size();
            Objective objective = hops ? null : objectives.get(level);
            LinearExpr expr = hops ? jm.byteHops : jm.objective(objective);
            jm.model.minimize(expr);
            double seconds = seconds(modelDeadline) / (levels - level);
            if (seconds <= 0.05 || options.cancelled().get()) {
                status = Status.FEASIBLE;
                break;
            }
            CpSolver solver = new CpSolver();
            solver.getParameters().setMaxTimeInSeconds(seconds).setNumWorkers(Math.max(1, options.workers()))
                    .setRandomSeed((int) options.seed()).setCatchSigintSignal(false)
                    .setLogSearchProgress(true).setLogToStdout(false);
            // Ctrl-C: stop at the next log line too, not only at the next solution.
            solver.setLogCallback(line -> {
                if (options.cancelled().get()) {
                    solver.stopSearch();
                }
            });
            double scale = hops ? CpSatPlacement.SCALE : JointModel.scale(objective);
            String label = hops ? "byte-hops" : objective.label();
            CpSolverStatus result = solver.solve(jm.model, new Progress(options, start, label, scale));
            stats.put("status." + label, result.name());
            if (result == CpSolverStatus.MODEL_INVALID) {
                throw new IllegalStateException("joint model invalid: " + jm.model.validate());
            }
            if (result == CpSolverStatus.INFEASIBLE && best == null) {
                return new Declined("no plan of at most " + k + " partitions has a placement");
            }
            if (result != CpSolverStatus.OPTIMAL && result != CpSolverStatus.FEASIBLE) {
                status = Status.FEASIBLE;
                break;
            }
            best = jm.read(solver::booleanValue, solver::value);
            long value = Math.round(solver.objectiveValue());
            if (level == 0) {
                // The model leaves out terms no plan changes (MVM and vector energy): add them back.
                double priced = objective.of(placedMetrics(instance, best.plan(), byteHops(instance, best)));
                bound = solver.bestObjectiveBound() / scale + (priced - solver.objectiveValue() / scale);
            }
            if (result != CpSolverStatus.OPTIMAL) {
                status = Status.FEASIBLE;
            }
            // Hold this level at its value for the next one, and start the next from this solution.
            jm.model.addLessOrEqual(expr, value);
            hintAll(jm, solver);
        }
        if (best == null) {
            return new Declined("the joint model found no plan in time");
        }
        double[] hopsPerPartition = byteHops(instance, best);
        BatchMetrics metrics = placedMetrics(instance, best.plan(), hopsPerPartition);
        double objective = instance.goal().primaryValue(metrics);
        if (status == Status.OPTIMAL || bound == null) {
            bound = status == Status.OPTIMAL ? objective : null;
        }
        stats.put("modelMillis", millis(start));
        Placer.Placed placed = placed(instance, best, status, start);
        // The write schedule gets what is left, at most its share (it can spend a whole budget proving).
        long share = Math.max(1000, (long) (options.timeoutMillis() * (1 - MODEL_SHARE)));
        long left = Math.max(1, Math.min(share, (end - System.nanoTime()) / 1_000_000L));
        Replacement.Result rep = Replacement.solve(instance, best.plan(), placed.tiles(),
                new SolveOptions(left, options.seed(), options.workers(), line -> {}));
        stats.put("replacement", rep.assignment() + "/" + rep.schedule());
        Plan plan = best.plan().withLayout(rep.layout());
        Validator.check(instance, plan);
        String note = String.format(Locale.ROOT, "%s among plans of at most %d partitions with their placements:"
                + " lexicographic (%s, NoC byte-hops); NoC energy priced from the placement's byte-hops (other rows:"
                + " mean-hop estimate); times rounded to 1 ps, energies to 1/64 fJ, bytes to 1/64 B",
                status == Status.OPTIMAL ? "optimal" : "best found", k, instance.goal());
        SolveResult result = new SolveResult("joint", plan, metrics, status, objective, bound, millis(start), stats, note);
        return new Solved(result, placed, rep, placed.byteHops(), k);
    }

    /**
     * A plan priced by the cost model with each partition's NoC byte-hops per sample taken from its
     * placement instead of the mean-hop estimate ({@code byteHops[p]}, partial sums included).
     */
    public static BatchMetrics placedMetrics(Instance instance, Plan plan, double[] byteHops) {
        List<PartitionProfile> profiles = new ArrayList<>();
        List<PartitionProfile> estimated = plan.profiles(instance);
        for (int p = 0; p < estimated.size(); p++) {
            PartitionProfile e = estimated.get(p);
            profiles.add(new PartitionProfile(e.stages(), e.dramBytesPerSample(), e.dramBytesPerBatch(), e.crossbarsUsed(),
                    e.rowsProgrammed(), e.cellsWritten(), e.weightBytes(), e.crossbarMvmsPerSample(), e.vectorOpsPerSample(),
                    byteHops[p], e.nocBytesPerSample(), e.nocTransfersPerSample(), e.unitProgramNsMax(), e.transferOnlyNs()));
        }
        return CostModel.batch(instance.chip(), instance.batch(), profiles);
    }

    /** Byte-hops per sample of each partition of a placed plan (from {@link Placer.Placed}). */
    public static double[] byteHops(Placer.Placed placed) {
        return placed.results().stream().mapToDouble(PlacementResult::byteHops).toArray();
    }

    private static double[] byteHops(Instance instance, JointModel.Solution s) {
        double[] out = new double[s.plan().partitions().size()];
        for (int p = 0; p < out.length; p++) {
            out[p] = PlacementProblem.of(instance, s.plan().partitions().get(p)).byteHops(s.coreOf().get(p));
        }
        return out;
    }

    /** Each partition's placement with its baselines, as {@link Placer#place} reports it. */
    private static Placer.Placed placed(Instance instance, JointModel.Solution s, Status status, long start) {
        List<PlacementProblem> problems = new ArrayList<>();
        List<PlacementResult> results = new ArrayList<>();
        List<List<Layout.Tile>> tiles = new ArrayList<>();
        for (int p = 0; p < s.plan().partitions().size(); p++) {
            PlacementProblem problem = PlacementProblem.of(instance, s.plan().partitions().get(p));
            int[] coreOf = s.coreOf().get(p);
            if (!problem.fits(coreOf)) {
                throw new IllegalStateException("joint model placed partition " + p + " over a core's capacity");
            }
            Baselines.Both b = Baselines.both(problem);
            double hops = problem.byteHops(coreOf);
            // Joint optimality is over all partitions at once; a partition's own bound is then its value.
            results.add(new PlacementResult(coreOf, status, hops, status == Status.OPTIMAL ? hops : 0, problem.maxLinkBytes(coreOf),
                    false, b.firstFitHops(), b.snakeHops(), b.firstFitMaxLink(), b.snakeMaxLink(), millis(start), null));
            problems.add(problem);
            tiles.add(problem.tiles(coreOf));
        }
        return new Placer.Placed(problems, results, tiles);
    }

    /**
     * The warm plan (copies lowered to useful counts) with the better baseline placement of each
     * partition (any placement where neither fits), completed by the solver into a hint for every
     * variable; null if that fails in time.
     */
    private static JointModel.Solution warmSolution(Instance instance, JointModel jm, Plan warm, double seconds) {
        Plan lowered = jm.lowered(warm);
        List<int[]> cores = new ArrayList<>();
        for (var part : lowered.partitions()) {
            cores.add(Baselines.both(PlacementProblem.of(instance, part)).better());
        }
        int added = jm.fix(lowered, cores);
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(0.1, seconds)).setNumWorkers(1).setCatchSigintSignal(false);
        jm.model.getBuilder().clearObjective();
        CpSolverStatus status = solver.solve(jm.model);
        jm.unfix(added);
        if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
            return null;
        }
        hintAll(jm, solver);
        return jm.read(solver::booleanValue, solver::value);
    }

    /** Every variable's value in the solver's solution as the model's hint. */
    private static void hintAll(JointModel jm, CpSolver solver) {
        jm.model.clearHints();
        var values = solver.response().getSolutionList();
        var hint = jm.model.getBuilder().getSolutionHintBuilder();
        for (int i = 0; i < values.size(); i++) {
            hint.addVars(i).addValues(values.get(i));
        }
    }

    private static double seconds(long deadline) {
        return (deadline - System.nanoTime()) / 1e9;
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A progress line per improved solution, at most one a second; stops the search when cancelled. */
    private static final class Progress extends CpSolverSolutionCallback {
        private final SolveOptions options;
        private final long start;
        private final String label;
        private final double scale;
        private long last;

        Progress(SolveOptions options, long start, String label, double scale) {
            this.options = options;
            this.start = start;
            this.label = label;
            this.scale = scale;
        }

        @Override
        public void onSolutionCallback() {
            if (options.cancelled().get()) {
                stopSearch();
                return;
            }
            long now = System.nanoTime();
            if (now - last < 1_000_000_000L) {
                return;
            }
            last = now;
            options.progress().accept(String.format(Locale.ROOT, "joint: %.1fs, %s %.6g (model), bound %.6g",
                    (now - start) / 1e9, label, objectiveValue() / scale, bestObjectiveBound() / scale));
        }
    }
}
