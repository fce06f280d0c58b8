package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;

/**
 * Pareto fronts of the searches: what no other item beats in every figure of a set. EDP's are in
 * energy and latency; with limits ({@code --limit}) the figures limited join the goal's.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /** Most Pareto labels a search node keeps (dp's and dp-lattice's); beyond it an answer is no longer proven. */
    public static final int MAX_LABELS = 512;

    /** Energy and latency: what EDP reads. */
    public static final Set<Objective> EDP = Collections.unmodifiableSet(EnumSet.of(Objective.LATENCY, Objective.ENERGY));

    /**
     * The items whose metrics no other item's are at most in energy and below in latency (of equal
     * ones, the first in energy-then-latency order), lowest energy first.
     */
    public static <T> List<T> of(List<T> items, Function<T, BatchMetrics> metrics) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble((T t) -> metrics.apply(t).energy().totalPj())
                .thenComparingDouble(t -> metrics.apply(t).latencyNs()));
        List<T> front = new ArrayList<>();
        double bestLatency = Double.POSITIVE_INFINITY;
        for (T t : sorted) {
            if (metrics.apply(t).latencyNs() < bestLatency) {
                front.add(t);
                bestLatency = metrics.apply(t).latencyNs();
            }
        }
        return front;
    }

    /**
     * The items no other item is at or below in every figure of {@code figures} (of equal ones, the
     * first in the order of the figures' sum); {@link #of(List, Function)} for energy and latency.
     */
    public static <T> List<T> of(List<T> items, Function<T, BatchMetrics> metrics, Set<Objective> figures) {
        if (figures.equals(EDP)) {
            return of(items, metrics);
        }
        List<T> sorted = new ArrayList<>(items);
        // Sorted by the first figure, then the others: an item can only be dominated by one before it.
        List<Objective> order = List.copyOf(figures);
        Comparator<T> by = Comparator.comparingDouble(t -> order.get(0).of(metrics.apply(t)));
        for (int i = 1; i < order.size(); i++) {
            Objective o = order.get(i);
            by = by.thenComparingDouble(t -> o.of(metrics.apply(t)));
        }
        sorted.sort(by);
        List<T> front = new ArrayList<>();
        for (T t : sorted) {
            BatchMetrics m = metrics.apply(t);
            boolean dominated = false;
            for (T f : front) {
                if (dominates(metrics.apply(f), m, figures)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(t);
            }
        }
        return front;
    }

    /** Whether {@code x} is no worse than {@code y} in every figure of {@code figures} (within Goal's tolerance). */
    public static boolean dominates(BatchMetrics x, BatchMetrics y, Set<Objective> figures) {
        for (Objective o : figures) {
            if (Goal.compare(o.of(x), o.of(y)) > 0) {
                return false;
            }
        }
        return true;
    }
}
