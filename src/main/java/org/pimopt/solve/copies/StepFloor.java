package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CorePacking;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.CrossbarGeometry;
import org.pimopt.cost.PartitionMetrics;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.StageGraph;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.copies.HullRelaxation.Hull;
import org.pimopt.solve.replication.IntervalScorer.Block;

/**
 * A price no choice of copies of a block beats, from its units and its profile with one copy of
 * each op, without a copy search: cheap enough for every step of a large lattice (the lattice search
 * (dp-lattice) takes further only the steps these floors leave in play). The ops are coupled only
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
 *   <li>slowest stage (batch above 1), coupled to the two above: a choice whose slowest stage
 *       is {@code s} steps gives each op at least {@code ceil(N_o / s)} copies, so the
 *       relaxations start from those copies; over ranges of {@code s} ({@link #coupled});
 *   <li>DRAM traffic of activations, vector ops, NoC traffic and MVMs exactly (copies do not
 *       change them: {@link org.pimopt.problem.Instance#profiles}); cells at one copy.
 * </ul>
 *
 * The fill is the critical path of the block's dataflow: with a cover of its stages by {@code C}
 * chains ({@link StageGraph#chainOf}) it is at least the stages' sum over {@code C}, and at least
 * each chain's own relaxed sum (its ops sharing the crossbars the others leave); the same holds
 * for fill plus row-writing time, the other ops' rows added. With one chain nothing changes.
 * Priced by the cost model with these stage times and rows ({@link CostModel#asPlan}): every
 * figure it gives grows with them (see {@link SpanReplication}), so no copy choice of the block
 * prices lower. Packing into cores is ignored (a relaxation too). {@link SpanReplication} raises
 * its own floors to this one and stops a search whose plan meets it.
 */
public final class StepFloor {
    private final Instance instance;
    private final int splits;
    private final Chip chip;
    /** Capacity in this floor's measure of what copies take ({@link #coreWeight}). */
    private final long capacity;
    /**
     * The measure of what a copy takes: its crossbars {@code X} alone (0), or, for {@code m > 0},
     * {@code 2X + m H k} within {@code 2C (1 + m)}, {@code H} its half-cores ({@link
     * CorePacking#halfCores}) and {@code k} crossbars per core: copies obey both {@code sum r X <= C}
     * and {@code sum r H <= 2 cores}, hence this sum, which keeps some of the packing the crossbar
     * count forgets (units a little over half a core, one to a core).
     */
    private final int coreWeight;
    /** Floors in the other measures, whose maximum with this one's is the block's floor. */
    private final List<StepFloor> others;
    private final double t;
    private final double rowNs;
    /**
     * Per (op, crossbars and rows of its units in a block, whether rows count): the cost at one
     * copy and the lower convex hull's segments beyond it ({@link #hull}). Blocks share ops'
     * unit sets often, so the hulls are built once.
     */
    private final Map<HullKey, Hull> hulls = new java.util.concurrent.ConcurrentHashMap<>();

    private record HullKey(int op, long crossbars, long rows) {}

    StepFloor(Instance instance) {
        this(instance, SPLITS);
    }

    /** With another number of range splits per block (tests keep ranges wide to check their corners). */
    StepFloor(Instance instance, int splits) {
        this(instance, splits, 0);
    }

    private StepFloor(Instance instance, int splits, int coreWeight) {
        this.splits = splits;
        this.instance = instance;
        this.chip = instance.chip();
        this.coreWeight = coreWeight;
        this.capacity = coreWeight == 0 ? chip.totalCrossbars() : 2L * chip.totalCrossbars() * (1 + coreWeight);
        // Core measures help only when a piece can claim a core for itself.
        this.others = coreWeight == 0 && chip.crossbarsPerCore() > 1
                ? List.of(new StepFloor(instance, splits, 1), new StepFloor(instance, splits, 4)) : List.of();
        this.t = chip.mvmLatencyNs();
        this.rowNs = CostModel.rowWriteNs(chip, 1);
    }

