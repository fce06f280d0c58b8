package org.pimopt.solve.choco;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solver;
import org.chocosolver.solver.search.SearchState;
import org.chocosolver.solver.search.strategy.selectors.values.IntDomainMin;
import org.chocosolver.solver.search.strategy.selectors.variables.DomOverWDeg;
import org.chocosolver.solver.variables.IntVar;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.solve.EngineAnswer;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.dp.WarmStart;

/**
 * Exact partitioning with Choco Solver ({@link ChocoModel}), the second constraint engine that
 * cross-checks CP-SAT. Warm-started (as search hints) from the given plan or {@code dp}; branches
 * on partitions and copies with dom/wdeg tie-broken by the seed. A lexicographic goal is solved
 * level by level on a fresh model with the earlier objectives held at their optimum. OPTIMAL means
 * the search completed at CP-SAT's scales (1 ps, 1 fJ) among plans of at most K partitions.
 */
public final class ChocoStrategy implements Strategy {
    /** Largest relative coefficient rounding at which a completed search is called OPTIMAL. */
    static final double MAX_ROUNDING_ERROR = 0.005;

    private final Integer maxPartitions;

    public ChocoStrategy() {
        this(null);
    }

    public ChocoStrategy(Integer maxPartitions) {
        this.maxPartitions = maxPartitions;
    }

    @Override
    public String name() {
        return "choco";
    }

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        Goal goal = instance.goal();
        SolveResult warm = WarmStart.of(instance, options);
        if (goal.objectives().contains(Objective.EDP)) {
            return goal.objectives().size() == 1 ? solveEdp(instance, options, warm, start, deadline)
                    : WarmStart.asAnswer(name(), instance, warm, millis(start), "edp is modelled alone only, not in a lexicographic list");
        }
        int n = instance.units().size();
        int k = WarmStart.partitionLimit(maxPartitions, warm.plan(), n);
        boolean warmFits = warm.plan().partitions().size() <= k;
        var decline = ChocoClock.decline(instance, k, deadline - System.nanoTime());
        if (decline.isPresent()) {
            return WarmStart.asAnswer(name(), instance, warm, millis(start), decline.get());
        }
        // Kept back from the building's and the search's time for what follows them.
        long margin = ChocoClock.marginNanos(ChocoClock.elements(instance, k));

