package org.pimopt.solve.mip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ortools.linearsolver.MPSolver;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.BuildDeadline;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.registry.Strategies;

/**
 * The MILP keeps its deadline: no model is built once the deadline has passed, and building stops
 * when it passes (building comes before the backend's own clock). Nothing here depends on speed.
 */
class MipDeadlineTest {
    private static final Instance SMALL = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 4,
            Goal.parse("latency"));

    @Test
    void aDeadlineAlreadyPastReturnsTheWarmStartWithoutBuilding() {
        SolveOptions spent = new SolveOptions(0, 1, 1, line -> {})
                .withWarmStart(Strategies.byName("layerwise").solve(SMALL, SolveOptions.defaults()).plan());
        for (String name : new String[] {"mip", "mip-cbc", "mip-highs"}) {
            SolveResult r = Strategies.byName(name).solve(SMALL, spent);
            assertSame(spent.warmStart(), r.plan(), name);
            assertEquals(Status.FEASIBLE, r.status(), name);
            assertTrue(r.note().contains("no time was left") && r.note().endsWith("returned the warm start"), r.note());
        }
    }

    @Test
    void buildingStopsAtItsDeadline() {
        MPSolver solver = MipStrategy.createSolver("CBC");
        try {
            BuildDeadline passed = new BuildDeadline(System.nanoTime() - 1, null);
            BuildDeadline.Passed e = assertThrows(BuildDeadline.Passed.class, () -> new MipModel(solver, SMALL, 3, passed));
            assertTrue(e.getMessage().startsWith("timed out while building the model (placement) after"), e.getMessage());
            assertEquals(1, passed.checks());
        } finally {
            solver.delete();
        }
    }

    /** Every family looks at the deadline: a build that never passes it looks many times. */
    @Test
    void everyFamilyOfTheModelLooksAtTheDeadline() {
        MPSolver solver = MipStrategy.createSolver("CBC");
        try {
            BuildDeadline open = BuildDeadline.none();
            new MipModel(solver, SMALL, 3, open);
            int units = SMALL.units().size();
            assertTrue(open.checks() >= 2 * units + 3 + SMALL.ops().size(), "checks: " + open.checks());
        } finally {
            solver.delete();
        }
    }
}
