package org.pimopt.cost;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.pimopt.hw.Chip;

/** Packing of units into cores of {@code crossbarsPerCore} crossbars. */
public final class CorePacking {
    private CorePacking() {}

    /**
     * Cores that first-fit decreasing needs for one copy of each unit. A unit taller than a core
     * takes whole cores for its full multiples; its remainder packs like any small unit.
     */
    public static long coresNeeded(Collection<Unit> units, Chip chip) {
        int capacity = chip.crossbarsPerCore();
        long fullCores = 0;
        List<Integer> pieces = new ArrayList<>();
        for (Unit u : units) {
            fullCores += u.crossbars() / capacity;
            if (u.crossbars() % capacity != 0) {
                pieces.add(u.crossbars() % capacity);
            }
        }
        pieces.sort(Comparator.reverseOrder());
        List<Integer> free = new ArrayList<>();
        for (int piece : pieces) {
            int bin = -1;
            for (int i = 0; i < free.size(); i++) {
                if (free.get(i) >= piece) {
                    bin = i;
                    break;
                }
            }
            if (bin < 0) {
                free.add(capacity - piece);
            } else {
                free.set(bin, free.get(bin) - piece);
            }
        }
        return fullCores + free.size();
    }
}
