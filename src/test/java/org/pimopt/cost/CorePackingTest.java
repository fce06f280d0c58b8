package org.pimopt.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bulk best-fit decreasing on piece counts places pieces exactly as one-at-a-time best fit
 * does; the exact search decides what best fit cannot.
 */
class CorePackingTest {

    private static Unit unit(int crossbars) {
        return new Unit(0, 0, crossbars, 1, 0, 1, 1, 1, 1, 1);
    }

    /** Textbook best-fit decreasing, one piece at a time. */
    private static long bestFitOneByOne(List<Unit> units, int capacity) {
        long full = 0;
        List<Integer> pieces = new ArrayList<>();
        for (Unit u : units) {
            full += u.crossbars() / capacity;
            if (u.crossbars() % capacity != 0) {
                pieces.add(u.crossbars() % capacity);
            }
        }
        pieces.sort(Comparator.reverseOrder());
        List<Integer> room = new ArrayList<>();
        for (int piece : pieces) {
            int best = -1;
            for (int i = 0; i < room.size(); i++) {
                if (room.get(i) >= piece && (best < 0 || room.get(i) < room.get(best))) {
                    best = i;
                }
            }
            if (best < 0) {
                room.add(capacity - piece);
            } else {
                room.set(best, room.get(best) - piece);
            }
        }
        return full + room.size();
    }

