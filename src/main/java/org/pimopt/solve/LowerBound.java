package org.pimopt.solve;

import java.util.Arrays;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.StageGraph;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * Bounds below which no plan of an instance can go, whatever its partitions, order or replication,
 * for the cost model of DESIGN section 5. They let a strategy state a gap against every plan, not
 * only against the plans its own model covers. The argument is written out in
 * {@code formulations/partitioning.md} ("A bound for every plan"); in short, every plan is of one
 * of two kinds, and the bound is the smaller of the two kinds' bounds:
 * <ul>
 *   <li><b>one partition</b> (only when one copy of the network fits): nothing is rewritten per
 *       batch; its time is at least the continuous relaxation of sharing the chip's crossbars
 *       among all ops ({@link #sharedChipNs});
 *   <li><b>two partitions or more</b>: every unit is programmed once per batch at least; each op
 *       fills the pipeline at least once, as if it had the chip alone, and the steady state of
 *       all partitions together is at least the whole network's crossbar work over the chip.
 * </ul>
 * Per op {@code o}: {@code N_o} MVM steps per sample, {@code X_o} crossbars per copy,
 * {@code c_o = t_mvm N_o X_o} its crossbar work, {@code R_o} the most copies any partition can hold.
 */
public final class LowerBound {
    private LowerBound() {}

    /**
     * What an engine may state about its result: the better of its own proven bound (over the
     * plans its model covers; null when it proved none) and {@link #of} for the goal's primary
     * objective, never above the objective it found; and whether that bound alone settles
     * optimality over every plan. For a lexicographic goal it never does: the bound speaks of
     * the first objective only.
     */
    public record Claim(double bound, boolean provesOptimal) {}

    public static Claim claim(Instance instance, Double engineBound, double objectiveValue) {
        Goal goal = instance.goal();
        double everyPlan = of(instance, goal.primary());
        double bound = engineBound == null ? everyPlan : Math.max(engineBound, everyPlan);
        boolean settled = goal.objectives().size() == 1 && Goal.compare(objectiveValue, everyPlan) <= 0;
        return new Claim(Math.min(bound, objectiveValue), settled);
    }

    /** The bound of objective {@code objective} for the instance. */
    public static double of(Instance instance, Objective objective) {
        PartitionProfile whole = wholeNetwork(instance);
        double best = kind(instance, whole, false).value(objective, instance.batch());
        if (instance.tiling().fitsOnChip()) {
            best = Math.min(best, kind(instance, whole, true).value(objective, instance.batch()));
        }
        return best;
    }

    /** Least latency, energy, cells written and DRAM bytes of every plan of one kind (not all at once). */
    private record Floor(double latencyNs, double energyPj, double cells, double dramBytes) {
        double value(Objective objective, int batch) {
            return switch (objective) {
                case LATENCY -> latencyNs;
                case ENERGY -> energyPj;
                case EDP -> (energyPj / batch) * (latencyNs / batch);
                case WRITES -> cells;
                case DRAM -> dramBytes;
            };
        }
    }

    private static Floor kind(Instance instance, PartitionProfile whole, boolean onePartition) {
        Chip chip = instance.chip();
        int batch = instance.batch();
        // Network inputs are loaded and outputs stored by every plan, constants loaded once per batch.
        double ioNs = whole.dramBytesPerSample() / chip.dramGBps();
        double perBatchNs = whole.dramBytesPerBatch() / chip.dramGBps();
        // Every vector layer runs in one partition: the vector stages add up to the whole network's,
        // in the fills and in the steady states. The first sample of some partition loads each
        // network input and stores each output. On-chip transfers lie on the critical paths, where
        // they do not add up, so the bound leaves them out.
        double vectorNs = CostModel.vectorNs(chip, whole.vectorOpsPerSample());
        double firstSample = ioNs + vectorNs;
        // The fill is the critical path of each partition's dataflow, at least its stages' sum over the
        // chains of a cover of the network's dataflow (a partition's dataflow is no wider).
        int chains = StageGraph.chains(whole.stages());
        double latency = (onePartition ? sharedChipNs(instance, whole, ioNs, vectorNs, chains) : splitNs(instance, ioNs, vectorNs, chains))
                + firstSample + perBatchNs;
        // Weights are read and cells written once per batch when there are two partitions or more.
        double dram = (double) batch * whole.dramBytesPerSample() + whole.dramBytesPerBatch()
                + (onePartition ? 0 : whole.weightBytes());
        double cells = onePartition ? 0 : whole.cellsWritten();
        double energy = (double) batch * whole.crossbarMvmsPerSample() * chip.mvmEnergyPj()
                + (double) batch * whole.vectorOpsPerSample() * chip.vectorPjPerOp()
                + cells * chip.writeEnergyPjPerCell()
                + dram * chip.dramPjPerByte()
                + CostModel.staticPj(chip, latency);
        return new Floor(latency, energy, cells, dram);
    }

    /**
     * Two partitions or more: {@code L = sum_p (W_p + fill_p + (B-1) M_p)}, each sum bounded on its own.
     * <ul>
     *   <li>Writes: {@code W_p} is the larger of {@code rows_p t_row / P} (rows of every copy) and
     *       {@code bytes_p / DRAM BW}, so at least {@code theta} times the first plus {@code 1 - theta}
     *       times the second, for any {@code theta} in {@code [0, 1]}; the bound is the best of a grid.
     *   <li>Fill: op {@code o} adds {@code ceil(N_o / r) t_mvm} to the fill of each partition holding
     *       some of its units, with {@code r <= R_o} copies there, and (rows bound) {@code r} times the
     *       rows of those units to the writes: at least {@code phi_o(rows_o) = min_r (ceil(N_o/r) t_mvm
     *       + theta r rows_o t_row / P)}, since {@code phi_o} is concave with {@code phi_o(0) >= 0} and so
     *       subadditive over the partitions that split an op. Also at least {@link #splitFillNs}
     *       plus the rows of one copy.
     *   <li>Steady state: {@code M_p} is at least each stage of {@code p} and {@code C M_p >= } the
     *       work of {@code p} (its copies share {@code C} crossbars), and at least its DRAM time per
     *       sample and its vector stage: {@code sum_p M_p >= max(sum_o c_o / C, max_o splitFill_o,
     *       io / DRAM BW, V)} (the shares of a split op are in different partitions; {@code V} the
     *       whole network's vector stage, which the partitions' vector stages add up to).
     * </ul>
     * The caller adds what every plan pays once besides: the network's inputs and outputs moved
     * for a first sample, and the vector stages in the fills.
     */
    private static double splitNs(Instance instance, double ioNs, double vectorNs, int chains) {
        Chip chip = instance.chip();
        double t = chip.mvmLatencyNs();
        double capacity = chip.totalCrossbars();
        int n = instance.ops().size();
        long[] most = new long[n];
        long[] rows = new long[n];
        double[] alone = new double[n];
        double work = 0;
        double slowestStage = 0;
        long weightBytes = 0;
        for (OpInfo op : instance.ops()) {
            int o = op.index();
            most[o] = 1;
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                UnitRef unit = instance.units().get(u);
                most[o] = Math.max(most[o], copiesThatFit(chip, unit.crossbars()));
                rows[o] += unit.unit().rowsProgrammed();
                weightBytes += unit.unit().weightBytes();
            }
            most[o] = Math.min(most[o], op.positions());
            alone[o] = splitFillNs(chip, op, most[o]);
            work += t * op.positions() * op.crossbars();
            slowestStage = Math.max(slowestStage, alone[o]);
        }
        // W_p >= theta * rows term + (1 - theta) * bytes term for any theta in [0, 1], the same for all p.
        double fill = 0;
        for (int i = 0; i <= THETA_STEPS; i++) {
            double theta = (double) i / THETA_STEPS;
            double perOp = 0;
            for (OpInfo op : instance.ops()) {
                int o = op.index();
                double withRows = Double.POSITIVE_INFINITY;
                for (long r = 1; r <= most[o]; r++) {
                    withRows = Math.min(withRows, steps(op.positions(), r) * t + theta * CostModel.rowWriteNs(chip, (double) r * rows[o]));
                }
                perOp += Math.max(withRows, alone[o] + theta * CostModel.rowWriteNs(chip, rows[o]));
            }
            // sum_p (CP_p + theta rows_p) >= sum_p (stages_p + theta rows_p) / chains.
            fill = Math.max(fill, (1 - theta) * CostModel.weightLoadNs(chip, weightBytes) + perOp / chains);
        }
        // Or: the writes of every unit once, beside the longest path of the network through all
        // partitions' critical paths and DRAM traffic (pathThroughPartitionsNs).
        long allRows = 0;
        for (long r : rows) {
            allRows += r;
        }
        double writes = Math.max(CostModel.weightLoadNs(chip, weightBytes), CostModel.rowWriteNs(chip, allRows));
        for (UnitRef unit : instance.units()) {
            writes = Math.max(writes, CostModel.unitProgramNs(chip, unit.unit()));   // some partition programs it
        }
        fill = Math.max(fill, writes + pathThroughPartitionsNs(instance, most));
        double steady = Math.max(Math.max(work / capacity, slowestStage), Math.max(ioNs, vectorNs));
        return fill + (instance.batch() - 1) * steady;
    }

    /**
     * A path of the network's layers crosses the plan's partitions in order: the layers it has in
     * a partition lie on a path of that partition's dataflow, so the partition's critical path is
     * at least their stages and the transfers between them; an edge between partitions is paid in
     * DRAM traffic instead (the tensor stored where it is made and loaded where it is read, both in
     * the first sample's {@code IO_p}; a network output's store is counted with the network's own
     * traffic). A path uses each tensor once, so no store or load is counted twice, and
     * {@code sum_p (IO_p + CP_p)} is at least the heaviest path with each op at its least stage
     * ({@code most} copies) and each received slice at the cheaper of its transfer and its DRAM moves.
     */
    private static double pathThroughPartitionsNs(Instance instance, long[] most) {
        Chip chip = instance.chip();
        double byteNs = 1.0 / chip.dramGBps();
        int layers = instance.network().layers().size();
        double[] edge = new double[instance.flows().size()];
        for (int fi = 0; fi < instance.flows().size(); fi++) {
            Instance.Flow f = instance.flows().get(fi);
            if (f.producerLayer() < 0) {
                continue;
            }
            int dramMoves = f.networkOutput() ? 1 : 2;
            int op = instance.opOfLayer(f.producerLayer());
            if (op < 0) {
                edge[fi] = Math.min(instance.sliceTransferNs(f, -1), dramMoves * f.bytes() * byteNs);
            } else {
                OpInfo info = instance.ops().get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    edge[fi] += Math.min(instance.sliceTransferNs(f, u), dramMoves * instance.sliceBytes(f, u) * byteNs);
                }
            }
        }
        double[] finish = new double[layers];
        double longest = 0;
        for (int l = 0; l < layers; l++) {
            double start = 0;
            for (Instance.Read read : instance.readsOf(l)) {
                start = Math.max(start, finish[read.producerLayer()] + (read.received() ? edge[read.flow()] : 0));
            }
            int op = instance.opOfLayer(l);
            finish[l] = start + (op < 0 ? 0 : steps(instance.ops().get(op).positions(), most[op]) * chip.mvmLatencyNs());
            longest = Math.max(longest, finish[l]);
        }
        return longest;
    }

    /**
     * Least fill an op adds over all the partitions that hold its units: a share of {@code x} of its
     * crossbars in one partition has at most {@code min(R_o, floor(C / x))} copies, so its stage is at
     * least {@code psi(x) = ceil(N_o / min(R_o, floor(C / x))) t_mvm}; the shares cover the op's
     * {@code X_o} crossbars. The least {@code sum psi(x_k)} over {@code sum x_k >= X_o} is a knapsack
     * over crossbar counts (units are indivisible, so this relaxes the real splits). An op larger than
     * the chip must be split, and each share fills the pipeline again; an op that fits gets at least
     * {@code psi(X_o) >= max(ceil(N_o / R_o) t_mvm, c_o / C)}.
     */
    private static double splitFillNs(Chip chip, OpInfo op, long most) {
        long capacity = chip.totalCrossbars();
        int needed = (int) Math.min(op.crossbars(), Integer.MAX_VALUE - 1);
        double t = chip.mvmLatencyNs();
        // For each copy count, the largest share that still has it: the only shares worth using.
        java.util.List<long[]> shares = new java.util.ArrayList<>();
        for (long x = capacity; x >= 1; ) {
            long copies = Math.min(most, capacity / x);
            shares.add(new long[] {x, steps(op.positions(), copies)});
            long next = capacity / (capacity / x + 1);   // largest x' with floor(C / x') > floor(C / x)
            x = Math.min(x - 1, next);
        }
        double[] least = new double[needed + 1];
        for (int covered = 1; covered <= needed; covered++) {
            double best = Double.POSITIVE_INFINITY;
            for (long[] share : shares) {
                int rest = (int) Math.max(0, covered - share[0]);
                best = Math.min(best, least[rest] + share[1] * t);
            }
            least[covered] = best;
        }
        return least[needed];
    }

    /** Weights of the write time's two terms tried by {@link #splitNs}: 0, 1/steps, ..., 1. */
    private static final int THETA_STEPS = 50;

    /**
     * One partition holding every op, {@code r_o} copies each: {@code T = sum_o S_o + (B-1) M} with
     * {@code S_o = ceil(N_o / r_o) t_mvm >= c_o / (r_o X_o)}, {@code M >= S_o}, {@code M >= io},
     * {@code sum_o r_o X_o <= C}, {@code r_o <= R_o}. Relaxed to continuous {@code S_o} in
     * {@code [ceil(N_o/R_o) t_mvm, M]} with {@code sum_o c_o / S_o <= C}: for a fixed {@code M} a
     * convex problem solved by water filling, {@code S_o = clamp(sqrt(lambda c_o))}, with
     * {@code lambda} found by bisection from below (so the sum is never above the relaxation's
     * optimum); over {@code M}, the fill {@code g(M)} does not increase, so on a grid
     * {@code m_0 < m_1 < ...}, {@code min_M g(M) + (B-1) M >= min_i g(m_(i+1)) + (B-1) m_i}.
     */
    private static double sharedChipNs(Instance instance, PartitionProfile whole, double ioNs, double vectorNs, int chains) {
        Chip chip = instance.chip();
        double t = chip.mvmLatencyNs();
        int n = instance.ops().size();
        double[] least = new double[n];
        double[] work = new double[n];
        double capacity = chip.totalCrossbars();
        double floorM = Math.max(ioNs, vectorNs);
        double totalWork = 0;
        for (OpInfo op : instance.ops()) {
            long most = Math.min(op.positions(), Math.max(1, chip.totalCrossbars() / op.crossbars()));
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                most = Math.min(most, copiesThatFit(chip, instance.units().get(u).crossbars()));
            }
            least[op.index()] = steps(op.positions(), Math.max(1, most)) * t;
            work[op.index()] = t * op.positions() * op.crossbars();
            floorM = Math.max(floorM, least[op.index()]);
            totalWork += work[op.index()];
        }
        floorM = Math.max(floorM, totalWork / capacity);
        // The fill is the critical path, at least the stages' sum over the chains of a cover, and
        // at least the path itself with every stage at its least and the one partition's transfers
        // on its edges (the whole network's profile is that partition's).
        double path = StageGraph.criticalPath(whole, least);
        double free = Math.max(path, fillAt(least, work, capacity, Double.POSITIVE_INFINITY) / chains);
        int batch = instance.batch();
        if (batch == 1) {
            return free;
        }
        // Beyond the largest stage of the unbounded relaxation a larger M changes nothing.
        double top = Math.max(floorM, largestStage(least, work, capacity)) * (1 + 1e-9);
        int steps = 2000;
        double ratio = Math.pow(top / floorM, 1.0 / steps);
        double best = Math.max(path, fillAt(least, work, capacity, top) / chains) + (batch - 1) * top;
        double m = floorM;
        for (int i = 0; i < steps; i++) {
            double next = i == steps - 1 ? top : m * ratio;
            best = Math.min(best, Math.max(path, fillAt(least, work, capacity, next) / chains) + (batch - 1) * m);
            m = next;
        }
        return best;
    }

    /** A lower bound on {@code min sum S_o} with {@code least_o <= S_o <= cap}, {@code sum work_o / S_o <= capacity}. */
    private static double fillAt(double[] least, double[] work, double capacity, double cap) {
        double atLeast = 0;
        double use = 0;
        for (int o = 0; o < least.length; o++) {
            atLeast += least[o];
            use += work[o] / least[o];
        }
        if (use <= capacity) {
            return atLeast;   // every op at its fastest fits
        }
        // Stages grow with lambda, crossbar use falls; keep lambda on the side that uses too many.
        double low = lambda(least, work, cap, capacity)[0];
        double sum = 0;
        for (int o = 0; o < least.length; o++) {
            sum += stage(least[o], work[o], cap, low);
        }
        return sum;
    }

    private static double largestStage(double[] least, double[] work, double capacity) {
        double infinity = Double.POSITIVE_INFINITY;
        double high = lambda(least, work, infinity, capacity)[1];
        double largest = 0;
        for (int o = 0; o < least.length; o++) {
            largest = Math.max(largest, stage(least[o], work[o], infinity, high));
        }
        return largest;
    }

    /** {@code {low, high}} around the water level at which the crossbars in use meet {@code capacity}. */
    private static double[] lambda(double[] least, double[] work, double cap, double capacity) {
        double low = 0;
        double high = 1;
        while (use(least, work, cap, high) > capacity && high < 1e300) {
            high *= 4;
        }
        for (int i = 0; i < 200; i++) {
            double mid = (low + high) / 2;
            if (use(least, work, cap, mid) > capacity) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return new double[] {low, high};
    }

    private static double use(double[] least, double[] work, double cap, double lambda) {
        double sum = 0;
        for (int o = 0; o < least.length; o++) {
            sum += work[o] / stage(least[o], work[o], cap, lambda);
        }
        return sum;
    }

    private static double stage(double least, double work, double cap, double lambda) {
        return Math.min(cap, Math.max(least, Math.sqrt(lambda * work)));
    }

    /**
     * Most copies of a unit of {@code crossbars} crossbars the chip's cores hold: each copy takes
     * {@code a = floor(X / c)} whole cores and a piece of {@code b = X mod c}, of which a core holds
     * {@code floor(c / b)}.
     */
    static long copiesThatFit(Chip chip, int crossbars) {
        int c = chip.crossbarsPerCore();
        long whole = crossbars / c;
        int piece = crossbars % c;
        long cores = chip.cores();
        if (piece == 0) {
            return cores / Math.max(1, whole);
        }
        long perCore = c / piece;
        long low = 0;
        long high = chip.totalCrossbars() / crossbars + 1;
        // Largest r with r * whole + ceil(r / perCore) <= cores.
        while (low < high) {
            long mid = (low + high + 1) / 2;
            if (mid * whole + (mid + perCore - 1) / perCore <= cores) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return Math.max(1, low);
    }

    private static long steps(long positions, long copies) {
        return (positions + copies - 1) / copies;
    }

    /** Every unit in one partition with one copy: the plan-independent totals of the network. */
    private static PartitionProfile wholeNetwork(Instance instance) {
        int[] partitionOf = new int[instance.units().size()];
        int[][] replicas = new int[1][instance.ops().size()];
        Arrays.fill(replicas[0], 1);
        return instance.profiles(partitionOf, 1, replicas).get(0);
    }
}
