package org.pimopt.cost;

/** Time and energy of one partition for a batch, from {@link CostModel#partition}. */
public record PartitionMetrics(double computeNs, double writeNs, double bottleneckNs, double ioNs,
                               long dramBytes, long cellsWritten, EnergyBreakdown energyWithoutStatic) {
    public double latencyNs() {
        return computeNs + writeNs;
    }
}
