package org.pimopt.solve.exact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Limits;
import org.pimopt.cost.Objective;
import org.pimopt.problem.Instance;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.LowerBound;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.lattice.LatticeDp;

/**
 * How far the limits are from what any plan reaches, for the {@code exact} portfolio
 * (formulations/limits.md, "When no plan meets them"). A limited figure is additive over a plan's
 * partitions, so dp-lattice's bound on it, minimized alone over every plan, is a floor for every
 * plan: a limit below it can be met by none, whatever the other limits and however many partitions.
 * Each figure's least value (or floor) is kept in the stats {@code least.FIGURE} and
 * {@code leastBound.FIGURE}, so the user knows how far to relax.
 */
final class LimitProof {
    /** Share of what is left after dp-lattice that CP-SAT leaves for these proofs. */
    static final double SHARE = 0.25;

    private LimitProof() {}

    /**
     * INFEASIBLE when a limit is below a floor every plan is above: the goal's first objective's
     * from dp-lattice's search, or any limited figure's from {@link LowerBound} (closed-form, at
     * once); null otherwise.
     */
    static SolveResult beyondBounds(Instance instance, LatticeDp.Outcome lattice, Map<String, Object> stats, long start) {
        Goal goal = instance.goal();
        for (Objective figure : goal.limits().figures()) {
            double max = goal.limits().max(figure);
            boolean searched = figure == goal.primary() && goal.objectives().size() == 1;
            Double least = searched ? least(lattice, figure) : null;
            Double latticeFloor = searched ? floor(lattice, figure) : null;
            double closedForm = LowerBound.of(instance, figure);
            boolean byLattice = latticeFloor != null && latticeFloor >= closedForm;
            double floor = byLattice ? latticeFloor : closedForm;
            if (Goal.compare(floor, max) <= 0) {
                continue;
            }
            Map<String, Object> all = new LinkedHashMap<>(stats);
            record(all, figure, least, floor);
            String by = byLattice ? "dp-lattice" : "bound";
            all.put(SolveResult.PROVEN_BY, by);
            return new SolveResult("exact", null, null, Status.INFEASIBLE, Double.NaN, null, millis(start), all,
                    "no plan meets the limits: " + reach(figure, least, floor, max) + ", proven " + (byLattice
                            ? "by dp-lattice over every plan" : "by a bound valid for every plan (solve/LowerBound)"));
        }
        return null;
    }

