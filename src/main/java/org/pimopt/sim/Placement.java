package org.pimopt.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where the copies of a partition's units sit: first-fit decreasing into cores (a copy taller
 * than a core takes whole cores and packs its remainder like a small copy). When first-fit fails
 * although the crossbars suffice (the validator's exact packing found a way), copies are laid
 * out core after core and may straddle cores; {@link #straddled} says so.
 */
final class Placement {
    /** Cores each copy occupies, in the order the copies were given. */
    final int[][] coresOfCopy;
    /** Crossbars in use per core. */
    final int[] used;
    final boolean straddled;

    private Placement(int[][] coresOfCopy, int[] used, boolean straddled) {
        this.coresOfCopy = coresOfCopy;
        this.used = used;
        this.straddled = straddled;
    }

    /** Places copies of {@code crossbars[i]} crossbars each; null if they exceed the chip. */
    static Placement of(int[] crossbars, int cores, int perCore) {
        Placement p = firstFitDecreasing(crossbars, cores, perCore);
        return p != null ? p : sequential(crossbars, cores, perCore);
    }

    /**
     * The copies where a layout put them: {@code copies.get(i)} is {unit, copy}; a copy occupies the
     * cores of its tiles in crossbar order. {@link #straddled} says whether some copy of at most one
     * core's crossbars was nevertheless split over cores.
     */
    static Placement fromLayout(List<int[]> copies, org.pimopt.plan.Layout.PartitionLayout layout, int cores, int perCore) {
        java.util.Map<List<Integer>, java.util.TreeMap<Integer, Integer>> coreOfTile = new java.util.HashMap<>();
        int[] used = new int[cores];
        for (org.pimopt.plan.Layout.Tile t : layout.tiles()) {
            coreOfTile.computeIfAbsent(List.of(t.unit(), t.copy()), x -> new java.util.TreeMap<>()).put(t.index(), t.core());
            used[t.core()]++;
        }
        int[][] where = new int[copies.size()][];
        boolean straddled = false;
        for (int i = 0; i < where.length; i++) {
            java.util.TreeMap<Integer, Integer> tiles = coreOfTile.get(List.of(copies.get(i)[0], copies.get(i)[1]));
            where[i] = tiles.values().stream().distinct().mapToInt(Integer::intValue).toArray();
            straddled |= tiles.size() <= perCore && where[i].length > 1;
        }
        return new Placement(where, used, straddled);
    }

    private static Placement firstFitDecreasing(int[] crossbars, int cores, int perCore) {
        Integer[] order = new Integer[crossbars.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -crossbars[i]).thenComparingInt(i -> i));
        int[] used = new int[cores];
        int nextFresh = 0;
        List<List<Integer>> where = new ArrayList<>();
        for (int i = 0; i < crossbars.length; i++) {
            where.add(new ArrayList<>());
        }
        // Whole cores of tall copies first.
        for (int i : order) {
            for (int k = 0; k < crossbars[i] / perCore; k++) {
                if (nextFresh >= cores) {
                    return null;
                }
                used[nextFresh] = perCore;
                where.get(i).add(nextFresh++);
            }
        }
        for (int i : order) {
            int piece = crossbars[i] % perCore;
            if (piece == 0) {
                continue;
            }
            int bin = -1;
            for (int c = 0; c < cores; c++) {
                if (used[c] + piece <= perCore && (c >= nextFresh || used[c] < perCore)) {
                    bin = c;
                    break;
                }
            }
            if (bin < 0) {
                return null;
            }
            used[bin] += piece;
            where.get(i).add(bin);
        }
        return new Placement(toArrays(where), used, false);
    }

    private static Placement sequential(int[] crossbars, int cores, int perCore) {
        int[] used = new int[cores];
        List<List<Integer>> where = new ArrayList<>();
        int core = 0;
        for (int x : crossbars) {
            List<Integer> w = new ArrayList<>();
            int left = x;
            while (left > 0) {
                if (core >= cores) {
                    return null;
                }
                int take = Math.min(left, perCore - used[core]);
                used[core] += take;
                left -= take;
                if (!w.contains(core)) {
                    w.add(core);
                }
                if (used[core] == perCore) {
                    core++;
                }
            }
            where.add(w);
        }
        return new Placement(toArrays(where), used, true);
    }

    private static int[][] toArrays(List<List<Integer>> where) {
        int[][] out = new int[where.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = where.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    int crossbarsUsed() {
        return Arrays.stream(used).sum();
    }

    int coresUsed() {
        return (int) Arrays.stream(used).filter(u -> u > 0).count();
    }
}
