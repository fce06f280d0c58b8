package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.problem.Instance;
import org.pimopt.solve.registry.Strategies;

/**
 * Heuristics look at the deadline: past it, with a plan already in the caller's hands (the warm
 * start), they give up at once; without one they finish, since a late plan beats none.
 */
class HeuristicDeadlineTest {
    static final Instance BERT = Instance.of(ModelCatalog.load("bert-base", java.util.Map.of()), ChipLoader.load("compass-s"), 16,
            Goal.parse("latency"));

    static SolveOptions spent(boolean withPlan) throws InterruptedException {
        SolveOptions o = new SolveOptions(0, 1, 1, line -> {});   // spent the moment the strategy starts
        Thread.sleep(5);
        return withPlan ? o.withWarmStart(Strategies.byName("layerwise").solve(BERT, SolveOptions.defaults()).plan()) : o;
    }

    @Test
    void greedyPastItsDeadlineGivesUpWhenTheCallerHasAPlan() throws Exception {
        SolveResult r = Strategies.byName("greedy").solve(BERT, spent(true));
        assertNull(r.plan());
        assertEquals(Status.UNKNOWN, r.status());
        assertTrue(r.note().contains("deadline"), r.note());
    }

    @Test
    void greedyWithoutAPlanToFallBackOnFinishes() throws Exception {
        assertNotNull(Strategies.byName("greedy").solve(BERT, spent(false)).plan());
    }

    /** COMPASS's GA priced 100 random partitionings of bert-base before looking at the clock (2.7 s). */
    @Test
    void compassGaStopsAtTheDeadlineWithItsSeedPlan() throws Exception {
        long start = System.nanoTime();
        SolveResult r = Strategies.byName("compass-ga").solve(BERT, new SolveOptions(200, 1, 1, line -> {}));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertNotNull(r.plan());
        assertTrue(ms < 1_500, "compass-ga took " + ms + " ms of a 200 ms budget");
    }

    /** dp's greedy fallback runs within dp's budget: with a plan in hand and no time, dp has none. */
    @Test
    void dpPastItsDeadlineDoesNotStartAFreshGreedy() throws Exception {
        SolveResult r = Strategies.byName("dp").solve(BERT, spent(true));
        assertNull(r.plan(), r.note());
        assertTrue(r.note().contains("no time was left for the greedy plan"), r.note());
    }
}
