package org.pimopt.cost;

import org.pimopt.hw.Chip;

/**
 * The coefficients of the analytic model, read from a chip once: what one MVM step, one row
 * written, one DRAM byte, one vector operation and one on-chip transfer cost in time and energy.
 * Every engine (CP-SAT, Choco, MILP, the searches, the bounds) takes its coefficients from here
 * and {@link CostModel} combines them, so a term is written once and cannot differ between engines.
 *
 * @param mvmNs            one MVM step of one replica ({@code mvmLatencyNs})
 * @param rowWriteNs       one crossbar row programmed, write parallelism shared
 *                         ({@code writeNsPerRow / writeParallelism})
 * @param crossbarRowNs    one row of one crossbar programmed on its own write slot
 *                         ({@code writeNsPerRow}): a crossbar is written by one slot, so no partition
 *                         is programmed faster than its most-written crossbar
 * @param dramNsPerByte    one byte over the DRAM channel ({@code 1 / dramGBps})
 * @param vectorNsPerOp    one vector operation on the chip's pooled vector units
 *                         ({@code 1 / (cores * vectorUnitsPerCore * vectorOpsPerNsPerUnit)})
 * @param nocNsPerByte     one byte over one NoC link ({@code 1 / linkGBps})
 * @param nocNsPerTransfer the head latency of one on-chip transfer: the mesh's mean hop distance
 *                         times {@code hopNs}
 * @param meanHops         mean Manhattan distance between two cores drawn independently and
 *                         uniformly from the chip's cores on its mesh
 */
public record Rates(double mvmNs, double rowWriteNs, double crossbarRowNs, double dramNsPerByte, double vectorNsPerOp, double nocNsPerByte,
                    double nocNsPerTransfer, double meanHops) {

    public static Rates of(Chip chip) {
        double hops = meanHops(chip);
        return new Rates(chip.mvmLatencyNs(), chip.writeNsPerRow() / chip.writeParallelism(), chip.writeNsPerRow(),
                1.0 / chip.dramGBps(),
                1.0 / ((double) chip.cores() * chip.vectorUnitsPerCore() * chip.vectorOpsPerNsPerUnit()),
                1.0 / chip.linkGBps(), hops * chip.hopNs(), hops);
    }

    /**
     * Mean Manhattan distance between two cores drawn independently and uniformly from the chip's
     * cores, core {@code i} sitting at row {@code i / meshCols}, column {@code i % meshCols} (a
     * core may be drawn twice: a transfer may stay in its core). Row and column distances add up
     * separately; each is summed in closed form, so the cost does not grow with the mesh.
     */
    public static double meanHops(Chip chip) {
        long cols = chip.meshCols();
        long n = chip.cores();
        long rows = (n + cols - 1) / cols;
        // Cores per row: cols in each full row, the rest in the last one.
        double rowPairs = pairDistances(cols, n / cols, n % cols, rows);
        // Cores per column: one more in the first (n mod cols) columns.
        double colPairs = pairDistances(n / cols + 1, n % cols, n / cols, cols);
        return (rowPairs + colPairs) / ((double) n * n);
    }

    /**
     * Sum over ordered pairs of lines {@code i, j} of a row (or column) of lines of
     * {@code count[i] count[j] |i - j|}, where the first {@code t} of the {@code lines} lines hold
     * {@code hi} cores and the others {@code lo}.
     */
    static double pairDistances(long hi, long t, long lo, long lines) {
        long rest = lines - t;
        double inner = hi * (double) hi * within(t) + lo * (double) lo * within(rest);
        // Lines i < t against lines j >= t: sum of (j - i) = t * sum(j) - rest * sum(i).
        double sumJ = (t + lines - 1) * (double) rest / 2;
        double sumI = (t - 1) * (double) t / 2;
        double across = t * sumJ - rest * sumI;
        return inner + 2.0 * hi * lo * across;
    }

    /** Sum of |i - j| over ordered pairs of n lines in a row: n (n^2 - 1) / 3. */
    private static double within(long n) {
        return n * ((double) n * n - 1) / 3;
    }
}
