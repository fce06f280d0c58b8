package org.pimopt.plan;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.problem.Instance;

/**
 * Partitions in execution order, and optionally their {@link Layout} (tile sites and programming
 * schedule; null when the plan has not been placed).
 */
public record Plan(List<Partition> partitions, Layout layout) {
    public Plan {
        partitions = List.copyOf(partitions);
    }

    /** A plan without a layout. */
    public Plan(List<Partition> partitions) {
        this(partitions, null);
    }

    /** The same partitions with this layout (null removes it). */
    public Plan withLayout(Layout newLayout) {
        return new Plan(partitions, newLayout);
    }

    /** The partition of every unit (-1 for a unit no partition holds). */
    public int[] partitionOfUnits(int unitCount) {
        int[] part = new int[unitCount];
        java.util.Arrays.fill(part, -1);
        for (int p = 0; p < partitions.size(); p++) {
            for (int u : partitions.get(p).units()) {
                if (u >= 0 && u < unitCount) {
                    part[u] = p;
                }
            }
        }
        return part;
    }

    /** Replicas per partition per op, as {@link Instance#profiles} takes them. */
    public int[][] replicas(int opCount) {
        int[][] r = new int[partitions.size()][opCount];
        for (int p = 0; p < partitions.size(); p++) {
            java.util.Arrays.fill(r[p], 1);
            for (var e : partitions.get(p).replication().entrySet()) {
                r[p][e.getKey()] = e.getValue();
            }
        }
        return r;
    }

    public List<PartitionProfile> profiles(Instance instance) {
        return instance.profiles(partitionOfUnits(instance.units().size()), partitions.size(),
                replicas(instance.ops().size()));
    }

    /** The plan priced by the analytic cost model (validate it first). */
    public BatchMetrics evaluate(Instance instance) {
        return instance.evaluate(partitionOfUnits(instance.units().size()), partitions.size(),
                replicas(instance.ops().size()));
    }

    /** Builds a plan from a unit-to-partition array (partitions numbered 0..k-1, none empty). */
    public static Plan fromAssignment(int[] partitionOf, int[][] replicas) {
        int k = 0;
        for (int p : partitionOf) {
            k = Math.max(k, p + 1);
        }
        List<List<Integer>> units = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            units.add(new ArrayList<>());
        }
        for (int u = 0; u < partitionOf.length; u++) {
            units.get(partitionOf[u]).add(u);
        }
        List<Partition> parts = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            java.util.Map<Integer, Integer> rep = new java.util.TreeMap<>();
            if (replicas != null) {
                for (int op = 0; op < replicas[p].length; op++) {
                    if (replicas[p][op] > 1) {
                        rep.put(op, replicas[p][op]);
                    }
                }
            }
            parts.add(new Partition(units.get(p), rep));
        }
        return new Plan(parts);
    }
}
