package org.pimopt.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * The best plans of a small instance by brute force, written to be obviously right rather than
 * fast: every assignment of every unit to one of partitions 0..m-1 using each of them (m = 1..K,
 * in any order the assignment gives them), every copy count from 1 up to the op's MVM steps for
 * every op in every partition, each plan kept if the {@link Validator} accepts it (dependencies,
 * capacity, core packing) and priced by {@link Plan#evaluate} (the cost model). One pass keeps the
 * best plan of each partition count, over all plans and over contiguous ones (partitions that are
 * spans of the instance's unit order, in that order: the plans {@code dp} and {@code cpsat-fixed}
 * search), so that every engine's {@link Scope} is answered from it. Several goals can be judged in
 * one pass ({@link #enumerate(Instance, int, List)}): each plan is priced once and kept for each
 * goal's order (the limits' cross-check needs the least of each limited figure and the unlimited
 * optimum before it can place the limits).
 *
 * <p>Only plans the Validator would reject are skipped unpriced: a unit placed before a unit of an
 * op it reads, a partition whose copies need more crossbars than the chip has, and copy counts
 * above an op's MVM steps.
 */
public final class PlanEnumerator {
    /** The best plan found (null when no plan is valid) and its metrics. */
    public record Best(Plan plan, BatchMetrics metrics, long plansPriced) {}

    private final Instance instance;
    private final int maxPartitions;
    /** The orders plans are kept by, one per goal. */
    private final List<java.util.Comparator<BatchMetrics>> orders;
    /** Per goal, best plan and metrics with exactly m partitions, index m; over all plans and over contiguous ones. */
    private final Plan[][] anyPlan;
    private final BatchMetrics[][] anyBest;
    private final Plan[][] spanPlan;
    private final BatchMetrics[][] spanBest;
    /** Per op, the ops it reads (Validator's rule: none of their units after its first unit). */
    private final int[][] predecessors;
    private long priced;
    /** Sees every valid plan priced, or null: {@link #forEachPlan}. */
    private java.util.function.BiConsumer<Plan, BatchMetrics> visitor;

    private PlanEnumerator(Instance instance, int maxPartitions, List<Goal> goals) {
        this.instance = instance;
        this.maxPartitions = Math.min(maxPartitions, instance.units().size());
        orders = goals.stream().map(Goal::comparator).toList();
        int g = goals.size();
        anyPlan = new Plan[g][this.maxPartitions + 1];
        anyBest = new BatchMetrics[g][this.maxPartitions + 1];
        spanPlan = new Plan[g][this.maxPartitions + 1];
        spanBest = new BatchMetrics[g][this.maxPartitions + 1];
        predecessors = instance.ops().stream().map(o -> o.predecessors().stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** The best plans of at most {@code maxPartitions} partitions, by partition count. */
    public static Optima enumerate(Instance instance, int maxPartitions) {
        return enumerate(instance, maxPartitions, List.of(instance.goal())).get(0);
    }

    /**
     * The best plans of at most {@code maxPartitions} partitions for each of {@code goals} (the
     * instance held to each in turn), from one pass over the plans.
     */
    public static List<Optima> enumerate(Instance instance, int maxPartitions, List<Goal> goals) {
        PlanEnumerator e = new PlanEnumerator(instance, maxPartitions, goals);
        for (int m = 1; m <= e.maxPartitions; m++) {
            e.assign(new int[instance.units().size()], new long[m], 0, m, 0);
        }
        List<Optima> out = new ArrayList<>();
        for (int g = 0; g < goals.size(); g++) {
            out.add(new Optima(e.anyPlan[g], e.anyBest[g], e.spanPlan[g], e.spanBest[g], e.priced,
                    instance.withGoal(goals.get(g))));
        }
        return out;
    }

    /**
     * Every valid plan of at most {@code maxPartitions} partitions, priced, to {@code visitor} (a
     * front's judge collects their figures); the plans priced.
     */
    public static long forEachPlan(Instance instance, int maxPartitions, java.util.function.BiConsumer<Plan, BatchMetrics> visitor) {
        PlanEnumerator e = new PlanEnumerator(instance, maxPartitions, List.of(instance.goal()));
        e.visitor = visitor;
        for (int m = 1; m <= e.maxPartitions; m++) {
            e.assign(new int[instance.units().size()], new long[m], 0, m, 0);
        }
        return e.priced;
    }

    /** The best plan of at most {@code maxPartitions} partitions, any order. */
    public static Best best(Instance instance, int maxPartitions) {
        return enumerate(instance, maxPartitions).best(Scope.upTo(maxPartitions));
    }

    /** The best plan whose partitions are contiguous spans of the unit order, in that order. */
    public static Best bestContiguous(Instance instance) {
        return enumerate(instance, instance.units().size()).best(Scope.CONTIGUOUS);
    }

    /**
     * How many plans the enumeration would price at most (assignments that pass the skips above,
     * times the copy counts of each), or -1 as soon as the count passes {@code cap}: cheap, to
     * keep the instances of a cross-check small enough to enumerate.
     */
    public static long plansToTry(Instance instance, long cap) {
        PlanEnumerator e = new PlanEnumerator(instance, instance.units().size(), List.of(instance.goal()));
        long[] count = {0};
        for (int m = 1; m <= e.maxPartitions; m++) {
            if (!e.count(new int[instance.units().size()], new long[m], 0, m, 0, count, cap)) {
                return -1;
            }
        }
        return count[0];
    }

    /** Most partition of a unit's predecessors' units: it may not run before. */
    private int earliest(int[] partOf, int u) {
        int op = instance.units().get(u).op();
        int from = 0;
        for (int pred : predecessors[op]) {
            OpInfo po = instance.ops().get(pred);
            if (po.lastUnit() < u) {   // ops come in topological order, so this always holds; the Validator judges anyway
                for (int v = po.firstUnit(); v <= po.lastUnit(); v++) {
                    from = Math.max(from, partOf[v]);
                }
            }
        }
        return from;
    }

    /**
     * Chooses the partition of unit u among 0..m-1 ({@code used} partitions so far, crossbars of one
     * copy of each unit per partition in {@code load}), then of the next ones.
     */
    private void assign(int[] partOf, long[] load, int u, int m, int usedMask) {
        int n = partOf.length;
        if (u == n) {
            if (Integer.bitCount(usedMask) == m) {
                int[][] replicas = new int[m][instance.ops().size()];
                for (int[] row : replicas) {
                    Arrays.fill(row, 1);
                }
                replicate(partOf, replicas, new long[m], presentOps(partOf, m), 0);
            }
            return;
        }
        if (m - Integer.bitCount(usedMask) > n - u) {
            return;   // too few units left to fill every partition
        }
        long capacity = instance.chip().totalCrossbars();
        long crossbars = instance.units().get(u).crossbars();
        for (int p = earliest(partOf, u); p < m; p++) {
            if (load[p] + crossbars > capacity) {
                continue;
            }
            partOf[u] = p;
            load[p] += crossbars;
            assign(partOf, load, u + 1, m, usedMask | (1 << p));
            load[p] -= crossbars;
        }
    }

    /** {@link #assign}'s walk, adding up the copy-count choices of each assignment instead of pricing them. */
    private boolean count(int[] partOf, long[] load, int u, int m, int usedMask, long[] count, long cap) {
        int n = partOf.length;
        if (u == n) {
            if (Integer.bitCount(usedMask) == m) {
                long product = 1;
                for (int[] po : presentOps(partOf, m)) {
                    product = Math.min(cap + 1, product * copyLimit(partOf, po[0], instance.ops().get(po[1])));
                }
                count[0] += product;
            }
            return count[0] <= cap;
        }
        if (m - Integer.bitCount(usedMask) > n - u) {
            return true;
        }
        long capacity = instance.chip().totalCrossbars();
        long crossbars = instance.units().get(u).crossbars();
        for (int p = earliest(partOf, u); p < m; p++) {
            if (load[p] + crossbars > capacity) {
                continue;
            }
            partOf[u] = p;
            load[p] += crossbars;
            boolean within = count(partOf, load, u + 1, m, usedMask | (1 << p), count, cap);
            load[p] -= crossbars;
            if (!within) {
                return false;
            }
        }
        return true;
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

    /** Crossbars of one copy of the op's units in partition p. */
    private long crossbarsIn(int[] partOf, int p, OpInfo op) {
        long crossbars = 0;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            if (partOf[u] == p) {
                crossbars += instance.units().get(u).crossbars();
            }
        }
        return crossbars;
    }

    /** Most copies of the op in partition p the Validator could accept: its MVM steps, and the chip's crossbars. */
    private long copyLimit(int[] partOf, int p, OpInfo op) {
        return Math.max(1, Math.min(op.positions(), instance.chip().totalCrossbars() / crossbarsIn(partOf, p, op)));
    }

    /** Chooses the copies of the i-th present (partition, op), then of the next ones. */
    private void replicate(int[] partOf, int[][] replicas, long[] load, List<int[]> present, int i) {
        if (i == present.size()) {
            Plan plan = Plan.fromAssignment(partOf, replicas);
            if (!Validator.violations(instance, plan).isEmpty()) {
                return;
            }
            priced++;
            BatchMetrics m = plan.evaluate(instance);
            if (visitor != null) {
                visitor.accept(plan, m);
            }
            int k = replicas.length;
            boolean contiguous = contiguous(partOf);
            for (int g = 0; g < orders.size(); g++) {
                if (anyBest[g][k] == null || orders.get(g).compare(m, anyBest[g][k]) < 0) {
                    anyBest[g][k] = m;
                    anyPlan[g][k] = plan;
                }
                if (contiguous && (spanBest[g][k] == null || orders.get(g).compare(m, spanBest[g][k]) < 0)) {
                    spanBest[g][k] = m;
                    spanPlan[g][k] = plan;
                }
            }
            return;
        }
        int p = present.get(i)[0];
        OpInfo op = instance.ops().get(present.get(i)[1]);
        long crossbars = crossbarsIn(partOf, p, op);
        // More crossbars than the chip has can never be valid: stop there (the Validator would reject them).
        for (int r = 1; r <= op.positions() && load[p] + r * crossbars <= instance.chip().totalCrossbars(); r++) {
            replicas[p][op.index()] = r;
            load[p] += r * crossbars;
            replicate(partOf, replicas, load, present, i + 1);
            load[p] -= r * crossbars;
        }
        replicas[p][op.index()] = 1;
    }

    private static boolean contiguous(int[] partOf) {
        for (int u = 1; u < partOf.length; u++) {
            if (partOf[u] < partOf[u - 1]) {
                return false;
            }
        }
        return true;
    }

    /** The best plan of each partition count, over all plans and over contiguous ones; the plans priced. */
    public record Optima(Plan[] anyPlan, BatchMetrics[] anyBest, Plan[] spanPlan, BatchMetrics[] spanBest, long plansPriced,
                         Instance instance) {
        /** Most partitions enumerated. */
        public int maxPartitions() {
            return anyBest.length - 1;
        }

        /** The best plan within the scope (partition counts above those enumerated are left out). */
        public Best best(Scope scope) {
            Plan[] plans = scope.contiguous() ? spanPlan : anyPlan;
            BatchMetrics[] metrics = scope.contiguous() ? spanBest : anyBest;
            Plan plan = null;
            BatchMetrics best = null;
            for (int k = 1; k < metrics.length && k <= scope.maxPartitions(); k++) {
                if (metrics[k] != null && (best == null || instance.goal().comparator().compare(metrics[k], best) < 0)) {
                    best = metrics[k];
                    plan = plans[k];
                }
            }
            return new Best(plan, best, plansPriced);
        }

        /**
         * The best plan within the scope that meets the goal's limits, or an empty Best when none
         * does: {@link #best} orders plans that meet them first, so its best breaks them only when
         * every plan of the scope does.
         */
        public Best meeting(Scope scope) {
            Best b = best(scope);
            return b.metrics() != null && instance.goal().meetsLimits(b.metrics()) ? b : new Best(null, null, plansPriced);
        }
    }
}
