package org.pimopt.solve.cpsat;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.BuildBudget;
import org.pimopt.solve.EngineAnswer;
import org.pimopt.solve.LowerBound;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.dp.WarmStart;

/**
 * Exact partitioning with OR-Tools CP-SAT ({@link CpSatModel}) alone, warm-started from the
 * caller's plan or else {@code dp}'s (the {@code exact} portfolio runs dp-lattice first and passes
 * its plan and bound here). A lexicographic goal is solved objective by objective, each later one with the earlier
 * ones held at their optimum. Its OPTIMAL covers plans of at most {@code maxPartitions} partitions
 * (the warm start's count plus half as many again, at least two more, unless set), with times
 * rounded to 1 ps and energies to 1 fJ in the model; the plan it returns is priced by the cost model.
 *
 * <p>{@link #fixedOrder} ({@code cpsat-fixed}) holds the model to contiguous spans of the
 * instance's fixed unit order, the plans {@code dp} searches, with copies still free integers: its
 * OPTIMAL is the optimum of that restricted model, which {@code dp-exact} must equal.
 */
public final class CpSatStrategy implements Strategy {
    private final Integer maxPartitions;
    private final boolean fixedOrder;

    public CpSatStrategy() {
        this(null);
    }

    public CpSatStrategy(Integer maxPartitions) {
        this(maxPartitions, false);
    }

    private CpSatStrategy(Integer maxPartitions, boolean fixedOrder) {
        this.maxPartitions = maxPartitions;
        this.fixedOrder = fixedOrder;
    }

    /** {@code cpsat-fixed}: partitions are contiguous spans of the instance's unit order. */
    public static CpSatStrategy fixedOrder(Integer maxPartitions) {
        return new CpSatStrategy(maxPartitions, true);
    }

    public static CpSatStrategy fixedOrder() {
        return fixedOrder(null);
    }

    /**
     * Build and presolve time per unit-partition pair, measured on the 2-core reference machine
     * (synthetic-chain-500-s1 on compass-s, 500 units x 202 partitions: 4.7 s to build, 7 s of
     * presolve, 14.6 s to complete the warm start's hint, and the search overran a 30 s limit by
     * 19 s).
     */
    static final BuildBudget BUILD_BUDGET = new BuildBudget(2.5e-4, 0);

    /**
     * Above this many unit-partition pairs the warm start is hinted as it is, not completed by a
     * solve: completing it presolves the whole model, and a presolve step does not stop at its
     * limit (bert-base's EDP model on compass-s, 528 x 54: 26.9 s of a 4.7 s limit).
     */
    static final long MAX_PAIRS_TO_COMPLETE_HINT = 20_000;

    @Override
    public String name() {
        return fixedOrder ? "cpsat-fixed" : "cpsat";
    }

    /** The warm start; held to the fixed order, a caller's plan that is not contiguous is set aside for dp's. */
    private SolveResult warmStart(Instance instance, SolveOptions options) {
        SolveResult warm = WarmStart.of(instance, options);
        if (fixedOrder && !contiguous(warm.plan(), instance.units().size())) {
            warm = WarmStart.of(instance, options.withWarmStart(null));
        }
        return warm;
    }

    /** Whether the plan's partitions are contiguous spans of the unit order, in order. */
    static boolean contiguous(Plan plan, int units) {
        int[] partOf = plan.partitionOfUnits(units);
        for (int u = 1; u < units; u++) {
            if (partOf[u] < partOf[u - 1]) {
                return false;
            }
        }
        return true;
    }

