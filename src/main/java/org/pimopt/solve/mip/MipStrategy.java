package org.pimopt.solve.mip;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pimopt.PimoptException;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.BuildBudget;
import org.pimopt.solve.EngineAnswer;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.dp.WarmStart;

/**
 * Exact partitioning as a MILP ({@link MipModel}) through OR-Tools MPSolver with SCIP, CBC or
 * HiGHS, warm-started (as a hint, where the backend takes one) from the {@code dp} plan or the given
 * plan. Lexicographic goals are solved level by level, each later level with the earlier objectives
 * held at their optimum (plus a relative 1e-7 for the solvers' floating-point tolerances).
 * OPTIMAL means the backend closed the gap (relative gap limit 0) among plans of at most K partitions.
 */
public final class MipStrategy implements Strategy {
    /** Relative slack when an earlier lexicographic objective is held at its optimum. */
    static final double HOLD_SLACK = 1e-7;
    /**
     * Most (unit, partition) pairs a model may have. The MILP grows with units x partitions, and
     * both grow with the network: SCIP took 4.7 GB on 500 units x 49 partitions
     * (synthetic-chain-500-s1, compass-s, batch 16) and a 1000-unit model was killed by the
     * operating system at 24 GB, so beyond this the engine declines rather than take the machine down.
     */
    static final long MAX_UNIT_PARTITION_PAIRS = 40_000;

    /**
     * Memory per unit-partition pair of the process running SCIP on the model (compass-s, batch
     * 16, peak resident set less the JVM's 0.5 GB): alexnet (7.4k pairs) 58 KB, vgg11 (22k) 100
     * KB, vgg19 (29.5k) 124 KB, synthetic-chain-200-s1 (15.6k; 342k variables) 205 KB, the most.
     */
    static final long NATIVE_BYTES_PER_PAIR = 200_000;

    /**
     * Build and presolve time per unit-partition pair: vgg16 on compass-s (209 units x 139
     * partitions) with a 5 s limit ran 11.7 s, SCIP still in presolve; with 20 s, 4.2 s to build,
     * the search on time, then 2.5 s to read the plan and free the model.
     */
    static final BuildBudget BUILD_BUDGET = new BuildBudget(2.5e-4, 1e-4);

    private final String name;
    private final String backend;
    private final Integer maxPartitions;

    public MipStrategy(String name, String backend, Integer maxPartitions) {
        this.name = name;
        this.backend = backend;
        this.maxPartitions = maxPartitions;
    }

    public static MipStrategy scip() {
        return new MipStrategy("mip", "SCIP", null);
    }

    public static MipStrategy cbc() {
        return new MipStrategy("mip-cbc", "CBC", null);
    }

    public static MipStrategy highs() {
        return new MipStrategy("mip-highs", "HIGHS", null);
    }

    @Override
    public String name() {
        return name;
    }

    /** A fresh solver of the backend, or a user error naming it when this OR-Tools build lacks it. */
    public static MPSolver createSolver(String backend) {
        Loader.loadNativeLibraries();
        MPSolver solver = MPSolver.createSolver(backend);
        if (solver == null) {
            throw new PimoptException("solver " + backend + " is not available in this OR-Tools build");
        }
        solver.suppressOutput();
        if (backend.equals("HIGHS")) {
            // HiGHS prints its banner to stdout even with suppressOutput.
            solver.setSolverSpecificParametersAsString("output_flag=false");
        }
        return solver;
    }

