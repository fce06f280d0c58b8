package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.copies.ParetoFront;
import org.pimopt.solve.copies.SpanReplication;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.lattice.ClosedSets.ClosedSet;
import org.pimopt.solve.lattice.ClosedSets.Step;
import org.pimopt.solve.replication.IntervalScorer.Scored;

/**
 * The shortest path over the steps' answers, beside the same over their floors. A plan's figures
 * add up along its chain of sets, so with each step's optimal copies the shortest path is the
 * optimum, and the path over the floors bounds every chain, including those through steps not yet
 * searched: the two together are the answer and its proof. EDP and limits keep Pareto labels at
 * each set ({@link SearchMode}), pruned against the plan in hand by the {@link ChainFloors}.
 */
final class PathSearch {
    private PathSearch() {}

    /** A path to a set: its metrics so far, the label it came from, and the step's copies that led here. */
    record Label(BatchMetrics metrics, Label previous, Scored step) {}

    /**
     * The best path over the steps' answers (null when none reaches the end), the floor path's
     * bound, the least floor path in the goal's order (null when floors are pruned), whether every
     * step was proven, and whether the floors showed no chain meets the limits.
     */
    record Path(Label best, Double bound, BatchMetrics floor, boolean proven, boolean noneMeets) {}

    /**
     * The shortest path (EDP, or under limits: Pareto labels, {@link SearchMode}) over the steps'
     * plans, beside the same over their floors (a step with no plan yet only adds its floors); the
     * best is null when no chain of steps with plans reaches the end (under limits: none that meets them).
     */
    static Path find(Instance instance, SearchMode mode, List<ClosedSet> sets, List<List<Step>> stepsFrom,
                     SpanReplication.Choices[][] choices, BatchMetrics[][] cheapFloors, ChainFloors field,
                     double incumbent) {
        Goal goal = instance.goal();
        boolean pareto = mode.pareto();
        int n = sets.size();
        // What reaches each set, pruned to its front only when it has doubled since the last
        // pruning (and once more when the set is left): a set has thousands of incoming steps.
        List<List<Label>> labels = new ArrayList<>(n);
        // Beside the plans, prices no path to each set beats: steps priced at their floors.
        List<List<BatchMetrics>> floors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels.add(new ArrayList<>());
            floors.add(new ArrayList<>());
        }
        labels.get(0).add(new Label(BatchMetrics.concat(instance.batch(), List.of()), null, null));
        floors.get(0).add(BatchMetrics.concat(instance.batch(), List.of()));
        int[] labelsKept = new int[n];
        int[] floorsKept = new int[n];
        boolean proven = true;
        for (ClosedSet from : sets) {
            List<Label> here = mode.front(labels.get(from.index()), Label::metrics);
            if (here.size() > ParetoFront.MAX_LABELS) {
                proven = false;
                here = here.subList(0, ParetoFront.MAX_LABELS);
            }
            labels.set(from.index(), here);
            List<BatchMetrics> floorsHere = mode.lowest(floors.get(from.index()));
            floors.set(from.index(), floorsHere);
            if (floorsHere.isEmpty()) {
                continue;   // no chain reaches this set (or, pruned, none worth following)
            }
            List<Step> mine = stepsFrom.get(from.index());
            for (int k = 0; k < mine.size(); k++) {
                int to = mine.get(k).to();
                SpanReplication.Choices step = choices[from.index()][k];
                proven &= step != null && step.proven();
                if (step != null && !here.isEmpty()) {
                    List<Label> into = labels.get(to);
                    for (Scored s : step.options()) {
                        for (Label l : here) {
                            BatchMetrics m = BatchMetrics.totals(instance.batch(), l.metrics(), s.metrics());
                            if (!mode.prunes() || !field.beyond(m, to, incumbent)) {
                                into.add(new Label(m, l, s));
                            }
                        }
                    }
                    if (into.size() > Math.max(64, 2 * labelsKept[to])) {
                        List<Label> kept = mode.front(into, Label::metrics);
                        into.clear();
                        into.addAll(kept);
                        labelsKept[to] = into.size();
                    }
                }
                List<BatchMetrics> lower = floors.get(to);
                for (BatchMetrics f : StepTiers.floorsOf(step, cheapFloors[from.index()][k])) {
                    for (BatchMetrics m : floorsHere) {
                        BatchMetrics sum = BatchMetrics.totals(instance.batch(), m, f);
                        if (!mode.prunes() || !field.beyond(sum, to, incumbent)) {
                            lower.add(sum);
                        }
                    }
                }
                if (lower.size() > Math.max(64, 2 * floorsKept[to])) {
                    List<BatchMetrics> kept = mode.lowest(lower);
                    lower.clear();
                    lower.addAll(kept);
                    floorsKept[to] = lower.size();
                }
            }
        }
        // Under limits the labels that reach the end met them on the way (pruned otherwise); checked again here.
        List<Label> last = labels.get(n - 1).stream().filter(l -> mode.limits().meets(l.metrics())).toList();
        Label best = last.isEmpty() ? null
                : Collections.min(last, (x, y) -> goal.comparator().compare(x.metrics(), y.metrics()));
        // EDP and limits drop floors whose chains cannot come below the plan in hand (or meet the
        // limits): the bound is the lower of that plan and the floors left (none left: nothing beats
        // that plan; and with no plan in hand under limits, no plan meets them).
        List<BatchMetrics> endFloors = mode.lowest(floors.get(n - 1));
        double lowestFloor = endFloors.stream().mapToDouble(goal::primaryValue).min().orElse(Double.POSITIVE_INFINITY);
        double boundValue = mode.prunes() ? Math.min(incumbent, lowestFloor) : lowestFloor;
        Double bound = Double.isInfinite(boundValue) ? null : boundValue;
        boolean noneMeets = mode.limited() && best == null && endFloors.isEmpty() && Double.isInfinite(incumbent);
        // The least floor path in the goal's order (not when floors are pruned against the plan).
        // Under limits the floors left are those of chains that could still meet them and not be worse
        // in the first objective: every such plan is at or above one of them in every figure, so a
        // plan at or before the least of them in the goal's order is optimal (a lexicographic goal's
        // proof). EDP's floors are pruned by the product, which says nothing of that order.
        BatchMetrics floor = mode.edp() || (pareto && !mode.limited()) || endFloors.isEmpty() ? null
                : Collections.min(endFloors, (x, y) -> goal.comparator().compare(x, y));
        return new Path(best, bound, floor, proven && best != null, noneMeets);
    }
}
