package org.pimopt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Network;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanException;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;
import org.pimopt.solve.placement.Placer;
import org.pimopt.solve.replacement.Replacement;

/** The simulator executing a plan's layout: placed cores, the write schedule, residency, its own checks. */
class LayoutExecutionTest {
    private static final SolveOptions OPTIONS = new SolveOptions(4_000, 1, 1, line -> {});

    /**
     * Two cores of four crossbars whose DRAM is so fast that programming is limited by rows alone,
     * and whose times are whole nanoseconds: the write-schedule model is then exact.
     */
    private static Chip rowLimitedChip(int cores, int crossbars) {
        return ChipLoader.parse("{\"name\": \"row-limited\", \"cores\": " + cores + ", \"crossbars_per_core\": " + crossbars
                + ", \"dram_gbps\": 1000000, \"write_parallelism\": 2}", "test chip");
    }

    private static Instance residual(Chip chip) {
        return Instance.of(TestNetworks.smallResidual(), chip, 4, Goal.parse("latency"));
    }

    // Units of smallResidual: 0 conv1 (1 crossbar), 1 conv2 (3), 2-3 conv3 (3 each), 4 fc (1).
    private static final Plan THREE = new Plan(List.of(new Partition(List.of(0, 1), Map.of(0, 2)),
            new Partition(List.of(2), Map.of()), new Partition(List.of(3, 4), Map.of())));
    private static final Plan RESIDENT = new Plan(List.of(new Partition(List.of(0, 1), Map.of()),
            new Partition(List.of(2), Map.of()), new Partition(List.of(3, 4), Map.of())));

    private static Replacement.Result replace(Instance instance, Plan plan) {
        return Replacement.solve(instance, plan, Placer.place(instance, plan, OPTIONS).tiles(), OPTIONS);
    }

    /**
     * Every physical effect off (writes wait for the previous partition): compute times are the cost
     * model's, so only the write schedule differs.
     */
    private static final SimConfig ANALYTIC = SimConfig.analytic(Schedule.PIPELINE);

    @Test
    void aPlacedPlanSimulatesOnItsPlacedCores() {
        Instance in = residual(TestNetworks.chip(2, 4));
        Replacement.Result r = replace(in, THREE);
        Plan placed = THREE.withLayout(r.layout());
        SimResult sim = Simulator.run(in, placed, SimConfig.physical(Schedule.PIPELINE));
        assertTrue(sim.layoutExecuted());
        assertTrue(sim.effects().contains("layout"), sim.effects());
        // Crossbars per core are the layout's, partition by partition.
        for (int p = 0; p < 3; p++) {
            int[] perCore = new int[2];
            r.layout().partitions().get(p).tiles().forEach(t -> perCore[t.core()]++);
            assertEquals(List.of(perCore[0], perCore[1]), sim.partitions().get(p).crossbarsPerCore());
        }
        // The simulator writes exactly the cells and crossbars the layout schedules.
        assertEquals(r.cellsWritten(), sim.cellsWritten());
        assertEquals(r.worstWrites(), sim.worstCrossbarWrites());
        SimResult ignored = Simulator.run(in, placed, SimConfig.physical(Schedule.PIPELINE).withLayout(false));
        assertFalse(ignored.layoutExecuted());
    }

    @Test
    void residentTilesAreNotRewritten() {
        Instance in = residual(TestNetworks.chip(2, 4));
        Replacement.Result r = replace(in, RESIDENT);
        Plan placed = RESIDENT.withLayout(r.layout());
        SimResult withLayout = Simulator.run(in, placed, ANALYTIC);
        SimResult without = Simulator.run(in, placed, ANALYTIC.withLayout(false));
        assertTrue(withLayout.cellsWritten() < without.cellsWritten(), withLayout.cellsWritten() + " vs " + without.cellsWritten());
        // Without the layout every tile is rewritten every batch: the cost model's count.
        assertEquals(RESIDENT.evaluate(in).cellsWritten(), without.cellsWritten());
        assertTrue(withLayout.energy().writePj() < without.energy().writePj());
    }

