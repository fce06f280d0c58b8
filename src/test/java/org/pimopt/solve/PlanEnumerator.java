package org.pimopt.solve;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * The best plan of a small instance by brute force, written to be obviously right rather than
 * fast: every assignment of every unit to one of partitions 0..K-1 (partitions used form a
 * prefix 0..m-1, in any order the assignment gives them), every copy count from 1 up to the op's
 * MVM steps for every op in every partition, each plan kept if the {@link Validator} accepts it
 * (dependencies, capacity, core packing) and priced by {@link Plan#evaluate} (the cost model).
 * {@link #bestContiguous} keeps to plans whose partitions are contiguous spans of the instance's
 * unit order (any number of them), the plans {@code dp} and {@code cpsat-fixed} search.
 */
public final class PlanEnumerator {
    /** The best plan found and its metrics. */
    public record Best(Plan plan, BatchMetrics metrics, long plansPriced) {}

    private final Instance instance;
    private final int maxPartitions;
    private final boolean contiguous;
    private Plan bestPlan;
    private BatchMetrics bestMetrics;
    private long priced;

    private PlanEnumerator(Instance instance, int maxPartitions, boolean contiguous) {
        this.instance = instance;
        this.maxPartitions = maxPartitions;
        this.contiguous = contiguous;
    }

    public static Best best(Instance instance, int maxPartitions) {
        PlanEnumerator e = new PlanEnumerator(instance, maxPartitions, false);
        e.assign(new int[instance.units().size()], 0);
        return new Best(e.bestPlan, e.bestMetrics, e.priced);
    }

    /** The best plan whose partitions are contiguous spans of the unit order, in that order. */
    public static Best bestContiguous(Instance instance) {
        PlanEnumerator e = new PlanEnumerator(instance, instance.units().size(), true);
        e.assign(new int[instance.units().size()], 0);
        return new Best(e.bestPlan, e.bestMetrics, e.priced);
    }

    /** Chooses the partition of unit u, then of the next ones. */
    private void assign(int[] partOf, int u) {
        if (u == partOf.length) {
            int k = 0;
            for (int p : partOf) {
                k = Math.max(k, p + 1);
            }
            boolean[] used = new boolean[k];
            for (int p : partOf) {
                used[p] = true;
            }
            for (boolean b : used) {
                if (!b) {
                    return;   // a gap: the same plan is seen with the partitions renumbered
                }
            }
            int[][] replicas = new int[k][instance.ops().size()];
            for (int[] row : replicas) {
                java.util.Arrays.fill(row, 1);
            }
            replicate(partOf, replicas, presentOps(partOf, k), 0);
            return;
        }
        // Contiguous: a unit stays in its predecessor's partition or opens the next one.
        int from = contiguous && u > 0 ? partOf[u - 1] : 0;
        int to = contiguous ? (u > 0 ? partOf[u - 1] + 1 : 0) : maxPartitions - 1;
        for (int p = from; p <= to; p++) {
            partOf[u] = p;
            assign(partOf, u + 1);
        }
    }

    /** (partition, op) pairs where the op has a unit. */
    private List<int[]> presentOps(int[] partOf, int k) {
        List<int[]> out = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            for (OpInfo op : instance.ops()) {
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    if (partOf[u] == p) {
                        out.add(new int[] {p, op.index()});
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Chooses the copies of the i-th present (partition, op), then of the next ones. */
    private void replicate(int[] partOf, int[][] replicas, List<int[]> present, int i) {
        if (i == present.size()) {
            Plan plan = Plan.fromAssignment(partOf, replicas);
            if (!Validator.violations(instance, plan).isEmpty()) {
                return;
            }
            priced++;
            BatchMetrics m = plan.evaluate(instance);
            if (bestMetrics == null || instance.goal().comparator().compare(m, bestMetrics) < 0) {
                bestMetrics = m;
                bestPlan = plan;
            }
            return;
        }
        int p = present.get(i)[0];
        OpInfo op = instance.ops().get(present.get(i)[1]);
        long crossbars = 0;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            if (partOf[u] == p) {
                crossbars += instance.units().get(u).crossbars();
            }
        }
        // More copies than fit the chip can never be valid: stop there (the Validator would reject them).
        for (int r = 1; r <= op.positions() && r * crossbars <= instance.chip().totalCrossbars(); r++) {
            replicas[p][op.index()] = r;
            replicate(partOf, replicas, present, i + 1);
        }
        replicas[p][op.index()] = 1;
    }
}
