package org.pimopt.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;

/** The analytic model recomputed by hand on compass-s figures. */
class CostModelTest {
    // compass-s: mvm 100 ns and 548.06 pJ, write 2 ns/row over 16 crossbars and 0.05 pJ/cell,
    // DRAM 12.8 GB/s and 40 pJ/B, vector 1.9 pJ/op, NoC 1 pJ/B/hop, static 0.7808 W.
    private static final Chip CHIP = ChipLoader.load("compass-s");

    private static PartitionProfile profile() {
        return new PartitionProfile(
                List.of(new PartitionProfile.Stage(0, 100, 1),
                        new PartitionProfile.Stage(1, 50, 2, List.of(0), new double[] {TRANSFER_NS}, 0, 0)),
                1280, 0, 12, 6400, 100_000, 25_600, 1000, 500, 200.0, 1600, 2, 256.0, 0);
    }

    // The profile's first sample: IO 1280 B / 12.8 GB/s = 100 ns; stage 1 reads stage 0 through two
    // on-chip transfers of 1600 B in all, 2 x 2.5 mean hops (4 x 4 mesh) x 2 ns + 1600 B / 16 GB/s =
    // 110 ns on the path between them; vector stage 500 ops over 16 cores x 12 units x 1 op/ns = 2.604 ns.
    private static final double TRANSFER_NS = 2 * CostModel.transferNs(CHIP, 800);
    private static final double VECTOR_NS = 500 / 192.0;
    private static final double COMPUTE_NS = 100 + 110 + 10_000 + 2_500 + VECTOR_NS + 3 * 10_000.0;

    @Test
    void stageTimeIsStepsPerReplicaTimesMvmLatency() {
        assertEquals(10_000.0, CostModel.stageNs(CHIP, new PartitionProfile.Stage(0, 100, 1)));
        assertEquals(2_500.0, CostModel.stageNs(CHIP, new PartitionProfile.Stage(0, 50, 2)));
        assertEquals(3_400.0, CostModel.stageNs(CHIP, new PartitionProfile.Stage(0, 100, 3)));   // ceil(100/3) = 34
    }

    @Test
    void partitionComputeIsTheFirstSamplesChainPlusTheSlowestStagePerFurtherSample() {
        PartitionMetrics m = CostModel.partition(CHIP, 4, profile(), true);
        // IO = 1280 B / 12.8 GB/s = 100 ns < slowest stage 10 us.
        assertEquals(100.0, m.ioNs(), 1e-9);
        assertEquals(110.0, TRANSFER_NS, 1e-9);
        assertEquals(110.0, m.nocNs(), 1e-9);
        assertEquals(VECTOR_NS, m.vectorNs(), 1e-12);
        assertEquals(COMPUTE_NS, m.computeNs(), 1e-9);
        // Write: max(6400 rows * 2 ns / 16, 25600 B / 12.8 GB/s) = max(800, 2000) = 2000 ns.
        assertEquals(2_000.0, m.writeNs(), 1e-9);
        assertEquals(4 * 1280 + 25_600, m.dramBytes());
        EnergyBreakdown e = m.energyWithoutStatic();
        assertEquals(4 * 1000 * 548.06, e.mvmPj(), 1e-6);
        assertEquals(100_000 * 0.05, e.writePj(), 1e-9);
        assertEquals((4 * 1280 + 25_600) * 40.0, e.dramPj(), 1e-9);
        assertEquals(4 * 500 * 1.9, e.vectorPj(), 1e-9);
        assertEquals(4 * 200.0, e.nocPj(), 1e-9);
    }

    @Test
    void noPartitionIsProgrammedFasterThanItsSlowestUnitAlone() {
        PartitionProfile p = profile();
        PartitionProfile tall = new PartitionProfile(p.stages(), p.dramBytesPerSample(), p.dramBytesPerBatch(),
                p.crossbarsUsed(), p.rowsProgrammed(), p.cellsWritten(), p.weightBytes(), p.crossbarMvmsPerSample(),
                p.vectorOpsPerSample(), p.nocByteHopsPerSample(), p.nocBytesPerSample(), p.nocTransfersPerSample(), 3000.0, 0);
        // One unit fetched and then written alone in 3000 ns, above the slots' 800 and DRAM's 2000.
        assertEquals(3_000.0, CostModel.partition(CHIP, 4, tall, true).writeNs(), 1e-9);
        assertEquals(0.0, CostModel.partition(CHIP, 4, tall, false).writeNs(), 1e-9);
    }

    @Test
    void aUnitIsFetchedBeforeItIsWritten() {
        // 25,600 weight bytes over 12.8 GB/s = 2000 ns, then 6,400 rows over 16 slots x 2 ns = 800 ns
        // (its most-written crossbar, 200 rows of 32, row by row: 400 ns); on two crossbars 3,200 rows each take 6,400 ns.
        Unit spread = new Unit(0, 0, 32, 1, 0, 1, 1, 6400, 1, 25_600);
        assertEquals(2000 + 800.0, CostModel.unitProgramNs(CHIP, spread), 1e-9);
        Unit tall = new Unit(0, 0, 2, 1, 0, 1, 1, 6400, 1, 25_600);
        assertEquals(2000 + 3200 * 2.0, CostModel.unitProgramNs(CHIP, tall), 1e-9);
    }

