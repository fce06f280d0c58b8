package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CorePacking;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.Unit;
import org.pimopt.problem.Instance;
import org.pimopt.solve.replication.IntervalScorer.Block;
import org.pimopt.solve.replication.IntervalScorer.Scored;
import org.pimopt.solve.replication.IntervalScorer;

/**
 * Depth-first branch and bound over the copy counts of one span's ops, the heart of
 * {@link SpanReplication}. Ops are taken in a fixed order (most steps first: their copies move the
 * price most), each through its useful counts; a node is cut when its copies leave no room for one
 * copy of each free op or when its floors ({@link SubtreeFloors}) price no better than the answer
 * in hand. It starts from the {@link KnapsackSeeds}' copies and ends at once when an answer meets
 * the span's known floor. Past its node limit or deadline it stops descending and keeps the floors
 * of the subtrees it leaves, so an unfinished search still bounds every choice.
 */
final class CopySearch {
    private final IntervalScorer scorer;
    private final Instance instance;
    private final Goal goal;
    private final boolean pareto;
    /** The figures of the Pareto fronts when {@link #pareto}. */
    private final Set<Objective> figures;
    private final long nodeLimit;
    private final Block block;
    /** The span's ops in the search's order. */
    private final List<OpCopies> ops;
    /** The copies of each op at the node in hand (ops before the node's) or of the leaf being priced. */
    private final int[] copies;
    private final long deadline;
    private final long capacity;
    private final FreeOpBounds bounds;
    private final SubtreeFloors subtrees;
    final List<Scored> found = new ArrayList<>();
    boolean complete = true;
    /** A floor of every choice known beforehand ({@link StepFloor}). */
    private final BatchMetrics known;
    /** Whether an answer found meets {@link #known}: none can beat it, and the search is over. */
    boolean settled;
    /** Floors of the subtrees left unexplored when the node limit or the deadline stopped the search. */
    final List<BatchMetrics> open = new ArrayList<>();
    private long nodes;

    CopySearch(SpanReplication span, Block block, PartitionProfile base, List<OpCopies> ops, long deadline,
               BatchMetrics known) {
        this.scorer = span.scorer;
        this.instance = span.instance;
        this.goal = span.goal;
        this.pareto = span.pareto;
        this.figures = span.figures;
        this.nodeLimit = span.nodeLimit;
        this.known = known;
        this.block = block;
        this.deadline = deadline;
        // Ops with the most steps first: their copies move the price most.
        List<OpCopies> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong((OpCopies o) -> -instance.ops().get(o.op()).positions()));
        this.ops = sorted;
        this.copies = new int[sorted.size()];
        this.bounds = new FreeOpBounds(instance, goal, figures, block, base, sorted, deadline);
        this.capacity = bounds.capacity;
        this.subtrees = new SubtreeFloors(instance, block, base, sorted, copies, bounds);
    }

    void run() {
        new KnapsackSeeds(this, bounds, deadline).seed();
        descend(0);
    }

    /** Whether an answer found meets the known floor, ending the search. */
    boolean settled() {
        return settled;
    }

    /** Offers these copies per op if they pack; the goal's value of their price, infinite if not. */
    double offerIfPacks(int[] counts) {
        int[] kept = copies.clone();
        System.arraycopy(counts, 0, copies, 0, counts.length);
        double value = Double.POSITIVE_INFINITY;
        if (packs()) {
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int j = 0; j < ops.size(); j++) {
                if (copies[j] > 1) {
                    rep.put(ops.get(j).op(), copies[j]);
                }
            }
            Scored priced = scorer.priced(block, rep);
            offer(priced);
            value = goal.primaryValue(priced.metrics());
        }
        System.arraycopy(kept, 0, copies, 0, kept.length);
        return value;
    }

    private void descend(int i) {
        if (settled) {
            return;
        }
        if (complete && (bounds.late || ++nodes > nodeLimit || (nodes % 64 == 0 && System.nanoTime() > deadline))) {
            complete = false;
        }
        // Copies so far leave no room for one copy of each op still free, or cannot beat the answer.
        long left = capacity - subtrees.assignedCrossbars(i);
        if (left < 0) {
            return;
        }
        List<BatchMetrics> relaxed = new ArrayList<>();
        if (cannotImprove(subtrees.relaxed(i, left), relaxed)) {
            return;
        }
        if (!complete) {
            // Out of nodes: what this subtree could still reach is only bounded, not searched.
            open.addAll(subtrees.relaxed(i, left).stream().map(Supplier::get).toList());
            return;
        }
        if (i == ops.size()) {
            if (packs()) {
                Map<Integer, Integer> rep = new TreeMap<>();
                for (int j = 0; j < ops.size(); j++) {
                    if (copies[j] > 1) {
                        rep.put(ops.get(j).op(), copies[j]);
                    }
                }
                offer(scorer.priced(block, rep));
            }
            return;
        }
        int[] counts = ops.get(i).counts();
        // Most copies first for time, fewest first otherwise: good incumbents early.
        boolean most = goal.primary() == Objective.LATENCY || goal.primary() == Objective.EDP;
        for (int j = 0; j < counts.length; j++) {
            copies[i] = counts[most ? counts.length - 1 - j : j];
            descend(i + 1);
        }
        copies[i] = 1;
    }

    /** Whether no floor can improve the answer; prices them lazily, stopping at the first that can. */
    private boolean cannotImprove(List<Supplier<BatchMetrics>> floors, List<BatchMetrics> priced) {
        for (var floor : floors) {
            BatchMetrics m = floor.get();
            priced.add(m);
            if (!cannotImprove(m)) {
                return false;
            }
        }
        return true;
    }

    private boolean cannotImprove(BatchMetrics floor) {
        for (Scored s : found) {
            if (pareto ? dominates(s.metrics(), floor) : goal.comparator().compare(floor, s.metrics()) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Packing answers by the crossbar counts of the pieces to pack: leaves often repeat them. */
    private final Map<Map<Integer, Long>, Boolean> packed = new HashMap<>();

    private boolean packs() {
        Map<Integer, Long> sizes = new TreeMap<>();
        for (int j = 0; j < ops.size(); j++) {
            for (Unit u : ops.get(j).units()) {
                sizes.merge(u.crossbars(), (long) copies[j], Long::sum);
            }
        }
        return packed.computeIfAbsent(sizes, k -> packsNow());
    }

    private boolean packsNow() {
        List<Unit> all = new ArrayList<>();
        for (int j = 0; j < ops.size(); j++) {
            for (int c = 0; c < copies[j]; c++) {
                all.addAll(ops.get(j).units());
            }
        }
        return CorePacking.fits(all, instance.chip());
    }

    /** Keeps a priced assignment if it improves the answer (the best, or the Pareto front). */
    void offer(Scored s) {
        // At or below the known floor in every figure the goal reads: no choice is better.
        settled |= pareto ? dominates(s.metrics(), known) : goal.comparator().compare(s.metrics(), known) <= 0;
        if (!pareto) {
            if (found.isEmpty() || goal.comparator().compare(s.metrics(), found.get(0).metrics()) < 0) {
                found.clear();
                found.add(s);
            }
            return;
        }
        for (Scored f : found) {
            if (dominates(f.metrics(), s.metrics())) {
                return;
            }
        }
        found.removeIf(f -> dominates(s.metrics(), f.metrics()));
        found.add(s);
    }

    /** Whether {@code x} is no worse than {@code y} in every figure of the fronts (EDP: latency and energy). */
    private boolean dominates(BatchMetrics x, BatchMetrics y) {
        return ParetoFront.dominates(x, y, figures);
    }
}
