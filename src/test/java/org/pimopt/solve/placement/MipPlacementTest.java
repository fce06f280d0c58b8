package org.pimopt.solve.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/** The placement MILP reaches the CP-SAT optimum, the least byte-hops over every assignment, then the least most-loaded link. */
class MipPlacementTest {
    // SCIP proves the second stage of the spanning case in about 8 s on a loaded 2-core machine: room to spare.
    static final SolveOptions OPTIONS = new SolveOptions(60_000, 1, 1, line -> {});

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
        double[] least = PlacementTest.enumerate(p);
        double best = least[0];
        PlacementResult cp = CpSatPlacement.solve(p, PlacementTest.OPTIONS);
        PlacementResult mip = MipPlacement.solve(p, OPTIONS);
        assertEquals(Status.OPTIMAL, mip.status());
        assertTrue(p.fits(mip.coreOf()));
        assertEquals(best, mip.byteHops(), 1e-6 * Math.max(1, best));
        // Both minimize the same integer weights: equal model optima.
        assertEquals(MipPlacement.modelObjective(p, cp.coreOf()), MipPlacement.modelObjective(p, mip.coreOf()));
        assertEquals(mip.byteHops(), mip.boundByteHops(), 1e-6 * Math.max(1, best));
        // Second stage: the least most-loaded link among the byte-hop optima.
        assertTrue(mip.linkOptimal());
        assertEquals(least[1], mip.maxLinkBytes(), 1e-6 * Math.max(1, least[1]));
    }
}