    @Test
    void overlapNeverLengthensTheBatchAndMatchesTheWriteScheduleModel() {
        List<Instance> instances = List.of(residual(rowLimitedChip(2, 4)), residual(rowLimitedChip(2, 4)),
                Instance.of(TestNetworks.mlp(300, 200, 300, 100), rowLimitedChip(2, 4), 3, Goal.parse("latency")));
        List<Plan> plans = List.of(THREE, RESIDENT, twoPerLayer(instances.get(2)));
        int compared = 0;
        for (int i = 0; i < instances.size(); i++) {
            Instance in = instances.get(i);
            Plan plan = plans.get(i);
            Replacement.Result r = replace(in, plan);
            Plan placed = plan.withLayout(r.layout());
            SimResult overlap = Simulator.run(in, placed, ANALYTIC.withOverlapWrites(true));
            SimResult noOverlap = Simulator.run(in, placed, ANALYTIC);
            // The simulator never takes longer than the schedule it executes ...
            assertTrue(overlap.latencyNs() <= r.periodNs() * (1 + 1e-6), overlap.latencyNs() + " vs " + r.periodNs());
            // ... and an optimal schedule cannot be beaten, so there the two agree, up to the whole
            // ns to which the schedule rounds each partition's compute time up.
            int k = plan.partitions().size();
            if (r.schedule() == Status.OPTIMAL) {
                assertEquals(r.periodNs(), overlap.latencyNs(), 1e-6 * r.periodNs() + k, "instance " + i);
                compared++;
            }
            // Exposed write time per partition adds up to the period minus the compute.
            double exposed = overlap.partitions().stream().mapToDouble(SimResult.PartitionStats::writeNs).sum();
            assertEquals(r.exposedWriteNs(), exposed, 1e-6 * r.periodNs() + k, "instance " + i);
        }
        assertTrue(compared >= 2, "optimal schedules compared: " + compared);
    }

    /** The MLP's layers as partitions of their own. */
    private static Plan twoPerLayer(Instance in) {
        List<List<Integer>> units = new ArrayList<>();
        for (int u = 0; u < in.units().size(); u++) {
            if (units.isEmpty() || in.units().get(u).op() != in.units().get(u - 1).op()) {
                units.add(new ArrayList<>());
            }
            units.get(units.size() - 1).add(u);
        }
        return new Plan(units.stream().map(us -> new Partition(us, Map.of())).toList());
    }

    @Test
    void aCorruptedScheduleIsRejectedNamingPartitionCrossbarAndTime() {
        Instance in = residual(TestNetworks.chip(2, 4));
        Replacement.Result r = replace(in, THREE);
        Layout layout = r.layout();
        // Drop the first write of the first partition that has one.
        int p = 0;
        while (layout.partitions().get(p).writes().isEmpty()) {
            p++;
        }
        Layout.PartitionLayout pl = layout.partitions().get(p);
        Layout.Write dropped = pl.writes().get(0);
        List<Layout.PartitionLayout> parts = new ArrayList<>(layout.partitions());
        parts.set(p, new Layout.PartitionLayout(pl.tiles(), pl.writes().subList(1, pl.writes().size()), pl.computeStartNs(),
                pl.computeEndNs()));
        Plan broken = THREE.withLayout(new Layout(parts, layout.periodNs()));
        // The validator refuses it before anything runs ...
        assertThrows(PlanException.class, () -> Simulator.run(in, broken, ANALYTIC));
        // ... and the simulator, left to itself, catches it as it runs.
        SimulationException e = assertThrows(SimulationException.class, () -> Simulator.runUnvalidated(in, broken, ANALYTIC));
        String crossbar = "crossbar " + dropped.crossbar() + " of core " + dropped.core();
        assertTrue(e.getMessage().startsWith("partition " + p + " uses " + crossbar + " at "), e.getMessage());
        assertTrue(e.getMessage().contains(" ns while it holds a tile of partition "), e.getMessage());
    }

