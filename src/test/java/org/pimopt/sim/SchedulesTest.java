package org.pimopt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pimopt.check.RandomCases;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanException;
import org.pimopt.problem.Instance;

class SchedulesTest {

    /** conv 3x3 -> relu -> conv 3x3 -> relu -> conv 3x3 on a 16x16 image: one partition on a roomy chip. */
    private static Instance convChain(int batch) {
        var b = new NetworkBuilder("chain");
        String x = b.input("input", "8x16x16");
        x = b.conv("c1", x, 16, 3, 1, 1, false);
        x = b.relu("r1", x);
        x = b.conv("c2", x, 16, 3, 1, 1, false);
        x = b.relu("r2", x);
        b.conv("c3", x, 16, 3, 1, 1, false);
        return Instance.of(Network.bind(b.build(), Map.of()), TestNetworks.chip(8, 8), batch, Goal.parse("latency"));
    }

    private static Plan onePartition(Instance instance) {
        List<Integer> all = instance.units().stream().map(u -> u.id()).toList();
        return new Plan(List.of(new Partition(all, Map.of())));
    }

    @Test
    void layerScheduleRunsOneOpAtATime() {
        Instance instance = convChain(3);
        SimResult r = Simulator.run(instance, onePartition(instance), SimConfig.physical(Schedule.LAYER));
        Timeline tl = r.timeline();
        for (int a = 0; a < tl.tasks(); a++) {
            for (int b = 0; b < tl.tasks(); b++) {
                if (tl.kind(a) == Timeline.MVM && tl.kind(b) == Timeline.MVM && tl.layer(a) != tl.layer(b)) {
                    assertTrue(tl.endNs(a) <= tl.startNs(b) || tl.endNs(b) <= tl.startNs(a),
                            tl.label(a) + " overlaps " + tl.label(b));
                }
            }
        }
    }

    @Test
    void crossLayerStartsARowOnceTheRowsItNeedsExist() {
        Instance instance = convChain(1);
        SimResult r = Simulator.run(instance, onePartition(instance), SimConfig.physical(Schedule.CROSS_LAYER));
        Timeline tl = r.timeline();
        // Rows of c1 by finish time, rows of c2 by start time (one task per row: no replication).
        double[] c1End = new double[16];
        double[] c2Start = new double[16];
        int i1 = 0;
        int i2 = 0;
        for (int t = 0; t < tl.tasks(); t++) {
            if (tl.kind(t) == Timeline.MVM && tl.label(t).equals("c1")) {
                c1End[i1++] = tl.endNs(t);
            } else if (tl.kind(t) == Timeline.MVM && tl.label(t).equals("c2")) {
                c2Start[i2++] = tl.startNs(t);
            }
        }
        assertEquals(16, i1);
        assertEquals(16, i2);
        for (int y = 0; y < 16; y++) {
            // A 3x3 conv with pad 1: output row y reads input rows y-1..y+1 (through the row-wise relu).
            assertTrue(c2Start[y] >= c1End[Math.min(15, y + 1)], "c2 row " + y + " starts before c1 row " + (y + 1));
        }
        assertTrue(c2Start[0] < c1End[15], "c2 must start before c1 has finished");
        SimResult layer = Simulator.run(instance, onePartition(instance), SimConfig.physical(Schedule.LAYER));
        assertTrue(r.latencyNs() < layer.latencyNs(), "cross-layer overlaps layers, so it is faster");
    }

