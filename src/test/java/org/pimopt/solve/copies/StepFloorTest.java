package org.pimopt.solve.copies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.problem.Instance;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.ReplicationRule;

class StepFloorTest {
    /**
     * On squeezenet1_1's spans (compass-s and compass-l, batch 1 and 16), the floor is at or below
     * every choice of copies that packs, in both latency and energy, brute force over every count,
     * also with the slowest stage's ranges left wide (few splits) and raised by the core measures
     * (packing relaxed by half-cores); and it is tight: on average at least 95% of the best
     * choice's latency (measured: 98-99.9% by chip and batch).
     */
    @Test
    void noChoiceOfCopiesPricesBelowTheFloor() {
        int[] checked = {0};
        int[] raised = {0};
        double[] ratios = {0};
        for (int batch : new int[] {1, 16}) {
            for (String chip : List.of("compass-s", "compass-l")) {
                Instance in = Instance.of(ModelCatalog.load("squeezenet1_1", Map.of()), ChipLoader.load(chip), batch,
                        Goal.parse("latency"));
                IntervalScorer scorer = new IntervalScorer(in, ReplicationRule.PER_SPAN);
                StepFloor floors = new StepFloor(in);
                // Few splits leave the slowest stage's ranges wide: their corners must hold too.
                List<StepFloor> wide = List.of(new StepFloor(in, 0), new StepFloor(in, 1), new StepFloor(in, 3));
                CopyChoices.forSmallSpans(in, scorer, (a, b, block, all) -> {
                    BatchMetrics floor = floors.of(block, scorer.profile(block, Map.of()));
                    double best = Double.POSITIVE_INFINITY;
                    String where = "B=" + batch + " " + chip + " span [" + a + ", " + b + "): ";
                    for (StepFloor f : wide) {
                        assertBelowAll(f.of(block, scorer.profile(block, Map.of())), all, where + "with few splits, ");
                    }
                    assertBelowAll(floor, all, where);
                    BatchMetrics cores = floors.withCores(block, scorer.profile(block, Map.of()), floor);
                    assertBelowAll(cores, all, where + "with the core measures, ");
                    raised[0] += cores.latencyNs() > floor.latencyNs() * (1 + 1e-9) ? 1 : 0;
                    for (BatchMetrics m : all) {
                        best = Math.min(best, m.latencyNs());
                    }
                    checked[0]++;
                    ratios[0] += floor.latencyNs() / best;
                });
            }
        }
        assertTrue(checked[0] >= 100, "only " + checked[0] + " spans checked");
        assertTrue(raised[0] > 0, "the core measures never raised a floor");
        assertTrue(ratios[0] / checked[0] >= 0.95, "floors average only " + ratios[0] / checked[0] + " of the best latency");
    }

    private static void assertBelowAll(BatchMetrics floor, List<BatchMetrics> all, String where) {
        for (BatchMetrics m : all) {
            assertTrue(floor.latencyNs() <= m.latencyNs() * (1 + 1e-9),
                    where + "floor " + floor.latencyNs() + " ns above copies priced " + m.latencyNs());
            assertTrue(floor.energy().totalPj() <= m.energy().totalPj() * (1 + 1e-9),
                    where + "floor " + floor.energy().totalPj() + " pJ above copies priced " + m.energy().totalPj());
        }
    }
}
