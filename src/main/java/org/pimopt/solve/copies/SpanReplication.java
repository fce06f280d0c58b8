package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CorePacking;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.Unit;
import org.pimopt.problem.Instance;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.replication.IntervalScorer.Block;
import org.pimopt.solve.replication.IntervalScorer.Scored;
import org.pimopt.solve.replication.IntervalScorer;

/**
 * The optimal copies per op of one contiguous span {@code [a, b)}, for the instance's goal, by
 * branch and bound over every op's copy count. Why the answer is exact:
 *
 * <ol>
 *   <li>A span's price ({@link CostModel#partition}) depends on its copies only through each op's
 *       stage time {@code ceil(N_o / r_o) * t_mvm} and through crossbars, rows programmed and cells
 *       written, each a sum of {@code r_o} times the op's units' figures. Time, energy, writes and
 *       DRAM bytes never decrease when a stage time, rows or cells grow (latency: sum, max and
 *       max again; energy: cells and static power over the latency; DRAM bytes do not depend on copies).
 *   <li>Only <em>useful</em> counts are tried: 1 and each {@code r} at which {@code ceil(N_o / r)}
 *       drops. Any other count has the stage time of the largest useful count below it, and more
 *       crossbars, rows and cells; packing fewer copies of the same pieces never fails where more
 *       succeed. So some optimum uses useful counts only. Counts stop at {@code N_o} and at what the
 *       chip's crossbars can hold.
 *   <li>A partial assignment (ops taken in a fixed order) is cut off when its crossbars with one
 *       copy of every free op exceed the chip, or when every lower point of what the free ops can
 *       take (knapsacks over the crossbars left: {@link FreeOpBounds}, priced by {@link SubtreeFloors})
 *       prices no better than the best leaf so far: by (1) no completion can be better. A leaf is
 *       kept if the {@link CorePacking#fits} test of the {@link org.pimopt.plan.Validator} accepts
 *       its copies.
 *   <li>The search ends at once when an answer meets the block's cheap floor ({@link StepFloor},
 *       below every choice): none can be better. It starts from knapsack answers that pack
 *       ({@link KnapsackSeeds}), which often do.
 * </ol>
 *
 * For a goal whose objectives add up over spans (latency, energy, writes, DRAM and lexicographic
 * lists: lexicographic order is preserved by adding the same pair to both sides) the best single
 * assignment is what a shortest path needs. For EDP the span keeps the Pareto front of
 * (latency, energy) instead, cut off by weak dominance of the same relaxed price; EDP grows with
 * both, so a path through a dominated point is never better. The search stops after its node
 * limit ({@link #NODE_LIMIT} unless given) or its deadline; then the span's answer is the best
 * found, not proven, with floors that no copies beat ({@link Choices}): the lowest points of the
 * subtrees left, each raised to the cheap floor.
 */
public final class SpanReplication {
    /** Most search nodes per span before the answer is the best found so far. */
    static final long NODE_LIMIT = 20_000;

    /**
     * The span's choices: one best (or the Pareto front for EDP), whether the search completed, and
     * prices no copies of the span beat: for every choice of copies that packs, its metrics are no
     * better than one of {@code floors} (by the goal's order; for EDP in both latency and energy).
     * A completed search's floors are its options.
     */
    public record Choices(List<Scored> options, boolean proven, List<BatchMetrics> floors) {}

    // Read by the span's CopySearch.
    final IntervalScorer scorer;
    final Instance instance;
    final Goal goal;
    final boolean pareto;
    /** The figures of the Pareto fronts when {@link #pareto}. */
    final java.util.Set<Objective> figures;
    final long nodeLimit;

    private final StepFloor cheap;

    public SpanReplication(IntervalScorer scorer) {
        this(scorer, NODE_LIMIT);
    }

    /** With another node limit per span (tests stop searches early to check the floors). */
    public SpanReplication(IntervalScorer scorer, long nodeLimit) {
        this(scorer, nodeLimit, java.util.Set.of());
    }

