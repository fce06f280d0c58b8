package org.pimopt.cost;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.hw.Chip;

/**
 * The analytic cost model of DESIGN section 5: the one place of the time and energy formulas.
 * Bytes over GB/s give ns (1 GB/s = 1 byte/ns).
 */
public final class CostModel {
    private CostModel() {}

    /** Stage time of one replica in ns: {@code ceil(O / r) * mvmLatencyNs}. */
    public static double stageNs(Chip chip, PartitionProfile.Stage stage) {
        return stage.stepsPerReplica() * chip.mvmLatencyNs();
    }

    /**
     * One partition for a batch of {@code batch} samples. {@code programmed}: whether its weights are
     * written every batch (true whenever a plan has two or more partitions; a single partition's
     * weights are written once and amortized away).
     * <ul>
     *   <li>compute: {@code T = IO + CP + V + (B-1) * max(max_k S_k, V, IO) + IO1}. The first
     *       sample pays its DRAM traffic {@code IO} (inputs loaded, outputs stored), the critical
     *       path {@code CP} through the partition's stages (one per op: the units of an op compute
     *       side by side; an op waits for the ops it reads and their on-chip transfers to it) and
     *       the pooled vector stage {@code V} (the partition's vector work on the vector units of
     *       every core); samples follow at the rate of the slowest stage or the DRAM channel.
     *       Per-batch loads {@code IO1} add their transfer once;
     *   <li>write: {@code W = max(rows * writeNsPerRow / writeParallelism, weightBytes / dramGBps,
     *       max over units of unitProgramNs)}: the write slots share the rows, the DRAM channel brings
     *       the weights, and no unit is written before its weights arrive ({@link #unitProgramNs}).
     * </ul>
     * formulations/partitioning.md ("Time") states it in full.
     */
    public static PartitionMetrics partition(Chip chip, int batch, PartitionProfile p, boolean programmed) {
        return partition(chip, batch, p, programmed, StageTimes.of(chip, p));
    }

    /**
     * The MVM stages' times: their part of the fill, the critical path of the partition's dataflow
     * with the on-chip transfers on it ({@link StageGraph#criticalPath}), the slowest stage, and the
     * transfers' share of the path (the path less the same path without transfers; reported, not
     * priced twice).
     */
    public record StageTimes(double fillNs, double slowestNs, double transferNs) {
        /** Times whose transfers' share is not told apart (the floors of the searches). */
        public StageTimes(double fillNs, double slowestNs) {
            this(fillNs, slowestNs, 0);
        }

        public static StageTimes of(Chip chip, PartitionProfile p) {
            double[] ns = new double[p.stages().size()];
            double slowest = 0;
            for (int i = 0; i < ns.length; i++) {
                ns[i] = stageNs(chip, p.stages().get(i));
                slowest = Math.max(slowest, ns[i]);
            }
            double path = StageGraph.criticalPath(p, ns);
            return new StageTimes(path, slowest, path - StageGraph.stagesOnly(p.stages(), ns));
        }
    }

    /** The pooled vector stage: a partition's vector operations per sample on every core's vector units. */
    public static double vectorNs(Chip chip, long vectorOps) {
        return vectorOps * Rates.of(chip).vectorNsPerOp();
    }

    /** On-chip transfer time of {@code transfers} transfers of {@code bytes} in all, one after another: each one's head latency (mean hops) plus the bytes over one link. */
    public static double nocNs(Chip chip, long bytes, long transfers) {
        Rates rates = Rates.of(chip);
        return transfers * rates.nocNsPerTransfer() + bytes * rates.nocNsPerByte();
    }

    /** One on-chip transfer of {@code bytes}: its head latency at the mean hop distance plus the bytes over one link. */
    public static double transferNs(Chip chip, long bytes) {
        return nocNs(chip, bytes, 1);
    }

