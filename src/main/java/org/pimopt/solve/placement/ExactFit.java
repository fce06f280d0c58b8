package org.pimopt.solve.placement;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A placement that only has to fit: the fallback when neither first-fit nor snake order packs a
 * partition (both are greedy, and a partition that fills the chip often needs an exact packing)
 * and CP-SAT has no time left to find one. {@link #fromCounts} reads it off the packing test of the
 * partitioning engines; {@link #pack} searches item by item when that one gives up. The partitioning engines already proved that the
 * partition packs ({@code CorePacking.fits}), so a depth-first search over the items, largest
 * first, finds a packing; it tries the fullest core that still holds an item first, tries one
 * core among cores with equal room (they are alike for packing), and remembers failed states
 * (next item, rooms left), so runs of equal items cost one visit. Cores are then renamed so that
 * the groups follow the snake order in item (layer) order, which keeps neighbours near.
 */
public final class ExactFit {
    /** Search nodes before it gives up; far above what the zoo's partitions need. */
    static final long NODE_LIMIT = 2_000_000;

    private final int[] order;      // item indices, largest first
    private final int[] size;       // size of order[i]
    private final int[] room;       // room left per bin
    private final int[] binOf;      // bin of order[i]
    private final long deadlineNanos;
    private final Set<String> failed = new HashSet<>();
    private long nodes;

    private ExactFit(PlacementProblem problem, long deadlineNanos) {
        int n = problem.items().size();
        Integer[] byItem = new Integer[n];
        for (int i = 0; i < n; i++) {
            byItem[i] = i;
        }
        Arrays.sort(byItem, (a, b) -> problem.items().get(b).size() != problem.items().get(a).size()
                ? Integer.compare(problem.items().get(b).size(), problem.items().get(a).size()) : Integer.compare(a, b));
        this.order = Arrays.stream(byItem).mapToInt(Integer::intValue).toArray();
        this.size = Arrays.stream(order).map(i -> problem.items().get(i).size()).toArray();
        this.room = new int[problem.chip().cores()];
        Arrays.fill(room, problem.chip().crossbarsPerCore());
        this.binOf = new int[n];
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * A core for every item from the packing the partitioning engines' own test finds
     * ({@code CorePacking.binContents}: whole-core items alone, the rest by the exact search over
     * counts of equal sizes, which settles full partitions that the item-by-item search below may
     * not within its node limit); null when that search gives up.
     */
    public static int[] fromCounts(PlacementProblem problem) {
        int n = problem.items().size();
        int capacity = problem.chip().crossbarsPerCore();
        int[] binOf = new int[n];
        int bins = 0;
        java.util.List<Integer> pieces = new java.util.ArrayList<>();
        java.util.Map<Integer, java.util.Deque<Integer>> itemsOfSize = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            int size = problem.items().get(i).size();
            if (size == capacity) {
                binOf[i] = bins++;
            } else {
                pieces.add(size);
                itemsOfSize.computeIfAbsent(size, k -> new java.util.ArrayDeque<>()).add(i);
            }
        }
        if (bins > problem.chip().cores()) {
            return null;
        }
        var contents = org.pimopt.cost.CorePacking.binContents(pieces, capacity, problem.chip().cores() - bins);
        if (contents == null) {
            return null;
        }
        for (var bin : contents) {
            int b = bins++;
            bin.forEach((size, count) -> {
                for (int c = 0; c < count; c++) {
                    binOf[itemsOfSize.get(size).poll()] = b;
                }
            });
        }
        return snakeCores(problem, binOf, bins);
    }

    /**
     * A core for every item such that the items fit, or null when none was found within
     * {@link #NODE_LIMIT} nodes or by {@code deadlineNanos} (a plan the engines accepted packs).
     */
    public static int[] pack(PlacementProblem problem, long deadlineNanos) {
        ExactFit search = new ExactFit(problem, deadlineNanos);
        if (!search.search(0)) {
            return null;
        }
        return search.snakeCores(problem);
    }

    private boolean search(int i) {
        if (i == order.length) {
            return true;
        }
        if (++nodes > NODE_LIMIT || ((nodes & 1023) == 0 && System.nanoTime() > deadlineNanos)) {
            return false;
        }
        long left = 0;
        for (int r : room) {
            left += r;
        }
        long need = 0;
        for (int j = i; j < order.length; j++) {
            need += size[j];
        }
        if (need > left) {
            return false;
        }
        String key = i + ":" + roomsSorted();
        if (failed.contains(key)) {
            return false;
        }
        // Fullest core first (best fit), one core per distinct room.
        Integer[] bins = new Integer[room.length];
        for (int b = 0; b < room.length; b++) {
            bins[b] = b;
        }
        Arrays.sort(bins, (a, b) -> Integer.compare(room[a], room[b]));
        int lastRoom = -1;
        for (int b : bins) {
            if (room[b] < size[i] || room[b] == lastRoom) {
                continue;
            }
            lastRoom = room[b];
            room[b] -= size[i];
            binOf[i] = b;
            if (search(i + 1)) {
                return true;
            }
            room[b] += size[i];
            if (nodes > NODE_LIMIT) {
                return false;
            }
        }
        failed.add(key);
        return false;
    }

    private String roomsSorted() {
        int[] copy = room.clone();
        Arrays.sort(copy);
        return Arrays.toString(copy);
    }

    /** Bins renamed to cores in snake order, the bin of the lowest item first. */
    private int[] snakeCores(PlacementProblem problem) {
        int n = order.length;
        int[] bin = new int[n];
        for (int i = 0; i < n; i++) {
            bin[order[i]] = binOf[i];
        }
        return snakeCores(problem, bin, room.length);
    }

    /** Bins ({@code binOfItem}, numbered below {@code bins}) renamed to cores in snake order, the bin of the lowest item first. */
    private static int[] snakeCores(PlacementProblem problem, int[] binOfItem, int bins) {
        int[] snake = Baselines.snake(problem.chip());
        int[] coreOfBin = new int[bins];
        Arrays.fill(coreOfBin, -1);
        int next = 0;
        int[] coreOf = new int[binOfItem.length];
        for (int item = 0; item < binOfItem.length; item++) {
            if (coreOfBin[binOfItem[item]] < 0) {
                coreOfBin[binOfItem[item]] = snake[next++];
            }
            coreOf[item] = coreOfBin[binOfItem[item]];
        }
        return coreOf;
    }
}
