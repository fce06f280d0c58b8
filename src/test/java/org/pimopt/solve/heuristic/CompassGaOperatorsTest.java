package org.pimopt.solve.heuristic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pimopt.solve.heuristic.CompassGa.Operator;
import org.pimopt.solve.heuristic.CompassGa.Spans;

/**
 * COMPASS's GA operators (formulations/baselines.md, "COMPASS's genetic algorithm") on tables of
 * fitness small enough to follow by hand. Units 0..n-1; a partition fits when it holds at most
 * {@code reach} units; f([a, b)) = 1 + the sum of the units' weights.
 */
class CompassGaOperatorsTest {

    private static Spans spans(int reach, double... weights) {
        return new Spans() {
            @Override
            public int size() {
                return weights.length;
            }

            @Override
            public int maxEnd(int a) {
                return Math.min(weights.length, a + reach);
            }

            @Override
            public double fitness(int a, int b) {
                double f = 1;
                for (int u = a; u < b; u++) {
                    f += weights[u];
                }
                return f;
            }
        };
    }

    /** A Random that answers from a script and records the bounds it was asked for. */
    private static final class Scripted extends Random {
        private final int[] ints;
        private final boolean[] coins;
        private int nextInt;
        private int nextCoin;
        final List<Integer> bounds = new ArrayList<>();

        Scripted(int[] ints, boolean... coins) {
            this.ints = ints;
            this.coins = coins;
        }

        @Override
        public int nextInt(int bound) {
            bounds.add(bound);
            int v = ints[nextInt++];
            if (v < 0 || v >= bound) {
                throw new AssertionError("scripted " + v + " is outside [0, " + bound + ")");
            }
            return v;
        }

        @Override
        public boolean nextBoolean() {
            return coins[nextCoin++];
        }
    }

