package org.pimopt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;

/** Hand-made bad plans, one per kind of violation. */
class ValidatorTest {
    // Units: 0 conv1 (1 xbar), 1 conv2 (3), 2-3 conv3 (3 each), 4 fc (1); chip of 2 cores x 4 = 8 crossbars.
    private final Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 4, Goal.parse("latency"));

    private static Partition part(List<Integer> units) {
        return new Partition(units, Map.of());
    }

    private List<String> violations(Partition... parts) {
        return Validator.violations(in, new Plan(List.of(parts)));
    }

    @Test
    void aGoodPlanHasNoViolation() {
        assertEquals(List.of(), violations(part(List.of(0, 1)), part(List.of(2, 3, 4))));
    }

    @Test
    void everyUnitRunsExactlyOnce() {
        assertTrue(violations(part(List.of(0, 1)), part(List.of(2, 3))).contains("unit fc#0 runs in no partition"));
        assertTrue(violations(part(List.of(0, 1)), part(List.of(1, 2, 3, 4))).contains("unit conv2#0 runs again in partition 1"));
        assertTrue(violations(part(List.of(0, 1, 9)), part(List.of(2, 3, 4))).get(0).contains("unit 9, which does not exist"));
        assertTrue(violations(part(List.of(0, 1)), part(List.of()), part(List.of(2, 3, 4))).contains("partition 1 is empty"));
    }

    @Test
    void partitionsFitTheChip() {
        assertTrue(violations(part(List.of(0, 1, 2, 3)), part(List.of(4))).contains("partition 0 needs 10 crossbars, the chip has 8"));
        assertEquals(List.of(), violations(part(List.of(0)), part(List.of(1)), part(List.of(2, 3, 4))));
        assertTrue(violations(part(List.of(0)), part(List.of(1, 2, 3)), part(List.of(4)))
                .contains("partition 1 needs 9 crossbars, the chip has 8"));
    }

    @Test
    void noOpRunsBeforeWhatItReads() {
        assertTrue(violations(part(List.of(0, 4)), part(List.of(1)), part(List.of(2, 3)))
                .contains("op fc runs in partition 0 before unit conv3#0 it reads, in partition 2"));
    }

    @Test
    void replicationStaysWithinBoundsAndCapacity() {
        assertTrue(violations(new Partition(List.of(0, 1), Map.of(0, 0)), part(List.of(2, 3, 4)))
                .contains("partition 0 replicates op conv1 0 times; allowed 1 to 256 (its MVM steps per sample)"));
        assertTrue(violations(new Partition(List.of(0, 1), Map.of(2, 2)), part(List.of(2, 3, 4)))
                .contains("partition 0 replicates op conv3, which has no unit there"));
        // 1 + 3 = 4 crossbars; conv1 x5 -> 5 + 3 = 8 fits by count, and packs into 4+4.
        assertEquals(List.of(), violations(new Partition(List.of(0, 1), Map.of(0, 5)), part(List.of(2, 3, 4))));
        assertTrue(violations(new Partition(List.of(0, 1), Map.of(1, 3)), part(List.of(2, 3, 4)))
                .contains("partition 0 needs 10 crossbars, the chip has 8"));
        // conv1 x2 and conv2 x2: 2 + 6 = 8 crossbars, packed as {3, 1} {3, 1}.
        assertEquals(List.of(), violations(new Partition(List.of(0, 1), Map.of(0, 2, 1, 2)), part(List.of(2, 3, 4))));
    }

    @Test
    void packingIntoCoresIsChecked() {
        // 16 tokens; fc1: 512 rows -> a unit 2 crossbars tall; fc2: a unit of 1. Cores of 3 crossbars, 3 cores.
        var b = new org.pimopt.ir.NetworkBuilder("tokens");
        b.linear("fc2", b.linear("fc1", b.input("x", "16x512"), 64, false), 64, false);
        var net = org.pimopt.ir.Network.bind(b.build(), Map.of());
        Instance tight = Instance.of(net, TestNetworks.chip(3, 3), 4, Goal.parse("latency"));
        // fc1 x3: 6 crossbars, one copy per core.
        assertEquals(List.of(), Validator.violations(tight, new Plan(List.of(new Partition(List.of(0), Map.of(0, 3)), part(List.of(1))))));
        // fc1 x4: 8 crossbars fit by count, but a core takes one 2-crossbar copy, so 4 copies need 4 cores.
        assertTrue(Validator.violations(tight, new Plan(List.of(new Partition(List.of(0), Map.of(0, 4)), part(List.of(1)))))
                .contains("partition 0 does not pack into 3 cores of 3 crossbars"));
    }
}
