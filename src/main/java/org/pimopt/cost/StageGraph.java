package org.pimopt.cost;

import java.util.List;

/**
 * The dataflow of a partition's stages ({@link PartitionProfile.Stage#after}): the critical path
 * a first sample takes through them, and a cover of the stages by chains, which bounds that path
 * from below by the stages' sum: with {@code C} chains, every chain's sum is at most the critical
 * path, so {@code sum of stages <= C * critical path} (the floors of the searches and the every-plan
 * bound use it, formulations/partitioning.md "Critical path").
 */
public final class StageGraph {
    private StageGraph() {}

    /**
     * The longest path through the stages, stage {@code i} taking {@code ns[i]}, with the on-chip
     * transfers on the path ({@link PartitionProfile.Stage#afterNs}, {@code leadNs}, {@code tailNs}):
     * a stage starts when the latest of what it reads has crossed the NoC to it.
     */
    public static double criticalPath(List<PartitionProfile.Stage> stages, double[] ns) {
        double[] finish = new double[stages.size()];
        double longest = 0;
        for (int i = 0; i < finish.length; i++) {
            PartitionProfile.Stage stage = stages.get(i);
            double start = stage.leadNs();
            List<Integer> after = stage.after();
            for (int j = 0; j < after.size(); j++) {
                start = Math.max(start, finish[after.get(j)] + stage.afterNs()[j]);
            }
            finish[i] = start + ns[i];
            longest = Math.max(longest, finish[i] + stage.tailNs());
        }
        return longest;
    }

    /** The longest path through the stages without their transfers (what the transfers add to it is reported). */
    static double stagesOnly(List<PartitionProfile.Stage> stages, double[] ns) {
        double[] finish = new double[stages.size()];
        double longest = 0;
        for (int i = 0; i < finish.length; i++) {
            double start = 0;
            for (int j : stages.get(i).after()) {
                start = Math.max(start, finish[j]);
            }
            finish[i] = start + ns[i];
            longest = Math.max(longest, finish[i]);
        }
        return longest;
    }

    /** {@link #criticalPath(List, double[])} of a partition, with its chains of transfers that no stage lies on. */
    public static double criticalPath(PartitionProfile p, double[] ns) {
        return Math.max(p.transferOnlyNs(), criticalPath(p.stages(), ns));
    }

    /**
     * The number of chains of a cover of the stages by chains of the dataflow (each stage reachable
     * from the one before it in its chain, so a chain lies on a path), built in stage order: a stage
     * extends the chain ending at the latest of its ancestors that still ends one, else starts a
     * chain. At least the width of the dataflow (its largest set of mutually independent stages),
     * often equal to it, 1 for a chain of ops; any such cover gives the bound above.
     */
    public static int chains(List<PartitionProfile.Stage> stages) {
        int[] chain = chainOf(stages);
        int most = 0;
        for (int c : chain) {
            most = Math.max(most, c + 1);
        }
        return Math.max(1, most);
    }

    /**
     * A cover of the stages by chains, heaviest first: chain 0 is the path of the dataflow of
     * largest total {@code weight}, chain 1 the heaviest path among the stages left, and so on
     * (paths along the stages' own edges, {@link PartitionProfile.Stage#after}). Each chain lies on
     * one path, so its sum of stage times is at most the critical path; a floor built on the
     * heaviest chain (by a weight that tracks what its stages can take) follows the main path of a
     * network with side branches (a residual block's downsample), where {@link #chainOf}'s cover,
     * built in stage order, may switch to the branch and split the path. Linear in the edges per
     * chain: the lattice's floors build one per step. Returns the chain of each stage.
     */
    public static int[] heaviestChains(List<PartitionProfile.Stage> stages, double[] weight) {
        int n = stages.size();
        int[] chainOf = new int[n];
        java.util.Arrays.fill(chainOf, -1);
        double[] best = new double[n];
        int[] previous = new int[n];
        for (int chain = 0, left = n; left > 0; chain++) {
            int end = -1;
            for (int i = 0; i < n; i++) {
                if (chainOf[i] >= 0) {
                    continue;
                }
                best[i] = weight[i];
                previous[i] = -1;
                for (int j : stages.get(i).after()) {
                    if (chainOf[j] < 0 && best[j] + weight[i] > best[i]) {
                        best[i] = best[j] + weight[i];
                        previous[i] = j;
                    }
                }
                if (end < 0 || best[i] > best[end]) {
                    end = i;
                }
            }
            for (int i = end; i >= 0; i = previous[i]) {
                chainOf[i] = chain;
                left--;
            }
        }
        return chainOf;
    }

    /** Each stage's ancestors in the dataflow (stages it reads, directly or not). */
    private static java.util.BitSet[] ancestors(List<PartitionProfile.Stage> stages) {
        int n = stages.size();
        java.util.BitSet[] ancestors = new java.util.BitSet[n];
        for (int i = 0; i < n; i++) {
            java.util.BitSet mine = new java.util.BitSet(n);
            for (int j : stages.get(i).after()) {
                mine.or(ancestors[j]);
                mine.set(j);
            }
            ancestors[i] = mine;
        }
        return ancestors;
    }

    /** The chain of {@link #chains}' cover each stage belongs to, numbered from 0 in stage order. */
    public static int[] chainOf(List<PartitionProfile.Stage> stages) {
        int n = stages.size();
        int[] chainOf = new int[n];
        java.util.BitSet[] ancestors = ancestors(stages);
        java.util.BitSet tails = new java.util.BitSet(n);   // stages that end a chain
        int chains = 0;
        for (int i = 0; i < n; i++) {
            java.util.BitSet open = (java.util.BitSet) ancestors[i].clone();
            open.and(tails);
            int extend = open.previousSetBit(n - 1);
            if (extend >= 0) {
                tails.clear(extend);
                chainOf[i] = chainOf[extend];
            } else {
                chainOf[i] = chains++;
            }
            tails.set(i);
        }
        return chainOf;
    }
}
