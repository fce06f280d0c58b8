package org.pimopt.solve.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.dp.DpStrategy;

/** Spans priced alone add up to the plan priced whole: what makes the DP exact. */
class IntervalScorerTest {

    @Test
    void spanPricesAddUpToThePlanPrice() {
        Random random = new Random(7);
        for (Instance in : List.of(
                Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 8, Goal.parse("latency")),
                Instance.of(TestNetworks.mlp(512, 300, 200, 300, 100, 10), TestNetworks.chip(2, 4), 3, Goal.parse("energy")),
                Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(1, 16), 1, Goal.parse("edp")))) {
            IntervalScorer scorer = new IntervalScorer(in, ReplicationRule.PER_SPAN);
            for (int trial = 0; trial < 40; trial++) {
                List<Integer> cuts = randomCuts(scorer, random);
                Plan plan = scorer.plan(cuts);
                assertEquals(List.of(), Validator.violations(in, plan));
                BatchMetrics whole = plan.evaluate(in);
                BatchMetrics summed = scorer.metrics(cuts);
                assertEquals(whole.latencyNs(), summed.latencyNs(), 1e-9 * whole.latencyNs(), cuts.toString());
                assertEquals(whole.energy().totalPj(), summed.energy().totalPj(), 1e-9 * whole.energy().totalPj());
                assertEquals(whole.cellsWritten(), summed.cellsWritten());
                assertEquals(whole.dramBytes(), summed.dramBytes());
            }
        }
    }

    static List<Integer> randomCuts(IntervalScorer scorer, Random random) {
        List<Integer> cuts = new ArrayList<>(List.of(0));
        int a = 0;
        while (a < scorer.size()) {
            a = a + 1 + random.nextInt(scorer.maxEnd(a) - a);
            cuts.add(a);
        }
        return cuts;
    }
}
