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

    /**
     * Half-cores one copy of these units claims in any packing: two per whole core it fills, two
     * per piece above half a core (no other such piece shares its core), one per piece of exactly
     * half a core. No packing into the chip's cores claims more than twice the cores, so copies
     * obey {@code sum of r * halfCores <= 2 * cores} beside the crossbar count (the searches' and
     * floors' relaxation of packing).
     */
    public static long halfCores(Collection<Unit> units, int crossbarsPerCore) {
        long halves = 0;
        for (Unit u : units) {
            halves += halfCores(u, crossbarsPerCore);
        }
        return halves;
    }

    /** {@link #halfCores(Collection, int)} of one unit. */
    public static long halfCores(Unit u, int crossbarsPerCore) {
        int piece = u.crossbars() % crossbarsPerCore;
        return 2L * (u.crossbars() / crossbarsPerCore) + (2 * piece > crossbarsPerCore ? 2 : 2 * piece == crossbarsPerCore ? 1 : 0);
    }

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

        /**
         * The pieces of {@code times[i]} copies of each {@code parts[i]}: what a chain of
         * {@link #plus} gives, built in one pass (a replication rule tests thousands of such sums).
         */
        public static PieceCounts sum(PieceCounts[] parts, int[] times, int capacity) {
            long full = 0;
            java.util.TreeMap<Integer, Long> sum = new java.util.TreeMap<>();
            for (int i = 0; i < parts.length; i++) {
                long t = times[i];
                if (t == 0) {
                    continue;
                }
                full += parts[i].fullCores * t;
                parts[i].pieces.forEach((size, n) -> sum.merge(size, n * t, Long::sum));
            }
            return new PieceCounts(full, sum, capacity);
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
     * Whether the units pack into the chip's cores. Best-fit decreasing answers most cases; when it
     * fails but the crossbar count and a bin lower bound allow, an exact search over piece counts
     * decides ({@link CountSearch}). Only when that search exceeds {@link #SEARCH_LIMIT} nodes is
     * the answer an unproven "no".
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
        return new CountSearch(p.pieces, p.capacity).packs(bins);
    }

    /**
     * A packing of pieces (each at most {@code capacity}) into {@code bins} bins, as the bins'
     * contents (piece size to count, one map per bin used), found as {@link #fits} decides: the
     * exact search over counts, whose leaves are best-fit decreasing. Null when the pieces do not
     * fit or the search gave up ({@link #SEARCH_LIMIT}). Placement turns it into cores when its
     * greedy orders fail on a partition that fills the chip.
     */
    public static List<java.util.Map<Integer, Integer>> binContents(List<Integer> pieces, int capacity, int bins) {
        long total = pieces.stream().mapToLong(Integer::longValue).sum();
        if (total > (long) bins * capacity || martelloTothBound(pieces, capacity) > bins) {
            return null;
        }
        CountSearch search = new CountSearch(pieces, capacity);
        return search.packs(bins) ? search.bins() : null;
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

    /**
     * Exact bin packing over counts of equal pieces (unit copies repeat, so a partition has few
     * distinct piece sizes and many copies of each). Bins are filled one at a time; each takes the
     * largest piece left (some bin must, and bins are alike) and then a <em>maximal</em> set of the
     * others: if a packing exists, moving into a bin any later piece that still fits keeps it a
     * packing, so maximal fills lose nothing. Fills that waste least are tried first, a node whose
     * pieces best-fit decreasing already packs into the bins left succeeds at once, and states that
     * failed (counts left, bins left) are remembered, so symmetric orders of equal pieces cost one visit.
     */
    static final class CountSearch {
        private final int[] sizes;     // distinct piece sizes, largest first
        private final int[] counts;    // pieces left of each size
        private final int capacity;
        private final java.util.Set<String> failed = new java.util.HashSet<>();
        /** The fills of the bins closed so far on the current branch (counts per size). */
        private final java.util.Deque<int[]> path = new java.util.ArrayDeque<>();
        /** The counts left when best-fit decreasing finished the search (null: the fills placed all). */
        private int[] finishedByBestFit;
        private long nodes;

        CountSearch(List<Integer> pieces, int capacity) {
            java.util.TreeMap<Integer, Integer> bySize = new java.util.TreeMap<>(Comparator.reverseOrder());
            pieces.forEach(x -> bySize.merge(x, 1, Integer::sum));
            this.sizes = bySize.keySet().stream().mapToInt(Integer::intValue).toArray();
            this.counts = bySize.values().stream().mapToInt(Integer::intValue).toArray();
            this.capacity = capacity;
        }

        boolean packs(int bins) {
            return search(bins);
        }

        private boolean search(int bins) {
            int first = -1;
            long volume = 0;
            for (int i = 0; i < sizes.length; i++) {
                volume += (long) sizes[i] * counts[i];
                if (first < 0 && counts[i] > 0) {
                    first = i;
                }
            }
            if (first < 0) {
                return true;
            }
            if (bins == 0 || volume > (long) bins * capacity || ++nodes > SEARCH_LIMIT) {
                return false;
            }
            if (bestFitCores() <= bins) {
                finishedByBestFit = counts.clone();
                return true;
            }
            String key = bins + ":" + java.util.Arrays.toString(counts);
            if (failed.contains(key)) {
                return false;
            }
            counts[first]--;
            List<int[]> fills = new ArrayList<>();
            maximalFills(first, capacity - sizes[first], new int[sizes.length], fills);
            // Least waste first: the last entry of a fill is the room it leaves.
            fills.sort(Comparator.comparingInt(f -> f[sizes.length]));
            boolean ok = false;
            for (int[] fill : fills) {
                for (int i = 0; i < sizes.length; i++) {
                    counts[i] -= fill[i];
                }
                int[] bin = java.util.Arrays.copyOf(fill, sizes.length);
                bin[first]++;
                path.push(bin);
                ok = search(bins - 1);
                for (int i = 0; i < sizes.length; i++) {
                    counts[i] += fill[i];
                }
                if (ok || nodes > SEARCH_LIMIT) {
                    break;
                }
                path.pop();
            }
            counts[first]++;
            if (!ok && nodes <= SEARCH_LIMIT) {
                failed.add(key);
            }
            return ok;
        }

        /** Every way to add pieces of sizes {@code i..} to a bin with {@code room} left that leaves no piece fitting. */
        private void maximalFills(int i, int room, int[] taken, List<int[]> out) {
            while (i < sizes.length && (counts[i] - taken[i] == 0 || sizes[i] > room)) {
                i++;
            }
            if (i == sizes.length) {
                for (int j = sizes.length - 1; j >= 0; j--) {
                    if (counts[j] - taken[j] > 0) {
                        if (sizes[j] <= room) {
                            return;   // not maximal
                        }
                        break;
                    }
                }
                int[] fill = java.util.Arrays.copyOf(taken, sizes.length + 1);
                fill[sizes.length] = room;
                out.add(fill);
                return;
            }
            for (int take = Math.min(counts[i], room / sizes[i]); take >= 0; take--) {
                taken[i] = take;
                maximalFills(i + 1, room - take * sizes[i], taken, out);
            }
            taken[i] = 0;
        }

        /** After {@link #packs} succeeded: every bin's contents, the search's fills then best-fit's. */
        List<java.util.Map<Integer, Integer>> bins() {
            List<java.util.Map<Integer, Integer>> out = new ArrayList<>();
            java.util.Iterator<int[]> closed = path.descendingIterator();
            while (closed.hasNext()) {
                out.add(contents(closed.next()));
            }
            if (finishedByBestFit != null) {
                // Best-fit decreasing piece by piece: the fullest bin that still holds the piece.
                List<int[]> open = new ArrayList<>();
                for (int i = 0; i < sizes.length; i++) {
                    for (int c = 0; c < finishedByBestFit[i]; c++) {
                        int[] chosen = null;
                        for (int[] bin : open) {
                            if (bin[sizes.length] >= sizes[i] && (chosen == null || bin[sizes.length] < chosen[sizes.length])) {
                                chosen = bin;
                            }
                        }
                        if (chosen == null) {
                            chosen = new int[sizes.length + 1];
                            chosen[sizes.length] = capacity;
                            open.add(chosen);
                        }
                        chosen[i]++;
                        chosen[sizes.length] -= sizes[i];
                    }
                }
                open.forEach(bin -> out.add(contents(bin)));
            }
            return out;
        }

        private java.util.Map<Integer, Integer> contents(int[] bin) {
            java.util.Map<Integer, Integer> out = new java.util.TreeMap<>();
            for (int i = 0; i < sizes.length; i++) {
                if (bin[i] > 0) {
                    out.put(sizes[i], bin[i]);
                }
            }
            return out;
        }

        private long bestFitCores() {
            java.util.TreeMap<Integer, Long> left = new java.util.TreeMap<>();
            for (int i = 0; i < sizes.length; i++) {
                if (counts[i] > 0) {
                    left.put(sizes[i], (long) counts[i]);
                }
            }
            return new PieceCounts(0, left, capacity).coresNeeded();
        }
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
