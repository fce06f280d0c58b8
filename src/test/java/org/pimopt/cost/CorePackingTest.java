package org.pimopt.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bulk best-fit decreasing on piece counts places pieces exactly as one-at-a-time best fit does. */
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
}