    /** The floor of a block; {@code base}: its profile with one copy of each op. */
    BatchMetrics of(Block block, PartitionProfile base) {
        return ofMeasure(block, base);
    }

    /**
     * {@code floor} (a floor of the block) raised to the floors in the core measures ({@link
     * #coreWeight}): each is below every choice, so is their maximum. Three times the work of
     * {@link #of}, so taken only for the steps a lattice searches further.
     */
    BatchMetrics withCores(Block block, PartitionProfile base, BatchMetrics floor) {
        for (StepFloor other : others) {
            floor = FloorMetrics.tighter(floor, other.ofMeasure(block, base));
        }
        return floor;
    }

    /** The floor in this measure ({@link #coreWeight}). */
    private BatchMetrics ofMeasure(Block block, PartitionProfile base) {
        boolean programmed = block.programmed();
        Map<Integer, long[]> byOp = new java.util.HashMap<>();   // crossbars, rows, cells, half-cores of one copy
        int perCore = chip.crossbarsPerCore();
        for (int u : block.units()) {
            UnitRef ref = instance.units().get(u);
            long[] op = byOp.computeIfAbsent(ref.op(), k -> new long[4]);
            op[0] += ref.crossbars();
            op[1] += ref.unit().rowsProgrammed();
            op[2] += ref.unit().cellsWritten();
            op[3] += coreWeight > 0 ? CorePacking.halfCores(ref.unit(), perCore) : 0;
        }
        if (coreWeight > 0 && byOp.values().stream().noneMatch(op -> op[3] > 0)) {
            return FloorMetrics.zero(instance.batch());   // no piece claims a core: nothing to add
        }
        int[] chainOfStage = mainPathFirst(base.stages(), op -> {
            long[] one = byOp.get(op);
            return one == null ? 0 : one[0];
        });
        Map<Integer, Integer> chainOfOp = new java.util.HashMap<>();
        for (int i = 0; i < chainOfStage.length; i++) {
            chainOfOp.put(base.stages().get(i).op(), chainOfStage[i]);
        }
        int cover = StageGraph.chains(base.stages());
        double[] chainTransfers = transfersAlong(base.stages(), chainOfStage);
        List<OpFloor> ops = new ArrayList<>();
        for (var e : byOp.entrySet()) {
            OpInfo op = instance.ops().get(e.getKey());
            long[] one = e.getValue();
            long takes = coreWeight == 0 ? one[0] : 2 * one[0] + (long) coreWeight * one[3] * perCore;
            ops.add(new OpFloor(op.positions(), takes, one[1], one[2], hull(op, takes, 0),
                    programmed ? hull(op, takes, one[1]) : null, chainOfOp.getOrDefault(e.getKey(), 0)));
        }
        long most = 1;
        for (OpFloor op : ops) {
            most = Math.max(most, op.positions());
        }
        // With a stage of `most` steps allowed every op may have one copy: the relaxation unbounded.
        Relaxed unbounded = relax(ops, most, programmed, cover, chainTransfers);
        double path = leastPath(base);
        if (instance.batch() == 1) {
            return price(base, programmed, unbounded, 0, path);
        }
        return coupled(base, programmed, ops, most, unbounded, cover, chainTransfers, path);
    }

    /**
     * Per chain of a cover along the dataflow's edges ({@link StageGraph#heaviestChains}: each
     * stage of a chain reads the one before it), the on-chip transfers a path through it carries:
     * into its first stage, between its stages, out of its last. A chain lies on a path, so the
     * critical path is at least its stages' sum plus these.
     */
    static double[] transfersAlong(List<PartitionProfile.Stage> stages, int[] chainOf) {
        int chains = 0;
        for (int c : chainOf) {
            chains = Math.max(chains, c + 1);
        }
        double[] ns = new double[chains];
        int[] last = new int[chains];
        java.util.Arrays.fill(last, -1);
        for (int i = 0; i < stages.size(); i++) {
            PartitionProfile.Stage stage = stages.get(i);
            int c = chainOf[i];
            int j = stage.after().indexOf(last[c]);
            ns[c] += last[c] < 0 ? stage.leadNs() : j >= 0 ? stage.afterNs()[j] : 0;
            last[c] = i;
        }
        for (int c = 0; c < chains; c++) {
            ns[c] += last[c] >= 0 ? stages.get(last[c]).tailNs() : 0;
        }
        return ns;
    }

