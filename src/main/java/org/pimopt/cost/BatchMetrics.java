package org.pimopt.cost;

import java.util.List;

/** A whole plan's figures for one batch of {@code batch} samples (steady state). */
public record BatchMetrics(int batch, double latencyNs, EnergyBreakdown energy, long cellsWritten, long dramBytes,
                           List<PartitionMetrics> partitions) {

    public BatchMetrics {
        partitions = List.copyOf(partitions);
    }

    /** Partitions priced one by one (see {@link CostModel#asPlan}) and run in order. */
    public static BatchMetrics concat(int batch, List<BatchMetrics> parts) {
        double latency = 0;
        EnergyBreakdown energy = EnergyBreakdown.ZERO;
        long cells = 0;
        long dram = 0;
        List<PartitionMetrics> all = new java.util.ArrayList<>();
        for (BatchMetrics m : parts) {
            latency += m.latencyNs;
            energy = energy.plus(m.energy);
            cells += m.cellsWritten;
            dram += m.dramBytes;
            all.addAll(m.partitions);
        }
        return new BatchMetrics(batch, latency, energy, cells, dram, all);
    }

    /**
     * {@link #concat} of two without the per-partition list: for searches that compare totals of
     * many partial plans, where copying the list would cost as much as the path is long.
     */
    public static BatchMetrics totals(int batch, BatchMetrics first, BatchMetrics second) {
        // The sums of concat, written out: a shortest path adds millions of these.
        return new BatchMetrics(batch, first.latencyNs + second.latencyNs, first.energy.plus(second.energy),
                first.cellsWritten + second.cellsWritten, first.dramBytes + second.dramBytes, List.of());
    }

    /** Samples per second. */
    public double throughputPerSecond() {
        return batch / latencyNs * 1e9;
    }

    public double energyPerSamplePj() {
        return energy.totalPj() / batch;
    }

    /** Energy per sample times latency per sample, in pJ*ns. */
    public double edp() {
        return edp(batch, latencyNs, energy.totalPj());
    }

    /** {@link #edp()} of a batch's latency and energy (searches bound the two apart). */
    public static double edp(int batch, double latencyNs, double energyPj) {
        return energyPj / batch * (latencyNs / batch);
    }
}