    /**
     * CP-SAT found no plan that meets the limits (or proved there is none within its partitions), or
     * dp-lattice proved that none does ({@code cpsat} null):
     * each limited figure minimized alone by dp-lattice, in equal shares of what is left. INFEASIBLE
     * proven by dp-lattice when one figure's floor is above its limit; else CP-SAT's answer, its note
     * saying how near each figure comes.
     */
    static SolveResult noPlanMeets(Instance instance, SolveResult cpsat, SolveOptions options, long deadline,
                                   Map<String, Object> stats, long start) {
        Limits limits = instance.goal().limits();
        Map<String, Object> all = new LinkedHashMap<>(stats);
        if (cpsat != null) {
            all.putAll(cpsat.stats());
        }
        all.remove(SolveResult.PROVEN_BY);
        List<String> reached = new ArrayList<>();
        List<Objective> figures = limits.figures();
        String proof = null;
        LatticeDp.Found found = null;
        String foundHow = "";
        if (cpsat != null && cpsat.plan() != null) {
            // The best plan in hand (often the fastest, over a writes limit by its copies), trimmed:
            // a third of what is left, the rest for the bounds below.
            long now = System.nanoTime();
            org.pimopt.plan.Plan trimmed = CopyTrim.towardWrites(instance, cpsat.plan(), now + (deadline - now) / 3);
            org.pimopt.cost.BatchMetrics priced = trimmed == null ? null : trimmed.evaluate(instance);
            if (priced != null && instance.goal().meetsLimits(priced)) {
                found = new LatticeDp.Found(trimmed, priced);
                foundHow = "the best plan in hand with copies taken away until it writes few enough cells";
            }
        }
        for (int i = 0; i < figures.size(); i++) {
            Objective figure = figures.get(i);
            long now = System.nanoTime();
            long end = now + (deadline - now) / (figures.size() - i);
            if (end - now < 50_000_000L || options.cancelled().get()) {
                reached.add(figure.label() + " not bounded (no time left)");
                continue;
            }
            // Its own convergence log: the figure is not the goal's, and would confuse the plot.
            SolveOptions alone = options.withConvergence(new Convergence());
            LatticeDp.Outcome o = new LatticeDp().search(instance.withGoal(Goal.of(figure)), alone, end, now);
            if (o.best() != null && instance.goal().meetsLimits(o.best().metrics())
                    && (found == null || instance.goal().comparator().compare(o.best().metrics(), found.metrics()) < 0)) {
                found = o.best();   // least in one figure, and within every limit: a plan that meets them
                foundHow = "the plan of least " + figure.label() + " meets them all";
            }
            Double least = least(o, figure);
            Double floor = floor(o, figure);
            record(all, figure, least, floor);
            double max = limits.max(figure);
            reached.add(reach(figure, least, floor, max));
            if (proof == null && floor != null && Goal.compare(floor, max) > 0) {
                proof = reach(figure, least, floor, max);
            }
        }
        if (proof != null) {
            all.put(SolveResult.PROVEN_BY, "dp-lattice");
            return new SolveResult("exact", null, null, Status.INFEASIBLE, Double.NaN, null, millis(start), all,
                    "no plan meets the limits: " + proof + ", proven by dp-lattice over every plan");
        }
        String how = "each limited figure alone: " + String.join("; ", reached);
        if (found != null) {
            // Not optimal: only the least plan in one figure, which happens to meet every limit.
            double objective = instance.goal().primaryValue(found.metrics());
            Double bound = cpsat != null && cpsat.bound() != null && cpsat.bound() <= objective ? cpsat.bound() : null;
            return new SolveResult("exact", found.plan(), found.metrics(), Status.FEASIBLE, objective, bound, millis(start),
                    all, "no plan that meets the limits found by the searches under them in time; " + foundHow
                    + " (not proven optimal); " + how);
        }
        if (cpsat == null) {
            // dp-lattice's search under all the limits together found every chain's floors over one.
            all.put(SolveResult.PROVEN_BY, "dp-lattice");
            return new SolveResult("exact", null, null, Status.INFEASIBLE, Double.NaN, null, millis(start), all,
                    "no plan meets the limits together, proven by dp-lattice over every plan (every chain's floors"
                    + " exceed one of them); " + how);
        }
        if (cpsat.status() == Status.INFEASIBLE) {
            // Within CP-SAT's partition limit only: a plan of more partitions may meet them, so the
            // portfolio does not claim INFEASIBLE (which reads as: no plan at all).
            return new SolveResult("exact", null, null, Status.UNKNOWN, Double.NaN, null, millis(start), all,
                    cpsat.note() + " (cpsat; plans of more partitions not searched to the end); " + how);
        }
        return new SolveResult("exact", cpsat.plan(), cpsat.metrics(), cpsat.plan() == null ? Status.UNKNOWN : Status.FEASIBLE,
                cpsat.objective(), cpsat.bound(), millis(start), all,
                "no plan that meets the limits found in time, and none proven impossible; " + how);
    }

    /** The figure's least value over every plan when dp-lattice proved it, else null. */
    private static Double least(LatticeDp.Outcome o, Objective figure) {
        return o.best() != null && o.optimal(Goal.of(figure)) ? figure.of(o.best().metrics()) : null;
    }

    /** A value no plan's figure is below: the least value when proven, else dp-lattice's bound (or null). */
    private static Double floor(LatticeDp.Outcome o, Objective figure) {
        Double least = least(o, figure);
        return least != null ? least : o.bound();
    }

    private static void record(Map<String, Object> stats, Objective figure, Double least, Double floor) {
        if (least != null) {
            stats.put("least." + figure.label(), least);
        }
        if (floor != null) {
            stats.put("leastBound." + figure.label(), floor);
        }
    }

    /** {@code the least writes any plan reaches is 1.2e+07 cells per batch (limit 5e+06)}. */
    static String reach(Objective figure, Double least, Double floor, double max) {
        if (least != null) {
            return String.format(Locale.ROOT, "the least %s any plan reaches is %.4g %s (limit %.4g)", figure.label(), least,
                    figure.unit(), max);
        }
        if (floor != null) {
            return String.format(Locale.ROOT, "every plan's %s is at least %.4g %s (limit %.4g)", figure.label(), floor,
                    figure.unit(), max);
        }
        return figure.label() + ": no bound in time (limit " + String.format(Locale.ROOT, "%.4g", max) + ")";
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