    /**
     * The chain each stage lies on in a cover of a block's dataflow, heaviest chain first by what
     * the fractional relaxation charges an op (its stage sum over C crossbars goes as
     * {@code (sum of sqrt(N_o X_o))^2 / C}), so chain 0 follows the main path ({@link
     * StageGraph#heaviestChains}); {@code crossbarsOfOp}: {@code X_o}, one copy's crossbars of the
     * op's units in the block. The floors here and the copy search's chain bound share it.
     */
    static int[] mainPathFirst(List<PartitionProfile.Stage> stages, java.util.function.IntToLongFunction crossbarsOfOp) {
        double[] weight = new double[stages.size()];
        for (int i = 0; i < weight.length; i++) {
            PartitionProfile.Stage stage = stages.get(i);
            weight[i] = Math.sqrt((double) stage.mvmStepsPerSample() * crossbarsOfOp.applyAsLong(stage.op()));
        }
        return StageGraph.heaviestChains(stages, weight);
    }

    /** An op of a block: positions, one copy's crossbars, rows and cells, its hulls, and its chain in the block's dataflow. */
    private record OpFloor(long positions, long crossbars, long rows, long cells, Hull fill, Hull fillRows, int chain) {
        /** Copies it needs for a stage of at most {@code steps} MVM steps. */
        long copiesFor(long steps) {
            return Math.max(1, (positions + steps - 1) / steps);
        }
    }

    /**
     * The relaxation with each op's copies at least those a stage of {@code slowestSteps} needs:
     * least fill, least fill plus row-writing time (NaN when weights are not programmed), the rows
     * and cells those copies take at the least, and the slowest stage in MVM steps above which the
     * copies the two relaxations take need no more (so they stay the same); fill infinite when the
     * copies do not fit.
     */
    private record Relaxed(double fillNs, double fillAndRowsNs, long rows, long cells, long freeAbove) {}

    private Relaxed relax(List<OpFloor> ops, long slowestSteps, boolean programmed, int cover, double[] chainTransfers) {
        List<Hull> fill = new ArrayList<>();
        List<Hull> fillRows = new ArrayList<>();
        double[] from = new double[ops.size()];
        long rows = 0;
        long cells = 0;
        for (int o = 0; o < ops.size(); o++) {
            OpFloor op = ops.get(o);
            long copies = op.copiesFor(slowestSteps);
            from[o] = (double) op.crossbars() * copies;
            rows += op.rows() * copies;
            cells += op.cells() * copies;
            fill.add(op.fill());
            fillRows.add(op.fillRows());
        }
        double[] fillAt = new double[ops.size()];
        double[] fillRowsAt = new double[ops.size()];
        double least = HullRelaxation.relaxed(fill, from, capacity, fillAt);
        double leastWithRows = programmed ? HullRelaxation.relaxed(fillRows, from, capacity, fillRowsAt) : Double.NaN;
        long freeAbove = 1;
        int chains = 1;
        for (int o = 0; o < ops.size(); o++) {
            OpFloor op = ops.get(o);
            // Whole copies the relaxations give the op (at least one): a stage this long needs no more.
            double copies = programmed ? Math.min(fillAt[o], fillRowsAt[o]) : fillAt[o];
            long whole = Math.max(1, (long) Math.floor(copies / op.crossbars() + 1e-9));
            freeAbove = Math.max(freeAbove, (op.positions() + whole - 1) / whole);
            chains = Math.max(chains, op.chain() + 1);
        }
        if (chains == 1) {
            // One chain along the edges holds every stage: the path is its sum and its transfers.
            least += chainTransfers[0];
            leastWithRows += chainTransfers[0];
        } else if (Double.isFinite(least)) {
            // The fill is the critical path of the dataflow: at least the sum over the chains of a
            // cover, and at least each chain's own least sum, its ops sharing what the others leave,
            // with the transfers along it. The sum over C is taken with the fewest chains of a cover
            // (StageGraph.chains).
            double[] path = {least / cover, programmed ? leastWithRows / cover : Double.NaN};
            double hi = least;
            for (int k = 0; k < chains; k++) {
                double[] onChain = chainRelaxed(ops, from, slowestSteps, k, programmed);
                path[0] = Math.max(path[0], onChain[0] + chainTransfers[k]);
                path[1] = Math.max(path[1], onChain[1] + chainTransfers[k]);
                hi += chainTransfers[k];
            }
            least = Math.max(path[0], longestChainAtLeast(ops, from, chains, chainTransfers, path[0], hi));
            leastWithRows = path[1];
        }
        return new Relaxed(least, leastWithRows, rows, cells, freeAbove);
    }

