package org.pimopt.solve.copies;

import java.util.List;
import org.pimopt.cost.BatchMetrics;

/**
 * Two floors combined figure by figure (latency, energy, cells written, DRAM bytes: all a goal
 * reads), with no partitions. Every goal's order grows with each figure, so the componentwise
 * minimum of two floors is below whatever either is below, and when both are below a choice their
 * componentwise maximum is too.
 */
public final class FloorMetrics {
    private FloorMetrics() {}

    /** The floor of nothing known: zero in every figure, below every choice. */
    public static BatchMetrics zero(int batch) {
        return new BatchMetrics(batch, 0, org.pimopt.cost.EnergyBreakdown.ZERO, 0, 0, List.of());
    }

    /** No worse than either in any figure: below everything {@code a} or {@code b} is below. */
    public static BatchMetrics below(BatchMetrics a, BatchMetrics b) {
        return new BatchMetrics(a.batch(), Math.min(a.latencyNs(), b.latencyNs()),
                a.energy().totalPj() <= b.energy().totalPj() ? a.energy() : b.energy(),
                Math.min(a.cellsWritten(), b.cellsWritten()), Math.min(a.dramBytes(), b.dramBytes()), List.of());
    }

    /** No better than either in any figure: below every choice that both are below. */
    public static BatchMetrics tighter(BatchMetrics a, BatchMetrics b) {
        return new BatchMetrics(a.batch(), Math.max(a.latencyNs(), b.latencyNs()),
                a.energy().totalPj() >= b.energy().totalPj() ? a.energy() : b.energy(),
                Math.max(a.cellsWritten(), b.cellsWritten()), Math.max(a.dramBytes(), b.dramBytes()), List.of());
    }
}
