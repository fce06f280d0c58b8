package org.pimopt.sim;

import java.util.List;
import org.pimopt.cost.EnergyBreakdown;

/**
 * What a simulation measured for one batch (steady state).
 *
 * @param schedule            how ops shared time
 * @param effects             the physical effects that were on ({@link SimConfig#effects})
 * @param batch               samples
 * @param latencyNs           batch latency
 * @param energy              energy by where it went
 * @param dramBytes           bytes moved to and from DRAM (weights, activations, learned tensors)
 * @param cellsWritten        crossbar cells programmed
 * @param worstCrossbarWrites most writes of one crossbar in the batch (endurance)
 * @param layoutExecuted      whether the plan's layout placed the tiles and scheduled the writes
 * @param mvms                crossbar MVMs
 * @param crossbarUtilization busy crossbar-time over all crossbars times the latency
 * @param coreUtilization     mean over cores of the fraction of time a core had an MVM running
 * @param events              events the engine processed (task completions)
 * @param partitions          per-partition breakdown
 * @param layers              per-layer breakdown (layers that ran work)
 * @param timeline            every task with its times, for traces and pictures
 */
public record SimResult(Schedule schedule, String effects, int batch, double latencyNs, EnergyBreakdown energy,
                        long dramBytes, long cellsWritten, int worstCrossbarWrites, boolean layoutExecuted, long mvms, double crossbarUtilization,
                        double coreUtilization, long events, List<PartitionStats> partitions, List<LayerStats> layers,
                        Timeline timeline) {

    public SimResult {
        partitions = List.copyOf(partitions);
        layers = List.copyOf(layers);
    }

    /**
     * One partition: when it started, how long programming and compute took, and how many crossbars
     * it occupies on each core ({@code straddled}: some copy had to straddle cores).
     */
    public record PartitionStats(int index, double startNs, double writeNs, double computeNs, long dramBytes,
                                 long cellsWritten, long crossbarsUsed, int coresUsed, boolean straddled,
                                 List<Integer> crossbarsPerCore) {
        public PartitionStats {
            crossbarsPerCore = List.copyOf(crossbarsPerCore);
        }
    }

    /** One layer: its MVMs (or vector ops), busy time summed over its tasks, first start and last end. */
    public record LayerStats(String name, String kind, String partitions, long mvms, long vectorOps, double busyNs,
                             double firstStartNs, double lastEndNs) {}

    public double throughputPerSecond() {
        return batch / latencyNs * 1e9;
    }

    public double energyPerSamplePj() {
        return energy.totalPj() / batch;
    }

    /** Energy per sample times latency per sample, pJ*ns. */
    public double edp() {
        return energyPerSamplePj() * (latencyNs / batch);
    }
}
