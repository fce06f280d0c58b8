package org.pimopt.solve.dp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.IntervalScorer.Block;

/**
 * A price no choice of copies of a block beats, from its units and its profile with one copy of
 * each op, without a copy search: cheap enough for every step of a large lattice ({@link
 * LatticeDp} takes further only the steps these floors leave in play). The ops are coupled only
 * through the crossbars they share, and that coupling is relaxed to fractions of copies:
 *
 * <ul>
 *   <li>fill: the least sum of the ops' stage times {@code ceil(N_o / r_o) t} with
 *       {@code sum_o c_o r_o} within the chip's crossbars, each op's cost taken along the lower
 *       convex hull of its counts and the crossbars shared steepest saving first (the linear
 *       relaxation of the choice, below every integer choice);
 *   <li>weights programmed: fill plus row-writing time at least the same relaxation of
 *       {@code ceil(N_o / r_o) t + rows_o r_o w}, as more copies shorten a stage and lengthen the
 *       writes;
 *   <li>slowest stage (batch above 1): the least number of steps {@code s} at which the copies
 *       each op needs, {@code ceil(N_o / s)}, fit the crossbars together;
 *   <li>DRAM traffic of activations, vector ops, NoC traffic and MVMs exactly (copies do not
 *       change them: {@link org.pimopt.problem.Instance#profiles}); cells at one copy.
 * </ul>
 *
 * Priced by the cost model with these stage times and rows ({@link CostModel#single}): every
 * figure it gives grows with them (see {@link SpanReplication}), so no copy choice of the block
 * prices lower. Packing into cores is ignored (a relaxation too). Looser than the knapsack floors
 * of {@link SpanReplication#floors}, which are exact in the integer counts, and far cheaper.
 */
final class StepFloor {
    private final Instance instance;
    private final Chip chip;
    private final long capacity;
    private final double t;
    private final double rowNs;
    /**
     * Per (op, crossbars and rows of its units in a block, whether rows count): the cost at one
     * copy and the lower convex hull's segments beyond it ({@link #hull}). Blocks share ops'
     * unit sets often, so the hulls are built once.
     */
    private final Map<List<Long>, Hull> hulls = new java.util.concurrent.ConcurrentHashMap<>();

    StepFloor(Instance instance) {
        this.instance = instance;
        this.chip = instance.chip();
        this.capacity = chip.totalCrossbars();
        this.t = chip.mvmLatencyNs();
        this.rowNs = CostModel.rowWriteNs(chip, 1);
    }

    /** The floor of a block; {@code base}: its profile with one copy of each op. */
    BatchMetrics of(Block block, PartitionProfile base) {
        boolean programmed = block.programmed();
        Map<Integer, long[]> byOp = new TreeMap<>();   // crossbars, rows of one copy
        long crossbars = 0;
        long rows = 0;
        for (int u : block.units()) {
            UnitRef ref = instance.units().get(u);
            long[] op = byOp.computeIfAbsent(ref.op(), k -> new long[2]);
            op[0] += ref.crossbars();
            op[1] += ref.unit().rowsProgrammed();
            crossbars += ref.crossbars();
            rows += ref.unit().rowsProgrammed();
        }
        List<Hull> fillHulls = new java.util.ArrayList<>();
        List<Hull> fillRowsHulls = new java.util.ArrayList<>();
        for (var e : byOp.entrySet()) {
            OpInfo op = instance.ops().get(e.getKey());
            fillHulls.add(hull(op, e.getValue()[0], 0));
            if (programmed) {
                fillRowsHulls.add(hull(op, e.getValue()[0], e.getValue()[1]));
            }
        }
        long room = capacity - crossbars;
        double fill = relaxed(fillHulls, room);
        double slowest = instance.batch() > 1 ? leastSlowestSteps(byOp, room) * t : 0;
        // Copies that shorten the fill lengthen the writes: every choice has fill plus row-writing
        // time at least fillRows, so it prices no lower than the least fill with the rows that
        // makes up (latency grows with the fill one for one, with the rows at most so).
        long rowsFloor = rows;
        if (programmed) {
            double fillRows = relaxed(fillRowsHulls, room);
            rowsFloor = Math.max(rows, SpanReplication.rowsMakingUp(fillRows, fill, rowNs));
        }
        PartitionProfile p = new PartitionProfile(base.stages(), base.dramBytesPerSample(), base.dramBytesPerBatch(),
                crossbars, rowsFloor, base.cellsWritten(), base.weightBytes(), base.crossbarMvmsPerSample(),
                base.vectorOpsPerSample(), base.nocByteHopsPerSample());
        return CostModel.single(chip, instance.batch(), p, programmed, new CostModel.StageTimes(fill, slowest));
    }

