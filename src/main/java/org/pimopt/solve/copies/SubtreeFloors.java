package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.StageGraph;
import org.pimopt.problem.Instance;
import org.pimopt.solve.replication.IntervalScorer.Block;

/**
 * The floors of a copy search's node: prices no completion of the ops assigned so far beats, each
 * the assigned ops at their copies plus one lower point of what the free ones can take
 * ({@link FreeOpBounds}), priced by the cost model. The model is monotone in the fill, the slowest
 * stage, rows and cells, so a node whose floors all price no better than the answer in hand has no
 * better completion: that is the cut that makes the branch and bound exact, and the floors of the
 * nodes left unexplored are what an unfinished search reports.
 */
final class SubtreeFloors {
    private final Instance instance;
    private final Block block;
    private final PartitionProfile base;
    /** The span's ops in the search's order. */
    private final List<OpCopies> ops;
    /** The search's copies per op, read for the ops before the node's (the search writes them). */
    private final int[] copies;
    private final FreeOpBounds bounds;
    /** The position in the base profile's stages of each op of the search. */
    private final int[] stageOf;
    private final long capacity;

    SubtreeFloors(Instance instance, Block block, PartitionProfile base, List<OpCopies> ops, int[] copies,
                  FreeOpBounds bounds) {
        this.instance = instance;
        this.block = block;
        this.base = base;
        this.ops = ops;
        this.copies = copies;
        this.bounds = bounds;
        this.capacity = bounds.capacity;
        Map<Integer, Integer> stageOfOp = new TreeMap<>();
        for (int k = 0; k < base.stages().size(); k++) {
            stageOfOp.put(base.stages().get(k).op(), k);
        }
        this.stageOf = ops.stream().mapToInt(o -> stageOfOp.get(o.op())).toArray();
    }

    /**
     * What the assigned ops take beside the free ones: crossbars, rows and cells (the free ops' own
     * copy taken out), the assigned ops' fill and slowest stage, and {@code pathNs}: the critical
     * path of the block's dataflow with the assigned ops at their stages and the free ones at their shortest.
     */
    private record Assigned(long crossbars, long rows, long cells, double fillNs, double slowestNs, double pathNs) {}

    /** Crossbars of the copies of ops before i. */
    long assignedCrossbars(int i) {
        long total = 0;
        for (int j = 0; j < i; j++) {
            total += ops.get(j).crossbars() * copies[j];
        }
        return total;
    }

    /**
     * Prices no completion of ops before i beats: one per lower point of the free ops' copies
     * within the {@code left} crossbars ({@link FreeOpBounds#points}), the ops before i at their copies.
     * Priced by the cost model, which is monotone in the fill, the slowest stage, rows and cells.
     */
    List<Supplier<BatchMetrics>> relaxed(int i, long left) {
        Assigned assigned = assigned(i);
        List<Supplier<BatchMetrics>> out = new ArrayList<>();
        long halvesLeft = 2L * instance.chip().cores();
        for (int j = 0; j < i; j++) {
            halvesLeft -= ops.get(j).halfCores() * copies[j];
        }
        long leastFill = (long) bounds.fewestSteps[i][(int) left];
        long leastSlowest = bounds.trackSlowest ? (long) bounds.slowestSteps[i][(int) left] : 0;
        double t = instance.chip().mvmLatencyNs();
        for (LowerPoint f : bounds.late ? List.of(bounds.oneCopy(i)) : bounds.points(i, left)) {
            if (f.halfCores() > halvesLeft) {
                continue;   // these choices cannot pack beside the assigned copies
            }
            // Every choice above f also takes at least the knapsacks' steps, and (weights programmed)
            // at least fillAndRowsNs in fill and writing: the price of such choices is lowest at the
            // most rows that allows, as latency grows with fill one for one and with rows at most so.
            long freeFill = Math.max(f.fillSteps(), leastFill);
            long freeRows = f.rows();
            if (bounds.trackRows) {
                freeRows = Math.max(freeRows, rowsMakingUp(bounds.fillAndRowsNs[i][(int) left], freeFill * t, bounds.rowNs));
            }
            if (bounds.chains > 1) {
                // The fill is a critical path, at least the sum over the chains of a cover: fill and
                // the rows made up from fill plus writing count divided by their number (StepFloor).
                freeRows = Math.max(f.rows(), (long) Math.floor((assigned.rows() + freeRows) / (double) bounds.chains) - assigned.rows());
            }
            LowerPoint g = new LowerPoint(freeFill, Math.max(f.slowestSteps(), leastSlowest), freeRows, f.cells(), f.halfCores());
            out.add(() -> price(g, f.rows(), assigned));
        }
        return out;
    }

