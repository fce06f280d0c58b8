package org.pimopt.solve.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.placement.Placer;

/** Placement and replacement of whole plans: what the layout promises and what the Validator checks. */
class ReplacementTest {
    static final SolveOptions OPTIONS = new SolveOptions(4_000, 1, 1, line -> {});

    // Units: 0 conv1 (1 crossbar), 1 conv2 (3), 2-3 conv3 (3 each), 4 fc (1); 2 cores x 4 crossbars.
    private final Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 4, Goal.parse("latency"));
    private final Plan plan = new Plan(List.of(new Partition(List.of(0, 1), Map.of(0, 2)), new Partition(List.of(2), Map.of()),
            new Partition(List.of(3, 4), Map.of())));

    private Plan placed(Instance instance, Plan p) {
        Placer.Placed placed = Placer.place(instance, p, OPTIONS);
        return p.withLayout(Replacement.solve(instance, p, placed.tiles(), OPTIONS).layout());
    }

    @Test
    void aPlacedPlanPassesTheValidatorAndKeepsItsPromises() {
        Placer.Placed placed = Placer.place(in, plan, OPTIONS);
        Replacement.Result r = Replacement.solve(in, plan, placed.tiles(), OPTIONS);
        Plan result = plan.withLayout(r.layout());
        assertEquals(List.of(), Validator.violations(in, result));
        // Without residency every tile is written every batch: the cost model's count.
        assertEquals(plan.evaluate(in).cellsWritten(), r.cellsNoResidency());
        assertTrue(r.cellsWritten() <= r.cellsNoResidency());
        assertTrue(r.worstWrites() <= r.worstNoResidency());
        assertTrue(r.periodNs() <= r.periodNoOverlapNs());
        assertTrue(r.periodNs() >= r.computeNs());
    }

    @Test
    void residencyKeepsTilesThatNoOtherPartitionDisplaces() {
        // 3 crossbars of conv2 in partition 0 and 3 of conv3#0 in partition 1 fit side by side on 8.
        Plan two = new Plan(List.of(new Partition(List.of(0, 1), Map.of()), new Partition(List.of(2), Map.of()),
                new Partition(List.of(3, 4), Map.of())));
        Placer.Placed placed = Placer.place(in, two, OPTIONS);
        Replacement.Result r = Replacement.solve(in, two, placed.tiles(), OPTIONS);
        assertTrue(r.cellsWritten() < r.cellsNoResidency(), r.cellsWritten() + " vs " + r.cellsNoResidency());
        assertEquals(List.of(), Validator.violations(in, two.withLayout(r.layout())));
    }

    @Test
    void aSinglePartitionIsWrittenOnceAndNeverAgain() {
        Instance big = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 4, Goal.parse("latency"));
        Plan one = new Plan(List.of(new Partition(big.units().stream().map(u -> u.id()).toList(), Map.of())));
        Placer.Placed placed = Placer.place(big, one, OPTIONS);
        Replacement.Result r = Replacement.solve(big, one, placed.tiles(), OPTIONS);
        assertEquals(0, r.cellsWritten());
        assertEquals(0, r.worstWrites());
        assertEquals(r.computeNs(), r.periodNs());
        assertEquals(List.of(), Validator.violations(big, one.withLayout(r.layout())));
    }

    @Test
    void layoutsRoundTripThroughJsonAndBinary(@TempDir Path dir) {
        Plan result = placed(in, plan);
        PlanFile file = PlanIo.toProto(in, result, "test");
        PlanIo.writeJson(dir.resolve("p.json"), file);
        PlanIo.writeBinary(dir.resolve("p.pb"), file);
        assertEquals(result, PlanIo.fromProto(in, PlanIo.read(dir.resolve("p.json")), "p.json"));
        assertEquals(result, PlanIo.fromProto(in, PlanIo.read(dir.resolve("p.pb")), "p.pb"));
        // A plan without a layout reads back without one.
        assertEquals(plan, PlanIo.fromProto(in, PlanIo.toProto(in, plan, "test"), "x"));
    }

    @Test
    void theValidatorNamesUnitAndPartitionOfEachBrokenRule() {
        Plan good = placed(in, plan);
        Layout layout = good.layout();
        Layout.PartitionLayout p0 = layout.partitions().get(0);

        List<Layout.Tile> missing = new ArrayList<>(p0.tiles());
        missing.remove(0);
        assertTrue(violations(good, 0, new Layout.PartitionLayout(missing, p0.writes(), p0.computeStartNs(), p0.computeEndNs()))
                .stream().anyMatch(v -> v.contains("unit conv1#0 copy 0 crossbar 0 of partition 0 is not placed")));

        List<Layout.Tile> stacked = new ArrayList<>(p0.tiles());
        Layout.Tile a = stacked.get(0);
        Layout.Tile b = stacked.get(1);
        stacked.set(1, new Layout.Tile(b.unit(), b.copy(), b.index(), a.core(), a.crossbar()));
        assertTrue(violations(good, 0, new Layout.PartitionLayout(stacked, p0.writes(), p0.computeStartNs(), p0.computeEndNs()))
                .stream().anyMatch(v -> v.contains("of partition 0 shares crossbar " + a.crossbar() + " of core " + a.core())));

        List<Layout.Tile> offChip = new ArrayList<>(p0.tiles());
        offChip.set(0, new Layout.Tile(a.unit(), a.copy(), a.index(), a.core(), 4));
        assertTrue(violations(good, 0, new Layout.PartitionLayout(offChip, p0.writes(), p0.computeStartNs(), p0.computeEndNs()))
                .stream().anyMatch(v -> v.contains("unit conv1#0 copy 0 crossbar 0 of partition 0 is on crossbar 4 of core")));

        // Programming that ends after the partition starts.
        List<Layout.Write> late = new ArrayList<>();
        for (Layout.Write w : p0.writes()) {
            late.add(new Layout.Write(w.core(), w.crossbar(), w.startNs(), p0.computeStartNs() + 1));
        }
        assertTrue(!late.isEmpty());
        assertTrue(violations(good, 0, new Layout.PartitionLayout(p0.tiles(), late, p0.computeStartNs(), p0.computeEndNs()))
                .stream().anyMatch(v -> v.contains("of partition 0 is programmed until")));

        // No programming at all.
        assertTrue(violations(good, 0, new Layout.PartitionLayout(p0.tiles(), List.of(), p0.computeStartNs(), p0.computeEndNs()))
                .stream().anyMatch(v -> v.contains("of partition 0 is not programmed")));
    }

    private List<String> violations(Plan good, int p, Layout.PartitionLayout replaced) {
        List<Layout.PartitionLayout> parts = new ArrayList<>(good.layout().partitions());
        parts.set(p, replaced);
        return Validator.violations(in, good.withLayout(new Layout(parts, good.layout().periodNs())));
    }
}