    /**
     * An op's cost {@code ceil(N / r) t + rows r w} against the crossbars {@code crossbars r} its
     * copies take: the cost at one copy, and the segments of the lower convex hull from there on
     * while the cost falls, as (extra crossbars, cost change), slopes rising.
     */
    private record Hull(double atOne, double[][] segments) {
        double slope(int i) {
            return segments[i][1] / segments[i][0];
        }
    }

    private Hull hull(OpInfo op, long crossbars, long rows) {
        return hulls.computeIfAbsent(List.of((long) op.index(), crossbars, rows), k -> {
            int[] counts = op.usefulCopies(Math.max(1, capacity / crossbars));
            List<double[]> points = new java.util.ArrayList<>();   // (crossbars, cost), rising crossbars
            for (int r : counts) {
                long steps = new PartitionProfile.Stage(op.index(), op.positions(), r).stepsPerReplica();
                double cost = steps * t + (double) rows * r * rowNs;
                double[] point = {(double) crossbars * r, cost};
                // Lower hull: drop the last point while it is not below the chord to the new one.
                while (points.size() >= 2) {
                    double[] a = points.get(points.size() - 2);
                    double[] b = points.get(points.size() - 1);
                    if ((b[1] - a[1]) * (point[0] - a[0]) >= (point[1] - a[1]) * (b[0] - a[0])) {
                        points.remove(points.size() - 1);
                    } else {
                        break;
                    }
                }
                points.add(point);
            }
            List<double[]> segments = new java.util.ArrayList<>();
            for (int i = 1; i < points.size(); i++) {
                double dx = points.get(i)[0] - points.get(i - 1)[0];
                double dy = points.get(i)[1] - points.get(i - 1)[1];
                if (dy >= 0) {
                    break;   // copies from here on cost more than they save
                }
                segments.add(new double[] {dx, dy});
            }
            return new Hull(points.get(0)[1], segments.toArray(new double[0][]));
        });
    }

    /**
     * The least total cost of the ops within {@code room} crossbars beyond one copy each, copies
     * taken fractionally along their hulls (the linear relaxation of choosing one count per op,
     * solved by taking segments steepest first): no integer choice costs less.
     */
    private static double relaxed(List<Hull> ops, long room) {
        double total = 0;
        // Each hull's segments come steepest first: merge them through a heap of the ops' next ones.
        java.util.PriorityQueue<int[]> next = new java.util.PriorityQueue<>(
                Math.max(1, ops.size()), (x, y) -> Double.compare(ops.get(x[0]).slope(x[1]), ops.get(y[0]).slope(y[1])));
        for (int o = 0; o < ops.size(); o++) {
            total += ops.get(o).atOne();
            if (ops.get(o).segments().length > 0) {
                next.add(new int[] {o, 0});
            }
        }
        double left = room;
        while (!next.isEmpty() && left > 0) {
            int[] at = next.poll();
            double[] seg = ops.get(at[0]).segments()[at[1]];
            if (seg[0] > left) {
                return total + seg[1] * left / seg[0];
            }
            total += seg[1];
            left -= seg[0];
            if (++at[1] < ops.get(at[0]).segments().length) {
                next.add(at);
            }
        }
        return total;
    }

    /**
     * The least slowest stage in MVM steps any copies within the crossbars allow: the least
     * {@code s} for which the copies each op needs to get down to {@code s} steps,
     * {@code ceil(N_o / s)}, fit beside the others.
     */
    private long leastSlowestSteps(Map<Integer, long[]> byOp, long room) {
        long lo = 1;
        long hi = 1;
        for (int op : byOp.keySet()) {
            hi = Math.max(hi, instance.ops().get(op).positions());
        }
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            long extra = 0;
            for (var e : byOp.entrySet()) {
                long positions = instance.ops().get(e.getKey()).positions();
                extra += e.getValue()[0] * ((positions + mid - 1) / mid - 1);
            }
            if (extra <= room) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