    @Test
    void aWriteOnACrossbarItsPartitionDoesNotUseIsRefused() {
        Instance in = residual(TestNetworks.chip(2, 4));
        Layout layout = replace(in, THREE).layout();
        Layout.PartitionLayout p0 = layout.partitions().get(0);
        Layout.Tile stranger = layout.partitions().get(1).tiles().stream()
                .filter(t -> p0.tiles().stream().noneMatch(u -> u.core() == t.core() && u.crossbar() == t.crossbar()))
                .findFirst().orElseThrow();
        List<Layout.Write> writes = new ArrayList<>(p0.writes());
        writes.add(new Layout.Write(stranger.core(), stranger.crossbar(), 0, 1));
        List<Layout.PartitionLayout> parts = new ArrayList<>(layout.partitions());
        parts.set(0, new Layout.PartitionLayout(p0.tiles(), writes, p0.computeStartNs(), p0.computeEndNs()));
        Plan broken = THREE.withLayout(new Layout(parts, layout.periodNs()));
        SimulationException e = assertThrows(SimulationException.class, () -> Simulator.runUnvalidated(in, broken, ANALYTIC));
        assertEquals("partition 0 writes crossbar " + stranger.crossbar() + " of core " + stranger.core()
                + " but places no tile there", e.getMessage());
    }

    @Test
    void thePreviousBatchsLastPartitionLastsAsLongAsTheSimulatorSaysNotAsTheModelSays() {
        // With every effect on, simulated compute differs from the cost model's; the batch starts
        // while the previous batch's last partition computes, for its simulated duration.
        Instance in = residual(TestNetworks.chip(2, 4));
        Replacement.Result r = replace(in, THREE);
        Plan placed = THREE.withLayout(r.layout());
        SimResult sim = Simulator.run(in, placed, SimConfig.physical(Schedule.PIPELINE));
        var lastLayout = r.layout().partitions().get(2);
        double modelTail = lastLayout.computeEndNs() - lastLayout.computeStartNs();
        double simulatedLast = sim.partitions().get(2).computeNs();
        assertTrue(Math.abs(simulatedLast - modelTail) > 1e-6, "this case must tell the two apart: " + simulatedLast);
        assertEquals(simulatedLast, sim.timeline().originNs(), 1e-6);
        // With effects off the two agree, and so does the tail (the schedule rounds compute up to whole ns).
        SimResult analytic = Simulator.run(in, placed, ANALYTIC);
        assertEquals(modelTail, analytic.timeline().originNs(), 1.0);
    }

    @Test
    void whichCopyIsCalledTheFirstDoesNotChangeTheNocCost() {
        // conv1 has two copies in the first partition, on different cores (with conv2's three
        // crossbars, five do not fit one core of four). Traffic runs between every copy of the
        // producer and every copy of the reader, so swapping the copies' names changes nothing;
        // before, it ran from copy 0's core only and the swap moved it by a hop.
        Instance in = residual(TestNetworks.chip(2, 4));
        Replacement.Result r = replace(in, THREE);
        Layout layout = r.layout();
        Layout.PartitionLayout first = layout.partitions().get(0);
        java.util.Set<Integer> conv1Cores = new java.util.TreeSet<>();
        first.tiles().stream().filter(t -> t.unit() == 0).forEach(t -> conv1Cores.add(t.core()));
        assertEquals(2, conv1Cores.size(), "the case needs conv1's copies on both cores: " + first.tiles());
        List<Layout.Tile> swapped = first.tiles().stream()
                .map(t -> t.unit() == 0 ? new Layout.Tile(t.unit(), 1 - t.copy(), t.index(), t.core(), t.crossbar()) : t)
                .toList();
        List<Layout.PartitionLayout> parts = new java.util.ArrayList<>(layout.partitions());
        parts.set(0, new Layout.PartitionLayout(swapped, first.writes(), first.computeStartNs(), first.computeEndNs()));
        Layout renamed = new Layout(parts, layout.periodNs());
        SimConfig config = SimConfig.physical(Schedule.PIPELINE);
        SimResult a = Simulator.run(in, THREE.withLayout(layout), config);
        SimResult b = Simulator.run(in, THREE.withLayout(renamed), config);
        assertTrue(a.energy().nocPj() > 0);
        assertEquals(a.energy().nocPj(), b.energy().nocPj(), 1e-9 * a.energy().nocPj());
        assertEquals(a.latencyNs(), b.latencyNs(), 1e-6);
    }
}
