package org.pimopt.cost;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.pimopt.hw.Chip;

/**
 * Packing of unit copies into cores of {@code crossbarsPerCore} crossbars. A unit taller than a
 * core takes whole cores for its full multiples and packs its remainder like a small unit.
 */
public final class CorePacking {
    /** Search nodes an exact packing check may visit before it gives up and answers "no". */
    static final long SEARCH_LIMIT = 50_000;

    private CorePacking() {}

    /** Cores that best-fit decreasing needs for these units: an upper bound on the least number. */
    public static long coresNeeded(Collection<Unit> units, Chip chip) {
        return PieceCounts.of(units, chip.crossbarsPerCore()).coresNeeded();
    }

    /**
     * Whether best-fit decreasing packs the units into the chip's cores: a quick sufficient test,
     * for heuristics that call it in loops.
     */
    public static boolean fitsQuickly(Collection<Unit> units, Chip chip) {
        return PieceCounts.of(units, chip.crossbarsPerCore()).fitsQuickly(chip);
    }

    /**
     * Unit copies as the packer sees them: whole cores, and how many pieces of each size below a
     * core. Copies of one unit are alike, so heuristics that replicate build these once per op and
     * scale them ({@link #plus}) instead of listing thousands of copies.
     */
    public record PieceCounts(long fullCores, java.util.NavigableMap<Integer, Long> pieces, int capacity) {
        public PieceCounts {
            pieces = java.util.Collections.unmodifiableNavigableMap(new java.util.TreeMap<>(pieces));
        }

        public static PieceCounts of(Collection<Unit> units, int capacity) {
            long full = 0;
            java.util.TreeMap<Integer, Long> pieces = new java.util.TreeMap<>();
            for (Unit u : units) {
                full += u.crossbars() / capacity;
                if (u.crossbars() % capacity != 0) {
                    pieces.merge(u.crossbars() % capacity, 1L, Long::sum);
                }
            }
            return new PieceCounts(full, pieces, capacity);
        }

        /** These pieces and {@code times} copies of {@code other}'s. */
        public PieceCounts plus(PieceCounts other, long times) {
            java.util.TreeMap<Integer, Long> sum = new java.util.TreeMap<>(pieces);
            other.pieces.forEach((size, n) -> sum.merge(size, n * times, Long::sum));
            return new PieceCounts(fullCores + other.fullCores * times, sum, capacity);
        }

        public long crossbars() {
            long total = fullCores * capacity;
            for (var e : pieces.entrySet()) {
                total += e.getKey() * e.getValue();
            }
            return total;
        }

        public boolean fitsQuickly(Chip chip) {
            return crossbars() <= chip.totalCrossbars() && coresNeeded() <= chip.cores();
        }

        /**
         * Best-fit decreasing, on counts: pieces from the largest size down, each into the open core
         * with the least room that still holds it. A core with room {@code f} then keeps the lowest
         * room at least {@code s} until it is below {@code s}, so it takes {@code floor(f/s)} pieces
         * in a row, and identical pieces are placed in bulk (time grows with distinct sizes and
         * rooms, not with copies).
         */
        public long coresNeeded() {
            java.util.TreeMap<Integer, Long> coresByRoom = new java.util.TreeMap<>();
            long opened = 0;
            for (var piece : pieces.descendingMap().entrySet()) {
                int size = piece.getKey();
                long left = piece.getValue();
                List<java.util.Map.Entry<Integer, Long>> candidates = new ArrayList<>(coresByRoom.tailMap(size, true).entrySet());
                for (var core : candidates) {
                    if (left == 0) {
                        break;
                    }
                    left = fill(coresByRoom, core.getKey(), core.getValue(), size, left);
                }
                if (left > 0) {
                    long perCore = capacity / size;
                    long fresh = (left + perCore - 1) / perCore;
                    opened += fresh;
                    coresByRoom.merge(capacity, fresh, Long::sum);
                    left = fill(coresByRoom, capacity, fresh, size, left);
                }
            }
            return fullCores + opened;
        }

