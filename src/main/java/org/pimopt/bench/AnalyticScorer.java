package org.pimopt.bench;

import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/** Scores a plan with pimopt's analytic cost model ({@link Plan#evaluate}, DESIGN.md section 5). */
public final class AnalyticScorer implements PlanScorer {
    @Override
    public String name() {
        return "analytic";
    }

    @Override
    public BatchMetrics score(Instance instance, Plan plan) {
        return plan.evaluate(instance);
    }
}
