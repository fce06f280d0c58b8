package org.pimopt.cost;

/**
 * The smallest piece of a weighted layer that a plan places: a block of output-column stripes of
 * at most one core (COMPASS's unit), a single stripe taller than a core (it spans cores and sums
 * partial results over the NoC), or a row chunk of a stripe taller than the chip (partial sums go
 * through DRAM).
 *
 * @param layer          index of the layer in the network
 * @param ordinal        position among the layer's units
 * @param crossbars      crossbars one copy of the unit occupies
 * @param stripes        output-column stripes it holds
 * @param rowChunk       which row chunk (0 unless the layer's stripes are taller than the chip)
 * @param outputColumns  output columns (per-group columns times groups) it produces
 * @param weights        weights it holds
 * @param rowsProgrammed crossbar rows written to program one copy
 * @param cellsWritten   cells written to program one copy (the used rectangle of each crossbar)
 * @param weightBytes    bytes of its weights in DRAM
 */
public record Unit(int layer, int ordinal, int crossbars, int stripes, int rowChunk, int outputColumns,
                   long weights, long rowsProgrammed, long cellsWritten, long weightBytes) {

    /** Rows written to program crossbar {@code i} of one copy: the copy's rows spread evenly over its crossbars. */
    public long rowsOfCrossbar(int i) {
        return spread(rowsProgrammed, crossbars, i);
    }

    /** Rows written to the unit's most-written crossbar (its first): what one write slot must write alone. */
    public long mostRowsOfCrossbar() {
        return rowsOfCrossbar(0);
    }

    /** Cells written to program crossbar {@code i} of one copy, spread like {@link #rowsOfCrossbar}. */
    public long cellsOfCrossbar(int i) {
        return spread(cellsWritten, crossbars, i);
    }

    /** Share {@code i} of {@code total} split into {@code parts} near-equal integers (the first ones larger). */
    private static long spread(long total, int parts, int i) {
        return total / parts + (i < total % parts ? 1 : 0);
    }
}
