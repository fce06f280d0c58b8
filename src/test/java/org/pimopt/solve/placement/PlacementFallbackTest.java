package org.pimopt.solve.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.hw.Chip;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/**
 * A partition that fills the chip so tightly that neither first-fit nor snake order packs it
 * still gets a layout: an exact packing, which placement keeps when it has no time to search.
 */
class PlacementFallbackTest {
    /** Items of 2, 2, 2, 3, 3 and 4 crossbars on two cores of 8: only {4,2,2} and {3,3,2} fit. */
    static PlacementProblem tight() {
        Chip chip = PlacementTest.mesh(1, 2, 8);
        int[] sizes = {2, 2, 2, 3, 3, 4};
        List<PlacementProblem.Item> items = new ArrayList<>();
        List<PlacementProblem.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            items.add(new PlacementProblem.Item(i, 0, 0, 0, sizes[i]));
            if (i > 0) {
                pairs.add(new PlacementProblem.Pair(i - 1, i, 100));
            }
        }
        return PlacementProblem.of(chip, items, pairs);
    }

    @Test
    void neitherGreedyOrderPacksTheTightPartition() {
        Baselines.Both b = Baselines.both(tight());
        assertNull(b.better());
        assertTrue(Double.isNaN(b.firstFitHops()) && Double.isNaN(b.snakeHops()));
    }

    @Test
    void theExactPackingFits() {
        PlacementProblem p = tight();
        int[] coreOf = ExactFit.pack(p, Long.MAX_VALUE);
        assertNotNull(coreOf);
        assertTrue(p.fits(coreOf));
    }

    @Test
    void theEnginesPackingTestGivesAPackingToo() {
        PlacementProblem p = tight();
        int[] coreOf = ExactFit.fromCounts(p);
        assertNotNull(coreOf);
        assertTrue(p.fits(coreOf));
    }

    /**
     * Forty cores filled to the last crossbar by pieces of 5, 4 and 3 (9 = 5 + 4 = 3 + 3 + 3): the
     * greedy orders and best fit fail, and the packing test's search settles it.
     */
    @Test
    void aFullChipOfMixedPiecesIsPackedFromCounts() {
        Chip chip = PlacementTest.mesh(5, 8, 9);
        List<PlacementProblem.Item> items = new ArrayList<>();
        int id = 0;
        for (int core = 0; core < 40; core++) {
            int[] sizes = core % 2 == 0 ? new int[] {4, 5} : new int[] {3, 3, 3};
            for (int size : sizes) {
                items.add(new PlacementProblem.Item(id++, 0, 0, 0, size));
            }
        }
        java.util.Collections.shuffle(items, new java.util.Random(5));
        PlacementProblem p = PlacementProblem.of(chip, items, List.of());
        int[] coreOf = ExactFit.fromCounts(p);
        assertNotNull(coreOf);
        assertTrue(p.fits(coreOf));
        assertEquals(items.size(), coreOf.length);
    }

    @Test
    void itemsThatDoNotFitGetNoPacking() {
        Chip chip = PlacementTest.mesh(1, 2, 8);
        List<PlacementProblem.Item> items = List.of(new PlacementProblem.Item(0, 0, 0, 0, 5),
                new PlacementProblem.Item(1, 0, 0, 0, 5), new PlacementProblem.Item(2, 0, 0, 0, 5));
        assertNull(ExactFit.pack(PlacementProblem.of(chip, items, List.of()), Long.MAX_VALUE));
        assertNull(ExactFit.fromCounts(PlacementProblem.of(chip, items, List.of())));
    }

    /** No time for CP-SAT: the packing is the result, unproven, and named as the fallback it is. */
    @Test
    void placementWithNoTimeKeepsTheExactPackingAndSaysSo() {
        PlacementProblem p = tight();
        PlacementResult r = CpSatPlacement.solve(p, new SolveOptions(1, 1, 1, line -> {}));
        assertEquals("exact packing", r.fallback());
        assertEquals(Status.FEASIBLE, r.status());
        assertTrue(p.fits(r.coreOf()));
    }

    /** With time, CP-SAT starts from the packing and proves its own layout optimal. */
    @Test
    void placementWithTimeSearchesFromThePacking() {
        PlacementResult r = CpSatPlacement.solve(tight(), new SolveOptions(10_000, 1, 1, line -> {}));
        assertNull(r.fallback());
        assertEquals(Status.OPTIMAL, r.status());
        assertEquals(200, r.byteHops(), 1e-9, "two chain links must cross between the cores");
    }

    /**
     * Copies of a unit are interchangeable, and the model orders them; a hint with copy 1 on a
     * lower core than copy 0 is renamed to the same layout in order, with the same byte-hops.
     */
    @Test
    void aHintIsRenamedToTheModelsCopyOrderAtTheSameCost() {
        Chip chip = PlacementTest.mesh(1, 3, 4);
        List<PlacementProblem.Item> items = List.of(new PlacementProblem.Item(0, 0, 0, 0, 4),
                new PlacementProblem.Item(0, 0, 1, 4, 1), new PlacementProblem.Item(0, 1, 0, 0, 4),
                new PlacementProblem.Item(0, 1, 1, 4, 1));
        List<PlacementProblem.Pair> pairs = List.of(new PlacementProblem.Pair(0, 1, 10), new PlacementProblem.Pair(2, 3, 10));
        PlacementProblem p = PlacementProblem.of(chip, items, pairs);
        int[] reversed = {2, 1, 0, 1};
        int[] renamed = CpSatPlacement.copiesInOrder(p, reversed);
        assertEquals(List.of(0, 1, 2, 1), java.util.Arrays.stream(renamed).boxed().toList());
        assertEquals(p.byteHops(reversed), p.byteHops(renamed), 1e-9);
    }
}
