package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Limits;
import org.pimopt.cost.Objective;
import org.pimopt.problem.Instance;
import org.pimopt.solve.copies.FloorMetrics;
import org.pimopt.solve.copies.ParetoFront;
import org.pimopt.solve.dp.DpStrategy;

/**
 * What dp-lattice's labels are ordered and pruned by (formulations/limits.md, "dp-lattice").
 *
 * <ul>
 *   <li>One objective or a lexicographic list, no limits: one best label per set, in the goal's order.
 *   <li>EDP: the Pareto front of (energy, latency) at each set, pruned against the plan in hand.
 *   <li>One objective (or a lexicographic list) with limits: a resource-constrained shortest path.
 *       Labels are the Pareto front of the objectives and the limited figures; each step keeps the front of its copies in those of
 *       the figures copies change (latency, energy, writes; DRAM bytes do not depend on copies); a
 *       label or floor is dropped when a limited figure plus the least that figure can grow to the
 *       end exceeds its limit, or its objective cannot come below the plan in hand. All figures add
 *       up along a chain, so the floors stay floors and the pruning loses no plan that meets the limits.
 * </ul>
 *
 * EDP in a lexicographic list with limits is searched without them (its plan is then held against
 * them by the caller). Under limits a lexicographic goal is OPTIMAL only when every step's search
 * completed (no floor path in the goal's order is kept).
 */
record SearchMode(Goal goal, Limits limits, boolean edp, Set<Objective> labelFigures, Set<Objective> stepFront) {
    /** The figures copies change: a step's front is kept in these. */
    private static final Set<Objective> COPY_DEPENDENT = EnumSet.of(Objective.LATENCY, Objective.ENERGY, Objective.WRITES);

    static SearchMode of(Goal stated) {
        Goal goal = stated.unlimited();
        boolean edp = goal.primary() == Objective.EDP;
        // EDP is searched alone only (a product in a lexicographic list has no additive labels).
        boolean limited = !stated.limits().isEmpty() && (edp ? goal.objectives().size() == 1
                : !goal.objectives().contains(Objective.EDP));
        Set<Objective> labels = EnumSet.noneOf(Objective.class);
        if (edp) {
            labels.addAll(ParetoFront.EDP);
        } else if (limited) {
            labels.addAll(goal.objectives());   // a lexicographic list: each of its figures may decide
        } else {
            labels.add(goal.primary());
        }
        if (limited) {
            labels.addAll(stated.limits().figures());
        }
        Set<Objective> front = EnumSet.copyOf(labels);
        front.retainAll(COPY_DEPENDENT);
        return new SearchMode(goal, limited ? stated.limits() : Limits.NONE, edp, Collections.unmodifiableSet(labels),
                Collections.unmodifiableSet(front));
    }

    /** Whether limits shape the search. */
    boolean limited() {
        return !limits.isEmpty();
    }

    /** Whether sets keep fronts of labels rather than one best. */
    boolean pareto() {
        return edp || labelFigures.size() >= 2;
    }

    /** Whether labels and floors are pruned against the plan in hand and the limits. */
    boolean prunes() {
        return edp || limited();
    }

    /**
     * The goal the steps' copies are chosen by: the goal itself, or under limits, when one figure
     * copies change matters, that figure (a front needs two).
     */
    Goal stepGoal() {
        return limited() && stepFront.size() == 1 && !edp ? Goal.of(stepFront.iterator().next()) : goal;
    }

    /** The figures a step's front is kept in (none: one best option by {@link #stepGoal}). */
    Set<Objective> stepFrontFigures() {
        return limited() && stepFront.size() >= 2 ? stepFront : Set.of();
    }

    /** The instance the steps are priced on. */
    Instance stepInstance(Instance instance) {
        return instance.withGoal(stepGoal());
    }

    /** The objective's value of figures given one by one: latency, energy, cells, DRAM bytes (EDP their product). */
    double primary(int batch, double[] figures) {
        return switch (goal.primary()) {
            case LATENCY -> figures[0];
            case ENERGY -> figures[1];
            case WRITES -> figures[2];
            case DRAM -> figures[3];
            case EDP -> BatchMetrics.edp(batch, figures[0], figures[1]);
        };
    }

    /** The figures {@link #primary} and the limits read: latency, energy, cells written, DRAM bytes. */
    static double[] figures(BatchMetrics m) {
        return new double[] {m.latencyNs(), m.energy().totalPj(), m.cellsWritten(), m.dramBytes()};
    }

    static final Objective[] FIGURES = {Objective.LATENCY, Objective.ENERGY, Objective.WRITES, Objective.DRAM};

    /**
     * Whether every chain that reaches a set at {@code m}, growing at least {@code toEnd} (per
     * figure) on to the end, ends above {@code incumbent} in the objective or over a limit.
     */
    boolean beyond(BatchMetrics m, double[] toEnd, double incumbent) {
        double[] end = figures(m);
        for (int d = 0; d < end.length; d++) {
            end[d] += toEnd[d];
        }
        if (primary(m.batch(), end) > incumbent * (1 + 1e-9)) {
            return true;
        }
        for (int d = 0; d < end.length; d++) {
            if (Goal.compare(end[d], limits.max(FIGURES[d])) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The labels worth keeping at a set: the best one, or the front of {@link #labelFigures} (best first). */
    <T> List<T> front(List<T> items, Function<T, BatchMetrics> metrics) {
        if (items.isEmpty()) {
            return items;
        }
        if (!pareto()) {
            return List.of(Collections.min(items, (x, y) -> goal.comparator().compare(metrics.apply(x), metrics.apply(y))));
        }
        List<T> out = new ArrayList<>(ParetoFront.of(items, metrics, labelFigures));
        out.sort((x, y) -> goal.comparator().compare(metrics.apply(x), metrics.apply(y)));
        return out;
    }

    /**
     * Floors worth keeping at a set: the lowest one, or the front of {@link #labelFigures}; when
     * there are too many, neighbours become one floor below both, still a floor.
     */
    List<BatchMetrics> lowest(List<BatchMetrics> all) {
        if (all.isEmpty() || !pareto()) {
            return all.isEmpty() ? all : List.of(Collections.min(all, goal.comparator()::compare));
        }
        List<BatchMetrics> out = ParetoFront.of(all, m -> m, labelFigures);
        while (out.size() > ParetoFront.MAX_LABELS) {
            List<BatchMetrics> merged = new ArrayList<>();
            for (int k = 0; k < out.size(); k += 2) {
                merged.add(k + 1 < out.size() ? FloorMetrics.below(out.get(k), out.get(k + 1)) : out.get(k));
            }
            out = merged;
        }
        return out;
    }

    /** A step searched again: the options of both, the front kept (or the best), per {@link #stepGoal}. */
    <T> List<T> merge(List<T> options, Function<T, BatchMetrics> metrics) {
        Set<Objective> figures = !stepFrontFigures().isEmpty() ? stepFrontFigures() : edp ? ParetoFront.EDP : Set.of();
        if (!figures.isEmpty()) {
            return ParetoFront.of(options, metrics, figures);
        }
        return List.of(Collections.min(options, (x, y) -> stepGoal().comparator().compare(metrics.apply(x), metrics.apply(y))));
    }
}
