package org.pimopt.solve.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.solve.Status;

/** The placement MILP reaches the CP-SAT optimum and the least byte-hops over every assignment. */
class MipPlacementTest {

    @Test
    void milpMatchesCpSatAndEnumerationOnA2x2Mesh() {
        assertSame(PlacementTest.problem(TestNetworks.mlp(1024, 64, 128, 64), PlacementTest.mesh(2, 2, 3), Map.of(1, 2)));
    }

    @Test
    void milpMatchesCpSatAndEnumerationOnA2x3Mesh() {
        assertSame(PlacementTest.problem(TestNetworks.mlp(256, 128, 128, 128, 64), PlacementTest.mesh(2, 3, 2), Map.of(3, 2)));
    }

    @Test
    void milpMatchesCpSatAndEnumerationWithUnitsSpanningCores() {
        assertSame(PlacementTest.problem(TestNetworks.mlp(1024, 128, 512, 64), PlacementTest.mesh(2, 3, 3), Map.of()));
    }

    private static void assertSame(PlacementProblem p) {
        double best = PlacementTest.enumerate(p)[0];
        PlacementResult cp = CpSatPlacement.solve(p, PlacementTest.OPTIONS);
        PlacementResult mip = MipPlacement.solve(p, PlacementTest.OPTIONS);
        assertEquals(Status.OPTIMAL, mip.status());
        assertTrue(p.fits(mip.coreOf()));
        assertEquals(best, mip.byteHops(), 1e-6 * Math.max(1, best));
        // Both minimize the same integer weights: equal model optima.
        assertEquals(MipPlacement.modelObjective(p, cp.coreOf()), MipPlacement.modelObjective(p, mip.coreOf()));
        assertEquals(mip.byteHops(), mip.boundByteHops(), 1e-6 * Math.max(1, best));
    }
}