    private String scope() {
        return fixedOrder ? "contiguous spans of the fixed unit order" : "any order that respects dependencies";
    }

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        return solve(instance, options, null);
    }

    /**
     * The CP-SAT search, with {@code knownBound} a bound valid for every plan from elsewhere (the
     * {@code exact} portfolio passes dp-lattice's), or null: the gap, and the stop on reaching it,
     * use the higher of it and {@link LowerBound}.
     */
    public SolveResult solve(Instance instance, SolveOptions options, Double knownBound) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        Goal goal = instance.goal();
        SolveResult warm = warmStart(instance, options);
        if (goal.objectives().contains(Objective.EDP)) {
            return goal.objectives().size() == 1 ? solveEdp(instance, options, warm, knownBound, start, deadline)
                    : WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start),
                            "edp is modelled alone only, not in a lexicographic list");
        }
        int n = instance.units().size();
        int k = WarmStart.partitionLimit(maxPartitions, warm.plan(), n);
        long pairs = (long) n * k;
        SolveResult early = beforeBuilding(instance, options, warm, knownBound, n, k, start, deadline);
        if (early != null) {
            return early;
        }
        long building = System.nanoTime();
        CpSatModel model = new CpSatModel(instance, k, fixedOrder);
        postLimits(model, instance, warm);
        model.model.minimize(model.objective(goal.primary()));
        long built = System.nanoTime();
        SearchTime time = SearchTime.of(options, deadline, model.model);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("maxPartitions", k);
        stats.put("buildMs", (built - building) / 1_000_000);
        stats.put("marginMs", Math.round(time.marginSeconds() * 1000));
        if (time.tooShort()) {
            return WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start), time.tooShortWhy(
                    "after building the model")).named(name(), millis(start), stats, "");
        }
        boolean warmFits = warm.plan().partitions().size() <= k;
        if (warmFits && pairs <= MAX_PAIRS_TO_COMPLETE_HINT && time.hintFits()) {
            model.completeHint(warm.plan(), time.left() / 10, stats);
        } else if (warmFits) {
            model.hint(warm.plan());   // completing it would cost a presolve of the whole model, past what fits
        }

        Plan best = warm.plan();
        Double bound = null;
        Status status = Status.FEASIBLE;
        // A lexicographic goal is OPTIMAL only when every level is.
        int provenLevels = 0;
        for (int level = 0; level < goal.objectives().size(); level++) {
            Objective objective = goal.objectives().get(level);
            LinearExpr expr = model.objective(objective);
            model.model.minimize(expr);
            double seconds = time.left();
            if (seconds <= 0.05 || options.cancelled().get()) {
                status = Status.FEASIBLE;
                break;
            }
            CpSolver solver = new CpSolver();
            solver.getParameters().setMaxTimeInSeconds(seconds / (goal.objectives().size() - level))
                    .setNumWorkers(Math.max(1, options.workers())).setRandomSeed((int) options.seed());
            // Latency, writes and DRAM bytes are priced whole by the model (energy leaves out constant
            // terms), so the instance's bound applies to them as they stand.
            double floor = level == 0 && objective != Objective.ENERGY
                    ? Math.max(LowerBound.of(instance, objective), knownBound == null ? 0 : knownBound)
                    : Double.NEGATIVE_INFINITY;
            Progress progress = new Progress(model, objective, options, start, floor);
            // Ctrl-C stops the search at the next solution or log line (TimedSolve).
            TimedSolve timed = TimedSolve.run(solver, model.model, progress, options.cancelled());
            timed.putInto(stats, "solve" + (level == 0 ? "" : "." + objective.label()));
            CpSolverStatus result = timed.status();
            if (result == CpSolverStatus.FEASIBLE && progress.reachedFloor()) {
                result = CpSolverStatus.OPTIMAL;   // stopped on a solution at the every-plan bound
                stats.put("stoppedAtBound" + (level == 0 ? "" : "." + objective.label()), true);
            }
            stats.put("status" + (level == 0 ? "" : "." + objective.label()), result.name());
            stats.put("conflicts", solver.numConflicts());
            stats.put("branches", solver.numBranches());
            if (result == CpSolverStatus.INFEASIBLE) {
                return new SolveResult(name(), null, null, Status.INFEASIBLE, Double.NaN, null, millis(start), stats,
                        "no plan of at most " + k + " partitions" + (goal.limits().isEmpty() ? ""
                                : " meets the limits (" + goal.limits().stated() + ")"));
            }
            if (result == CpSolverStatus.MODEL_INVALID) {
                throw new IllegalStateException("cpsat model invalid: " + model.model.validate());
            }
            if (result != CpSolverStatus.OPTIMAL && result != CpSolverStatus.FEASIBLE) {
                status = Status.FEASIBLE;
                break;
            }
            Plan plan = model.plan(lit -> solver.booleanValue(lit), var -> solver.value(var));
            if (!Validator.violations(instance, plan).isEmpty()) {
                throw new IllegalStateException("cpsat produced an invalid plan: " + Validator.violations(instance, plan));
            }
            best = plan;
            long value = Math.round(solver.objectiveValue());
            if (level == 0) {
                double scale = scale(objective);
                double priced = objective.of(plan.evaluate(instance));
                // The model leaves out terms no plan can change (MVM and vector energy, ...): add them back.
                double offset = priced - solver.objectiveValue() / scale;
                bound = solver.bestObjectiveBound() / scale + offset;
                stats.put("solverBound", bound);
                status = result == CpSolverStatus.OPTIMAL ? Status.OPTIMAL : Status.FEASIBLE;
            }
            if (result != CpSolverStatus.OPTIMAL) {
                break;
            }
            provenLevels++;
            // Hold this objective at its optimum for the next one.
            model.model.addLessOrEqual(expr, value);
            if (pairs <= MAX_PAIRS_TO_COMPLETE_HINT && time.hintFits()) {
                model.completeHint(plan, time.left() / 10, stats);
            } else {
                model.hint(plan);
            }
        }
        if (provenLevels < goal.objectives().size()) {
            status = Status.FEASIBLE;
        }
        EngineAnswer answer = EngineAnswer.of(instance, best, warm, warmFits, higher(bound, knownBound), status);
        status = answer.status();
        stats.putAll(answer.provenByStats());
        if (status == Status.OPTIMAL && Boolean.TRUE.equals(stats.get("stoppedAtBound"))) {
            stats.put(SolveResult.PROVEN_BY, "bound");
        }
        options.convergence().record(name(), answer.objective(), answer.bound());
        String note = String.format(Locale.ROOT, "%s among plans of at most %d partitions (%s); gap against the"
                + " larger of the solver's bound and a bound valid for every plan"
                + " (solve/LowerBound); model times rounded to 1 ps, energies to 1 fJ",
                status == Status.OPTIMAL ? "optimal" : "best found", k, scope());
        return new SolveResult(name(), answer.plan(), answer.metrics(), status, answer.objective(), answer.bound(),
                millis(start), stats, note);
    }

    /**
     * EDP as a product constraint ({@link EdpModel}); the warm start, saying why, when it cannot be
     * set up (the warm start exceeds the partition limit, or pricing it in the model failed) or the
     * solver finds nothing in time.
     */
    private SolveResult solveEdp(Instance instance, SolveOptions options, SolveResult warm, Double knownBound, long start,
                                 long deadline) {
        int n = instance.units().size();
        int k = WarmStart.partitionLimit(maxPartitions, warm.plan(), n);
        SolveResult beyond = WarmStart.beyondEdpLimit(name(), instance, warm, knownBound, k, millis(start));
        if (beyond != null) {
            return beyond;
        }
        SolveResult early = beforeBuilding(instance, options, warm, knownBound, n, k, start, deadline);
        if (early != null) {
            return early;
        }
        long building = System.nanoTime();
        CpSatModel model = new CpSatModel(instance, k, fixedOrder);
        postLimits(model, instance, warm);
        SearchTime time = SearchTime.of(options, deadline, model.model);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("maxPartitions", k);
        stats.put("buildMs", (System.nanoTime() - building) / 1_000_000);
        stats.put("marginMs", Math.round(time.marginSeconds() * 1000));
        if (time.tooShort()) {
            return WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start), time.tooShortWhy(
                    "after building the model")).named(name(), millis(start), stats, "");
        }
        // Pricing fixes every placement and copy count, but presolve of a large model (resnet50) still
        // took over 6 s with one worker: a fifth of the budget, or the search never starts.
        double seconds = (deadline - System.nanoTime()) / 1e9;
        Long warmModelEnergy = EdpModel.valueOf(model, warm.plan(), model.energy, seconds / 5, stats);
        if (warmModelEnergy == null) {
            return WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start), String.format(Locale.ROOT,
                    "pricing the warm start in the EDP model did not finish in %.1f s (a fifth of the budget)", seconds / 5))
                    .named(name(), millis(start), stats, "");
        }
        long constant = Math.round(warm.metrics().energy().totalPj() * CpSatModel.ENERGY_SCALE) - warmModelEnergy;
        EdpModel edp = new EdpModel(model, warm.metrics(), constant);
        model.model.minimize(edp.product);
        if ((long) n * k <= MAX_PAIRS_TO_COMPLETE_HINT && time.hintFits()) {
            model.completeHint(warm.plan(), time.left() / 10, stats);
        } else {
            model.hint(warm.plan());   // completing it would cost a presolve of the whole model, past what fits
        }
        if (time.tooShort()) {
            return WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start), time.tooShortWhy(
                    "after pricing and hinting the warm start")).named(name(), millis(start), stats, "");
        }
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(time.left())
                .setNumWorkers(Math.max(1, options.workers())).setRandomSeed((int) options.seed()).setLogToStdout(false);
        TimedSolve timed = TimedSolve.run(solver, model.model, null, options.cancelled());
        timed.putInto(stats, "solve");
        CpSolverStatus result = timed.status();
        stats.put("status", result.name());
        stats.put("edpTimeUnitPs", edp.timeUnit);
        stats.put("edpEnergyUnitFj", edp.energyUnit);
        stats.put("edpCoarseError", edp.coarseError);
        if (result != CpSolverStatus.OPTIMAL && result != CpSolverStatus.FEASIBLE) {
            return WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start), "the EDP model found no solution in time ("
                    + result + ")").named(name(), millis(start), stats, "");
        }
        Plan plan = model.plan(lit -> solver.booleanValue(lit), var -> solver.value(var));
        if (!Validator.violations(instance, plan).isEmpty()) {
            throw new IllegalStateException("cpsat produced an invalid plan: " + Validator.violations(instance, plan));
        }
        BatchMetrics metrics = plan.evaluate(instance);
        if (instance.goal().comparator().compare(warm.metrics(), metrics) < 0) {
            plan = warm.plan();
            metrics = warm.metrics();
        }
        double objective = Objective.EDP.of(metrics);
        // For every plan, prod >= the solver's bound, and prod * units over-states the model's L x E by
        // at most (1 + coarseError); the model's L and E over-state the exact ones by at most 1 + rounding.
        double rounding = EdpModel.roundingError(instance);
        double b2 = (double) instance.batch() * instance.batch();
        double bound = solver.bestObjectiveBound() * edp.timeUnit * edp.energyUnit
                / ((double) CpSatModel.TIME_SCALE * CpSatModel.ENERGY_SCALE * b2)
                / ((1 + edp.coarseError) * (1 + rounding) * (1 + rounding));
        LowerBound.Claim claim = LowerBound.claim(instance, higher(bound, knownBound), objective);
        options.convergence().record(name(), objective, claim.bound());
        Status status = result == CpSolverStatus.OPTIMAL || claim.provesOptimal() ? Status.OPTIMAL : Status.FEASIBLE;
        if (result != CpSolverStatus.OPTIMAL && claim.provesOptimal()) {
            stats.put(SolveResult.PROVEN_BY, "bound");
        }
        String note = String.format(Locale.ROOT, "%s EDP among plans of at most %d partitions (%s): minimizes latency (in"
                + " %d ps) x energy (in %d fJ), each rounded up, with coefficients rounded by at most %.3g%%",
                status == Status.OPTIMAL ? "optimal" : "best found", k, scope(), edp.timeUnit, edp.energyUnit, 100 * rounding);
        return new SolveResult(name(), plan, metrics, status, objective, claim.bound(), millis(start), stats, note);
    }

    /**
     * The warm start as the answer when the model is not worth building in the time left (too
     * little left to search after the least margin, or building it would take half of what is
     * left, {@link #BUILD_BUDGET}); else null, with OR-Tools loaded.
     */
    private SolveResult beforeBuilding(Instance instance, SolveOptions options, SolveResult warm, Double knownBound,
                                       int n, int k, long start, long deadline) {
        double searchLeft = (deadline - System.nanoTime()) / 1e9 - SearchTime.baseMargin(options);
        if (searchLeft < SearchTime.MIN_SEARCH_SECONDS) {
            return WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start), String.format(Locale.ROOT,
                    "%s left for the CP-SAT search, too little to load, build and search the model; a"
                    + " longer timeout lets it run",
                    searchLeft <= 0.05 ? "no time was" : String.format(Locale.ROOT, "%.2f s was", searchLeft)));
        }
        var decline = BUILD_BUDGET.decline(n, k, deadline - System.nanoTime());
        if (decline.isPresent()) {
            return WarmStart.asAnswer(name(), instance, warm, knownBound, millis(start), decline.get());
        }
        // Only now: loading OR-Tools' native library takes about a second on a busy machine.
        Loader.loadNativeLibraries();
        return null;
    }

    /** The goal's limits on the model; energy's part that no plan changes is read off the warm start's pricing. */
    private static void postLimits(CpSatModel model, Instance instance, SolveResult warm) {
        if (instance.goal().limits().isEmpty()) {
            return;
        }
        model.postLimits(instance.goal().limits(), instance.planIndependentEnergyPj(warm.metrics().energy()),
                EdpModel.roundingError(instance));
    }

    private static Double higher(Double a, Double b) {
        return a == null ? b : b == null ? a : Double.valueOf(Math.max(a, b));
    }

    static double scale(Objective o) {
        return switch (o) {
            case LATENCY -> CpSatModel.TIME_SCALE;
            case ENERGY -> CpSatModel.ENERGY_SCALE;
            default -> 1;
        };
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Prints a line for each improved solution, at most one a second. */
    private static final class Progress extends CpSolverSolutionCallback {
        private final Objective objective;
        private final SolveOptions options;
        private final long start;
        private final double floor;
        private long last;
        private volatile boolean reachedFloor;

        boolean reachedFloor() {
            return reachedFloor;
        }

        /** {@code floor}: a bound valid for every plan, in the model's terms (or -infinity). */
        Progress(CpSatModel model, Objective objective, SolveOptions options, long start, double floor) {
            this.objective = objective;
            this.options = options;
            this.start = start;
            this.floor = floor;
        }

        @Override
        public void onSolutionCallback() {
            if (options.cancelled().get()) {
                stopSearch();
                return;
            }
            double scale = scale(objective);
            double obj = objectiveValue() / scale;
            if (objective != Objective.ENERGY && floor > Double.NEGATIVE_INFINITY) {
                // The first objective of the goal only; latency, writes and DRAM bytes are the model's
                // whole figures (energy leaves out constants).
                options.convergence().record("cpsat", obj, Math.max(bestObjectiveBound() / scale, floor));
            }
            if (obj <= floor * (1 + 1e-9)) {
                // The every-plan bound is met: nothing better exists, however long the search runs.
                reachedFloor = true;
                stopSearch();
            }
            long now = System.nanoTime();
            if (now - last < 1_000_000_000L) {
                return;
            }
            last = now;
            double bound = Math.max(bestObjectiveBound() / scale, floor);
            options.progress().accept(String.format(Locale.ROOT, "cpsat: %.1fs, %s %.6g, bound %.6g, gap %.2f%%",
                    (now - start) / 1e9, objective.label(), obj, bound, obj == 0 ? 0 : 100 * (obj - bound) / Math.abs(obj)));
        }
    }
}
