package org.pimopt.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.PimoptException;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.hw.ChipLoader;

class InstanceTest {

    private static final Goal LATENCY = Goal.parse("latency");

    @Test
    void unitsFollowLayerOrderAndOpsKnowWhatTheyRead() {
        Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 1, LATENCY);
        assertEquals(List.of("conv1", "conv2", "conv3", "fc"), in.ops().stream().map(OpInfo::name).toList());
        assertEquals(5, in.units().size());              // conv3: two stripes of 3 crossbars, one per 4-crossbar core
        assertEquals(List.of(), in.ops().get(0).predecessors());
        assertEquals(List.of(0), in.ops().get(1).predecessors());
        assertEquals(List.of(0, 1), in.ops().get(2).predecessors());   // through the residual add
        assertEquals(8L * 8, in.ops().get(1).positions());
    }

    /**
     * conv1 -> relu1 -> pool1 -> conv2 -> relu2 -> add(pool1, relu2) -> conv3 -> gap -> flatten -> fc in
     * one partition: a layer receives a tensor over the NoC unless it is a vector layer's first input,
     * so conv2 waits for pool1's output to cross, the add for relu2's, conv3 for the add's, fc for
     * flatten's, each transfer on the edge between the ops it lies between.
     */
    @Test
    void transfersLieOnTheEdgesBetweenTheOpsTheyConnect() {
        Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 1, LATENCY);
        int[] together = new int[in.units().size()];
        int[][] one = {{1, 1, 1, 1}};
        PartitionProfile p = in.profiles(together, 1, one).get(0);
        double pool1 = transfer(in, "pool1");
        double relu2 = transfer(in, "relu2");
        double add = transfer(in, "add");
        double flatten = transfer(in, "flatten");
        List<PartitionProfile.Stage> s = p.stages();
        assertEquals(List.of(0), s.get(1).after());
        assertEquals(pool1, s.get(1).afterNs()[0], 1e-12);
        assertEquals(List.of(0, 1), s.get(2).after());
        assertEquals(add, s.get(2).afterNs()[0], 1e-12);            // conv1 -> relu1 -> pool1 -> add (first input) -> conv3
        assertEquals(relu2 + add, s.get(2).afterNs()[1], 1e-12);    // conv2 -> relu2 -> add (second input) -> conv3
        assertEquals(flatten, s.get(3).afterNs()[0], 1e-12);
        assertEquals(0, s.get(0).leadNs(), 0);
        assertEquals(0, s.get(3).tailNs(), 0);
        assertEquals(0, p.transferOnlyNs(), 0);
        double[] ns = {1, 1, 1, 1};
        assertEquals(4 + pool1 + relu2 + add + flatten, org.pimopt.cost.StageGraph.criticalPath(p, ns), 1e-9);
        // fc alone in a second partition: conv3's output reaches it through DRAM, not the NoC.
        int[] split = together.clone();
        split[in.units().size() - 1] = 1;
        PartitionProfile first = in.profiles(split, 2, new int[][] {{1, 1, 1, 1}, {1, 1, 1, 1}}).get(0);
        assertEquals(3 + pool1 + relu2 + add, org.pimopt.cost.StageGraph.criticalPath(first, new double[] {1, 1, 1}), 1e-9);
    }

    private static double transfer(Instance in, String tensor) {
        Instance.Flow f = in.flows().stream().filter(x -> x.name().equals(tensor)).findFirst().orElseThrow();
        return org.pimopt.cost.CostModel.transferNs(in.chip(), f.bytes());
    }

    @Test
    void tensorsCrossingPartitionsGoThroughDram() {
        // fc1 256->64 | relu | fc2 64->64 | relu | fc3 64->10, 4-bit activations on compass-s.
        Instance in = Instance.of(TestNetworks.mlp(256, 64, 64, 10), ChipLoader.load("compass-s"), 1, LATENCY);
        assertEquals(3, in.units().size());
        int[][] one = {{1, 1, 1}, {1, 1, 1}};
        List<PartitionProfile> p = in.profiles(new int[] {0, 1, 1}, 2, one);
        // p0 loads the input (256 x 4 bit = 128 B) and stores relu1 (64 x 4 bit = 32 B).
        assertEquals(128 + 32, p.get(0).dramBytesPerSample());
        // p1 loads relu1 (32 B) and stores the network output (10 x 4 bit = 5 B).
        assertEquals(32 + 5, p.get(1).dramBytesPerSample());
        // relu1 rides with fc1, relu2 with fc2: 64 vector ops each.
        assertEquals(64, p.get(0).vectorOpsPerSample());
        assertEquals(64, p.get(1).vectorOpsPerSample());
        // All in one partition: only the input and the output move.
        assertEquals(128 + 5, in.profiles(new int[] {0, 0, 0}, 1, new int[][] {{1, 1, 1}}).get(0).dramBytesPerSample());
    }

    @Test
    void replicasMultiplyCrossbarsAndWritesButNotMvms() {
        Instance in = Instance.of(TestNetworks.mlp(256, 64, 64, 10), ChipLoader.load("compass-s"), 1, LATENCY);
        PartitionProfile once = in.profiles(new int[] {0, 0, 0}, 1, new int[][] {{1, 1, 1}}).get(0);
        PartitionProfile thrice = in.profiles(new int[] {0, 0, 0}, 1, new int[][] {{3, 1, 1}}).get(0);
        assertEquals(once.crossbarsUsed() + 2, thrice.crossbarsUsed());
        assertEquals(once.cellsWritten() + 2L * 256 * 64 * 4, thrice.cellsWritten());
        assertEquals(once.crossbarMvmsPerSample(), thrice.crossbarMvmsPerSample());
        assertEquals(once.weightBytes(), thrice.weightBytes());
        assertEquals(3, thrice.stages().get(0).replicas());
    }

    @Test
    void aBatchBelowOneIsRefused() {
        assertThrows(PimoptException.class, () -> Instance.of(TestNetworks.mlp(8, 4), TestNetworks.chip(1, 1), 0, LATENCY));
    }
}