    @Test
    void schedulesChangeTimeNotWork() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20; i++) {
            Instance instance = RandomCases.instance(rnd, i);
            Plan plan = RandomCases.plan(rnd, instance);
            SimResult pipe = Simulator.run(instance, plan, SimConfig.physical(Schedule.PIPELINE));
            SimResult layer = Simulator.run(instance, plan, SimConfig.physical(Schedule.LAYER));
            SimResult cross = Simulator.run(instance, plan, SimConfig.physical(Schedule.CROSS_LAYER));
            for (SimResult other : List.of(layer, cross)) {
                assertEquals(pipe.mvms(), other.mvms());
                assertEquals(pipe.dramBytes(), other.dramBytes());
                assertEquals(pipe.cellsWritten(), other.cellsWritten());
                assertEquals(pipe.energy().vectorPj(), other.energy().vectorPj(), 1e-6);
            }
            assertTrue(pipe.latencyNs() <= layer.latencyNs() + 1e-6, "pipelining samples cannot be slower than one op at a time");
        }
    }

    /**
     * Each effect alone, against the analytic run (every effect in the model's form), on a seeded
     * sample of random plans: the physical form of an effect never makes a plan faster than the
     * model's form, except free issue (samples enter as soon as their inputs are in), the NoC (placed
     * cores instead of mean hops) and the sample I/O (loads and stores split around the sample),
     * which save at most what the model charges for them.
     */
    @Test
    void eachPhysicalEffectMovesLatencyTheWayItShould() {
        Random rnd = new Random(11);
        for (int i = 0; i < 30; i++) {
            Instance instance = RandomCases.instance(rnd, i);
            Plan plan = RandomCases.plan(rnd, instance);
            double base = Simulator.run(instance, plan, SimConfig.analytic(Schedule.PIPELINE)).latencyNs();
            double tol = 1e-6 * base;
            // Loads before and stores after each sample may overlap better than the model's one
            // transfer before it, but no schedule saves more than the first sample's traffic.
            double firstIo = plan.evaluate(instance).partitions().stream().mapToDouble(m -> m.ioNs()).sum();
            assertTrue(run(instance, plan, new SimConfig(Schedule.PIPELINE, true, false, false, false, false, false, false, true))
                    >= base - firstIo - tol, "fill-io");
            assertTrue(run(instance, plan, new SimConfig(Schedule.PIPELINE, false, true, false, false, false, false, false, true)) <= base + tol, "free-issue");
            assertTrue(run(instance, plan, new SimConfig(Schedule.PIPELINE, false, false, true, false, false, false, false, true)) >= base - tol, "vector-time");
            assertTrue(run(instance, plan, new SimConfig(Schedule.PIPELINE, false, false, false, true, false, false, false, true)) >= base - tol, "write-slots");
            assertTrue(run(instance, plan, new SimConfig(Schedule.PIPELINE, false, false, false, false, true, false, false, true)) >= base - tol, "write-waits-for-fetch");
            // On-chip transfers between the placed cores may be shorter than the model's mean-hop
            // delays, never shorter than no transfer time at all.
            double modelNoc = plan.evaluate(instance).partitions().stream().mapToDouble(m -> m.nocNs()).sum();
            assertTrue(run(instance, plan, new SimConfig(Schedule.PIPELINE, false, false, false, false, false, true, false, true))
                    >= base - modelNoc - tol, "noc-latency");
        }
    }

    private static double run(Instance instance, Plan plan, SimConfig config) {
        return Simulator.run(instance, plan, config).latencyNs();
    }

    @Test
    void aPlanThatBreaksARuleIsRefusedNamingTheUnit() {
        Instance instance = convChain(1);
        List<Integer> all = instance.units().stream().map(u -> u.id()).toList();
        Plan missing = new Plan(List.of(new Partition(all.subList(1, all.size()), Map.of())));
        PlanException e = assertThrows(PlanException.class,
                () -> Simulator.run(instance, missing, SimConfig.physical(Schedule.PIPELINE)));
        assertTrue(e.getMessage().contains("c1#0"), e.getMessage());
    }

    @Test
    void utilizationAndBreakdownsAreConsistent() {
        Instance instance = convChain(4);
        SimResult r = Simulator.run(instance, onePartition(instance), SimConfig.physical(Schedule.PIPELINE));
        assertTrue(r.crossbarUtilization() > 0 && r.crossbarUtilization() <= 1);
        assertTrue(r.coreUtilization() > 0 && r.coreUtilization() <= 1);
        assertEquals(r.mvms(), r.layers().stream().mapToLong(SimResult.LayerStats::mvms).sum());
        assertEquals(1, r.partitions().size());
        assertEquals(0, r.cellsWritten(), "one partition: weights written once, amortized away");
        assertFalse(r.layers().isEmpty());
        assertTrue(r.events() > 0);
    }

    @Test
    void dataMovementNamesASliceReadBeforeItIsProduced() {
        Instance instance = convChain(1);
        int[] partOf = new int[instance.units().size()];
        partOf[0] = 1;   // c1 after its readers: a plan the validator would refuse
        DataMovement moves = new DataMovement(instance, partOf, 2);
        assertFalse(moves.violations.isEmpty());
        // r1 follows c1 into partition 1, and c2 in partition 0 reads it.
        assertEquals("r1", moves.violations.get(0).what());
        assertEquals(0, moves.violations.get(0).reader());
    }

    @Test
    void overlappedWritesProgramTheNextPartitionWhileThePreviousComputes() {
        Instance instance = convChain(8);
        List<Integer> all = instance.units().stream().map(u -> u.id()).toList();
        Plan plan = new Plan(List.of(new Partition(all.subList(0, 1), Map.of()), new Partition(all.subList(1, all.size()), Map.of())));
        SimConfig plain = SimConfig.analytic(Schedule.PIPELINE);
        SimConfig overlap = new SimConfig(Schedule.PIPELINE, false, false, false, false, false, false, true, true);
        SimResult a = Simulator.run(instance, plan, plain);
        SimResult b = Simulator.run(instance, plan, overlap);
        assertTrue(b.partitions().get(1).writeNs() < a.partitions().get(1).writeNs(),
                b.partitions().get(1).writeNs() + " vs " + a.partitions().get(1).writeNs());
        assertTrue(b.latencyNs() < a.latencyNs());
        assertEquals(a.energy().writePj(), b.energy().writePj(), 1e-9, "the same cells are written");
    }
}
