package org.pimopt.solve.replication;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Goal;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * Prices contiguous spans {@code [a, b)} of the instance's unit order as partitions, each with its
 * replication chosen by a rule (or the best of several for the goal). A span's price depends on the
 * span alone: units before it have run, units after it are still to run. Results are cached.
 */
public final class IntervalScorer {

    /** A priced partition: its units, its copies per op and its metrics alone. */
    public record Scored(List<Integer> units, Map<Integer, Integer> replication, BatchMetrics metrics) {}

    /**
     * A partition to price: the units that ran before it, its own units (increasing ids) and
     * whether it is programmed every batch. Units in neither set run after it. Its price depends on
     * these alone, not on how the units before and after are split into partitions: a tensor is
     * stored when some reader runs elsewhere and loaded into each partition that reads it, and a
     * vector layer runs with the latest of its producers.
     */
    public record Block(BitSet before, List<Integer> units, boolean programmed) {
        public Block {
            before = (BitSet) before.clone();
            units = List.copyOf(units);
        }
    }

    private final Instance instance;
    private final Replicator replicator;
    private final List<ReplicationRule> rules;
    private final int n;
    private final Map<Long, Scored> cache = new HashMap<>();
    private final int[] maxEnd;

    public IntervalScorer(Instance instance, List<ReplicationRule> rules) {
        this.instance = instance;
        this.replicator = new Replicator(instance);
        this.rules = List.copyOf(rules);
        this.n = instance.units().size();
        this.maxEnd = new int[n];
        int end = 0;
        for (int a = 0; a < n; a++) {
            end = Math.max(end, a + 1);
            // One unit always fits by construction of units; extend while the span still fits.
            while (end < n && replicator.fits(range(a, end + 1))) {
                end++;
            }
            maxEnd[a] = end;
            if (!replicator.fits(range(a, a + 1))) {
                throw new IllegalStateException("unit " + a + " does not fit the chip alone");
            }
        }
    }

    public Instance instance() {
        return instance;
    }

    public Replicator replicator() {
        return replicator;
    }

    public int size() {
        return n;
    }

    /** The largest {@code b} such that {@code [a, b)} fits the chip with one copy of each unit. */
    public int maxEnd(int a) {
        return maxEnd[a];
    }

    public static List<Integer> range(int a, int b) {
        List<Integer> out = new ArrayList<>(b - a);
        for (int u = a; u < b; u++) {
            out.add(u);
        }
        return out;
    }

    /** {@code [a, b)} of the unit order as a block: units before {@code a} ran before it. */
    public Block block(int a, int b) {
        BitSet before = new BitSet(n);
        before.set(0, a);
        return new Block(before, range(a, b), !(a == 0 && b == n));
    }

    /** Prices {@code [a, b)}, which must fit; the best of the rules for the instance's goal. */
    public Scored score(int a, int b) {
        long key = (long) a * (n + 1) + b;
        Scored hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        Scored best = bestOfRules(block(a, b));
        cache.put(key, best);
        return best;
    }

    /** Prices a block, which must fit, with the best of the rules for the instance's goal (not cached). */
    public Scored bestOfRules(Block block) {
        Goal goal = instance.goal();
        Scored best = null;
        // Rules often agree (on a small chip most give few or no copies): copies already priced
        // are not priced again; being equal, they could not replace the earlier rule's anyway.
        java.util.Set<Map<Integer, Integer>> tried = new java.util.HashSet<>();
        Instance.Traffic traffic = traffic(block);
        for (ReplicationRule rule : rules) {
            Map<Integer, Integer> copies = replicator.replicate(block.units(), rule);
            if (!tried.add(copies)) {
                continue;
            }
            Scored s = priced(block, traffic, copies);
            if (best == null || goal.comparator().compare(s.metrics(), best.metrics()) < 0) {
                best = s;
            }
        }
        return best;
    }

    /** Prices a block with the given copies per op (absent ops have one), without caching. */
    public Scored priced(Block block, Map<Integer, Integer> replication) {
        return priced(block, traffic(block), replication);
    }

    private Scored priced(Block block, Instance.Traffic traffic, Map<Integer, Integer> replication) {
        return new Scored(block.units(), Map.copyOf(replication),
                CostModel.asPlan(instance.chip(), instance.batch(), profile(block, traffic, replication), block.programmed()));
    }

    /**
     * What a block asks of the chip with these copies per op: the middle partition of (units
     * before it, the block, units after it); a block with nothing before it is the first of (the
     * block, units after it), since the first partition also runs what no partition feeds and no
     * layer reads (a vector layer on the network's input that is a network output).
     */
    public PartitionProfile profile(Block block, Map<Integer, Integer> replication) {
        return profile(block, traffic(block), replication);
    }

    /**
     * The traffic of (units before, the block, units after), or of (the block, units after) when
     * nothing is before it: what pricing the block depends on besides its copies.
     */
    private Instance.Traffic traffic(Block block) {
        boolean first = block.before().isEmpty();
        int at = first ? 0 : 1;
        int[] partitionOf = new int[n];
        java.util.Arrays.fill(partitionOf, at + 1);
        block.before().stream().forEach(u -> partitionOf[u] = 0);
        for (int u : block.units()) {
            partitionOf[u] = at;
        }
        return instance.traffic(partitionOf, at + 2);
    }

    private PartitionProfile profile(Block block, Instance.Traffic traffic, Map<Integer, Integer> replication) {
        int at = block.before().isEmpty() ? 0 : 1;
        int[] replicas = new int[instance.ops().size()];
        java.util.Arrays.fill(replicas, 1);
        replication.forEach((op, r) -> replicas[op] = r);
        return instance.profile(traffic, at, replicas);
    }

    /** Cut points {@code 0 = c0 < c1 < ... < ck = n} as a plan. */
    public Plan plan(List<Integer> cuts) {
        List<Partition> parts = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.size(); i++) {
            Scored s = score(cuts.get(i), cuts.get(i + 1));
            parts.add(new Partition(s.units(), s.replication()));
        }
        return new Plan(parts);
    }

    /** The metrics of a partitioning given by cut points: its spans' metrics added up. */
    public BatchMetrics metrics(List<Integer> cuts) {
        List<BatchMetrics> parts = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.size(); i++) {
            parts.add(score(cuts.get(i), cuts.get(i + 1)).metrics());
        }
        return BatchMetrics.concat(instance.batch(), parts);
    }

    public int cacheSize() {
        return cache.size();
    }
}
