package org.pimopt.cost;

/**
 * Time and energy of one partition for a batch, from {@link CostModel#partition}.
 *
 * @param bottleneckNs the slowest compute stage per sample (MVM stages and the vector stage)
 * @param ioNs         DRAM traffic time per sample
 * @param vectorNs     the vector stage per sample
 * @param nocNs        what the on-chip transfers on the critical path add to it (part of the fill only)
 */
public record PartitionMetrics(double computeNs, double writeNs, double bottleneckNs, double ioNs, double vectorNs,
                               double nocNs, long dramBytes, long cellsWritten, EnergyBreakdown energyWithoutStatic) {
    public double latencyNs() {
        return computeNs + writeNs;
    }
}
