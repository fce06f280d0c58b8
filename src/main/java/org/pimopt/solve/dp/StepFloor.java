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
 * each op, without a copy search or a knapsack: cheap enough for every step of a large lattice
 * ({@link LatticeDp} bounds the others only for the steps these floors leave in play). Each op is
 * bounded on its own, as if it had the chip's crossbars left by one copy of the others:
 *
 * <ul>
 *   <li>fill: every op at its most copies; slowest stage likewise (batch above 1);
 *   <li>weights programmed: fill plus row-writing time at least the sum over ops of the least
 *       {@code ceil(N_o / r) t + rows_o r w} over their counts, as more copies shorten an op's stage
 *       and lengthen the writes; and at least the fill plus the weight load;
 *   <li>DRAM traffic of activations (its time per sample and per batch), vector ops and NoC
 *       traffic exactly: copies do not change them ({@link org.pimopt.problem.Instance#profiles});
 *   <li>energy: MVMs exactly, cells and weights at one copy when programmed, static power over
 *       the latency floor.
 * </ul>
 *
 * Priced by the cost model with these stage times and rows ({@link CostModel#single}): every
 * figure it gives grows with them (see {@link SpanReplication}), so no copy choice of the block
 * prices lower. Looser than the knapsack floors of {@link SpanReplication#floors}, which couple
 * the ops through the crossbars, and a few hundred times cheaper.
 */
final class StepFloor {
    private final Instance instance;
    private final Chip chip;
    private final long capacity;
    /** Per op, the least fill-plus-rows term by (crossbars, rows, most copies) of its units in a block. */
    private final Map<List<Long>, Double> fillAndRows = new java.util.concurrent.ConcurrentHashMap<>();

    StepFloor(Instance instance) {
        this.instance = instance;
        this.chip = instance.chip();
        this.capacity = chip.totalCrossbars();
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
        double t = chip.mvmLatencyNs();
        double rowNs = CostModel.rowWriteNs(chip, 1);
        double fill = 0;
        double slowest = 0;
        double fillRows = 0;
        for (var e : byOp.entrySet()) {
            OpInfo op = instance.ops().get(e.getKey());
            long xb = e.getValue()[0];
            long mostCopies = Math.max(1, Math.min(op.positions(), (capacity - crossbars + xb) / xb));
            long steps = new PartitionProfile.Stage(op.index(), op.positions(), (int) mostCopies).stepsPerReplica();
            fill += steps * t;
            slowest = Math.max(slowest, steps * t);
            if (programmed) {
                fillRows += leastFillAndRows(op, xb, e.getValue()[1], mostCopies, t, rowNs);
            }
        }
        // Copies that shorten the fill lengthen the writes: every choice has fill plus row-writing
        // time at least fillRows, so it prices no lower than the least fill with the rows that
        // makes up (latency grows with the fill one for one, with the rows at most so).
        long rowsFloor = programmed ? Math.max(rows, (long) Math.floor((fillRows - fill) / rowNs * (1 - 1e-9))) : rows;
        PartitionProfile p = new PartitionProfile(base.stages(), base.dramBytesPerSample(), base.dramBytesPerBatch(),
                crossbars, rowsFloor, base.cellsWritten(), base.weightBytes(), base.crossbarMvmsPerSample(),
                base.vectorOpsPerSample(), base.nocByteHopsPerSample());
        return CostModel.single(chip, instance.batch(), p, programmed, new CostModel.StageTimes(fill, slowest));
    }

    /** The least {@code ceil(N / r) t + rows r w} over the op's useful counts up to {@code most}. */
    private double leastFillAndRows(OpInfo op, long crossbars, long rows, long most, double t, double rowNs) {
        return fillAndRows.computeIfAbsent(List.of((long) op.index(), crossbars, rows, most), k -> {
            double least = Double.POSITIVE_INFINITY;
            for (int r : op.usefulCopies(most)) {
                long steps = new PartitionProfile.Stage(op.index(), op.positions(), r).stepsPerReplica();
                least = Math.min(least, steps * t + (double) rows * r * rowNs);
            }
            return least;
        });
    }
}
