package org.pimopt.solve.replacement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pimopt.plan.Layout;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/** The crossbar assignment on one small core, against every assignment. */
class SlotAssignmentTest {
    static final SolveOptions OPTIONS = new SolveOptions(10_000, 1, 1, line -> {});

    private static PhaseTile tile(int phase, int unit, long cells) {
        return new PhaseTile(phase, new Layout.Tile(unit, 0, 0, 0, 0), cells / 8, cells, cells / 2.0);
    }

    /** (cells written, rows written into crossbars the previous phase uses, most writes of a crossbar). */
    static long[] score(List<PhaseTile> tiles, int[] slot, int phases) {
        Map<Integer, Set<Integer>> users = new HashMap<>();
        for (int t = 0; t < tiles.size(); t++) {
            users.computeIfAbsent(slot[t], s -> new HashSet<>()).add(tiles.get(t).phase());
        }
        long cells = 0;
        long blocked = 0;
        long worst = 0;
        for (int t = 0; t < tiles.size(); t++) {
            Set<Integer> u = users.get(slot[t]);
            if (u.size() >= 2) {
                cells += tiles.get(t).cells();
            }
            if (u.contains((tiles.get(t).phase() - 1 + phases) % phases) && phases >= 2) {
                blocked += tiles.get(t).rows();
            }
        }
        for (Set<Integer> u : users.values()) {
            worst = Math.max(worst, u.size() >= 2 ? u.size() : 0);
        }
        return new long[] {cells, blocked, worst};
    }

    static long[] enumerate(List<PhaseTile> tiles, int c, int phases) {
        int n = tiles.size();
        int[] slot = new int[n];
        long[] best = null;
        long total = (long) Math.pow(c, n);
        for (long code = 0; code < total; code++) {
            long x = code;
            for (int i = 0; i < n; i++) {
                slot[i] = (int) (x % c);
                x /= c;
            }
            if (!oneTilePerCrossbarAndPhase(tiles, slot)) {
                continue;
            }
            long[] s = score(tiles, slot, phases);
            if (best == null || java.util.Arrays.compare(s, best) < 0) {
                best = s;
            }
        }
        return best;
    }

    private static boolean oneTilePerCrossbarAndPhase(List<PhaseTile> tiles, int[] slot) {
        Set<Long> seen = new HashSet<>();
        for (int t = 0; t < tiles.size(); t++) {
            if (!seen.add(((long) tiles.get(t).phase() << 32) | slot[t])) {
                return false;
            }
        }
        return true;
    }

    @Test
    void tilesOfOnePartitionStayWhenTheCoreHasRoom() {
        // Phase 0 needs 2 crossbars, phase 1 one: 3 crossbars hold all three tiles for good.
        List<PhaseTile> tiles = List.of(tile(0, 0, 800), tile(0, 1, 800), tile(1, 2, 800));
        SlotAssignment.Result r = SlotAssignment.solve(tiles, 2, 1, 3, OPTIONS);
        assertEquals(Status.OPTIMAL, r.status());
        assertArrayEquals(new long[] {0, 0, 0}, score(tiles, r.crossbar(), 2));
    }

    @Test
    void aSinglePartitionIsNeverRewritten() {
        List<PhaseTile> tiles = List.of(tile(0, 0, 800), tile(0, 1, 800));
        SlotAssignment.Result r = SlotAssignment.solve(tiles, 1, 1, 2, OPTIONS);
        assertEquals(Status.OPTIMAL, r.status());
    }

    @Test
    void matchesEnumerationOnSmallCores() {
        List<List<PhaseTile>> cases = new ArrayList<>();
        cases.add(List.of(tile(0, 0, 800), tile(0, 1, 400), tile(1, 2, 800), tile(1, 3, 160), tile(2, 4, 800)));
        cases.add(List.of(tile(0, 0, 800), tile(1, 1, 400), tile(1, 2, 800), tile(2, 3, 160), tile(2, 4, 800),
                tile(2, 5, 240), tile(3, 6, 80)));
        cases.add(List.of(tile(0, 0, 80), tile(0, 1, 80), tile(0, 2, 80), tile(1, 3, 800), tile(2, 4, 400), tile(2, 5, 400)));
        int[] phases = {3, 4, 3};
        for (int i = 0; i < cases.size(); i++) {
            List<PhaseTile> tiles = cases.get(i);
            SlotAssignment.Result r = SlotAssignment.solve(tiles, phases[i], 1, 3, OPTIONS);
            assertEquals(Status.OPTIMAL, r.status());
            assertArrayEquals(enumerate(tiles, 3, phases[i]), score(tiles, r.crossbar(), phases[i]), "case " + i);
        }
    }
}
