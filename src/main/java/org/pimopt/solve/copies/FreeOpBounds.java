package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.StageGraph;
import org.pimopt.problem.Instance;
import org.pimopt.solve.replication.IntervalScorer.Block;

/**
 * What the free ops of a copy search (ops {@code i} and later in the search's order) can take
 * within {@code c} crossbars, at the least: tables built once per span, read at every node. The
 * branch and bound cuts a subtree only when no completion of it can beat the answer, and these
 * tables are what "no completion" is measured by: exact knapsacks over capacity for the summed and
 * slowest steps, for fill plus row writing, and for the heaviest chain of the dataflow, beside
 * lower points ({@link LowerPoint}) that also carry rows, cells and half-cores. Only the figures the
 * goal's price reads are tracked; the others stay at one copy, which is below any choice.
 */
final class FreeOpBounds {
    /** Most lower points kept per (op, crossbars) state of a span's search. */
    static final int MAX_POINTS = 8;

    private final Instance instance;
    /** The span's ops in the search's order. */
    final List<OpCopies> ops;
    final long capacity;
    private final long deadline;
    /** Chains of a cover of the block's dataflow: the fill is at least the stages' sum over them. */
    final int chains;
    /**
     * {@code points[i][c]}, filled on demand: lower points of what the copies of ops i and later
     * can take within {@code c} crossbars ({@link #points}); empty when one copy of each does not fit.
     */
    private final List<LowerPoint>[][] points;
    /** Exact bounds for ops i and later within c crossbars ({@link #knapsack}): steps summed, the slowest. */
    final double[][] fewestSteps;
    final double[][] slowestSteps;
    /**
     * With weights programmed, the least of fill time plus row-writing time of ops i and later
     * within c crossbars: copies that shorten the fill lengthen the writes, and this couples the two.
     */
    final double[][] fillAndRowsNs;
    /**
     * The ops on the heaviest chain of the block's dataflow
     * ({@link StageGraph#heaviestChains}, weighted as {@link StepFloor} does), and {@code
     * heavySteps[i][c]}: the least steps summed over that chain's ops among i and later within
     * {@code c} crossbars (the others at one copy). The chain lies on a path, so with the
     * assigned ops' stages on it this bounds the critical path of every completion; null for a
     * chain of ops, where the sum over all ops does the same.
     */
    final BitSet heavyOps;
    final double[][] heavySteps;
    final double rowNs;
    /** Per op, its useful counts in runs {least, most} ({@link #runs(int[], int)}). */
    private final List<int[][]> runs = new ArrayList<>();
    // Dimensions the price reads; the others stay at one copy, which is below any choice.
    final boolean trackSlowest;
    final boolean trackRows;
    private final boolean trackCells;
    /**
     * Started past its deadline: no search, and one floor from the knapsacks and one copy of
     * each op instead of the {@link #points}, which take longer to build than a late step has.
     */
    final boolean late;

    /**
     * The tables for the span's ops in the search's order ({@code ops}), under the goal and the
     * Pareto figures ({@code figures}) of the span's search.
     */
    FreeOpBounds(Instance instance, Goal goal, Set<Objective> figures, Block block, PartitionProfile base,
                 List<OpCopies> ops, long deadline) {
        this.instance = instance;
        this.capacity = instance.chip().totalCrossbars();
        this.rowNs = CostModel.rowWriteNs(instance.chip(), 1);
        this.trackSlowest = instance.batch() > 1;
        this.trackCells = goal.objectives().stream()
                .anyMatch(o -> o == Objective.ENERGY || o == Objective.EDP || o == Objective.WRITES)
                || figures.contains(Objective.ENERGY) || figures.contains(Objective.WRITES);
        this.chains = StageGraph.chains(base.stages());
        this.deadline = deadline;
        this.ops = ops;
        @SuppressWarnings("unchecked")
        List<LowerPoint>[][] table = new List[ops.size() + 1][(int) capacity + 1];
        this.trackRows = block.programmed();
        for (OpCopies o : ops) {
            runs.add(runs(o.counts(), maxGroups(capacity)));
        }
        this.points = table;
        this.late = System.nanoTime() > deadline;
        this.fewestSteps = knapsack(false, this::steps);
        this.slowestSteps = trackSlowest ? knapsack(true, this::steps) : null;
        this.fillAndRowsNs = trackRows ? knapsack(false, this::stageAndRowsNs) : null;
        this.heavyOps = new BitSet();
        if (chains > 1) {
            Map<Integer, Long> crossbarsOfOp = new TreeMap<>();
            ops.forEach(o -> crossbarsOfOp.put(o.op(), o.crossbars()));
            int[] chainOf = StepFloor.mainPathFirst(base.stages(), op -> crossbarsOfOp.getOrDefault(op, 0L));
            for (int k = 0; k < chainOf.length; k++) {
                heavyOps.set(base.stages().get(k).op(), chainOf[k] == 0);
            }
            this.heavySteps = knapsack(false, (o, r) -> heavyOps.get(o.op()) ? steps(o, r) : 0);
        } else {
            this.heavySteps = null;
        }
    }

