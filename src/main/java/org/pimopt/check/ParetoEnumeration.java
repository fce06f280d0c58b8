package org.pimopt.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.problem.Instance;
import org.pimopt.solve.pareto.ParetoGoals;

/**
 * The Pareto front of two goals by brute force: every valid plan of a small instance
 * ({@link PlanEnumerator#forEachPlan}, every partition count), the figures of those no other plan
 * dominates, one per distinct pair of figures, by increasing {@code f}. What the sweep's front is
 * judged against.
 */
public final class ParetoEnumeration {
    private ParetoEnumeration() {}

    public static List<BatchMetrics> front(Instance instance, ParetoGoals goals) {
        List<BatchMetrics> all = new ArrayList<>();
        PlanEnumerator.forEachPlan(instance, instance.units().size(), (plan, m) -> {
            if (instance.goal().meetsLimits(m)) {
                all.add(m);
            }
        });
        // By f, then g: a plan is on the front when its g is below every g before it.
        all.sort(Comparator.comparingDouble((BatchMetrics m) -> goals.f(m)).thenComparingDouble(goals::g));
        List<BatchMetrics> front = new ArrayList<>();
        for (BatchMetrics m : all) {
            BatchMetrics last = front.isEmpty() ? null : front.get(front.size() - 1);
            if (last == null || (!goals.dominates(last, m) && !goals.same(last, m))) {
                // f within 1e-9 of the last one's and g below: the last one is dominated after all.
                while (!front.isEmpty() && goals.dominates(m, front.get(front.size() - 1))) {
                    front.remove(front.size() - 1);
                }
                front.add(m);
            }
        }
        return front;
    }
}