    /** The partition limit of the model: as given, else the warm start's count plus half, at least two more. */
    /** The MILP of an instance for export: the goal's primary objective, K partitions (null: as {@link #solve}). */
    public static String export(Instance instance, Integer maxPartitions, boolean mps) {
        if (instance.goal().primary() == Objective.EDP) {
            throw new PimoptException("edp is a product of two sums and has no linear model; export latency, energy,"
                    + " writes or dram");
        }
        int k = maxPartitions != null ? Math.min(instance.units().size(), maxPartitions)
                : WarmStart.partitionLimit(null, new DpStrategy().solve(instance, SolveOptions.defaults()).plan(), instance.units().size());
        MPSolver solver = createSolver("CBC");
        try {
            MipModel model = new MipModel(solver, instance, k, org.pimopt.solve.BuildDeadline.none());
            model.minimize(model.objective(instance.goal().primary()));
            return mps ? solver.exportModelAsMpsFormat(false, false) : solver.exportModelAsLpFormat(false);
        } finally {
            // Freed here, on this thread: OR-Tools can crash when a finalizer frees a solver.
            solver.delete();
        }
    }

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        long start = System.nanoTime();
        MPSolver solver = createSolver(backend);
        SolveResult result;
        try {
            result = solve(instance, options, solver);
        } finally {
            // Freed here, on this thread: OR-Tools can crash when a finalizer frees a solver.
            solver.delete();
        }
        // Freeing SCIP's model is part of the engine's time (synthetic-chain-200-s1 on compass-s,
        // 342k variables: seconds under load), so the wall time and the stats include it.
        Map<String, Object> stats = new LinkedHashMap<>(result.stats());
        stats.put("freeMs", millis(start) - result.wallMillis());
        return new SolveResult(result.strategy(), result.plan(), result.metrics(), result.status(), result.objective(),
                result.bound(), millis(start), stats, result.note());
    }

    private SolveResult solve(Instance instance, SolveOptions options, MPSolver solver) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        Goal goal = instance.goal();
        SolveResult warm = WarmStart.of(instance, options);
        if (goal.objectives().contains(Objective.EDP)) {
            return WarmStart.asAnswer(name, instance, warm, millis(start), "edp is a product and has no linear model");
        }
        int k = WarmStart.partitionLimit(maxPartitions, warm.plan(), instance.units().size());
        long pairs = (long) instance.units().size() * k;
        if (pairs > MAX_UNIT_PARTITION_PAIRS) {
            return WarmStart.asAnswer(name, instance, warm, millis(start), String.format(Locale.ROOT,
                    "the MILP of %d units x %d partitions (%d pairs, more than %d) would need more memory than"
                            + " a workstation has", instance.units().size(), k, pairs, MAX_UNIT_PARTITION_PAIRS));
        }
        var memory = org.pimopt.solve.HeapBudget.declineNative(String.format(Locale.ROOT, "the MILP of %d units x %d"
                + " partitions", instance.units().size(), k), pairs * NATIVE_BYTES_PER_PAIR);
        if (memory.isPresent()) {
            return WarmStart.asAnswer(name, instance, warm, millis(start), memory.get());
        }
        var decline = BUILD_BUDGET.decline(instance.units().size(), k, deadline - System.nanoTime());
        if (decline.isPresent()) {
            return WarmStart.asAnswer(name, instance, warm, millis(start), decline.get());
        }
        long building = System.nanoTime();
        long teardown = BUILD_BUDGET.teardownNanos(instance.units().size(), k);
        MipModel model;
        try {
            // The build must leave the backend a search and the teardown after it.
            model = new MipModel(solver, instance, k, new org.pimopt.solve.BuildDeadline(deadline - teardown, options.cancelled()));
        } catch (org.pimopt.solve.BuildDeadline.Passed late) {
            return WarmStart.asAnswer(name, instance, warm, millis(start), late.getMessage());
        }
        if (!goal.limits().isEmpty()) {
            model.postLimits(goal.limits(), instance.planIndependentEnergyPj(warm.metrics().energy()));
        }
        long buildMs = (System.nanoTime() - building) / 1_000_000;
        // Now that the model's size is known: freeing it, and how far the backend runs past its
        // limit, grow with it and with the load.
        long elements = solver.numVariables() + (long) solver.numConstraints();
        teardown = Math.max(teardown, afterSearchNanos(elements, TEARDOWN_SECONDS_PER_ELEMENT));
        long overshoot = afterSearchNanos(elements, OVERSHOOT_SECONDS_PER_ELEMENT);
        long presolve = afterSearchNanos(elements, PRESOLVE_SECONDS_PER_ELEMENT);
        boolean warmFits = warm.plan().partitions().size() <= k;
        // OR-Tools 9.15 crashes in HiGHS when given a hint; CBC takes neither hints nor threads here.
        boolean hints = backend.equals("SCIP");
        if (warmFits && hints) {
            model.hint(warm.plan());
        }
        // SCIP runs on one thread: with two (OR-Tools 9.15) it ran past its time limit and past
        // interruptSolve, 5-57 s over 60 s (googlenet on compass-s: 116 s, status ABNORMAL).
        if (backend.equals("HIGHS")) {
            solver.setNumThreads(Math.max(1, options.workers()));
        }
        if (backend.equals("SCIP")) {
            solver.setSolverSpecificParametersAsString("randomization/randomseedshift = " + Math.floorMod(options.seed(), 1 << 30));
        }
        MPSolverParameters params = new MPSolverParameters();
        params.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);

        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("backend", backend);
        stats.put("maxPartitions", k);
        stats.put("variables", solver.numVariables());
        stats.put("constraints", solver.numConstraints());
        stats.put("buildMs", buildMs);
        stats.put("teardownMs", teardown / 1_000_000);
        stats.put("overshootMs", overshoot / 1_000_000);
        Plan best = warm.plan();
        Double bound = null;
        Status status = Status.FEASIBLE;
        String trouble = "";
        // A lexicographic goal is OPTIMAL only when every level is.
        int provenLevels = 0;
        for (int level = 0; level < goal.objectives().size(); level++) {
            Objective objective = goal.objectives().get(level);
            Lin expr = model.objective(objective);
            model.minimize(expr);
            long millisLeft = (deadline - teardown - overshoot - System.nanoTime()) / 1_000_000;
            // A search shorter than the backend's presolve of the model finds nothing and runs past its limit.
            if (millisLeft <= Math.max(50, presolve / 1_000_000) || options.cancelled().get()) {
                trouble = options.cancelled().get() ? "; cancelled" : String.format(Locale.ROOT, "; timed out: %.1f s was"
                        + " left for %s after building, less than the %.1f s %s's presolve of this model takes, beside the"
                        + " %.1f s kept for its overrun and freeing the model", Math.max(0, millisLeft) / 1e3,
                        level == 0 ? "the search" : "level " + (level + 1), presolve / 1e9, backend, (teardown + overshoot) / 1e9);
                break;
            }
            solver.setTimeLimit(Math.max(1, millisLeft / (goal.objectives().size() - level)));
            Thread watcher = cancelWatcher(solver, options, deadline - teardown);
            long solving = System.nanoTime();
            MPSolver.ResultStatus result = solver.solve(params);
            watcher.interrupt();
            stats.put("solveMs" + (level == 0 ? "" : "." + objective.label()), (System.nanoTime() - solving) / 1_000_000);
            stats.put("status" + (level == 0 ? "" : "." + objective.label()), result.name());
            stats.put("nodes", solver.nodes());
            if (result == MPSolver.ResultStatus.INFEASIBLE) {
                if (level == 0) {
                    return new SolveResult(name, null, null, Status.INFEASIBLE, Double.NaN, null, millis(start), stats,
                            "no plan of at most " + k + " partitions" + (goal.limits().isEmpty() ? ""
                                    : " meets the limits (" + goal.limits().stated() + ")"));
                }
                trouble = "; " + backend + " found level " + (level + 1) + " infeasible (tolerances)";
                break;
            }
            if (result != MPSolver.ResultStatus.OPTIMAL && result != MPSolver.ResultStatus.FEASIBLE) {
                trouble = "; " + backend + " returned " + result;
                break;
            }
            Plan plan = model.plan();
            if (!Validator.violations(instance, plan).isEmpty()) {
                throw new IllegalStateException(name + " produced an invalid plan: " + Validator.violations(instance, plan));
            }
            best = plan;
            double value = solver.objective().value();
            if (level == 0) {
                double priced = objective.of(plan.evaluate(instance));
                // The model leaves out terms no plan can change (MVM and vector energy, ...): add them back.
                double offset = priced - expr.value();
                double proven = solver.objective().bestBound();
                // Without a proven bound (no LP solved in time) backends report +-infinity or +-1e20.
                bound = Double.isFinite(proven) && Math.abs(proven) < 1e19 ? proven + offset : null;
                status = result == MPSolver.ResultStatus.OPTIMAL ? Status.OPTIMAL : Status.FEASIBLE;
            }
            if (result != MPSolver.ResultStatus.OPTIMAL) {
                break;
            }
            provenLevels++;
            Lin.post(solver, -MPSolver.infinity(), expr, value + HOLD_SLACK * Math.abs(value) + 1e-6,
                    "hold_" + objective.label());
            if (hints) {
                model.hint(plan);
            }
        }
        if (provenLevels < goal.objectives().size()) {
            status = Status.FEASIBLE;
        }
        EngineAnswer answer = EngineAnswer.of(instance, best, warm, warmFits, bound, status);
        stats.putAll(answer.provenByStats());
        status = answer.status();
        String note = String.format(Locale.ROOT, "%s among plans of at most %d partitions (any order that respects"
                + " dependencies); MILP through %s, relative gap limit 0; gap against the larger of the solver's bound and solve/LowerBound%s",
                status == Status.OPTIMAL ? "optimal" : "best found", k, backend, trouble);
        return new SolveResult(name, answer.plan(), answer.metrics(), status, answer.objective(), answer.bound(),
                millis(start), stats, note);
    }

    /**
     * Seconds per variable and constraint, per process waiting for each core, to keep for reading
     * the plan and freeing the backend's model after the search: SCIP on compass-s, 2 cores:
     * synthetic-chain-200-s1 (78 partitions, 699k variables and constraints) at load average 5,
     * 3.8 s to free, 2.2e-6 s per element and unit of load; vgg19 (129 partitions, 709k) at
     * load 6.4, 6.8 s, 3.0e-6. The per-pair estimate of {@link #BUILD_BUDGET} (1.6 s for the
     * chain) was measured on a model of fewer variables per pair.
     */
    static final double TEARDOWN_SECONDS_PER_ELEMENT = 3e-6;
    /**
     * The same for how far SCIP runs past its time limit (and past interruptSolve, both looked at
     * between presolve steps): vgg19 above, 4.9 s past a 10.8 s limit, 2.2e-6 s per element and
     * unit of load; status NOT_SOLVED.
     */
    static final double OVERSHOOT_SECONDS_PER_ELEMENT = 2.5e-6;
    /**
     * The least search worth starting, per variable and constraint and unit of load: SCIP did not
     * get through presolve of vgg19's model (709k) in 15.7 s at load 6.4 (NOT_SOLVED), nor of
     * synthetic-chain-200-s1's (699k) in `bench --jobs 2` at load 8, 55 s for a 30 s limit.
     */
    static final double PRESOLVE_SECONDS_PER_ELEMENT = 5e-6;

    /** Time to keep after the search for a model of {@code elements} variables and constraints at the current load. */
    static long afterSearchNanos(long elements, double secondsPerElement) {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double factor = load < 0 ? 1 : Math.max(1, load / Runtime.getRuntime().availableProcessors());
        return (long) (elements * secondsPerElement * factor * 1e9);
    }

    /**
     * Interrupts the solve when the user cancels (Ctrl-C) or the deadline passes: backends check
     * their own time limit only between phases (SCIP's presolve of a large model can run tens of
     * seconds past it), and the budget is the caller's whole command.
     */
    private static Thread cancelWatcher(MPSolver solver, SolveOptions options, long deadline) {
        Thread t = new Thread(() -> {
            try {
                while (!options.cancelled().get() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                solver.interruptSolve();
            } catch (InterruptedException done) {
                // the solve finished
            }
        }, "mip-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