    /**
     * The least {@code T} such that every chain can bring its stages' sum down to {@code T} with the
     * chains' crossbars together within the chip (fractional copies along the hulls): below the
     * longest chain of any choice of copies. Found by bisection between {@code lo} (a floor) and
     * {@code hi} (reachable); returns the bisection's floor side.
     */
    private double longestChainAtLeast(List<OpFloor> ops, double[] from, int chains, double[] chainTransfers, double lo,
                                       double hi) {
        double[][][] paths = new double[chains][][];
        for (int k = 0; k < chains; k++) {
            List<Hull> hulls = new ArrayList<>();
            List<Double> start = new ArrayList<>();
            for (int o = 0; o < ops.size(); o++) {
                if (ops.get(o).chain() == k) {
                    hulls.add(ops.get(o).fill());
                    start.add(from[o]);
                }
            }
            paths[k] = HullRelaxation.descent(hulls, start.stream().mapToDouble(Double::doubleValue).toArray());
        }
        for (int step = 0; step < 40 && hi - lo > 1e-9 * hi; step++) {
            double mid = (lo + hi) / 2;
            double crossbars = 0;
            for (int k = 0; k < chains; k++) {
                crossbars += HullRelaxation.crossbarsAt(paths[k], mid - chainTransfers[k]);
            }
            if (crossbars <= capacity) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    /**
     * The relaxations restricted to the ops of chain {@code k}: their least stage sum, and their
     * least stage sum plus row-writing time plus the other ops' rows at their least copies, within
     * the crossbars the other ops leave at their least copies (they start at {@code from}).
     */
    private double[] chainRelaxed(List<OpFloor> ops, double[] from, long slowestSteps, int k, boolean programmed) {
        List<Hull> fill = new ArrayList<>();
        List<Hull> fillRows = new ArrayList<>();
        List<Double> start = new ArrayList<>();
        double left = capacity;
        double otherRowsNs = 0;
        for (int o = 0; o < ops.size(); o++) {
            OpFloor op = ops.get(o);
            if (op.chain() == k) {
                fill.add(op.fill());
                fillRows.add(op.fillRows());
                start.add(from[o]);
            } else {
                left -= from[o];
                otherRowsNs += op.rows() * op.copiesFor(slowestSteps) * rowNs;
            }
        }
        double[] at = new double[fill.size()];
        double[] fromK = start.stream().mapToDouble(Double::doubleValue).toArray();
        long cap = (long) Math.floor(left + 1e-9);
        double onChain = HullRelaxation.relaxed(fill, fromK, cap, at);
        double withRows = programmed ? HullRelaxation.relaxed(fillRows, fromK, cap, at) + otherRowsNs : Double.NaN;
        return new double[] {onChain, withRows};
    }

    /**
     * With more than one sample the slowest stage weighs {@code batch - 1} times, and a slow stage
     * lets the fill be short while a fast one needs copies: the two are coupled here. Any choice
     * of copies has its slowest stage {@code s} in some range {@code [a, b]} of MVM steps; then
     * every op has at least the copies a stage of {@code b} steps needs, so fill (and rows) at
     * least the relaxation with those copies, and slowest at least {@code a}: the range's corner.
     * The ranges start from the least slowest stage that fits; the corner is exact (no choice in
     * the range is below it, and the relaxation at one of its stages reaches it) for a single
     * stage, for stages at or above the one past which the unbounded relaxation needs no copies,
     * and for stages the DRAM traffic per sample or the vector stage outlasts (the pipeline's rate
     * is theirs there, whatever the slowest MVM stage). The others are split in two, least corner first, until
     * that corner is exact, after {@link #SPLITS} splits, or once it is within {@link #CLOSE} of
     * the least exact corner. The floor is the least corner in each figure over the ranges.
     */
    private BatchMetrics coupled(PartitionProfile base, boolean programmed, List<OpFloor> ops, long most,
                                 Relaxed unbounded, int cover, double[] chainTransfers, double path) {
        long least = Math.min(most, leastSlowestSteps(ops));
        record Range(long a, long b, Relaxed atB, BatchMetrics corner, boolean exact) {}
        java.util.Comparator<BatchMetrics> order = instance.goal().comparator()::compare;
        java.util.PriorityQueue<Range> open = new java.util.PriorityQueue<>((x, y) -> order.compare(x.corner(), y.corner()));
        BatchMetrics[] leastExact = new BatchMetrics[1];
        java.util.function.Consumer<Range> add = r -> {
            open.add(r);
            if (r.exact() && (leastExact[0] == null || order.compare(r.corner(), leastExact[0]) < 0)) {
                leastExact[0] = r.corner();
            }
        };
        long free = Math.max(least, unbounded.freeAbove());
        BatchMetrics beyond = price(base, programmed, unbounded, free, path);
        add.accept(new Range(free, Long.MAX_VALUE, unbounded, beyond, true));
        if (least < free) {
            Relaxed below = relax(ops, free - 1, programmed, cover, chainTransfers);
            // Stages the traffic per sample or the vector stage outlasts: the rate is theirs, one corner for all.
            PartitionMetrics beyondPart = beyond.partitions().get(0);
            long plateau = (long) Math.floor(Math.max(beyondPart.ioNs(), beyondPart.vectorNs()) / t);
            if (plateau >= least && plateau < free - 1) {
                Relaxed atPlateau = relax(ops, plateau, programmed, cover, chainTransfers);
                add.accept(new Range(least, plateau, atPlateau, price(base, programmed, atPlateau, least, path), true));
                add.accept(new Range(plateau + 1, free - 1, below, price(base, programmed, below, plateau + 1, path),
                        plateau + 1 == free - 1));
            } else {
                add.accept(new Range(least, free - 1, below, price(base, programmed, below, least, path), least == free - 1));
            }
        }
        for (int split = 0; split < splits; split++) {
            Range r = open.peek();
            if (r.exact() || instance.goal().primaryValue(r.corner()) >= (1 - CLOSE) * instance.goal().primaryValue(leastExact[0])) {
                break;
            }
            open.poll();
            long m = (r.a() + r.b()) / 2;
            Relaxed atM = relax(ops, m, programmed, cover, chainTransfers);
            add.accept(new Range(r.a(), m, atM, price(base, programmed, atM, r.a(), path), r.a() == m));
            add.accept(new Range(m + 1, r.b(), r.atB(), price(base, programmed, r.atB(), m + 1, path), m + 1 == r.b()));
        }
        BatchMetrics floor = null;
        for (Range r : open) {
            floor = floor == null ? r.corner() : FloorMetrics.below(floor, r.corner());
        }
        return floor;
    }

    /** Most range splits of {@link #coupled} per block, and the nearness to the best single step at which it stops. */
    static final int SPLITS = 16;
    private static final double CLOSE = 1e-3;

    /**
     * The cost model's price of the relaxation with the slowest stage at {@code slowestSteps}: rows
     * at least those of the relaxation's copies and, when programmed, those that make up its fill
     * plus row-writing time over its least fill (latency grows with the fill one for one, with the
     * rows at most so); cells at least its copies'.
     */
    private BatchMetrics price(PartitionProfile base, boolean programmed, Relaxed r, long slowestSteps, double path) {
        long rows = r.rows();
        if (programmed) {
            rows = Math.max(rows, SubtreeFloors.rowsMakingUp(r.fillAndRowsNs(), r.fillNs(), rowNs));
        }
        BatchMetrics cover = priced(base, programmed, rows, r.cells(), new CostModel.StageTimes(r.fillNs(), slowestSteps * t));
        // The critical path itself, every op at its most copies and the transfers on its edges, is
        // a second floor of the fill: priced with the relaxation's own rows, not those made up from
        // the smaller fill (beside a larger fill they would overstate). {@code path}: leastPath(base).
        if (path <= r.fillNs()) {
            return cover;
        }
        BatchMetrics both = FloorMetrics.tighter(cover, priced(base, programmed, r.rows(), r.cells(),
                new CostModel.StageTimes(path, slowestSteps * t)));
        // The partition's DRAM and vector figures, which the ranges read, are the same at both corners.
        return new BatchMetrics(both.batch(), both.latencyNs(), both.energy(), both.cellsWritten(), both.dramBytes(),
                cover.partitions());
    }

    private BatchMetrics priced(PartitionProfile base, boolean programmed, long rows, long cells, CostModel.StageTimes times) {
        PartitionProfile p = new PartitionProfile(base.stages(), base.dramBytesPerSample(), base.dramBytesPerBatch(),
                base.crossbarsUsed(), rows, cells, base.weightBytes(), base.crossbarMvmsPerSample(),
                base.vectorOpsPerSample(), base.nocByteHopsPerSample(),
                base.nocBytesPerSample(), base.nocTransfersPerSample(), base.unitProgramNsMax(), base.transferOnlyNs());
        return CostModel.asPlan(chip, instance.batch(), p, programmed, times);
    }

    /** The critical path of the step's dataflow with each op at its most copies ({@link Instance#maxCopies}) and the transfers on the edges. */
    private double leastPath(PartitionProfile base) {
        double[] ns = new double[base.stages().size()];
        for (int i = 0; i < ns.length; i++) {
            OpInfo op = instance.ops().get(base.stages().get(i).op());
            ns[i] = (double) CrossbarGeometry.ceilDivLong(op.positions(), instance.maxCopies(op)) * t;
        }
        return StageGraph.criticalPath(base, ns);
    }

    /** The hull of an op whose copy takes {@code crossbars} (in this floor's measure) and writes {@code rows}, built once. */
    private Hull hull(OpInfo op, long crossbars, long rows) {
        HullKey key = new HullKey(op.index(), crossbars, rows);
        Hull known = hulls.get(key);   // read without locking: the threads share this cache
        return known != null ? known : hulls.computeIfAbsent(key, k -> Hull.lowest(op, crossbars, rows, capacity, t, rowNs));
    }

    /**
     * The least slowest stage in MVM steps any copies within the crossbars allow: the least
     * {@code s} for which the copies each op needs to get down to {@code s} steps,
     * {@code ceil(N_o / s)}, fit together.
     */
    private long leastSlowestSteps(List<OpFloor> ops) {
        long lo = 1;
        long hi = 1;
        for (OpFloor op : ops) {
            hi = Math.max(hi, op.positions());
        }
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            long used = 0;
            for (OpFloor op : ops) {
                used += op.crossbars() * op.copiesFor(mid);
            }
            if (used <= capacity) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