        Plan best = warm.plan();
        Double bound = null;
        Status status = Status.FEASIBLE;
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("maxPartitions", k);
        List<Long> held = new ArrayList<>();
        boolean proven = true;
        boolean domainsCut = false;
        double roundingError = 0;
        java.util.Set<Objective> needed = java.util.EnumSet.copyOf(goal.objectives());
        needed.addAll(goal.limits().figures());
        // Plans worse than the warm start in the primary objective are of no interest: cap the
        // domains there (1% above, for rounding), which lets fine scales fit 32-bit integers. Not
        // when the warm start breaks a limit: the plans that meet them may all be worse.
        boolean capped = warmFits && goal.meetsLimits(warm.metrics());
        double latencyCap = capped && goal.primary() == Objective.LATENCY ? warm.metrics().latencyNs() * 1.01 : Double.POSITIVE_INFINITY;
        // MVM and vector energy are the same for every plan and not in the model.
        var e = warm.metrics().energy();
        double energyCap = capped && goal.primary() == Objective.ENERGY
                ? (e.writePj() + e.dramPj() + e.nocPj() + e.staticPj()) * 1.01 : Double.POSITIVE_INFINITY;
        String trouble = "";
        // A lexicographic goal is OPTIMAL only when every level is.
        int provenLevels = 0;
        for (int level = 0; level < goal.objectives().size(); level++) {
            Objective objective = goal.objectives().get(level);
            long millisLeft = (deadline - margin - System.nanoTime()) / 1_000_000;
            if (millisLeft <= 50 || options.cancelled().get()) {
                trouble = "; out of time";
                break;
            }
            ChocoModel cm;
            long building = System.nanoTime();
            try {
                cm = new ChocoModel(instance, k, needed, latencyCap, energyCap,
                        new org.pimopt.solve.BuildDeadline(deadline - margin, options.cancelled()));
            } catch (org.pimopt.solve.BuildDeadline.Passed late) {
                proven = false;
                trouble = "; " + late.getMessage();
                break;
            } catch (org.chocosolver.solver.exception.SolverException | ArithmeticException tooLarge) {
                // Sums whose bounds overflow Choco's 32-bit integers even at the coarsest scale.
                proven = false;
                trouble = "; the model's bounds overflow Choco's 32-bit integers (" + tooLarge.getMessage() + ")";
                break;
            } catch (OutOfMemoryError tooBig) {
                // The model is garbage once its constructor fails, so the heap comes back.
                proven = false;
                trouble = "; the Choco model of " + n + " units does not fit the Java heap";
                break;
            }
            stats.put("buildMs" + (level == 0 ? "" : "." + objective.label()), (System.nanoTime() - building) / 1_000_000);
            roundingError = Math.max(roundingError, cm.roundingError);
            proven &= !cm.domainsCut && cm.roundingError <= MAX_ROUNDING_ERROR;
            domainsCut |= cm.domainsCut;
            stats.put("roundingError", roundingError);
            stats.put("timeScalePerNs", cm.timeScale);
            stats.put("energyScalePerPj", cm.energyScale);
            cm.postLimits(goal.limits(), instance.planIndependentEnergyPj(e));
            for (int i = 0; i < held.size(); i++) {
                cm.model.arithm(cm.objective(goal.objectives().get(i)), "<=", Math.toIntExact(held.get(i))).post();
            }
            IntVar obj = cm.objective(objective);
            long levelLeft = (deadline - margin - System.nanoTime()) / (goal.objectives().size() - level);
            Search search;
            try {
                search = search(cm, obj, options, warmFits ? warm.plan() : null, System.nanoTime() + levelLeft, start,
                        objective.label(), cm.scale(objective));
            } catch (OutOfMemoryError full) {
                // The search's own structures (learnt clauses, trail) outgrew the heap; the model is garbage now.
                cm = null;
                proven = false;
                trouble = "; the Choco search of " + n + " units ran out of Java heap";
                break;
            }
            stats.put("searchMs" + (level == 0 ? "" : "." + objective.label()), search.millis());
            Plan found = search.found();
            long value = search.value();
            boolean complete = search.complete();
            stats.put("nodes" + (level == 0 ? "" : "." + objective.label()), search.nodes());
            stats.put("fails" + (level == 0 ? "" : "." + objective.label()), search.fails());
            if (found == null) {
                if (complete && level == 0 && proven) {
                    return new SolveResult(name(), null, null, Status.INFEASIBLE, Double.NaN, null, millis(start), stats,
                            "no plan of at most " + k + " partitions" + (goal.limits().isEmpty() ? ""
                                    : " meets the limits (" + goal.limits().stated() + ")"));
                }
                trouble = complete ? "; level " + (level + 1) + " found no plan (rounded model)"
                        : search.timedOut() ? "; timed out before the search found a plan" : "; no solution in time";
                break;
            }
            if (!Validator.violations(instance, found).isEmpty()) {
                throw new IllegalStateException("choco produced an invalid plan: " + Validator.violations(instance, found));
            }
            best = found;
            if (level == 0) {
                double priced = objective.of(found.evaluate(instance));
                double offset = priced - value / cm.scale(objective);
                long lb = complete ? value : search.bestLowerBound();
                bound = lb > 0 ? lb / cm.scale(objective) + offset : null;
                status = complete && proven ? Status.OPTIMAL : Status.FEASIBLE;
            }
            if (!complete) {
                trouble = "; stopped at the time limit";
                break;
            }
            provenLevels += proven ? 1 : 0;
            held.add(value);
        }
        if (provenLevels < goal.objectives().size()) {
            status = Status.FEASIBLE;
        }
        EngineAnswer answer = EngineAnswer.of(instance, best, warm, warmFits, bound, status);
        stats.putAll(answer.provenByStats());
        status = answer.status();
        String scales = stats.containsKey("timeScalePerNs")
                ? String.format(Locale.ROOT, "; model times in 1/%s ns, energies in 1/%s pJ, coefficients rounded by at most %.3g%%",
                        stats.get("timeScalePerNs"), stats.get("energyScalePerPj"), 100 * roundingError)
                : "";
        String note = String.format(Locale.ROOT, "%s among plans of at most %d partitions (any order that respects"
                + " dependencies); gap against the larger of the solver's bound and solve/LowerBound%s%s%s", status == Status.OPTIMAL ? "optimal" : "best found", k, scales,
                status == Status.OPTIMAL || proven || !stats.containsKey("timeScalePerNs") ? "" : domainsCut
                        ? " (domains cut to fit Choco's 32-bit integers: not claimed optimal)"
                        : String.format(Locale.ROOT, " (coefficients rounded by more than %.2g%% at the finest scales that fit"
                                + " Choco's 32-bit integers: not claimed optimal)", 100 * MAX_ROUNDING_ERROR),
                trouble);
        return new SolveResult(name(), answer.plan(), answer.metrics(), status, answer.objective(), answer.bound(),
                millis(start), stats, note);
    }

    /**
     * What one search found: its last (best) plan and value, whether it completed, its effort, and
     * whether the deadline stopped it (then it is not complete).
     */
    private record Search(Plan found, long value, boolean complete, long nodes, long fails, long bestLowerBound,
                          boolean timedOut, long millis) {}

    /**
     * Minimizes {@code obj}: dom/wdeg over partitions and copies (ties by the seed), smallest value
     * first, then the smallest-domain lower bound on everything else; the warm plan as hints; a
     * progress line at most once a second; stopped at {@code deadlineNanos} by {@link ChocoClock},
     * during propagation too.
     */
    private static Search search(ChocoModel cm, IntVar obj, SolveOptions options, Plan warm, long deadlineNanos, long start,
                                 String label, double scale) {
        long searching = System.nanoTime();
        cm.model.setObjective(Model.MINIMIZE, obj);
        Solver solver = cm.model.getSolver();
        IntVar[] decisions = cm.decisions.toArray(new IntVar[0]);
        solver.setSearch(
                org.chocosolver.solver.search.strategy.Search.intVarSearch(new DomOverWDeg<>(decisions, options.seed()),
                        new IntDomainMin(), decisions),
                org.chocosolver.solver.search.strategy.Search.minDomLBSearch(cm.model.retrieveIntVars(true)));
        if (warm != null) {
            hint(cm, solver, warm);
        }
        ChocoClock clock = new ChocoClock(deadlineNanos, options.cancelled());
        solver.addStopCriterion(clock);
        for (IntVar v : decisions) {
            v.addMonitor(clock);
        }
        obj.addMonitor(clock);
        Plan found = null;
        long value = -1;
        long lastProgress = System.nanoTime();
        while (solver.solve()) {
            found = cm.plan();
            value = obj.getValue();
            long now = System.nanoTime();
            if (now - lastProgress > 1_000_000_000L) {
                lastProgress = now;
                options.progress().accept(String.format(Locale.ROOT, "choco: %.1fs, %s %.6g", (now - start) / 1e9, label,
                        value / scale));
            }
        }
        // Choco reports a search the clock cut as STOPPED; the flag is kept too, should it ever end as TERMINATED.
        boolean complete = solver.getSearchState() == SearchState.TERMINATED && !clock.fired();
        long lb = found == null ? 0 : solver.getObjectiveManager().getBestLB().longValue();
        return new Search(found, value, complete, solver.getNodeCount(), solver.getFailCount(), lb, clock.fired(),
                (System.nanoTime() - searching) / 1_000_000);
    }

    /**
     * EDP ({@link ChocoEdp}): the latency and energy models capped from the warm start
     * ({@code L <= 1.02 P / E_min}, {@code E <= 1.02 P / L_min}, {@code P} the warm plan's
     * latency x energy, the minima from {@code solve/LowerBound}), their product over coarse units.
     * OPTIMAL means a completed search at fine enough scales: coefficients rounded by at most
     * {@link #MAX_ROUNDING_ERROR} and coarse units adding at most as much; the plan is then optimal
     * for the product of the rounded-up factors, and the bound is divided by what the roundings
     * can add, so that it stays below every plan's EDP.
     */
    private SolveResult solveEdp(Instance instance, SolveOptions options, SolveResult warm, long start, long deadline) {
        int n = instance.units().size();
        int k = WarmStart.partitionLimit(maxPartitions, warm.plan(), n);
        SolveResult beyond = WarmStart.beyondEdpLimit(name(), instance, warm, null, k, millis(start));
        if (beyond != null) {
            return beyond;
        }
        var decline = ChocoClock.decline(instance, k, deadline - System.nanoTime());
        if (decline.isPresent()) {
            return WarmStart.asAnswer(name(), instance, warm, millis(start), decline.get());
        }
        long margin = ChocoClock.marginNanos(ChocoClock.elements(instance, k));
        org.pimopt.cost.BatchMetrics wm = warm.metrics();
        var e = wm.energy();
        double constant = instance.planIndependentEnergyPj(e);
        double latencyMin = org.pimopt.solve.LowerBound.of(instance, Objective.LATENCY);
        double energyMin = org.pimopt.solve.LowerBound.of(instance, Objective.ENERGY);
        double product = 1.02 * wm.latencyNs() * e.totalPj();
        double latencyCap = product / energyMin;
        double energyCap = product / latencyMin - constant;
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("maxPartitions", k);
        ChocoModel cm;
        ChocoEdp edp;
        try {
            cm = new ChocoModel(instance, k, java.util.EnumSet.of(Objective.LATENCY, Objective.ENERGY), latencyCap, energyCap,
                    new org.pimopt.solve.BuildDeadline(deadline - margin, options.cancelled()));
            edp = new ChocoEdp(cm, cm.objective(Objective.LATENCY), cm.objective(Objective.ENERGY), latencyMin, energyMin, constant);
        } catch (org.pimopt.solve.BuildDeadline.Passed late) {
            return WarmStart.asAnswer(name(), instance, warm, millis(start), late.getMessage());
        } catch (OutOfMemoryError full) {
            return WarmStart.asAnswer(name(), instance, warm, millis(start), "the Choco EDP model of " + n
                    + " units does not fit the Java heap");
        } catch (org.chocosolver.solver.exception.SolverException | ArithmeticException tooLarge) {
            return WarmStart.asAnswer(name(), instance, warm, millis(start),
                    "the EDP model's bounds overflow Choco's 32-bit integers (" + tooLarge.getMessage() + ")");
        }
        stats.put("timeScalePerNs", cm.timeScale);
        stats.put("energyScalePerPj", cm.energyScale);
        stats.put("roundingError", cm.roundingError);
        stats.put("edpCoarseError", edp.coarseError);
        long millisLeft = (deadline - margin - System.nanoTime()) / 1_000_000;
        if (millisLeft <= 50 || options.cancelled().get()) {
            return WarmStart.asAnswer(name(), instance, warm, millis(start), "no time left to search");
        }
        double perSample2 = (double) instance.batch() * instance.batch();
        Search search;
        try {
            search = search(cm, edp.product, options, warm.plan(), deadline - margin, start, "edp",
                    perSample2 * cm.timeScale * cm.energyScale / ((double) edp.timeUnit * edp.energyUnit));
        } catch (OutOfMemoryError full) {
            cm = null;
            return WarmStart.asAnswer(name(), instance, warm, millis(start), "the Choco EDP search of " + n
                    + " units ran out of Java heap");
        }
        stats.put("nodes", search.nodes());
        stats.put("fails", search.fails());
        boolean fine = !cm.domainsCut && cm.roundingError <= MAX_ROUNDING_ERROR && edp.coarseError <= MAX_ROUNDING_ERROR;
        if (search.found() != null && !Validator.violations(instance, search.found()).isEmpty()) {
            throw new IllegalStateException("choco produced an invalid plan: " + Validator.violations(instance, search.found()));
        }
        Double bound = null;
        Status status = Status.FEASIBLE;
        if (search.found() != null) {
            long lb = search.complete() ? search.value() : search.bestLowerBound();
            // Each factor's model value is within (1 + d) of its price, and rounding it up to its
            // unit adds at most the coarse error: divide both out to stay below every plan.
            double slack = (1 + cm.roundingError) * (1 + cm.roundingError) * (1 + edp.coarseError);
            bound = lb > 0 ? edp.pjNs(lb, cm) / perSample2 / slack : null;
            status = search.complete() && fine ? Status.OPTIMAL : Status.FEASIBLE;
        }
        EngineAnswer answer = EngineAnswer.of(instance, search.found() != null ? search.found() : warm.plan(), warm, true, bound, status);
        stats.putAll(answer.provenByStats());
        String note = String.format(Locale.ROOT, "%s EDP among plans of at most %d partitions (any order that respects"
                        + " dependencies): minimizes latency (in %d/%d ns) x energy (in %d/%d pJ), both rounded up; coefficients"
                        + " rounded by at most %.3g%%, coarse units add at most %.3g%%%s%s",
                answer.status() == Status.OPTIMAL ? "optimal" : "best found", k, edp.timeUnit, cm.timeScale, edp.energyUnit,
                cm.energyScale, 100 * cm.roundingError, 100 * edp.coarseError,
                search.complete() ? "" : search.found() == null ? "; timed out before the search found a plan"
                        : "; stopped at the time limit",
                search.complete() && !fine ? String.format(Locale.ROOT, " (above %.2g%% at the finest scales that fit Choco's"
                        + " 32-bit integers: not claimed optimal)", 100 * MAX_ROUNDING_ERROR) : "");
        return new SolveResult(name(), answer.plan(), answer.metrics(), answer.status(), answer.objective(),
                answer.bound(), millis(start), stats, note);
    }

    private static void hint(ChocoModel cm, Solver solver, Plan plan) {
        int[] partOf = plan.partitionOfUnits(cm.units().size());
        for (int u = 0; u < partOf.length; u++) {
            solver.addHint(cm.part[u], partOf[u]);
        }
        for (OpInfo op : cm.instance.ops()) {
            for (int p = 0; p < plan.partitions().size(); p++) {
                int r = plan.partitions().get(p).replicasOf(op.index());
                if (cm.copies[op.index()][p].contains(r)) {
                    solver.addHint(cm.copies[op.index()][p], r);
                }
            }
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