    @Test
    void bulkBestFitMatchesOneByOneOnRandomMultisets() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int capacity = 1 + random.nextInt(20);
            List<Unit> units = new ArrayList<>();
            int kinds = 1 + random.nextInt(5);
            for (int k = 0; k < kinds; k++) {
                Unit u = unit(1 + random.nextInt(3 * capacity));
                int copies = 1 + random.nextInt(40);
                for (int c = 0; c < copies; c++) {
                    units.add(u);
                }
            }
            CorePacking.PieceCounts counts = CorePacking.PieceCounts.of(units, capacity);
            assertEquals(bestFitOneByOne(units, capacity), counts.coresNeeded(), "trial " + trial);
            assertEquals(units.stream().mapToLong(Unit::crossbars).sum(), counts.crossbars());
        }
    }

    @Test
    void scaledCountsEqualListedCopies() {
        List<Unit> op = List.of(unit(5), unit(5), unit(3), unit(12));
        List<Unit> threeCopies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threeCopies.addAll(op);
        }
        CorePacking.PieceCounts empty = CorePacking.PieceCounts.of(List.of(), 9);
        assertEquals(CorePacking.PieceCounts.of(threeCopies, 9), empty.plus(CorePacking.PieceCounts.of(op, 9), 3));
    }

    @Test
    void aSumOfScaledOpsEqualsTheirCopiesListed() {
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int ops = 1 + random.nextInt(5);
            CorePacking.PieceCounts[] parts = new CorePacking.PieceCounts[ops];
            int[] times = new int[ops];
            List<Unit> listed = new ArrayList<>();
            for (int o = 0; o < ops; o++) {
                List<Unit> op = new ArrayList<>();
                for (int u = 1 + random.nextInt(4); u > 0; u--) {
                    op.add(unit(1 + random.nextInt(30)));
                }
                parts[o] = CorePacking.PieceCounts.of(op, 9);
                times[o] = random.nextInt(6);
                for (int c = 0; c < times[o]; c++) {
                    listed.addAll(op);
                }
            }
            assertEquals(CorePacking.PieceCounts.of(listed, 9), CorePacking.PieceCounts.sum(parts, times, 9));
        }
    }

    /** Pieces that fill {@code bins} bins by construction, from a few distinct sizes as unit copies give. */
    private static List<Integer> tightlyPackable(Random random, int bins, int capacity) {
        List<Integer> sizes = new ArrayList<>();
        for (int k = 1 + random.nextInt(5); k > 0; k--) {
            sizes.add(1 + random.nextInt(capacity));
        }
        List<Integer> pieces = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            int room = capacity;
            for (int tries = 0; tries < 20; tries++) {
                int s = sizes.get(random.nextInt(sizes.size()));
                if (s <= room) {
                    pieces.add(s);
                    room -= s;
                }
            }
        }
        java.util.Collections.shuffle(pieces, random);
        return pieces;
    }

    @Test
    void exactSearchPacksWhatIsPackableByConstructionWhereBestFitMayNot() {
        Random random = new Random(11);
        int bestFitFailed = 0;
        for (int trial = 0; trial < 300; trial++) {
            int capacity = 8 + random.nextInt(25);
            int bins = 4 + random.nextInt(60);
            List<Integer> pieces = tightlyPackable(random, bins, capacity);
            List<Unit> units = pieces.stream().map(CorePackingTest::unit).toList();
            if (CorePacking.PieceCounts.of(units, capacity).coresNeeded() > bins) {
                bestFitFailed++;
            }
            assertTrue(new CorePacking.CountSearch(pieces, capacity).packs(bins), "trial " + trial + ": " + pieces);
        }
        assertTrue(bestFitFailed > 10, "the trials must include cases best fit cannot settle: " + bestFitFailed);
    }

    @Test
    void theExactSearchHandsOutItsBins() {
        Random random = new Random(13);
        int bestFitFailed = 0;
        for (int trial = 0; trial < 300; trial++) {
            int capacity = 8 + random.nextInt(25);
            int bins = 4 + random.nextInt(60);
            List<Integer> pieces = tightlyPackable(random, bins, capacity);
            if (CorePacking.PieceCounts.of(pieces.stream().map(CorePackingTest::unit).toList(), capacity).coresNeeded() > bins) {
                bestFitFailed++;
            }
            List<java.util.Map<Integer, Integer>> packed = CorePacking.binContents(pieces, capacity, bins);
            assertTrue(packed != null && packed.size() <= bins, "trial " + trial + ": " + packed);
            java.util.Map<Integer, Integer> placed = new java.util.TreeMap<>();
            for (var bin : packed) {
                assertTrue(bin.entrySet().stream().mapToInt(e -> e.getKey() * e.getValue()).sum() <= capacity, bin.toString());
                bin.forEach((size, n) -> placed.merge(size, n, Integer::sum));
            }
            java.util.Map<Integer, Integer> given = new java.util.TreeMap<>();
            pieces.forEach(x -> given.merge(x, 1, Integer::sum));
            assertEquals(given, placed, "trial " + trial);
        }
        assertTrue(bestFitFailed > 10, "the trials must include cases best fit cannot settle: " + bestFitFailed);
        assertEquals(null, CorePacking.binContents(List.of(5, 5, 5), 9, 2));
    }

    /** Every assignment of pieces to bins, for tiny cases. */
    private static boolean bruteForce(List<Integer> pieces, int i, int[] load, int capacity) {
        if (i == pieces.size()) {
            return true;
        }
        for (int b = 0; b < load.length; b++) {
            if (load[b] + pieces.get(i) <= capacity) {
                load[b] += pieces.get(i);
                boolean ok = bruteForce(pieces, i + 1, load, capacity);
                load[b] -= pieces.get(i);
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void exactSearchAgreesWithBruteForceOnTinyCases() {
        Random random = new Random(5);
        int no = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int capacity = 3 + random.nextInt(10);
            List<Integer> pieces = new ArrayList<>();
            for (int n = 1 + random.nextInt(9); n > 0; n--) {
                pieces.add(1 + random.nextInt(capacity));
            }
            int bins = 1 + random.nextInt(4);
            boolean truth = bruteForce(pieces, 0, new int[bins], capacity);
            no += truth ? 0 : 1;
            assertEquals(truth, new CorePacking.CountSearch(pieces, capacity).packs(bins), "trial " + trial + ": "
                    + pieces + " into " + bins + " x " + capacity);
        }
        assertTrue(no > 100 && no < 2900, "both answers occur: " + no);
    }
}
