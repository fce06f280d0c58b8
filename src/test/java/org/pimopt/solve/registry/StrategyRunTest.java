package org.pimopt.solve.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;

/** How solve runs its strategies: heuristics first, exact engines sharing the rest, failures contained. */
class StrategyRunTest {
    private static final Instance INSTANCE = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 4,
            Goal.parse("latency"));

    /** Records the budget and warm start it was given, then answers like another strategy. */
    private static final class Recording implements Strategy {
        private final String name;
        private final Strategy inner;
        final List<SolveOptions> seen = new ArrayList<>();

        Recording(String name, Strategy inner) {
            this.name = name;
            this.inner = inner;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public SolveResult solve(Instance instance, SolveOptions options) {
            seen.add(options);
            return inner == null ? new SolveResult(name, null, null, Status.UNKNOWN, Double.NaN, null, 0, Map.of(), "")
                    : inner.solve(instance, options);
        }
    }

    private static SolveResult[] run(List<Strategy> strategies, long budgetMillis) {
        SolveResult[] results = new SolveResult[strategies.size()];
        new StrategyRun(INSTANCE, ms -> new SolveOptions(ms, 1, 1, line -> {}), line -> {})
                .run(strategies, System.nanoTime() + budgetMillis * 1_000_000L, results);
        return results;
    }

    @Test
    void exactEnginesRunLastFromTheBestPlanAndShareWhatIsLeft() {
        Recording mip = new Recording("mip", null);
        Recording cpsat = new Recording("cpsat", null);
        Recording greedy = new Recording("greedy", Strategies.byName("greedy"));
        SolveResult[] r = run(List.of(mip, cpsat, greedy), 10_000);
        assertEquals(1, greedy.seen.size());
        assertEquals(null, greedy.seen.get(0).warmStart(), "the first heuristic has nothing to start from");
        assertNotNull(mip.seen.get(0).warmStart(), "an exact engine starts from the heuristics' plan");
        // Two engines: the first gets half of what is left, the second all of the rest.
        assertTrue(mip.seen.get(0).timeoutMillis() <= 5_000 && mip.seen.get(0).timeoutMillis() > 4_000,
                "mip's share " + mip.seen.get(0).timeoutMillis());
        assertTrue(cpsat.seen.get(0).timeoutMillis() > 8_000, "cpsat's share " + cpsat.seen.get(0).timeoutMillis());
        assertEquals("greedy", r[2].strategy());
    }

    @Test
    void aStrategyThatThrowsOrOverflowsIsAnErrorResultAndTheNextOneStillRuns() {
        Strategy throwing = new Strategy() {
            @Override
            public String name() {
                return "choco";
            }

            @Override
            public SolveResult solve(Instance instance, SolveOptions options) {
                throw new IllegalArgumentException("domain overflow\nsecond line");
            }
        };
        Strategy overflowing = new Strategy() {
            @Override
            public String name() {
                return "layerwise";
            }

            @Override
            public SolveResult solve(Instance instance, SolveOptions options) {
                throw new StackOverflowError();
            }
        };
        List<String> warnings = new ArrayList<>();
        SolveResult[] results = new SolveResult[3];
        new StrategyRun(INSTANCE, ms -> new SolveOptions(ms, 1, 1, line -> {}), warnings::add)
                .run(List.of(overflowing, throwing, Strategies.byName("dp")), System.nanoTime() + 10_000_000_000L, results);
        assertEquals(Status.ERROR, results[0].status());
        assertTrue(results[0].note().startsWith("stack overflow"), results[0].note());
        assertEquals(Status.ERROR, results[1].status());
        assertEquals("IllegalArgumentException: domain overflow at StrategyRunTest$1.solve:" , results[1].note().replaceAll("\\d+$", ""));
        assertNotNull(results[2].plan(), "dp still ran");
        assertEquals(2, warnings.size(), warnings.toString());
    }
}
