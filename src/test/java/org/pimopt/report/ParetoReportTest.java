package org.pimopt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.EnergyBreakdown;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.pareto.ParetoFront;
import org.pimopt.solve.pareto.ParetoGoals;
import org.pimopt.solve.pareto.ParetoPoint;

/** A heuristic's distance to the front, per goal, as pareto.csv and the plot show it; on a front made by hand. */
class ParetoReportTest {
    private static final ParetoGoals GOALS = new ParetoGoals(Objective.LATENCY, Objective.ENERGY);
    private static final Plan PLAN = new Plan(List.of(new Partition(List.of(0), Map.of())));

    private static BatchMetrics m(double latency, double energy) {
        return new BatchMetrics(1, latency, new EnergyBreakdown(energy, 0, 0, 0, 0, 0), 0, 0, List.of());
    }

    private static ParetoPoint point(double latency, double energy, boolean proven) {
        return new ParetoPoint(PLAN, m(latency, energy), proven ? Status.OPTIMAL : Status.FEASIBLE, 0, proven ? "dp-lattice" : "",
                proven ? 0.0 : 0.05, Double.POSITIVE_INFINITY, "least latency", 10, "");
    }

    private static final ParetoFront FRONT = new ParetoFront(GOALS, List.of(point(100, 50, true), point(120, 30, true),
            point(200, 10, false)), false, "time", 3, 1e-3, 100);

    @Test
    void distanceIsToTheNearestDominatingPointInEachGoal() {
        // (130, 35): dominated by point 2 (120, 30): +8.3% latency, +16.7% energy; point 1 does not dominate it.
        ParetoFront.Distance d = FRONT.distance(m(130, 35));
        assertEquals(2, d.point());
        assertEquals(130.0 / 120 - 1, d.f(), 1e-12);
        assertEquals(35.0 / 30 - 1, d.g(), 1e-12);
        // (210, 60): every point dominates it; by the larger excess point 2 (+75%, +100%) is nearer than
        // point 1 (+110%, +20%) and point 3 (+5%, +500%).
        assertEquals(2, FRONT.distance(m(210, 60)).point());
        // Between two points, dominated by none found: no distance.
        assertNull(FRONT.distance(m(110, 40)));
        // Equal to a point: distance 0.
        assertEquals(0, FRONT.distance(m(120, 30)).f());
        assertEquals(List.of(1), FRONT.dominatedBy(m(90, 50)));
        assertEquals(List.of(), FRONT.dominatedBy(m(150, 5)), "point 3 is not proven");
    }

    @Test
    void csvHasAFrontRowPerPointAndAHeuristicRowWithItsExcess() {
        SolveResult greedy = new SolveResult("greedy", PLAN, m(130, 35), Status.FEASIBLE, 130, null, 1, Map.of(), "");
        List<String> lines = ParetoReport.csv(FRONT, List.of(greedy), Map.of(), Map.of("pareto-1", "plans/pareto-1.json"))
                .lines().toList();
        assertTrue(lines.get(0).startsWith("kind,name,how,status,proven_by,scope,gap,energy_pj_limit,partitions,latency_ns,energy_pj,"),
                lines.get(0));
        assertEquals(5, lines.size());
        assertTrue(lines.get(1).startsWith("front,pareto-1,least latency,OPTIMAL,dp-lattice,every plan,") && lines.get(1)
                .endsWith(",plans/pareto-1.json"), lines.get(1));
        assertTrue(lines.get(4).startsWith("heuristic,greedy,") && lines.get(4).contains(",pareto-2,0.0833333333,0.166666667,"),
                lines.get(4));
        String svg = ParetoPlot.svgElement(FRONT, List.of(greedy), "test", "note");
        assertTrue(svg.startsWith("<svg") && svg.contains("greedy"), svg.substring(0, 100));
    }
}
