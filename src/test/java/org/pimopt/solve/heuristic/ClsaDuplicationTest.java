package org.pimopt.solve.heuristic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.ReplicationRule;

/**
 * {@code clsa-greedy} (formulations/baselines.md, "CLSA-CIM's duplication") and the GA's loop on the
 * network of {@link PimcompBaselinesTest}: conv1 (2 crossbars a copy, 64 output positions), conv2
 * (3 crossbars, 16 positions), fc (4 crossbars, 1 position), on cores of 8 crossbars.
 */
class ClsaDuplicationTest {

    private static Chip chip(int cores) {
        return ChipLoader.parse("{\"name\": \"pool\", \"cores\": " + cores + ", \"crossbarsPerCore\": 8, \"crossbarRows\": 128,"
                + " \"crossbarCols\": 128, \"bitsPerCell\": 16, \"weightBits\": 16}", "test chip");
    }

    private static Instance instance(int cores, String goal) {
        var b = new NetworkBuilder("two-convs-fc");
        String x = b.input("input", "16x8x8");
        x = b.relu("relu1", b.conv("conv1", x, 32, 3, 1, 1, false));
        x = b.relu("relu2", b.conv("conv2", x, 32, 3, 2, 1, false));
        b.linear("fc", b.flatten("flatten", x), 10, true);
        return Instance.of(Network.bind(b.build(), Map.of()), chip(cores), 4, Goal.parse(goal));
    }

    private static List<Map<String, Integer>> copies(Instance in, SolveResult r) {
        return PimcompBaselinesTest.copies(in, r);
    }

    /**
     * 4 cores, 32 crossbars; all three ops fit (9), one partition. The slowest op gets the next
     * copy, the earlier op among equals: conv1 64 -> 2 (32 steps), 3 (22), 4 (16), ties conv2's 16
     * and goes first -> 5 (13); conv2 16 -> 2 (8); conv1 13 -> 6 (11), 7 (10), 8 (8), tie -> 9 (8),
     * tie -> 10 (7). 2 x 10 + 3 x 2 + 4 = 30 crossbars. The slowest is now conv2 (8 steps), whose
     * third copy needs 33: the rule stops, though a 2-crossbar copy of conv1 would still fit.
     */
    @Test
    void theSlowestOpIsCopiedUntilItsNextCopyDoesNotFit() {
        Instance in = instance(4, "latency");
        assertEquals(List.of(2L, 3L, 4L), in.ops().stream().map(o -> o.crossbars()).toList());
        assertEquals(List.of(64L, 16L, 1L), in.ops().stream().map(o -> o.positions()).toList());
        SolveResult r = Strategies.byName("clsa-greedy").solve(in, SolveOptions.defaults());
        assertEquals(List.of(Map.of("conv1", 10, "conv2", 2, "fc", 1)), copies(in, r));
        // pimopt's fill, which goes on with the ops that still fit, spends more than those 30.
        SolveResult fill = Strategies.byName("pimcomp-fill").solve(in, SolveOptions.defaults());
        int used = 0;
        for (var e : copies(in, fill).get(0).entrySet()) {
            used += e.getValue() * Map.of("conv1", 2, "conv2", 3, "fc", 4).get(e.getKey());
        }
        assertTrue(used > 30, "the fill used " + used + " crossbars");
    }

    /**
     * 64 cores: copies never run out. Every op reaches one step per sample (conv1 64 copies, conv2
     * 16, fc 1); the slowest is then conv1 at its 64 positions, where another copy does nothing,
     * and the rule stops with 180 of 512 crossbars used.
     */
    @Test
    void theRuleStopsWhenTheSlowestOpHasACopyPerOutputPosition() {
        Instance in = instance(64, "latency");
        SolveResult r = Strategies.byName("clsa-greedy").solve(in, SolveOptions.defaults());
        assertEquals(List.of(Map.of("conv1", 64, "conv2", 16, "fc", 1)), copies(in, r));
    }

    /** The GA keeps the best chromosomes, its first being greedy's cuts: it never ends worse than those. */
    @Test
    void theGaEndsNoWorseThanTheGreedyPartitioningItStartsFrom() {
        for (String goal : List.of("latency", "edp")) {
            for (int cores : new int[] {1, 2}) {
                Instance in = instance(cores, goal);
                IntervalScorer scorer = new IntervalScorer(in, ReplicationRule.PER_SPAN);
                List<Integer> greedyCuts = SpanStrategy.cuts(in, scorer, SpanStrategy.Packing.UNITS);
                SolveResult ga = Strategies.byName("compass-ga").solve(in, new SolveOptions(60_000, 7, 1, line -> {}));
                assertEquals(List.of(), Validator.violations(in, ga.plan()));
                assertTrue(in.goal().comparator().compare(ga.metrics(), scorer.metrics(greedyCuts)) <= 0,
                        goal + " on " + cores + " cores: the GA lost its first chromosome");
            }
        }
    }
}
