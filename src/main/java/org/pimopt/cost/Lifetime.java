package org.pimopt.cost;

import org.pimopt.hw.Chip;

/**
 * How long a chip's cells last under a plan, with wear levelling: the one statement of the
 * lifetime a {@code --limit lifetime=...} holds a plan to (formulations/limits.md, "Lifetime").
 *
 * <p>Every batch of a plan of two or more partitions programs {@code cellsWritten} cells. Which
 * physical crossbar a tile takes is free from one batch to the next (all tiles are rewritten every
 * batch), so rotating the sites spreads the writes over all the chip's cells: the most-written cell
 * takes {@code cellsWritten / totalCells} writes per batch in the long run. At {@code rate}
 * inferences per second it reaches the cells' endurance after
 * {@code endurance * totalCells * batch / (cellsWritten * rate)} seconds. A plan also meets a
 * lifetime at a rate only if it sustains that rate: a batch may take at most {@code batch / rate}.
 * Without rotation the most-written crossbar wears faster; {@code place} reports it for a placement.
 */
public final class Lifetime {
    private Lifetime() {}

    /** Cells of the whole chip. */
    public static double totalCells(Chip chip) {
        return (double) chip.totalCrossbars() * chip.crossbarRows() * chip.crossbarCols();
    }

    /** Seconds until the levelled cells reach the chip's endurance, at {@code ratePerSecond} inferences. */
    public static double seconds(Chip chip, BatchMetrics m, double ratePerSecond) {
        return seconds(chip, m.cellsWritten(), m.batch(), ratePerSecond);
    }

    /** {@link #seconds(Chip, BatchMetrics, double)} of a batch of {@code batch} samples that writes {@code cellsPerBatch} cells. */
    public static double seconds(Chip chip, long cellsPerBatch, int batch, double ratePerSecond) {
        if (cellsPerBatch == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return chip.enduranceWrites() * totalCells(chip) * batch / (cellsPerBatch * ratePerSecond);
    }

    /** Most cells a batch may write for the levelled cells to last {@code seconds} at {@code ratePerSecond}. */
    public static double cellsPerBatch(Chip chip, int batch, double seconds, double ratePerSecond) {
        return chip.enduranceWrites() * totalCells(chip) * batch / (seconds * ratePerSecond);
    }

    /** Longest batch latency, in ns, that sustains {@code ratePerSecond} inferences per second. */
    public static double batchNs(int batch, double ratePerSecond) {
        return batch * 1e9 / ratePerSecond;
    }
}