    /**
     * {@code t[i][c]}: over every choice of useful counts (all of them, not runs) of ops i and
     * later within {@code c} crossbars, the least of {@code cost(op, r)} summed ({@code slowest}
     * false) or of its largest term (true); infinite when one copy of each does not fit. Exact
     * for capacity alone, so bounds beside the {@link #points}, whose runs and merges
     * blur the steps on chips with room for many copies.
     */
    private double[][] knapsack(boolean slowest, java.util.function.ToDoubleBiFunction<OpCopies, Integer> cost) {
        int n = ops.size();
        double[][] t = new double[n + 1][(int) capacity + 1];
        for (int i = n - 1; i >= 0; i--) {
            OpCopies o = ops.get(i);
            double[] next = t[i + 1];
            double[] here = t[i];
            java.util.Arrays.fill(here, Double.POSITIVE_INFINITY);
            for (int r : o.counts()) {
                long used = o.crossbars() * r;
                if (used > capacity) {
                    break;
                }
                double mine = cost.applyAsDouble(o, r);
                for (int c = (int) used; c <= capacity; c++) {
                    double v = slowest ? Math.max(mine, next[c - (int) used]) : mine + next[c - (int) used];
                    if (v < here[c]) {
                        here[c] = v;
                    }
                }
            }
        }
        return t;
    }

    long steps(OpCopies o, int r) {
        return new PartitionProfile.Stage(o.op(), instance.ops().get(o.op()).positions(), r).stepsPerReplica();
    }

    /** An op's stage time with {@code r} copies, plus their row-writing time when the weights are programmed. */
    double stageAndRowsNs(OpCopies o, int r) {
        return steps(o, r) * instance.chip().mvmLatencyNs() + (trackRows ? (double) o.rows() * r * rowNs : 0);
    }

    /** Stage time of an op of the span with {@code r} copies. */
    double stageNs(OpCopies o, int r) {
        return CostModel.stageNs(instance.chip(), new PartitionProfile.Stage(o.op(), instance.ops().get(o.op()).positions(), r));
    }

    /** One copy of each of ops i and later: a lower point of any choice of their copies. */
    LowerPoint oneCopy(int i) {
        long rows = 0;
        long cells = 0;
        for (int j = i; j < ops.size(); j++) {
            rows += ops.get(j).rows();
            cells += ops.get(j).cells();
        }
        return new LowerPoint(0, 0, rows, cells, 0);
    }

    /**
     * Lower points of the copies of ops i and later within {@code c} crossbars: every choice of
     * their useful counts that fits takes, in each of fill steps, slowest steps, rows and cells,
     * at least as much as one of the points. Built from the next op's points; dominated points
     * are dropped and, beyond {@link #MAX_POINTS}, neighbours merged into their componentwise
     * minimum (still below everything they stood for). The slowest stage is tracked only when
     * the batch has more than one sample (else the cost model never reads it).
     */
    List<LowerPoint> points(int i, long c) {
        if (i == ops.size()) {
            return List.of(new LowerPoint(0, 0, 0, 0, 0));
        }
        int cell = (int) c;
        List<LowerPoint> memo = points[i][cell];
        if (memo != null) {
            return memo;
        }
        if (System.nanoTime() > deadline) {
            // Filling the table on a chip of thousands of crossbars took 7 s in one node
            // (squeezenet1_1 on puma). Past the deadline one copy of each free op stands in: below
            // every choice, so weaker but never wrong; it is not memoized, and the search ends
            // at its next node check.
            return List.of(oneCopy(i));
        }
        OpCopies o = ops.get(i);
        List<LowerPoint> found = new ArrayList<>();
        for (int[] run : runs.get(i)) {
            int least = run[0];
            int most = run[1];
            long used = o.crossbars() * least;
            if (used > c) {
                break;
            }
            long steps = steps(o, most);
            for (LowerPoint rest : points(i + 1, c - used)) {
                long halves = o.halfCores() * least + rest.halfCores();
                if (halves <= 2L * instance.chip().cores()) {
                    found.add(new LowerPoint(steps + rest.fillSteps(), trackSlowest ? Math.max(steps, rest.slowestSteps()) : 0,
                            o.rows() * (trackRows ? least : 1) + rest.rows(),
                            o.cells() * (trackCells ? least : 1) + rest.cells(), halves));
                }
            }
        }
        List<LowerPoint> kept = LowerPoint.lowerFront(found, MAX_POINTS);
        points[i][cell] = kept;
        return kept;
    }

    /**
     * Most runs of an op's useful counts {@link #points} tells apart: 48 up to 256 crossbars,
     * fewer on larger chips (at least 24), whose tables have more crossbar states to fill: finer
     * runs give tighter floors (fewer nodes), coarser ones tables built faster.
     */
    static int maxGroups(long crossbars) {
        return (int) Math.max(24, Math.min(48, 48 * 256 / Math.max(1, crossbars)));
    }

    /**
     * Useful counts in at most {@code most} runs for the floors: a run {least, most} stands for all
     * its counts with the steps of its largest and the room, rows and cells of its least, so it is
     * below each of them. Runs are geometric (a run's largest count at most {@code 1 + d} times its
     * least) with the smallest {@code d} of a few that keeps within {@code most} runs: small counts,
     * whose steps differ most, stay apart.
     */
    static int[][] runs(int[] counts, int most) {
        for (double d : new double[] {0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 4, 1e9}) {
            List<int[]> out = new ArrayList<>();
            int start = 0;
            for (int k = 1; k <= counts.length; k++) {
                if (k == counts.length || counts[k] > counts[start] * (1 + d)) {
                    out.add(new int[] {counts[start], counts[k - 1]});
                    start = k;
                }
            }
            if (out.size() <= most || d >= 1e9) {
                return out.toArray(new int[0][]);
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
