package org.pimopt.cost;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;

/** Every weighted layer of a network tiled onto one chip, with the whole-network totals. */
public record NetworkTiling(Network network, Chip chip, List<LayerTiling> layers) {

    public NetworkTiling {
        layers = List.copyOf(layers);
    }

    public static NetworkTiling of(Network network, Chip chip) {
        List<LayerTiling> tilings = new ArrayList<>();
        for (Layer layer : network.weightedLayers()) {
            tilings.add(LayerTiling.of(layer, chip));
        }
        return new NetworkTiling(network, chip, tilings);
    }

    public List<Unit> units() {
        return layers.stream().flatMap(t -> t.units().stream()).toList();
    }

    /** Crossbars needed to hold one copy of every weighted layer. */
    public long crossbarsNeeded() {
        return layers.stream().mapToLong(LayerTiling::crossbarsPerCopy).sum();
    }

    public long weightBytes() {
        return layers.stream().mapToLong(LayerTiling::weightBytes).sum();
    }

    /**
     * A lower bound on the partitions of any plan: every crossbar of one copy must be programmed
     * in some partition, and a partition has the chip's crossbars.
     */
    public long minPartitions() {
        return Math.max(1, CrossbarGeometry.ceilDivLong(crossbarsNeeded(), chip.totalCrossbars()));
    }

    /** Whether one copy of every unit packs into the chip's cores at once (first-fit decreasing). */
    public boolean fitsOnChip() {
        return crossbarsNeeded() <= chip.totalCrossbars() && CorePacking.fits(units(), chip);
    }
}
