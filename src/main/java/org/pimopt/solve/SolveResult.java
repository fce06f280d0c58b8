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

    /**
     * What proved the status OPTIMAL: the stat {@code provenBy} when the strategy records it (a
     * portfolio names the engine whose search closed the gap; {@code bound} when the plan met a bound
     * valid for every plan), else the strategy itself; empty when the result is not optimal.
     */
    public String provenBy() {
        if (status != Status.OPTIMAL) {
            return "";
        }
        Object by = stats.get(PROVEN_BY);
        return by == null ? strategy : by.toString();
    }

    /** The stat that names the engine behind an OPTIMAL, when it is not the strategy's own search. */
    public static final String PROVEN_BY = "provenBy";

    /** The same result under another strategy's name (a portfolio reports its member's answer as its own). */
    public SolveResult named(String name, long totalWallMillis, Map<String, Object> moreStats, String notePrefix) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(stats);
        all.putAll(moreStats);
        return new SolveResult(name, plan, metrics, status, objective, bound, totalWallMillis, all,
                notePrefix + (note == null ? "" : note));
    }

    /** The result with the best plan by the instance's goal (the first of equals), or null when none has a plan. */
    public static SolveResult best(org.pimopt.problem.Instance instance, java.util.List<SolveResult> results) {
        SolveResult best = null;
        for (SolveResult r : results) {
            if (r != null && r.plan() != null && (best == null
                    || instance.goal().comparator().compare(r.metrics(), best.metrics()) < 0)) {
                best = r;
            }
        }
        return best;
    }

    /** Relative gap between objective and bound, or null without a bound. */
    public Double gap() {
        if (bound == null || plan == null) {
            return null;
        }
        return objective == 0 ? 0.0 : Math.max(0, (objective - bound) / Math.abs(objective));
    }
}
