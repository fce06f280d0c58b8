package org.pimopt.solve;

import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.dp.DpStrategy;

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
}
