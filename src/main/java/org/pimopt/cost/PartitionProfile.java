package org.pimopt.cost;

import java.util.List;

/**
 * What one partition of a plan asks of the chip, counted by the problem from the plan; the
 * {@link CostModel} turns it into time and energy.
 *
 * @param stages                one per op in the partition, in op order: its MVM steps per sample, replicas
 *                              and the stages it reads (the partition's dataflow)
 * @param dramBytesPerSample    activation bytes loaded into and stored from the partition, per sample
 * @param dramBytesPerBatch     bytes loaded once per batch (learned tensors of vector ops)
 * @param crossbarsUsed         crossbars occupied, replicas included
 * @param rowsProgrammed        crossbar rows written to program the partition, replicas included
 * @param cellsWritten          cells written to program the partition, replicas included
 * @param weightBytes           weight bytes read from DRAM to program it (each unit once; replicas
 *                              are written from the same read)
 * @param crossbarMvmsPerSample crossbar MVMs per sample (replication splits them, it does not add)
 * @param vectorOpsPerSample    vector-unit operations per sample
 * @param nocByteHopsPerSample  estimated NoC byte-hops per sample (energy)
 * @param nocBytesPerSample     activation bytes per sample that move between layers of the partition
 *                              over the NoC (each unit's slice of a tensor once, when read where
 *                              it is produced)
 * @param nocTransfersPerSample how many such transfers (slices) a sample makes
 * @param unitProgramNsMax      the longest any one unit of the partition takes to be programmed
 *                              alone, its weights fetched and then written
 *                              ({@link CostModel#unitProgramNs}): programming takes at least this
 * @param transferOnlyNs        the longest chain of on-chip transfers between vector layers that no
 *                              stage lies on (from a layer reading nothing made in the partition);
 *                              the critical path is at least this ({@link StageGraph#criticalPath})
 */
public record PartitionProfile(List<Stage> stages, long dramBytesPerSample, long dramBytesPerBatch,
                               long crossbarsUsed, long rowsProgrammed, long cellsWritten, long weightBytes,
                               long crossbarMvmsPerSample, long vectorOpsPerSample, double nocByteHopsPerSample,
                               long nocBytesPerSample, long nocTransfersPerSample, double unitProgramNsMax,
                               double transferOnlyNs) {

    /**
     * One pipeline stage: an op's units in this partition, {@code replicas} copies of each.
     * {@code after}: the positions, in the profile's stage list, of the stages whose output it reads
     * (directly or through vector layers); each is earlier in the list. {@code afterNs[j]}: the
     * on-chip transfers between stage {@code after[j]}'s output and this stage (the longest chain of
     * them through vector layers; 0 when it reads the stage without a transfer); {@code leadNs}: the
     * longest chain of transfers into it from vector layers that read nothing made in the partition;
     * {@code tailNs}: the longest chain of transfers from its output into the partition's vector
     * layers. The critical path ({@link StageGraph#criticalPath}) adds them to the stages' times.
     */
    public record Stage(int op, long mvmStepsPerSample, int replicas, List<Integer> after, double[] afterNs,
                        double leadNs, double tailNs) {
        public Stage {
            after = List.copyOf(after);
            if (afterNs.length != after.size()) {
                throw new IllegalArgumentException("one transfer time per stage read: " + after.size() + " stages, "
                        + afterNs.length + " times");
            }
        }

        /** A stage reading {@code after} without transfers. */
        public Stage(int op, long mvmStepsPerSample, int replicas, List<Integer> after) {
            this(op, mvmStepsPerSample, replicas, after, new double[after.size()], 0, 0);
        }

        /** A stage that reads no other stage of its partition. */
        public Stage(int op, long mvmStepsPerSample, int replicas) {
            this(op, mvmStepsPerSample, replicas, List.of());
        }

        /** MVM steps per sample of one replica: the op's positions shared among its replicas. */
        public long stepsPerReplica() {
            return (mvmStepsPerSample + replicas - 1) / replicas;
        }
    }

    public PartitionProfile {
        stages = List.copyOf(stages);
    }
}