    private static double[] ones(int n) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, 1);
        return s;
    }

    /**
     * n = 4, f = 1 + units (weights 1). [0,2,4]: f 3 and 3, m = 1.5 on every unit. [0,1,4]: f 2
     * (m 2 on unit 0) and f 4 (m 4/3 on units 1-3). Means: unit 0 (1.5 + 2) / 2 = 1.75, units 1-3
     * (1.5 + 4/3) / 2 = 17/12.
     */
    @Test
    void theShareOfAUnitIsThePopulationsMeanFitnessPerUnit() {
        double[] share = CompassGa.meanUnitShares(List.of(List.of(0, 2, 4), List.of(0, 1, 4)), spans(4, 1, 1, 1, 1));
        assertArrayEquals(new double[] {1.75, 17.0 / 12, 17.0 / 12, 17.0 / 12}, share, 1e-12);
    }

    /**
     * Weights 0, 0, 2, 1, 1, shares 1: [0,2) f 1, R 0.5; [2,3) f 3, R 3; [3,5) f 3, R 1.5. The
     * worst is the middle one, the best the first.
     */
    @Test
    void theWorstPartitionHasTheHighestRAndTheBestTheLowest() {
        Spans s = spans(4, 0, 0, 2, 1, 1);
        List<Integer> cuts = List.of(0, 2, 3, 5);
        assertEquals(3.0, CompassGa.relative(s, ones(5), 2, 3), 1e-12);
        assertEquals(1, CompassGa.worstPartition(cuts, s, ones(5)));
        assertEquals(0, CompassGa.bestPartition(cuts, s, ones(5)));
    }

    /** Same table: merged left [0,3) has f 3, R 1; merged right [2,5) f 5, R 5/3; left wins. */
    @Test
    void mergeJoinsTheWorstWithTheNeighbourOfLowerMergedR() {
        List<Integer> out = CompassGa.apply(Operator.MERGE, List.of(0, 2, 3, 5), spans(4, 0, 0, 2, 1, 1), ones(5), new Scripted(new int[0]));
        assertEquals(List.of(0, 3, 5), out);
        // Now the right one is cheaper: weights 3, 3, 2, 0, 0. [0,2) R 3.5 is the worst; only a
        // right neighbour: [0,3) f 9 fits (3 units) and is taken.
        assertEquals(List.of(0, 3, 5),
                CompassGa.apply(Operator.MERGE, List.of(0, 2, 3, 5), spans(4, 3, 3, 2, 0, 0), ones(5), new Scripted(new int[0])));
        // Weights 0, 0, 0, 5, 5 with [0,1,3,5]: R 1, 0.5, 5.5, the worst is [3,5); merged with
        // [1,3) it would hold 4 units, more than the 3 that fit: the parent comes back unchanged.
        assertEquals(List.of(0, 1, 3, 5),
                CompassGa.apply(Operator.MERGE, List.of(0, 1, 3, 5), spans(3, 0, 0, 0, 5, 5), ones(5), new Scripted(new int[0])));
    }

    /** Weights 2, 2, 2, 0, 0: [0,3) f 7, R 7/3 is the worst; the split point is drawn among 1 and 2. */
    @Test
    void splitCutsTheWorstAtAUniformInteriorPoint() {
        Scripted r = new Scripted(new int[] {1});
        assertEquals(List.of(0, 2, 3, 5), CompassGa.apply(Operator.SPLIT, List.of(0, 3, 5), spans(4, 2, 2, 2, 0, 0), ones(5), r));
        assertEquals(List.of(2), r.bounds);
        // A one-unit worst partition ([2,3) of the first table) cannot be split: no draw, no change.
        Scripted none = new Scripted(new int[0]);
        assertEquals(List.of(0, 2, 3, 5), CompassGa.apply(Operator.SPLIT, List.of(0, 2, 3, 5), spans(4, 0, 0, 2, 1, 1), ones(5), none));
        assertEquals(List.of(), none.bounds);
    }

    @Test
    void moveHandsABoundaryUnitToANeighbourThatCanTakeIt() {
        // Worst [0,3) has only a right neighbour: its last unit goes right, no coin is tossed.
        assertEquals(List.of(0, 2, 5),
                CompassGa.apply(Operator.MOVE, List.of(0, 3, 5), spans(4, 2, 2, 2, 0, 0), ones(5), new Scripted(new int[0])));
        // Weights 0, 3, 3, 3, 0, 0 with [0,1,4,6]: the worst is [1,4) (R 10/3); both neighbours can
        // take a unit, the coin decides: heads its first unit goes left, tails its last goes right.
        Spans s = spans(4, 0, 3, 3, 3, 0, 0);
        assertEquals(List.of(0, 2, 4, 6), CompassGa.apply(Operator.MOVE, List.of(0, 1, 4, 6), s, ones(6), new Scripted(new int[0], true)));
        assertEquals(List.of(0, 1, 3, 6), CompassGa.apply(Operator.MOVE, List.of(0, 1, 4, 6), s, ones(6), new Scripted(new int[0], false)));
        // At most 2 units a partition, weights 0, 3, 3, 0, 0 with [0,1,3,5]: the worst [1,3) (R 3.5)
        // can give unit 1 to [0,1) but not unit 2 to [3,5), which is full: no coin, unit 1 goes left.
        assertEquals(List.of(0, 2, 3, 5),
                CompassGa.apply(Operator.MOVE, List.of(0, 1, 3, 5), spans(2, 0, 3, 3, 0, 0), ones(5), new Scripted(new int[0])));
    }

    /**
     * Weights 0, 0, 2, 1, 1 with [0,2,3,5]: the best partition [0,2) (R 0.5) is kept; [2,5) is
     * redrawn: from 2 a span may end at 3, 4 or 5 (bound 3), drawn 0 ends it at 3; from 3 the
     * bound is 2, drawn 1 ends it at 5.
     */
    @Test
    void fixedRandomKeepsTheBestPartitionAndRedrawsTheRest() {
        Scripted r = new Scripted(new int[] {0, 1});
        assertEquals(List.of(0, 2, 3, 5), CompassGa.apply(Operator.FIXED_RANDOM, List.of(0, 2, 3, 5), spans(4, 0, 0, 2, 1, 1), ones(5), r));
        assertEquals(List.of(3, 2), r.bounds);
        // Keeping the middle one: weights 5, 5, 0, 5, 5 make [2,3) the best (R 1); units 0-1 and
        // 3-4 are redrawn as one unit each (draws 0).
        Scripted r2 = new Scripted(new int[] {0, 0, 0, 0});
        assertEquals(List.of(0, 1, 2, 3, 4, 5),
                CompassGa.apply(Operator.FIXED_RANDOM, List.of(0, 2, 3, 5), spans(4, 5, 5, 0, 5, 5), ones(5), r2));
        assertEquals(List.of(2, 1, 2, 1), r2.bounds);
    }

    /** The operator is one draw among four, in the order Merge, Split, Move, FixedRandom. */
    @Test
    void mutateDrawsTheOperatorWithEqualProbability() {
        Scripted r = new Scripted(new int[] {0});
        assertEquals(List.of(0, 3, 5), CompassGa.mutate(List.of(0, 2, 3, 5), spans(4, 0, 0, 2, 1, 1), ones(5), r));
        assertEquals(List.of(4), r.bounds);
        Scripted split = new Scripted(new int[] {1, 0});
        assertEquals(List.of(0, 1, 3, 5), CompassGa.mutate(List.of(0, 3, 5), spans(4, 2, 2, 2, 0, 0), ones(5), split));
    }

    /** A random partitioning ends every span uniformly among the ends that fit. */
    @Test
    void randomCutsDrawEachEndAmongThoseThatFit() {
        Scripted r = new Scripted(new int[] {2, 0, 1});
        assertEquals(List.of(0, 3, 4, 6), CompassGa.randomCuts(spans(3, 0, 0, 0, 0, 0, 0), r, 0, 6));
        assertEquals(List.of(3, 3, 2), r.bounds);
    }
}
