package org.pimopt.cost;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.PimoptException;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;

/** Every weighted layer of a network tiled onto one chip, with the whole-network totals. */
public record NetworkTiling(Network network, Chip chip, List<LayerTiling> layers) {

    public NetworkTiling {
        layers = List.copyOf(layers);
    }

    /**
     * At most this many stripes and units are listed for one network: 2 million, five times the
     * largest instance users have run (a linear layer of 1e8 weights, 396,054 units) and far above
     * any real layer (stripes are blocks of output columns: a 32768 x 32768 layer has 650), where a
     * file asking for more (a layer of 2^31 outputs) took minutes and gigabytes before anything
     * could be said.
     */
    public static final long MAX_LISTED = 1L << 21;

    public static NetworkTiling of(Network network, Chip chip) {
        long listed = 0;
        for (Layer layer : network.weightedLayers()) {
            listed = Math.min(Long.MAX_VALUE / 2, listed + LayerTiling.listed(layer, chip));
            if (listed > MAX_LISTED) {
                throw new PimoptException(network.name() + ": layer '" + layer.name() + "' brings its tiling on " + chip.name()
                        + " to " + (listed == Long.MAX_VALUE / 2 ? "more than 2^62" : String.format("%,d", listed))
                        + " crossbar stripes and units, more than the " + String.format("%,d", MAX_LISTED) + " pimopt handles");
            }
        }
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
