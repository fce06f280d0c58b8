package org.pimopt.solve.copies;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies a copy search starts from, offered before its branch and bound: good incumbents early
 * prune the most, and they often meet the span's cheap floor, which ends the search at once. They
 * come from knapsacks over the crossbars (least fill plus row writing), not from the search's own
 * order, so they are a second, independent route to good answers.
 */
final class KnapsackSeeds {
    private final CopySearch search;
    private final FreeOpBounds bounds;
    private final List<OpCopies> ops;
    private final long capacity;
    private final long deadline;

    KnapsackSeeds(CopySearch search, FreeOpBounds bounds, long deadline) {
        this.search = search;
        this.bounds = bounds;
        this.ops = bounds.ops;
        this.capacity = bounds.capacity;
        this.deadline = deadline;
    }

    /**
     * Copies to start from, as good incumbents prune the search: the copies of least fill (plus
     * row-writing time, weights programmed) within the crossbars, by a knapsack ({@link
     * #leastCost}). With more than one sample the slowest stage weighs too, so the knapsack is
     * taken with every stage held to at most {@code s} steps, for {@code s} on a geometric grid
     * from the least slowest stage that fits to the slowest stage of the unbounded answer, then
     * between the best priced {@code s} and its neighbours. Those that pack are offered.
     */
    void seed() {
        if (bounds.late || search.settled()) {
            return;
        }
        int[] unbounded = leastCost(Long.MAX_VALUE);
        if (unbounded == null) {
            return;
        }
        double value = search.offerIfPacks(unbounded);
        if (!bounds.trackSlowest) {
            return;
        }
        long least = (long) bounds.slowestSteps[0][(int) capacity];
        long most = 1;
        for (int j = 0; j < ops.size(); j++) {
            most = Math.max(most, bounds.steps(ops.get(j), unbounded[j]));
        }
        TreeMap<Long, Double> tried = new TreeMap<>();
        tried.put(most, value);
        int grid = 8;
        for (int k = 0; k < grid && least < most; k++) {
            tried.computeIfAbsent(Math.round(least * Math.pow((double) most / least, (double) k / grid)), this::seedAt);
        }
        for (int refine = 0; refine < 8 && !search.settled() && System.nanoTime() < deadline; refine++) {
            long best = Collections.min(tried.entrySet(), Map.Entry.comparingByValue()).getKey();
            Long below = tried.lowerKey(best);
            Long above = tried.higherKey(best);
            boolean tightened = false;
            for (Long other : new Long[] {below, above}) {
                long mid = other == null ? best : (best + other) / 2;
                if (!tried.containsKey(mid)) {
                    tried.put(mid, seedAt(mid));
                    tightened = true;
                }
            }
            if (!tightened) {
                break;
            }
        }
    }

    /** The knapsack's copies with every stage at most {@code slowest} steps, offered if they pack; their value. */
    private double seedAt(long slowest) {
        if (search.settled() || System.nanoTime() > deadline) {
            return Double.POSITIVE_INFINITY;
        }
        int[] least = leastCost(slowest);
        return least == null ? Double.POSITIVE_INFINITY : search.offerIfPacks(least);
    }

    /**
     * Per op, the useful count of least total {@link FreeOpBounds#stageAndRowsNs} within the crossbars,
     * every op's stage at most {@code slowest} steps; null when none fits.
     */
    private int[] leastCost(long slowest) {
        int n = ops.size();
        int cap = (int) capacity;
        double[] next = new double[cap + 1];
        int[][] pick = new int[n][cap + 1];
        double[][] table = new double[n + 1][];
        table[n] = next;
        for (int i = n - 1; i >= 0; i--) {
            OpCopies o = ops.get(i);
            double[] here = new double[cap + 1];
            Arrays.fill(here, Double.POSITIVE_INFINITY);
            for (int r : o.counts()) {
                long used = o.crossbars() * r;
                if (used > cap) {
                    break;
                }
                if (bounds.steps(o, r) > slowest) {
                    continue;
                }
                double mine = bounds.stageAndRowsNs(o, r);
                for (int c = (int) used; c <= cap; c++) {
                    double v = mine + next[c - (int) used];
                    if (v < here[c]) {
                        here[c] = v;
                        pick[i][c] = r;
                    }
                }
            }
            table[i] = here;
            next = here;
        }
        if (Double.isInfinite(table[0][cap])) {
            return null;
        }
        int[] out = new int[n];
        int c = cap;
        for (int i = 0; i < n; i++) {
            out[i] = pick[i][c];
            c -= (int) (ops.get(i).crossbars() * out[i]);
        }
        return out;
    }
}