        /** Puts up to {@code left} pieces of {@code size} into {@code cores} cores of room {@code room}. */
        private static long fill(java.util.TreeMap<Integer, Long> coresByRoom, int room, long cores, int size, long left) {
            long perCore = room / size;
            long used = Math.min(cores, (left + perCore - 1) / perCore);
            long placed = Math.min(left, used * perCore);
            long fullyUsed = placed / perCore;
            long rest = placed - fullyUsed * perCore;
            coresByRoom.merge(room, -used, Long::sum);
            coresByRoom.remove(room, 0L);
            if (fullyUsed > 0) {
                coresByRoom.merge(room - (int) (perCore * size), fullyUsed, Long::sum);
            }
            if (rest > 0) {
                coresByRoom.merge(room - (int) (rest * size), 1L, Long::sum);
            }
            return left - placed;
        }
    }

    /**
     * Whether the units pack into the chip's cores. First-fit decreasing answers most cases; when it
     * fails but the crossbar count allows, an exact search decides (giving up, as "no", after
     * {@link #SEARCH_LIMIT} nodes).
     */
    public static boolean fits(Collection<Unit> units, Chip chip) {
        Pieces p = Pieces.of(units, chip.crossbarsPerCore());
        long cores = chip.cores();
        if (p.fullCores > cores) {
            return false;
        }
        long total = p.pieces.stream().mapToLong(Integer::longValue).sum();
        int bins = (int) (cores - p.fullCores);
        if (total > (long) bins * p.capacity) {
            return false;
        }
        if (coresNeeded(units, chip) <= cores) {
            return true;
        }
        if (martelloTothBound(p.pieces, p.capacity) > bins) {
            return false;
        }
        int[] load = new int[Math.min(bins, p.pieces.size())];
        long[] budget = {SEARCH_LIMIT};
        return place(p.pieces, 0, load, p.capacity, budget);
    }

    /**
     * Martello and Toth's L2 lower bound on bins: for each threshold k <= c/2, pieces above c - k
     * and pieces above c/2 each need a bin of their own, and pieces of at least k fill what those
     * leave before opening more.
     */
    static long martelloTothBound(List<Integer> pieces, int capacity) {
        long best = 0;
        java.util.TreeSet<Integer> thresholds = new java.util.TreeSet<>();
        thresholds.add(0);
        for (int s : pieces) {
            if (2 * s <= capacity) {
                thresholds.add(s);
            }
        }
        for (int k : thresholds) {
            long j1 = 0;
            long j2 = 0;
            long j2Sum = 0;
            long j3Sum = 0;
            for (int s : pieces) {
                if (s > capacity - k) {
                    j1++;
                } else if (2 * s > capacity) {
                    j2++;
                    j2Sum += s;
                } else if (s >= k) {
                    j3Sum += s;
                }
            }
            long spare = j2 * capacity - j2Sum;
            long extra = Math.max(0, (j3Sum - spare + capacity - 1) / capacity);
            best = Math.max(best, j1 + j2 + extra);
        }
        return best;
    }

    /** Depth-first placement of pieces (largest first) into bins, skipping bins of equal load. */
    private static boolean place(List<Integer> pieces, int i, int[] load, int capacity, long[] budget) {
        if (i == pieces.size()) {
            return true;
        }
        if (--budget[0] < 0) {
            return false;
        }
        int piece = pieces.get(i);
        for (int b = 0; b < load.length; b++) {
            if (load[b] + piece > capacity || seenLoad(load, b)) {
                continue;
            }
            load[b] += piece;
            boolean ok = place(pieces, i + 1, load, capacity, budget);
            load[b] -= piece;
            if (ok) {
                return true;
            }
            if (load[b] == 0) {
                return false;   // every empty bin is alike
            }
        }
        return false;
    }

    private static boolean seenLoad(int[] load, int b) {
        for (int j = 0; j < b; j++) {
            if (load[j] == load[b]) {
                return true;
            }
        }
        return false;
    }

    /** Units as whole cores plus pieces smaller than a core, largest first. */
    private record Pieces(long fullCores, List<Integer> pieces, int capacity) {
        static Pieces of(Collection<Unit> units, int capacity) {
            long full = 0;
            List<Integer> pieces = new ArrayList<>();
            for (Unit u : units) {
                full += u.crossbars() / capacity;
                if (u.crossbars() % capacity != 0) {
                    pieces.add(u.crossbars() % capacity);
                }
            }
            pieces.sort(Comparator.reverseOrder());
            return new Pieces(full, pieces, capacity);
        }
    }
}
