package org.pimopt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.placement.Placer;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.solve.replacement.Replacement;

/** What {@code solve --place} produces on small zoo networks passes the Validator and the simulator. */
class PlacedZooPlansTest {
    private static final SolveOptions OPTIONS = new SolveOptions(3_000, 1, 1, line -> {});

    private static int placeAndSimulate(String model, Chip chip, int batch) {
        Instance in = Instance.of(ModelCatalog.load(model, Map.of()), chip, batch, Goal.parse("latency"));
        // dp's own budget is generous: on a busy machine a short one ends it with a fallback plan.
        Plan plan = Strategies.byName("dp").solve(in, new SolveOptions(30_000, 1, 1, line -> {})).plan();
        Placer.Placed placed = Placer.place(in, plan, OPTIONS);
        Replacement.Result r = Replacement.solve(in, plan, placed.tiles(), OPTIONS);
        Plan withLayout = plan.withLayout(r.layout());
        String name = model + " on " + chip.name();
        assertEquals(List.of(), Validator.violations(in, withLayout), name);
        for (Schedule schedule : Schedule.values()) {
            SimResult sim = Simulator.run(in, withLayout, SimConfig.physical(schedule));
            assertTrue(sim.layoutExecuted(), name);
            assertEquals(r.cellsWritten(), sim.cellsWritten(), name + " " + schedule);
            assertEquals(r.worstWrites(), sim.worstCrossbarWrites(), name + " " + schedule);
            assertTrue(sim.latencyNs() > 0, name);
        }
        SimResult analytic = Simulator.run(in, withLayout, SimConfig.analytic(Schedule.PIPELINE).withOverlapWrites(true));
        assertTrue(analytic.latencyNs() <= r.periodNs() * (1 + 1e-6) + 1e-6, name + ": " + analytic.latencyNs() + " vs " + r.periodNs());
        return plan.partitions().size();
    }

    @Test
    void lenet5OnASmallChip() {
        assertTrue(placeAndSimulate("lenet5", TestNetworks.chip(2, 4), 2) >= 2);
    }

    @Test
    void lenet5OnCompassS() {
        // lenet5's 61,706 weights fit compass-s at once: one partition, its weights written once.
        assertEquals(1, placeAndSimulate("lenet5", ChipLoader.load("compass-s"), 4));
    }

    @Test
    void squeezenetOnCompassS() {
        assertTrue(placeAndSimulate("squeezenet1_1", ChipLoader.load("compass-s"), 2) >= 2);
    }
}