    /**
     * With the Pareto front of each span kept in {@code front}'s figures when it names two or more
     * (of latency, energy, writes: what copies change), as a search under limits needs; else as the
     * goal says (EDP: energy and latency; otherwise its order).
     */
    public SpanReplication(IntervalScorer scorer, long nodeLimit, java.util.Set<Objective> front) {
        this.nodeLimit = nodeLimit;
        this.scorer = scorer;
        this.instance = scorer.instance();
        this.goal = instance.goal();
        this.pareto = goal.primary() == Objective.EDP || front.size() >= 2;
        // A front asked for (limits: it may hold writes too) wins over EDP's own (energy and latency):
        // a copy count that writes fewer cells is kept even when others beat it in both.
        this.figures = front.size() >= 2 ? java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(front))
                : goal.primary() == Objective.EDP ? ParetoFront.EDP : java.util.Set.of();
        this.cheap = new StepFloor(instance);
    }

    /** Whether one copy of every unit of {@code [a, b)} passes the Validator's capacity and packing test. */
    public boolean fits(int a, int b) {
        return fits(IntervalScorer.range(a, b));
    }

    /** Whether one copy of each of these units passes the Validator's capacity and packing test. */
    public boolean fits(List<Integer> unitIds) {
        List<Unit> units = new ArrayList<>();
        long crossbars = 0;
        for (int u : unitIds) {
            units.add(instance.units().get(u).unit());
            crossbars += instance.units().get(u).crossbars();
        }
        return crossbars <= instance.chip().totalCrossbars() && CorePacking.fits(units, instance.chip());
    }

    /** Half-cores one copy of these units claims in any packing ({@link CorePacking#halfCores}). */
    private long halfCores(List<Unit> units) {
        return CorePacking.halfCores(units, instance.chip().crossbarsPerCore());
    }

    public Choices choose(int a, int b, long deadlineNanos) {
        return choose(scorer.block(a, b), List.of(scorer.score(a, b)), deadlineNanos);
    }

    /** The block's cheap floor ({@link StepFloor}): below every choice of its copies, without a search. */
    public BatchMetrics cheapFloor(Block block) {
        return cheap.of(block, scorer.profile(block, Map.of()));
    }

    /**
     * A block's optimal copies (or Pareto front); {@code incumbents}: copies already priced (the
     * best of the replication rules, or an earlier search's options), never lost; none: no option
     * unless the search finds one.
     */
    public Choices choose(Block block, List<Scored> incumbents, long deadlineNanos) {
        return choose(block, incumbents, deadlineNanos, null);
    }

    /** {@link #choose(Block, List, long)} with the block's {@link #cheapFloor} when the caller has it (null: computed here). */
    public Choices choose(Block block, List<Scored> incumbents, long deadlineNanos, BatchMetrics cheapFloor) {
        PartitionProfile base = scorer.profile(block, Map.of());
        Map<Integer, OpCopies> byOp = new TreeMap<>();
        Map<Integer, List<Unit>> unitsOf = new TreeMap<>();
        for (int u : block.units()) {
            UnitRef ref = instance.units().get(u);
            unitsOf.computeIfAbsent(ref.op(), k -> new ArrayList<>()).add(ref.unit());
        }
        long capacity = instance.chip().totalCrossbars();
        for (var e : unitsOf.entrySet()) {
            long xb = 0;
            long rows = 0;
            long cells = 0;
            for (Unit unit : e.getValue()) {
                xb += unit.crossbars();
                rows += unit.rowsProgrammed();
                cells += unit.cellsWritten();
            }
            byOp.put(e.getKey(), new OpCopies(e.getKey(), e.getValue(), xb, rows, cells, halfCores(e.getValue()),
                    instance.ops().get(e.getKey()).usefulCopies(Math.max(1, capacity / Math.max(1, xb)))));
        }
        BatchMetrics known = cheap.withCores(block, base, cheapFloor != null ? cheapFloor : cheap.of(block, base));
        CopySearch s = new CopySearch(this, block, base, new ArrayList<>(byOp.values()), deadlineNanos, known);
        incumbents.forEach(s::offer);
        s.run();
        List<Scored> options = new ArrayList<>(s.found);
        options.sort((x, y) -> goal.comparator().compare(x.metrics(), y.metrics()));
        boolean proven = s.complete || s.settled;
        List<BatchMetrics> floors = new ArrayList<>();
        options.forEach(o -> floors.add(o.metrics()));
        if (!proven) {
            floors.addAll(s.open);
            floors.replaceAll(f -> FloorMetrics.tighter(f, known));   // both are floors of every choice
        }
        return new Choices(options, proven, pareto ? ParetoFront.of(floors, m -> m, figures) : List.of(
                java.util.Collections.min(floors, goal.comparator()::compare)));
    }
}
