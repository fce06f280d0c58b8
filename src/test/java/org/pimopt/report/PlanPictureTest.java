package org.pimopt.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.placement.Placer;
import org.pimopt.solve.replacement.Replacement;

class PlanPictureTest {
    private static final SolveOptions OPTIONS = new SolveOptions(3_000, 1, 1, line -> {});

    @Test
    void aPlacedPlanShowsItsWriteScheduleAndAnUnplacedOneItsProgrammingPhases() {
        Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 4, Goal.parse("latency"));
        Plan plan = new Plan(List.of(new Partition(List.of(0, 1), Map.of(0, 2)), new Partition(List.of(2), Map.of()),
                new Partition(List.of(3, 4), Map.of())));
        Plan placed = plan.withLayout(Replacement.solve(in, plan, Placer.place(in, plan, OPTIONS).tiles(), OPTIONS).layout());
        SimResult withLayout = Simulator.run(in, placed, SimConfig.physical(Schedule.PIPELINE));
        SimResult without = Simulator.run(in, placed, SimConfig.physical(Schedule.PIPELINE).withLayout(false));
        String svg = PlanPicture.svg(withLayout, 4, "placed");
        assertTrue(svg.contains("programming as the plan&apos;s layout schedules it") || svg.contains("programming as the plan's layout schedules it"),
                svg.substring(0, Math.min(2000, svg.length())));
        assertFalse(PlanPicture.svg(without, 4, "unplaced").contains("layout schedules"));
        // One write bar per crossbar write the layout lists (all of them, with the grid and lanes besides).
        long writes = placed.layout().partitions().stream().mapToLong(p -> p.writes().size()).sum();
        assertTrue(writes > 0);
        long bars = svg.split("rgb\\(214,79,60\\)|#d64f3c|#D64F3C", -1).length - 1;
        assertTrue(bars >= writes, bars + " write bars for " + writes + " writes");
    }
}
