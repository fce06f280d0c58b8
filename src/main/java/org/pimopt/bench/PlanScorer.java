package org.pimopt.bench;

import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * The one place where the benchmark turns a plan into the figures it records. Every row of a
 * results CSV names the scorer that produced it (column {@code scorer}), so figures from the
 * analytic model and from the discrete-event simulator are never mixed up. The plan has
 * passed {@link org.pimopt.plan.Validator} before it gets here.
 */
public interface PlanScorer {
    /** Short name written to the CSV: {@code analytic}, {@code sim-pipeline}, ... */
    String name();

    BatchMetrics score(Instance instance, Plan plan);

    /** The scorer every suite uses unless told otherwise: the simulator. */
    static PlanScorer standard() {
        return new SimScorer();
    }

    /** {@code sim} or {@code analytic}. */
    static PlanScorer byName(String name) {
        return switch (name) {
            case "sim", "sim-pipeline" -> new SimScorer();
            case "analytic" -> new AnalyticScorer();
            default -> throw new org.pimopt.PimoptException("unknown scorer '" + name + "' (use sim or analytic)");
        };
    }
}
