package org.pimopt.cost;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.MatrixView;

/**
 * How one weighted layer maps onto crossbars of a chip, and its units. This is the one place of
 * the tiling formulas:
 * <ul>
 *   <li>a crossbar holds {@code R} matrix rows by {@code floor(C / cellsPerWeight)} weight columns;
 *   <li>dense: a column stripe is {@code ceil(rows/R)} crossbars tall and there are
 *       {@code ceil(cols/weightColumns)} stripes per group;
 *   <li>block-diagonal: when a whole group's matrix fits in one crossbar, several groups share a
 *       crossbar along its diagonal ({@code min(floor(R/rows), floor(weightColumns/cols))} of them),
 *       each crossbar being a stripe one crossbar tall;
 *   <li>units: {@code floor(crossbarsPerCore / stripeHeight)} stripes per unit when a stripe fits in a
 *       core; one stripe per unit when it spans cores; row chunks of at most the chip's crossbars
 *       when a stripe is taller than the chip.
 * </ul>
 */
public record LayerTiling(Layer layer, MatrixView matrix, Packing packing, int groupsPerCrossbar,
                          int stripeHeight, int stripes, long outputPositions, List<Unit> units) {

    /** How the groups of a layer share crossbars. */
    public enum Packing {
        /** One matrix (groups = 1). */
        DENSE,
        /** Several small groups per crossbar, along its diagonal. */
        BLOCK_DIAGONAL,
        /** Each group tiled on its own crossbars. */
        PER_GROUP
    }

    public LayerTiling {
        units = List.copyOf(units);
    }

    public static LayerTiling of(Layer layer, Chip chip) {
        CrossbarGeometry xb = CrossbarGeometry.of(chip);
        MatrixView m = layer.matrix();
        int groups = m.groups();
        List<Stripe> stripes = new ArrayList<>();
        Packing packing;
        int groupsPerCrossbar = 0;
        int height;
        if (groups > 1 && m.rows() <= xb.rows() && m.cols() <= xb.weightColumns()) {
            packing = Packing.BLOCK_DIAGONAL;
            groupsPerCrossbar = Math.min(xb.rows() / m.rows(), xb.weightColumns() / m.cols());
            height = 1;
            for (int g = 0; g < groups; g += groupsPerCrossbar) {
                int n = Math.min(groupsPerCrossbar, groups - g);
                stripes.add(new Stripe(n * m.rows(), n * m.cols(), (long) n * m.rows() * m.cols()));
            }
        } else {
            packing = groups == 1 ? Packing.DENSE : Packing.PER_GROUP;
            height = CrossbarGeometry.ceilDiv(m.rows(), xb.rows());
            int perGroup = CrossbarGeometry.ceilDiv(m.cols(), xb.weightColumns());
            for (int g = 0; g < groups; g++) {
                for (int s = 0; s < perGroup; s++) {
                    int cols = Math.min(xb.weightColumns(), m.cols() - s * xb.weightColumns());
                    stripes.add(new Stripe(m.rows(), cols, (long) m.rows() * cols));
                }
            }
        }
        List<Unit> units = units(layer.index(), stripes, height, chip, xb);
        return new LayerTiling(layer, m, packing, groupsPerCrossbar, height, stripes.size(),
                layer.outputPositions(), units);
    }

    /**
     * How many stripes and units {@link #of} lists for the layer, counted without listing them (a
     * file can ask for a layer of 2^31 outputs: 67 million stripes on a 256x256 crossbar).
     */
    public static long listed(Layer layer, Chip chip) {
        CrossbarGeometry xb = CrossbarGeometry.of(chip);
        MatrixView m = layer.matrix();
        long groups = m.groups();
        if (groups > 1 && m.rows() <= xb.rows() && m.cols() <= xb.weightColumns()) {
            long perCrossbar = Math.min(xb.rows() / m.rows(), xb.weightColumns() / m.cols());
            return 2 * CrossbarGeometry.ceilDivLong(groups, perCrossbar); // a unit holds one stripe or more
        }
        long height = CrossbarGeometry.ceilDivLong(m.rows(), xb.rows());
        long stripes = groups * CrossbarGeometry.ceilDivLong(m.cols(), xb.weightColumns());
        long units;
        try {
            units = height <= chip.crossbarsPerCore()
                    ? CrossbarGeometry.ceilDivLong(stripes, chip.crossbarsPerCore() / height)
                    : Math.multiplyExact(stripes, CrossbarGeometry.ceilDivLong(height, Math.min(height, chip.totalCrossbars())));
            return Math.addExact(stripes, units);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One output-column stripe: {@code rows} matrix rows by {@code cols} weight columns. */
    private record Stripe(int rows, int cols, long weights) {}

    private static List<Unit> units(int layer, List<Stripe> stripes, int height, Chip chip, CrossbarGeometry xb) {
        List<Unit> units = new ArrayList<>();
        long chipCrossbars = chip.totalCrossbars();
        if (height <= chip.crossbarsPerCore()) {
            int perUnit = chip.crossbarsPerCore() / height;
            for (int first = 0; first < stripes.size(); first += perUnit) {
                List<Stripe> group = stripes.subList(first, Math.min(stripes.size(), first + perUnit));
                units.add(unit(layer, units.size(), group, height, 0, xb));
            }
        } else {
            // A stripe taller than a core is one unit, or, taller than the chip, one unit per row chunk.
            int chunkBlocks = (int) Math.min(height, chipCrossbars);
            int chunks = CrossbarGeometry.ceilDiv(height, chunkBlocks);
            for (Stripe s : stripes) {
                for (int c = 0; c < chunks; c++) {
                    int firstRow = c * chunkBlocks * xb.rows();
                    int rows = Math.min(chunkBlocks * xb.rows(), s.rows() - firstRow);
                    Stripe chunk = new Stripe(rows, s.cols(), (long) rows * s.cols());
                    units.add(unit(layer, units.size(), List.of(chunk), CrossbarGeometry.ceilDiv(rows, xb.rows()), c, xb));
                }
            }
        }
        return units;
    }

    private static Unit unit(int layer, int ordinal, List<Stripe> stripes, int height, int rowChunk,
                             CrossbarGeometry xb) {
        long weights = 0;
        long rowsProgrammed = 0;
        long cells = 0;
        int cols = 0;
        for (Stripe s : stripes) {
            weights += s.weights();
            rowsProgrammed += s.rows();
            cells += (long) s.rows() * s.cols() * xb.cellsPerWeight();
            cols += s.cols();
        }
        return new Unit(layer, ordinal, stripes.size() * height, stripes.size(), rowChunk, cols, weights,
                rowsProgrammed, cells, xb.weightBytes(weights));
    }

    /** Crossbars one copy of the layer needs. */
    public long crossbarsPerCopy() {
        return units.stream().mapToLong(Unit::crossbars).sum();
    }

    public long weightBytes() {
        return units.stream().mapToLong(Unit::weightBytes).sum();
    }

    public long cellsWritten() {
        return units.stream().mapToLong(Unit::cellsWritten).sum();
    }

    public long rowsProgrammed() {
        return units.stream().mapToLong(Unit::rowsProgrammed).sum();
    }

    /** Row chunks per stripe: more than one only for a stripe taller than the whole chip. */
    public int rowChunks() {
        return units.stream().mapToInt(Unit::rowChunk).max().orElse(0) + 1;
    }
}
