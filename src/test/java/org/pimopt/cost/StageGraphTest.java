package org.pimopt.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The dataflow of a partition's stages: its critical path and its covers by chains. */
class StageGraphTest {
    /**
     * A residual stage: stem -> a -> b -> c -> d on the main path, and a light downsample conv
     * read from the stem and read by c (stage order: stem, a, b, downsample, c, d).
     */
    private static final List<PartitionProfile.Stage> RESIDUAL = List.of(
            new PartitionProfile.Stage(0, 1, 1),
            new PartitionProfile.Stage(1, 1, 1, List.of(0)),
            new PartitionProfile.Stage(2, 1, 1, List.of(1)),
            new PartitionProfile.Stage(3, 1, 1, List.of(0)),
            new PartitionProfile.Stage(4, 1, 1, List.of(2, 3)),
            new PartitionProfile.Stage(5, 1, 1, List.of(4)));

    @Test
    void theCriticalPathIsTheLongestPathThroughTheStages() {
        assertEquals(5.0, StageGraph.criticalPath(RESIDUAL, new double[] {1, 1, 1, 1, 1, 1}), 1e-12);
        // A slow downsample: stem, downsample, c, d.
        assertEquals(13.0, StageGraph.criticalPath(RESIDUAL, new double[] {1, 1, 1, 10, 1, 1}), 1e-12);
    }

    @Test
    void transfersOnTheEdgesLengthenThePathTheyLieOn() {
        // a -> b with 5 ns of transfers between them, c alone with 2 ns into it and 3 ns after it.
        List<PartitionProfile.Stage> stages = List.of(
                new PartitionProfile.Stage(0, 1, 1),
                new PartitionProfile.Stage(1, 1, 1, List.of(0), new double[] {5}, 0, 0),
                new PartitionProfile.Stage(2, 1, 1, List.of(), new double[0], 2, 3));
        assertEquals(1 + 5 + 1, StageGraph.criticalPath(stages, new double[] {1, 1, 1}), 1e-12);
        assertEquals(2 + 4 + 3, StageGraph.criticalPath(stages, new double[] {1, 1, 4}), 1e-12);
        PartitionProfile p = new PartitionProfile(stages, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 20);
        assertEquals(20, StageGraph.criticalPath(p, new double[] {1, 1, 4}), 1e-12);
        assertEquals(2 + 4 + 3 - 4, StageGraph.criticalPath(stages, new double[] {1, 1, 4}) - StageGraph.stagesOnly(stages, new double[] {1, 1, 4}), 1e-12);
    }

    @Test
    void theCoverInStageOrderLetsTheBranchContinueTheMainPath() {
        // The downsample starts a chain that c and d extend: the main path is split in two.
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, StageGraph.chainOf(RESIDUAL));
        assertEquals(2, StageGraph.chains(RESIDUAL));
    }

    @Test
    void theHeaviestCoverKeepsTheMainPathWhole() {
        int[] chain = StageGraph.heaviestChains(RESIDUAL, new double[] {1, 1, 1, 0.1, 1, 1});
        assertArrayEquals(new int[] {0, 0, 0, 1, 0, 0}, chain);
        // With a heavy branch the heaviest chain goes through it instead.
        int[] heavyBranch = StageGraph.heaviestChains(RESIDUAL, new double[] {1, 1, 1, 5, 1, 1});
        assertArrayEquals(new int[] {0, 1, 1, 0, 0, 0}, heavyBranch);
    }
}
