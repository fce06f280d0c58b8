package org.pimopt.plan;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.CorePacking;
import org.pimopt.cost.Unit;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * Checks a plan against its instance: every unit runs exactly once, partitions are not empty, each
 * op's replication lies in [1, its MVM steps per sample], each partition fits the chip by crossbar
 * count and by packing into cores, and no op runs before the last unit of an op it reads.
 * When the plan has a {@link Layout}, {@link LayoutCheck} checks it too. Each violation names the
 * unit or op and the partition.
 */
public final class Validator {
    private Validator() {}

    public static List<String> violations(Instance instance, Plan plan) {
        List<String> out = new ArrayList<>();
        int n = instance.units().size();
        int[] seen = new int[n];
        int[] partOf = new int[n];
        java.util.Arrays.fill(partOf, -1);
        List<Partition> parts = plan.partitions();
        for (int p = 0; p < parts.size(); p++) {
            if (parts.get(p).units().isEmpty()) {
                out.add("partition " + p + " is empty");
            }
            for (int u : parts.get(p).units()) {
                if (u < 0 || u >= n) {
                    out.add("partition " + p + " names unit " + u + ", which does not exist");
                    continue;
                }
                if (seen[u]++ > 0) {
                    out.add("unit " + label(instance, u) + " runs again in partition " + p);
                }
                partOf[u] = p;
            }
        }
        for (int u = 0; u < n; u++) {
            if (seen[u] == 0) {
                out.add("unit " + label(instance, u) + " runs in no partition");
            }
        }
        for (int p = 0; p < parts.size(); p++) {
            checkCapacity(instance, parts.get(p), p, out);
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (OpInfo op : instance.ops()) {
            int first = Integer.MAX_VALUE;
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                first = Math.min(first, partOf[u]);
            }
            for (int pred : op.predecessors()) {
                OpInfo po = instance.ops().get(pred);
                for (int u = po.firstUnit(); u <= po.lastUnit(); u++) {
                    if (partOf[u] > first) {
                        out.add("op " + op.name() + " runs in partition " + first + " before unit "
                                + label(instance, u) + " it reads, in partition " + partOf[u]);
                        break;
                    }
                }
            }
        }
        if (plan.layout() != null) {
            LayoutCheck.check(instance, plan, out);
        }
        return out;
    }

    private static void checkCapacity(Instance instance, Partition part, int p, List<String> out) {
        long crossbars = 0;
        java.util.Set<Integer> present = new java.util.HashSet<>();
        for (int u : part.units()) {
            if (u < 0 || u >= instance.units().size()) {
                continue;
            }
            UnitRef ref = instance.units().get(u);
            present.add(ref.op());
            // Each term is below 2^62; held below 2^61, the sum cannot wrap.
            crossbars = Math.min(Long.MAX_VALUE / 4, crossbars + (long) ref.crossbars() * Math.max(0, part.replicasOf(ref.op())));
        }
        for (var e : part.replication().entrySet()) {
            int op = e.getKey();
            if (op < 0 || op >= instance.ops().size()) {
                out.add("partition " + p + " replicates op " + op + ", which does not exist");
                continue;
            }
            OpInfo info = instance.ops().get(op);
            if (!present.contains(op)) {
                out.add("partition " + p + " replicates op " + info.name() + ", which has no unit there");
            }
            if (e.getValue() < 1 || e.getValue() > info.positions()) {
                out.add("partition " + p + " replicates op " + info.name() + " " + e.getValue()
                        + " times; allowed 1 to " + info.positions() + " (its MVM steps per sample)");
            }
        }
        long capacity = instance.chip().totalCrossbars();
        if (crossbars > capacity) {
            // Checked before the copies are listed: a plan may ask for 2^31 of them.
            out.add("partition " + p + " needs " + crossbars + " crossbars, the chip has " + capacity);
            return;
        }
        List<Unit> copies = new ArrayList<>();
        for (int u : part.units()) {
            if (u >= 0 && u < instance.units().size()) {
                UnitRef ref = instance.units().get(u);
                for (int i = 0; i < part.replicasOf(ref.op()); i++) {
                    copies.add(ref.unit());
                }
            }
        }
        if (!CorePacking.fits(copies, instance.chip())) {
            out.add("partition " + p + " does not pack into " + instance.chip().cores() + " cores of "
                    + instance.chip().crossbarsPerCore() + " crossbars");
        }
    }

    private static String label(Instance instance, int u) {
        return instance.units().get(u).label(instance);
    }

    /** Throws {@link PlanException} listing the violations, if any. */
    public static void check(Instance instance, Plan plan) {
        List<String> v = violations(instance, plan);
        if (!v.isEmpty()) {
            throw new PlanException("invalid plan: " + String.join("; ", v.subList(0, Math.min(5, v.size())))
                    + (v.size() > 5 ? "; and " + (v.size() - 5) + " more" : ""));
        }
    }
}