    @Test
    void dramBoundPartitionsRunAtTheRateOfDram() {
        PartitionProfile p = new PartitionProfile(List.of(new PartitionProfile.Stage(0, 1, 1)),
                128_000, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0);
        // IO = 10 us per sample dominates the 100 ns stage; the first sample pays it too.
        assertEquals(10_000 + 100 + 7 * 10_000.0, CostModel.partition(CHIP, 8, p, true).computeNs(), 1e-9);
    }

    @Test
    void theFirstSampleTakesTheCriticalPathOfTheDataflowNotEveryStage() {
        // Stage 0 (10 us) feeds stages 1 (2.5 us) and 2 (5 us, 2 steps of 100 ns x 25), which both feed 3 (1 us).
        List<PartitionProfile.Stage> stages = List.of(new PartitionProfile.Stage(0, 100, 1),
                new PartitionProfile.Stage(1, 50, 2, List.of(0)), new PartitionProfile.Stage(2, 50, 1, List.of(0)),
                new PartitionProfile.Stage(3, 10, 1, List.of(1, 2)));
        PartitionProfile p = new PartitionProfile(stages, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0);
        CostModel.StageTimes times = CostModel.StageTimes.of(CHIP, p);
        assertEquals(10_000 + 5_000 + 1_000.0, times.fillNs(), 1e-9);
        assertEquals(10_000.0, times.slowestNs(), 1e-9);
        assertEquals(16_000 + 3 * 10_000.0, CostModel.partition(CHIP, 4, p, true).computeNs(), 1e-9);
        // Two chains cover it (0-1-3 and 2), so the stages' sum is at most twice the path.
        assertEquals(2, StageGraph.chains(stages));
        assertEquals(1, StageGraph.chains(List.of(new PartitionProfile.Stage(0, 1, 1), new PartitionProfile.Stage(1, 1, 1, List.of(0)))));
    }

    @Test
    void vectorBoundPartitionsRunAtTheRateOfTheChipsVectorUnits() {
        // 192,000 vector ops per sample over 192 ops/ns: 1 us, ten times the one 100 ns MVM stage.
        PartitionProfile p = new PartitionProfile(List.of(new PartitionProfile.Stage(0, 1, 1)),
                0, 0, 1, 1, 1, 1, 1, 192_000, 0, 0, 0, 1, 0);
        PartitionMetrics m = CostModel.partition(CHIP, 8, p, true);
        assertEquals(1_000.0, m.vectorNs(), 1e-9);
        assertEquals(1_000.0, m.bottleneckNs(), 1e-9);
        assertEquals(100 + 1_000 + 7 * 1_000.0, m.computeNs(), 1e-9);
    }

    @Test
    void meanHopsIsTheMeanManhattanDistanceOverEveryPairOfCores() {
        assertEquals(2.5, Rates.meanHops(CHIP), 1e-12);   // 4 x 4: (4^2 - 1) / (3 * 4) per axis, twice
        for (int[] mesh : new int[][] {{12, 12, 144}, {3, 5, 13}, {1, 7, 7}, {6, 6, 36}, {2, 9, 17}, {6, 23, 138}}) {
            Chip chip = org.pimopt.hw.ChipLoader.parse("{\"name\": \"mesh\", \"meshRows\": " + mesh[0] + ", \"meshCols\": "
                    + mesh[1] + ", \"cores\": " + mesh[2] + "}", "mesh test");
            double sum = 0;
            for (int a = 0; a < mesh[2]; a++) {
                for (int b = 0; b < mesh[2]; b++) {
                    sum += Math.abs(a / mesh[1] - b / mesh[1]) + Math.abs(a % mesh[1] - b % mesh[1]);
                }
            }
            assertEquals(sum / ((double) mesh[2] * mesh[2]), Rates.meanHops(chip), 1e-9, java.util.Arrays.toString(mesh));
        }
    }

    @Test
    void aSinglePartitionIsProgrammedOnceAndAmortized() {
        BatchMetrics one = CostModel.batch(CHIP, 4, List.of(profile()));
        assertEquals(COMPUTE_NS, one.latencyNs(), 1e-9);
        assertEquals(0, one.cellsWritten());
        assertEquals(4 * 1280, one.dramBytes());
        BatchMetrics two = CostModel.batch(CHIP, 4, List.of(profile(), profile()));
        double latency = 2 * (COMPUTE_NS + 2_000.0);
        assertEquals(latency, two.latencyNs(), 1e-9);
        assertEquals(200_000, two.cellsWritten());
        // Static energy: 0.7808 W over the latency (W x ns = 1e3 pJ).
        assertEquals(0.7808 * latency * 1e3, two.energy().staticPj(), 1e-6);
        assertEquals(4 / (latency * 1e-9), two.throughputPerSecond(), 1e-3);
        assertEquals(two.energy().totalPj() / 4 * (latency / 4), two.edp(), 1e-3);
    }

    @Test
    void objectivesReadTheirMetricAndGoalsCompareLexicographically() {
        BatchMetrics a = CostModel.batch(CHIP, 4, List.of(profile(), profile()));
        assertEquals(a.latencyNs(), Objective.LATENCY.of(a));
        assertEquals(a.cellsWritten(), Objective.WRITES.of(a));
        assertEquals(a.dramBytes(), Objective.DRAM.of(a));
        Goal g = Goal.parse("latency,writes");
        assertEquals(List.of(Objective.LATENCY, Objective.WRITES), g.objectives());
        BatchMetrics same = new BatchMetrics(4, a.latencyNs(), a.energy(), a.cellsWritten() - 1, a.dramBytes(), List.of());
        assertEquals(1, g.comparator().compare(a, same));
    }
}
