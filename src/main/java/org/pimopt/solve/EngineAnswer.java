package org.pimopt.solve;

import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * What an exact engine reports at the end: the better of its own plan and the warm start (the
 * rounding or tolerances of its model can rank two nearly equal plans apart from the cost model),
 * priced by the cost model, with the bound and status it may claim ({@link LowerBound#claim}).
 */
public record EngineAnswer(Plan plan, BatchMetrics metrics, double objective, double bound, Status status, boolean boundMet) {

    /**
     * The stats entry naming what proved an OPTIMAL ({@link SolveResult#PROVEN_BY}): {@code bound}
     * when the plan met a bound valid for every plan while the engine's own search had not closed,
     * else none (the engine itself, or not optimal).
     */
    public java.util.Map<String, Object> provenByStats() {
        return status == Status.OPTIMAL && boundMet ? java.util.Map.of(SolveResult.PROVEN_BY, "bound") : java.util.Map.of();
    }

    /**
     * @param found       the engine's best plan (the warm start when it found none)
     * @param warmFits    whether the warm start lies within the engine's model (else it may not be returned)
     * @param engineBound the engine's proven bound in cost-model units, or null
     * @param engineStatus OPTIMAL when the engine proved its plan optimal, else FEASIBLE
     */
    public static EngineAnswer of(Instance instance, Plan found, SolveResult warm, boolean warmFits, Double engineBound,
                             Status engineStatus) {
        Plan plan = found;
        BatchMetrics metrics = found.evaluate(instance);
        // The warm start is priced again here: a strategy's own figures (a block search's) are not
        // what this result claims.
        BatchMetrics warmMetrics = warmFits ? warm.plan().evaluate(instance) : null;
        if (warmFits && instance.goal().comparator().compare(warmMetrics, metrics) < 0) {
            plan = warm.plan();
            metrics = warmMetrics;
        }
        double objective = instance.goal().primaryValue(metrics);
        LowerBound.Claim claim = LowerBound.claim(instance, engineBound, objective);
        // A plan that breaks a limit proves nothing: it is only the best the engine had.
        boolean meets = instance.goal().meetsLimits(metrics);
        boolean boundMet = meets && claim.provesOptimal() && engineStatus != Status.OPTIMAL;
        Status status = !meets ? Status.FEASIBLE : claim.provesOptimal() ? Status.OPTIMAL : engineStatus;
        return new EngineAnswer(plan, metrics, objective, claim.bound(), status, boundMet);
    }
}
