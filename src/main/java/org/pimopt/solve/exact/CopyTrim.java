package org.pimopt.solve.exact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * A plan toward a limit on cells written, by taking copies away (formulations/limits.md, "When no
 * plan meets them"): the searches under the limits can run out of time on large networks with no
 * plan that meets them, while the fastest plan breaks a writes limit only by its copies. Each round
 * removes the one copy that costs the least latency per cell saved, until the plan writes few
 * enough cells. Fewer copies always still pack (they are a subset), so every plan here is valid.
 * A heuristic: the plan it returns is FEASIBLE at best, never a proof.
 */
final class CopyTrim {
    private CopyTrim() {}

    /** The plan with copies taken away until it meets the goal's writes limit; null when it cannot or time runs out. */
    static Plan towardWrites(Instance instance, Plan plan, long deadlineNanos) {
        double max = instance.goal().limits().max(Objective.WRITES);
        if (Double.isInfinite(max)) {
            return null;
        }
        Plan current = plan;
        BatchMetrics m = current.evaluate(instance);
        while (Objective.WRITES.of(m) > max * (1 + 1e-9)) {
            Plan best = null;
            BatchMetrics bestMetrics = null;
            double bestRate = Double.POSITIVE_INFINITY;
            for (int p = 0; p < current.partitions().size(); p++) {
                Partition part = current.partitions().get(p);
                for (Map.Entry<Integer, Integer> e : part.replication().entrySet()) {
                    if (e.getValue() <= 1) {
                        continue;
                    }
                    if (System.nanoTime() > deadlineNanos) {
                        return null;
                    }
                    Plan fewer = withCopies(current, p, e.getKey(), e.getValue() - 1);
                    BatchMetrics f = fewer.evaluate(instance);
                    double saved = m.cellsWritten() - f.cellsWritten();
                    if (saved <= 0) {
                        continue;
                    }
                    double rate = Math.max(0, f.latencyNs() - m.latencyNs()) / saved;
                    if (rate < bestRate) {
                        bestRate = rate;
                        best = fewer;
                        bestMetrics = f;
                    }
                }
            }
            if (best == null) {
                return null;   // one copy of everything, and still too many cells
            }
            current = best;
            m = bestMetrics;
        }
        return current;
    }

    private static Plan withCopies(Plan plan, int partition, int op, int copies) {
        List<Partition> parts = new ArrayList<>(plan.partitions());
        Partition p = parts.get(partition);
        Map<Integer, Integer> replication = new HashMap<>(p.replication());
        if (copies <= 1) {
            replication.remove(op);
        } else {
            replication.put(op, copies);
        }
        parts.set(partition, new Partition(p.units(), replication));
        return new Plan(parts);
    }
}
