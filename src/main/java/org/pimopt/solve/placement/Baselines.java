package org.pimopt.solve.placement;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.hw.Chip;

/**
 * Placements of the literature: PIMCOMP's first-fit of items in layer order over cores in index
 * (row-major) order, and MNSIM's snake order (rows alternately left to right and right to left).
 * When layer order does not fit (first-fit is not an exact packer), items go largest first.
 */
public final class Baselines {
    private Baselines() {}

    /** Cores in row-major order. */
    public static int[] rowMajor(Chip chip) {
        int[] order = new int[chip.cores()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        return order;
    }

    /**
     * Both baselines of a problem, their byte-hops and most-loaded link (NaN where a baseline
     * finds no placement), and the better of the two, which the exact models start from.
     */
    public record Both(int[] firstFit, int[] snake, double firstFitHops, double snakeHops,
                       double firstFitMaxLink, double snakeMaxLink) {
        /** The baseline with fewer byte-hops, or the only one, or null. */
        public int[] better() {
            return firstFit == null ? snake : snake == null ? firstFit : (snakeHops < firstFitHops ? snake : firstFit);
        }

        /** The name of {@link #better()}'s layout, as a fallback is named to the user. */
        public String betterName() {
            int[] b = better();
            return b == null ? null : b == firstFit ? "first-fit" : "snake";
        }
    }

    public static Both both(PlacementProblem problem) {
        int[] ff = firstFit(problem);
        int[] sn = snakeFit(problem);
        return new Both(ff, sn, ff == null ? Double.NaN : problem.byteHops(ff), sn == null ? Double.NaN : problem.byteHops(sn),
                ff == null ? Double.NaN : problem.maxLinkBytes(ff), sn == null ? Double.NaN : problem.maxLinkBytes(sn));
    }

    /** Cores in snake (boustrophedon) order: even rows left to right, odd rows right to left. */
    public static int[] snake(Chip chip) {
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < chip.meshRows(); r++) {
            for (int j = 0; j < chip.meshCols(); j++) {
                int col = r % 2 == 0 ? j : chip.meshCols() - 1 - j;
                int core = r * chip.meshCols() + col;
                if (core < chip.cores()) {
                    order.add(core);
                }
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    public static int[] firstFit(PlacementProblem problem) {
        return fill(problem, rowMajor(problem.chip()));
    }

    public static int[] snakeFit(PlacementProblem problem) {
        return fill(problem, snake(problem.chip()));
    }

    /** Items in layer order (else largest first) into the first core of {@code cores} with room; null if none fits. */
    public static int[] fill(PlacementProblem problem, int[] cores) {
        int n = problem.items().size();
        List<Integer> layerOrder = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            layerOrder.add(i);
        }
        int[] placed = fill(problem, cores, layerOrder);
        if (placed != null) {
            return placed;
        }
        List<Integer> largestFirst = new ArrayList<>(layerOrder);
        largestFirst.sort((a, b) -> Integer.compare(problem.items().get(b).size(), problem.items().get(a).size()));
        return fill(problem, cores, largestFirst);
    }

    private static int[] fill(PlacementProblem problem, int[] cores, List<Integer> order) {
        int capacity = problem.chip().crossbarsPerCore();
        int[] free = new int[problem.chip().cores()];
        java.util.Arrays.fill(free, capacity);
        int[] coreOf = new int[problem.items().size()];
        for (int i : order) {
            int size = problem.items().get(i).size();
            int chosen = -1;
            for (int k : cores) {
                if (free[k] >= size) {
                    chosen = k;
                    break;
                }
            }
            if (chosen < 0) {
                return null;
            }
            free[chosen] -= size;
            coreOf[i] = chosen;
        }
        return coreOf;
    }
}
