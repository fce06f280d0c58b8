package org.pimopt.solve.exact;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.cpsat.CpSatStrategy;
import org.pimopt.solve.dp.WarmStart;
import org.pimopt.solve.lattice.LatticeDp;

/**
 * {@code exact}, the default of {@code solve}: a portfolio of two engines over all plans. First
 * {@code dp-lattice} (the shortest path over chains of dependency-closed unit sets) within
 * {@link #LATTICE_SHARE} of the budget; when it does not prove its plan optimal, CP-SAT searches the
 * rest of the time from the better of that plan and the caller's, with dp-lattice's bound beside
 * its own. The result names the engine that proved it (stat {@code provenBy}: {@code dp-lattice},
 * {@code cpsat}, or {@code bound} when a plan met a bound valid for every plan).
 *
 * <p>With limits ({@code --limit}, formulations/limits.md): dp-lattice's optimum over every plan
 * settles it when it meets them; a limit on the first objective below dp-lattice's bound proves
 * none can be met; otherwise CP-SAT searches under them, and when it finds no plan that meets
 * them, {@link LimitProof} bounds each limited figure over every plan to prove it or say how far off.
 */
public final class ExactStrategy implements Strategy {
    /**
     * Share of the budget dp-lattice gets before CP-SAT. dp-lattice proves resnet18 and
     * squeezenet1_1 optimal in 0.04-1 s and googlenet in up to 40 s; when it ends unproven its bound
     * is far stronger than CP-SAT's, and CP-SAT's search in what was left rarely improved its plan
     * (results/exact.md names the engine behind every proof).
     */
    public static final double LATTICE_SHARE = 0.9;

    /**
     * With limits, dp-lattice's share: its search under them (labels carry the limited figures)
     * proves most cases, but CP-SAT and the proofs of {@link LimitProof} need time when it does not.
     */
    public static final double LIMITED_LATTICE_SHARE = 0.7;

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        Goal goal = instance.goal();
        // Without a caller's plan, dp's comes first, with its share of the whole budget: after
        // dp-lattice it would have had a fifth of what little is left and, timing out, handed back
        // the greedy plan (googlenet, 10 s: 4.7x slower than dp's own plan).
        SolveResult warm = WarmStart.of(instance, options);
        boolean limited = !goal.limits().isEmpty();
        long latticeStart = System.nanoTime();
        long latticeEnd = latticeStart + (long) ((deadline - latticeStart) * (limited ? LIMITED_LATTICE_SHARE : LATTICE_SHARE));
        LatticeDp.Outcome lattice = new LatticeDp().search(instance, options, latticeEnd, latticeStart);
        long latticeMs = (System.nanoTime() - latticeStart) / 1_000_000;
        Map<String, Object> stats = new LinkedHashMap<>();
        lattice.stats().forEach((k, v) -> stats.put("lattice." + k, v));
        stats.put("lattice.ms", latticeMs);
        if (limited) {
            SolveResult beyond = LimitProof.beyondBounds(instance, lattice, stats, start);
            if (beyond == null && lattice.noneMeets()) {
                beyond = LimitProof.noPlanMeets(instance, null, options, deadline, stats, start);
            }
            if (beyond != null) {
                return beyond.named(name(), millis(start), Map.of(), "");
            }
        }
        // The optimum over every plan is the optimum under the limits when it meets them.
        if (lattice.best() != null && lattice.optimal(goal.unlimited()) && goal.meetsLimits(lattice.best().metrics())) {
            BatchMetrics metrics = lattice.best().metrics();
            double objective = goal.primaryValue(metrics);
            options.convergence().record("dp-lattice", objective, objective);
            stats.put(SolveResult.PROVEN_BY, "dp-lattice");
            return new SolveResult(name(), lattice.best().plan(), metrics, Status.OPTIMAL, objective, objective,
                    millis(start), stats, "optimal over all plans, proven by dp-lattice (every chain of dependency-closed"
                    + " unit sets, optimal copies per step) in " + seconds(latticeMs) + "; CP-SAT was not needed");
        }
        if (lattice.best() != null) {
            options.convergence().record("dp-lattice", goal.primaryValue(lattice.best().metrics()),
                    lattice.bound() == null ? Double.NaN : lattice.bound());
        }
        if (lattice.best() != null && goal.comparator().compare(lattice.best().metrics(), warm.metrics()) < 0) {
            warm = new SolveResult("dp-lattice", lattice.best().plan(), lattice.best().metrics(), Status.FEASIBLE,
                    goal.primaryValue(lattice.best().metrics()), null, 0, Map.of(), "");
        }
        String latticeLine = "dp-lattice did not prove its plan in " + seconds(latticeMs)
                + (lattice.why() == null || lattice.why().isEmpty() ? "" : " (" + lattice.why() + ")")
                + (lattice.best() == null ? "" : warm.strategy().equals("dp-lattice") ? ", its plan is CP-SAT's start" : "")
                + "; then cpsat: ";
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        // With limits, a share is kept for proving none can be met when CP-SAT finds no plan that does.
        long cpsatMillis = limited ? Math.max(1, (long) (left * (1 - LimitProof.SHARE))) : left;
        SolveResult cpsat = new CpSatStrategy().solve(instance, options.withTimeoutMillis(cpsatMillis).withWarmStart(warm.plan()),
                lattice.bound());
        if (cpsat.status() == Status.OPTIMAL && (!limited || goal.meetsLimits(cpsat.metrics()))) {
            stats.put(SolveResult.PROVEN_BY, cpsat.provenBy());
        }
        if (limited && (cpsat.plan() == null || !goal.meetsLimits(cpsat.metrics()))) {
            SolveResult none = LimitProof.noPlanMeets(instance, cpsat, options, deadline, stats, start);
            // A proof by dp-lattice's floors stands alone; otherwise the note tells what was tried.
            boolean proven = none.status() == Status.INFEASIBLE && none.stats().containsKey(SolveResult.PROVEN_BY);
            return none.named(name(), millis(start), Map.of(), proven ? "" : latticeLine);
        }
        return cpsat.named(name(), millis(start), stats, latticeLine);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
