package org.pimopt.solve.dp;

import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.LowerBound;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;

/** The plan an exact engine starts from: the caller's, when valid, else dp's with a fifth of the budget. */
public final class WarmStart {
    private WarmStart() {}

    public static SolveResult of(Instance instance, SolveOptions options) {
        Plan given = options.warmStart();
        if (given != null && Validator.violations(instance, given).isEmpty()) {
            BatchMetrics m = given.evaluate(instance);
            return new SolveResult("warm start", given, m, Status.FEASIBLE, instance.goal().primaryValue(m), null, 0,
                    Map.of(), "");
        }
        return new DpStrategy().solve(instance,
                new SolveOptions(Math.max(1, options.timeoutMillis() / 5), options.seed(), 1, line -> {}));
    }

    /**
     * An engine's answer when its model cannot state the goal (edp in a linear or 32-bit model,
     * ...): the warm start itself, with the bound every plan obeys, and {@code why} as the note.
     */
    public static SolveResult asAnswer(String engine, Instance instance, SolveResult warm, long wallMillis, String why) {
        return asAnswer(engine, instance, warm, null, wallMillis, why);
    }

    /**
     * {@link #asAnswer(String, Instance, SolveResult, long, String)} with a bound valid for every
     * plan known beside {@link LowerBound} ({@code dp-lattice}'s), or null: its gap is then
     * against the higher of the two.
     */
    public static SolveResult asAnswer(String engine, Instance instance, SolveResult warm, Double everyPlanBound,
                                       long wallMillis, String why) {
        LowerBound.Claim claim = LowerBound.claim(instance, everyPlanBound, warm.objective());
        // A warm start that breaks a limit proves nothing, whatever bound it meets.
        boolean proven = claim.provesOptimal() && instance.goal().meetsLimits(warm.metrics());
        return new SolveResult(engine, warm.plan(), warm.metrics(), proven ? Status.OPTIMAL : Status.FEASIBLE,
                warm.objective(), claim.bound(), wallMillis,
                proven ? Map.of(SolveResult.PROVEN_BY, "bound") : Map.of(), why + "; returned the warm start");
    }

    /**
     * Most partitions an exact engine's model gets: the given limit, or the warm start's partitions
     * plus half as many again (at least two more), never more than the units.
     */
    public static int partitionLimit(Integer given, Plan warm, int units) {
        int w = warm.partitions().size();
        return given != null ? Math.min(units, given) : Math.min(units, w + Math.max(2, w / 2));
    }

    /**
     * The warm start returned as it is when it has more partitions than the limit {@code k}: an EDP
     * model caps its factors from the warm plan, so it must be one of the model's plans. Null when it fits.
     */
    public static SolveResult beyondEdpLimit(String engine, Instance instance, SolveResult warm, Double everyPlanBound, int k,
                                             long wallMillis) {
        int w = warm.plan().partitions().size();
        return w <= k ? null : asAnswer(engine, instance, warm, everyPlanBound, wallMillis, "the warm start has " + w
                + " partitions, more than the limit of " + k + " the EDP model needs to start from it");
    }
}
