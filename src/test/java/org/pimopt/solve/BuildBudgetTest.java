package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.bench.SyntheticNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.cpsat.CpSatStrategy;
import org.pimopt.solve.mip.MipStrategy;
import org.pimopt.solve.registry.Strategies;

/** An exact engine does not start on a model whose building alone would eat the time limit. */
class BuildBudgetTest {
    private static final BuildBudget BUDGET = new BuildBudget(1e-3, 1e-4);

    @Test
    void aModelFitsWhileItsOverheadIsAtMostHalfOfTheTimeLeft() {
        // 100 units x 10 partitions: about 1 s of overhead.
        assertTrue(BUDGET.decline(100, 10, 2_000_000_000L).isEmpty());
        String why = BUDGET.decline(100, 10, 1_999_000_000L).orElseThrow();
        assertTrue(why.contains("100 units x 10 partitions") && why.contains("1.0 s"), why);
    }

    /** Strategies before the engine may have used the whole budget: the note says so, never "-1.3 s left". */
    @Test
    void aBudgetAlreadySpentIsNoTimeLeftNotANegativeOne() {
        String why = BUDGET.decline(100, 10, -1_300_000_000L).orElseThrow();
        assertTrue(why.contains("no time was left for it") && !why.contains("-1.3"), why);
        assertTrue(why.contains("cpsat-kN") && !why.contains("(--max-partitions)"), why);
    }

    @Test
    void teardownIsKeptInProportionToTheModel() {
        assertEquals(100_000_000L, BUDGET.teardownNanos(100, 10));
    }

    @Test
    void bothSolverEnginesReturnTheirWarmStartPromptlyWhenTheModelIsTooBig() {
        // 500 units and about 200 partitions: CP-SAT overran a 30 s limit by 19 s on this model.
        Chip chip = ChipLoader.load("compass-s");
        Instance in = Instance.of(SyntheticNetworks.byName("synthetic-chain-500-s1", chip), chip, 16, Goal.parse("latency"));
        SolveResult greedy = Strategies.byName("greedy").solve(in, SolveOptions.defaults());
        for (Strategy engine : new Strategy[] {new CpSatStrategy(), MipStrategy.scip()}) {
            SolveResult r = engine.solve(in, new SolveOptions(5_000, 1, 1, line -> {}).withWarmStart(greedy.plan()));
            assertEquals(Status.FEASIBLE, r.status(), engine.name());
            // The note is the decline's: the model was never built.
            assertTrue(r.note().contains("500 units x") && r.note().contains("to build and presolve"), engine.name() + ": " + r.note());
            // Each engine alone: no other search runs inside it, so its answer is the warm start itself.
            assertEquals(greedy.objective(), r.objective(), 1e-9 * greedy.objective(), engine.name());
            assertEquals(java.util.List.of(), Validator.violations(in, r.plan()), engine.name());
        }
    }
}