    /**
     * {@link #partition(Chip, int, PartitionProfile, boolean)} with the MVM stage times given instead
     * of taken from the profile's stages: a search prices lower bounds on them through it (every
     * figure grows with the fill and the slowest stage).
     */
    public static PartitionMetrics partition(Chip chip, int batch, PartitionProfile p, boolean programmed, StageTimes times) {
        Rates rates = Rates.of(chip);
        double fill = times.fillNs();
        double slowest = times.slowestNs();
        double ioNs = p.dramBytesPerSample() * rates.dramNsPerByte();
        double vectorNs = p.vectorOpsPerSample() * rates.vectorNsPerOp();
        double nocNs = times.transferNs();
        double bottleneck = Math.max(slowest, vectorNs);
        double compute = ioNs + fill + vectorNs + (batch - 1) * Math.max(bottleneck, ioNs)
                + p.dramBytesPerBatch() * rates.dramNsPerByte();
        double write = 0;
        long cells = 0;
        long weightBytes = 0;
        if (programmed) {
            write = Math.max(Math.max(rowWriteNs(chip, p.rowsProgrammed()), weightLoadNs(chip, p.weightBytes())),
                    p.unitProgramNsMax());
            cells = p.cellsWritten();
            weightBytes = p.weightBytes();
        }
        long dramBytes = batch * p.dramBytesPerSample() + p.dramBytesPerBatch() + weightBytes;
        EnergyBreakdown energy = new EnergyBreakdown(
                (double) batch * p.crossbarMvmsPerSample() * chip.mvmEnergyPj(),
                cells * chip.writeEnergyPjPerCell(),
                dramBytes * chip.dramPjPerByte(),
                (double) batch * p.vectorOpsPerSample() * chip.vectorPjPerOp(),
                batch * p.nocByteHopsPerSample() * chip.pjPerByteHop(),
                0);
        return new PartitionMetrics(compute, write, bottleneck, ioNs, vectorNs, nocNs, dramBytes, cells, energy);
    }

    /**
     * A plan's partitions in order: {@code L = sum_p (W_p + T_p)} (no overlap of writing and
     * computing), energy summed plus static power over the batch latency.
     */
    public static BatchMetrics batch(Chip chip, int batch, List<PartitionProfile> partitions) {
        boolean programmed = partitions.size() >= 2;
        List<PartitionMetrics> metrics = new ArrayList<>();
        double latency = 0;
        EnergyBreakdown energy = EnergyBreakdown.ZERO;
        long cells = 0;
        long dram = 0;
        for (PartitionProfile p : partitions) {
            PartitionMetrics m = partition(chip, batch, p, programmed);
            metrics.add(m);
            latency += m.latencyNs();
            energy = energy.plus(m.energyWithoutStatic());
            cells += m.cellsWritten();
            dram += m.dramBytes();
        }
        energy = energy.plus(new EnergyBreakdown(0, 0, 0, 0, 0, staticPj(chip, latency)));
        return new BatchMetrics(batch, latency, energy, cells, dram, metrics);
    }

    /** One partition priced alone, as if it were a plan (for objectives that add up over partitions). */
    public static BatchMetrics asPlan(Chip chip, int batch, PartitionProfile p, boolean programmed) {
        return asPlan(chip, batch, p, programmed, StageTimes.of(chip, p));
    }

    /** {@link #asPlan(Chip, int, PartitionProfile, boolean)} with the stage times given. */
    public static BatchMetrics asPlan(Chip chip, int batch, PartitionProfile p, boolean programmed, StageTimes times) {
        PartitionMetrics m = partition(chip, batch, p, programmed, times);
        EnergyBreakdown energy = m.energyWithoutStatic().plus(new EnergyBreakdown(0, 0, 0, 0, 0, staticPj(chip, m.latencyNs())));
        return new BatchMetrics(batch, m.latencyNs(), energy, m.cellsWritten(), m.dramBytes(), List.of(m));
    }

    /** Time to program {@code rows} crossbar rows, {@code writeParallelism} rows at a time. */
    public static double rowWriteNs(Chip chip, double rows) {
        return rows * chip.writeNsPerRow() / chip.writeParallelism();
    }

    /**
     * One unit programmed alone: its weights fetched from DRAM, then one copy written, its rows at
     * the write slots' rate and no faster than its most-written crossbar row by row. No crossbar of
     * a unit is written before the unit's weights arrive, so a partition is programmed no faster
     * than this for any of its units (formulations/partitioning.md, "Time of a partition").
     */
    public static double unitProgramNs(Chip chip, Unit u) {
        return weightLoadNs(chip, u.weightBytes())
                + Math.max(rowWriteNs(chip, u.rowsProgrammed()), u.mostRowsOfCrossbar() * chip.writeNsPerRow());
    }

    /** Time to read {@code bytes} of weights from DRAM. */
    public static double weightLoadNs(Chip chip, double bytes) {
        return bytes / chip.dramGBps();
    }

    /** Static energy over {@code ns}: W x ns = 1e-9 J = 1e3 pJ. */
    public static double staticPj(Chip chip, double ns) {
        return chip.staticPowerW() * ns * 1e3;
    }
}
