package org.pimopt.cost;

import org.pimopt.hw.Chip;

/** How weights are laid into one crossbar of a chip: bit slicing over adjacent columns. */
public record CrossbarGeometry(int rows, int cols, int cellsPerWeight, int weightColumns, int weightBits) {

    public static CrossbarGeometry of(Chip chip) {
        int cellsPerWeight = ceilDiv(chip.weightBits(), chip.bitsPerCell());
        return new CrossbarGeometry(chip.crossbarRows(), chip.crossbarCols(), cellsPerWeight,
                chip.crossbarCols() / cellsPerWeight, chip.weightBits());
    }

    /** Bytes of {@code weights} weights in DRAM, packed at weightBits each. */
    public long weightBytes(long weights) {
        return ceilDivLong(weights * weightBits, 8);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** {@code ceil(a / b)} for non-negative longs. */
    public static long ceilDivLong(long a, long b) {
        return (a + b - 1) / b;
    }

}