    /** What the node's profile holds besides the free ops (i and later): see {@link Assigned}. */
    private Assigned assigned(int i) {
        long rows = base.rowsProgrammed();
        long cells = base.cellsWritten();
        long xb = base.crossbarsUsed();
        double fill = 0;
        double slowest = 0;
        for (int j = 0; j < ops.size(); j++) {
            OpCopies o = ops.get(j);
            // base holds one copy of every op: add what the copies of assigned ops take beyond it,
            // and take the free ops' own copy out (their floor adds it back).
            int extra = j < i ? copies[j] - 1 : -1;
            rows += o.rows() * extra;
            cells += o.cells() * extra;
            xb += o.crossbars() * (j < i ? extra : 0);
            if (j < i) {
                double ns = bounds.stageNs(o, copies[j]);
                fill += ns;
                slowest = Math.max(slowest, ns);
            }
        }
        long left = capacity - assignedCrossbars(i);
        double path = pathFloor(i, left);
        if (bounds.heavySteps != null && left >= 0 && Double.isFinite(bounds.heavySteps[i][(int) left])) {
            double heavy = bounds.heavySteps[i][(int) left] * instance.chip().mvmLatencyNs();
            for (int j = 0; j < i; j++) {
                heavy += bounds.heavyOps.get(ops.get(j).op()) ? bounds.stageNs(ops.get(j), copies[j]) : 0;
            }
            path = Math.max(path, heavy);
        }
        return new Assigned(xb, rows, cells, fill, slowest, path);
    }

    /**
     * The critical path of the block's dataflow with the ops before i at their copies and each
     * free op at the most copies it could have beside one copy of every other free op within
     * {@code left} crossbars: no completion has a shorter one (0 for a chain of ops, whose sum
     * floors serve better).
     */
    private double pathFloor(int i, long left) {
        if (bounds.chains == 1) {
            return 0;
        }
        long oneOfEach = 0;
        for (int j = i; j < ops.size(); j++) {
            oneOfEach += ops.get(j).crossbars();
        }
        double[] ns = new double[base.stages().size()];
        for (int j = 0; j < ops.size(); j++) {
            OpCopies o = ops.get(j);
            int r = copies[j];
            if (j >= i) {
                long fits = Math.max(1, (left - oneOfEach + o.crossbars()) / Math.max(1, o.crossbars()));
                r = 1;
                for (int c : o.counts()) {
                    if (c <= fits) {
                        r = c;
                    }
                }
            }
            ns[stageOf[j]] = bounds.stageNs(o, r);
        }
        return StageGraph.criticalPath(base.stages(), ns);
    }

    /**
     * One lower point priced with what the rest of the span takes, at two corners, each below every
     * choice above it: the fill over the chains' cover with the rows that make up fill plus writing
     * ({@code f.rows()}), and the critical path (the assigned ops' stages, the free ops' at their
     * most copies, the transfers on the edges) with the free ops' least rows ({@code leastRows}).
     * The rows made up belong with the smaller fill: beside a larger one they would overstate.
     */
    private BatchMetrics price(LowerPoint f, long leastRows, Assigned a) {
        double t = instance.chip().mvmLatencyNs();
        double slowest = Math.max(a.slowestNs(), f.slowestSteps() * t);
        double coverFill = (a.fillNs() + f.fillSteps() * t) / bounds.chains;
        BatchMetrics cover = priced(a, f, a.rows() + f.rows(), new CostModel.StageTimes(coverFill, slowest));
        if (a.pathNs() <= coverFill) {
            return cover;
        }
        BatchMetrics path = priced(a, f, a.rows() + leastRows, new CostModel.StageTimes(a.pathNs(), slowest));
        return FloorMetrics.tighter(cover, path);
    }

    private BatchMetrics priced(Assigned a, LowerPoint f, long rows, CostModel.StageTimes times) {
        PartitionProfile p = new PartitionProfile(base.stages(), base.dramBytesPerSample(), base.dramBytesPerBatch(),
                a.crossbars(), rows, a.cells() + f.cells(), base.weightBytes(),
                base.crossbarMvmsPerSample(), base.vectorOpsPerSample(), base.nocByteHopsPerSample(),
                base.nocBytesPerSample(), base.nocTransfersPerSample(), base.unitProgramNsMax(), base.transferOnlyNs());
        return CostModel.asPlan(instance.chip(), instance.batch(), p, block.programmed(), times);
    }

    /**
     * Rows no choice with this fill lies below when fill plus row-writing time is at least
     * {@code fillAndRowsNs}: the corner a floor is priced at (the least fill, and the rows that
     * make up the rest), rounded down to stay below.
     */
    static long rowsMakingUp(double fillAndRowsNs, double fillNs, double rowNs) {
        return (long) Math.floor((fillAndRowsNs - fillNs) / rowNs * (1 - 1e-9));
    }

}
