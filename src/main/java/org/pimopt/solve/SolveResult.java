package org.pimopt.solve;

import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;

/**
 * A strategy's answer: its plan (null when it found none), status, objective value (of the goal's
 * primary objective), best proven bound when it has one, wall time, statistics, and a note saying
 * what an OPTIMAL status covers.
 */
public record SolveResult(String strategy, Plan plan, BatchMetrics metrics, Status status, double objective,
                          Double bound, long wallMillis, Map<String, Object> stats, String note) {
    public SolveResult {
        stats = Map.copyOf(stats);
    }

    /** Relative gap between objective and bound, or null without a bound. */
    public Double gap() {
        if (bound == null || plan == null) {
            return null;
        }
        return objective == 0 ? 0.0 : Math.max(0, (objective - bound) / Math.abs(objective));
    }
}
