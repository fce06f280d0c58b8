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
}
