package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.pimopt.cost.BatchMetrics;

/** The EDP searches' Pareto fronts: what no other item beats in both energy and latency. */
public final class ParetoFront {
    private ParetoFront() {}

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
}
