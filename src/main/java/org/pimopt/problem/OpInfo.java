package org.pimopt.problem;

import java.util.List;
import org.pimopt.cost.LayerTiling;
import org.pimopt.ir.Layer;

/**
 * A weighted layer as the optimizer sees it: its units (a contiguous range of the instance's unit
 * order), its MVM steps per sample, and the weighted ops it waits for.
 *
 * @param index        position among the instance's ops
 * @param layer        the network layer
 * @param tiling       how it maps onto crossbars
 * @param firstUnit    id of its first unit
 * @param unitCount    number of units
 * @param positions    MVM steps per sample of one copy (output positions)
 * @param predecessors ops whose outputs it reads, directly or through vector ops
 */
public record OpInfo(int index, Layer layer, LayerTiling tiling, int firstUnit, int unitCount, long positions,
                     List<Integer> predecessors) {
    public OpInfo {
        predecessors = List.copyOf(predecessors);
    }

    public String name() {
        return layer.name();
    }

    /** Crossbars of one copy of all its units. */
    public long crossbars() {
        return tiling.crossbarsPerCopy();
    }

    public int lastUnit() {
        return firstUnit + unitCount - 1;
    }

    /**
     * 1 and every copy count up to {@code max} (and its positions) at which {@code ceil(positions / r)}
     * drops, increasing. Any other count costs more crossbars, rows and cells than the smallest
     * count with the same steps and saves nothing, so leaving it out loses no optimum.
     */
    public int[] usefulCopies(long max) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        long r = 1;
        while (r <= Math.min(positions, max)) {
            out.add((int) r);
            long steps = (positions + r - 1) / r;
            if (steps == 1) {
                break;
            }
            r = (positions + steps - 2) / (steps - 1);   // least r with ceil(positions / r) <= steps - 1
        }
        if (out.isEmpty()) {
            out.add(1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
