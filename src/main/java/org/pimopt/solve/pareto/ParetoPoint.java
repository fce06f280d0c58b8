package org.pimopt.solve.pareto;

import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.solve.Status;

/**
 * One point of a front: the answer of one exact sub-solve, the lexicographic optimum of
 * {@code (f, g)} under {@code g <= limit} (formulations/pareto.md).
 *
 * @param status       the sub-solve's: {@link Status#OPTIMAL} when both levels were proven,
 *                     else {@link Status#FEASIBLE}
 * @param maxPartitions 0 when the status (and the gap) speak of every plan; else the partition
 *                     count CP-SAT's model was held to, and they speak of plans of at most that many
 * @param provenBy     the engine whose proof closed it (dp-lattice, cpsat, bound), empty when not proven
 * @param gap          relative gap of {@code f} to the engine's bound, null without one
 * @param limit        the limit on {@code g} it was found under (infinity when none: the two ends and the least edp)
 * @param how          how it was found: {@code least latency}, {@code least edp}, {@code least latency with energy <= 4.2e+09}
 * @param millis       the sub-solve's wall time
 * @param note         what the engine said
 */
public record ParetoPoint(Plan plan, BatchMetrics metrics, Status status, int maxPartitions, String provenBy, Double gap,
                          double limit, String how, long millis, String note) {

    /** Proven on the exact front over every plan: no plan is better in both goals. */
    public boolean proven() {
        return status == Status.OPTIMAL && maxPartitions == 0;
    }

    /** {@code every plan} or {@code plans of at most K partitions}: what the status and the gap speak of. */
    public String scope() {
        return maxPartitions == 0 ? "every plan" : "plans of at most " + maxPartitions + " partitions";
    }
}
