package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CorePacking;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.StageGraph;
import org.pimopt.cost.Unit;
import org.pimopt.problem.Instance;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.IntervalScorer;
import org.pimopt.solve.IntervalScorer.Block;
import org.pimopt.solve.IntervalScorer.Scored;

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
 *       take (knapsacks over the crossbars left: {@link Search#floors} and {@link Search#knapsack})
 *       prices no better than the best leaf so far: by (1) no completion can be better. A leaf is
 *       kept if the {@link CorePacking#fits} test of the {@link org.pimopt.plan.Validator} accepts
 *       its copies.
 *   <li>The search ends at once when an answer meets the block's cheap floor ({@link StepFloor},
 *       below every choice): none can be better. It starts from knapsack answers that pack
 *       ({@link Search#seed}), which often do.
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

    private final IntervalScorer scorer;
    private final Instance instance;
    private final Goal goal;
    private final boolean pareto;
    /** The figures of the Pareto fronts when {@link #pareto}. */
    private final java.util.Set<Objective> figures;

    private final long nodeLimit;
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
        this.figures = goal.primary() == Objective.EDP ? ParetoFront.EDP
                : java.util.Collections.unmodifiableSet(front.isEmpty() ? java.util.EnumSet.noneOf(Objective.class)
                : java.util.EnumSet.copyOf(front));
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

    /** One op of the span: its units here, what one copy of them takes, and its useful counts. */
    private record OpCopies(int op, List<Unit> units, long crossbars, long rows, long cells, long halfCores, int[] counts) {}

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
        Search s = new Search(block, base, new ArrayList<>(byOp.values()), deadlineNanos, known);
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

    /** Depth-first branch and bound over the ops of one span. */
    private final class Search {
        private final Block block;
        private final PartitionProfile base;
        /** Chains of a cover of the block's dataflow: the fill is at least the stages' sum over them. */
        private final int chains;
        /** The position in the base profile's stages of each op of the search. */
        private final int[] stageOf;
        private final List<OpCopies> ops;
        private final int[] copies;
        private final long deadline;
        private final long capacity = instance.chip().totalCrossbars();
        /**
         * {@code floors[i][c]}, filled on demand: lower points of what the copies of ops i and later
         * can take within {@code c} crossbars ({@link #floors}); empty when one copy of each does not fit.
         */
        private final List<Floor>[][] floors;
        /** Exact bounds for ops i and later within c crossbars ({@link #knapsack}): steps summed, the slowest. */
        private final double[][] fewestSteps;
        private final double[][] slowestSteps;
        /**
         * With weights programmed, the least of fill time plus row-writing time of ops i and later
         * within c crossbars: copies that shorten the fill lengthen the writes, and this couples the two.
         */
        private final double[][] fillAndRowsNs;
        /**
         * The ops on the heaviest chain of the block's dataflow
         * ({@link StageGraph#heaviestChains}, weighted as {@link StepFloor} does), and {@code
         * heavySteps[i][c]}: the least steps summed over that chain's ops among i and later within
         * {@code c} crossbars (the others at one copy). The chain lies on a path, so with the
         * assigned ops' stages on it this bounds the critical path of every completion; null for a
         * chain of ops, where the sum over all ops does the same.
         */
        private final java.util.BitSet heavyOps;
        private final double[][] heavySteps;
        private final double rowNs = CostModel.rowWriteNs(instance.chip(), 1);
        /** Per op, its useful counts in runs {least, most} ({@link #runs(int[], int)}). */
        private final List<int[][]> runs = new ArrayList<>();
        // Dimensions the price reads; the others stay at one copy, which is below any choice.
        private final boolean trackSlowest = instance.batch() > 1;
        private final boolean trackRows;
        private final boolean trackCells = goal.objectives().stream()
                .anyMatch(o -> o == Objective.ENERGY || o == Objective.EDP || o == Objective.WRITES)
                || figures.contains(Objective.ENERGY) || figures.contains(Objective.WRITES);
        final List<Scored> found = new ArrayList<>();
        boolean complete = true;
        /** A floor of every choice known beforehand ({@link StepFloor}). */
        private final BatchMetrics known;
        /** Whether an answer found meets {@link #known}: none can beat it, and the search is over. */
        boolean settled;
        /** Floors of the subtrees left unexplored when the node limit or the deadline stopped the search. */
        final List<BatchMetrics> open = new ArrayList<>();
        private long nodes;
        /**
         * Started past its deadline: no search, and one floor from the knapsacks and one copy of
         * each op instead of the {@link #floors} points, which take longer to build than a late step has.
         */
        private final boolean late;

        Search(Block block, PartitionProfile base, List<OpCopies> ops, long deadline, BatchMetrics known) {
            this.known = known;
            this.block = block;
            this.base = base;
            this.chains = StageGraph.chains(base.stages());
            Map<Integer, Integer> stageOfOp = new TreeMap<>();
            for (int k = 0; k < base.stages().size(); k++) {
                stageOfOp.put(base.stages().get(k).op(), k);
            }
            this.deadline = deadline;
            // Ops with the most steps first: their copies move the price most.
            List<OpCopies> sorted = new ArrayList<>(ops);
            sorted.sort(Comparator.comparingLong((OpCopies o) -> -instance.ops().get(o.op()).positions()));
            this.ops = sorted;
            this.stageOf = sorted.stream().mapToInt(o -> stageOfOp.get(o.op())).toArray();
            this.copies = new int[sorted.size()];
            @SuppressWarnings("unchecked")
            List<Floor>[][] table = new List[sorted.size() + 1][(int) capacity + 1];
            this.trackRows = block.programmed();
            for (OpCopies o : sorted) {
                runs.add(runs(o.counts(), maxGroups(capacity)));
            }
            this.floors = table;
            this.late = System.nanoTime() > deadline;
            this.fewestSteps = knapsack(false, this::steps);
            this.slowestSteps = trackSlowest ? knapsack(true, this::steps) : null;
            this.fillAndRowsNs = trackRows ? knapsack(false, this::stageAndRowsNs) : null;
            this.heavyOps = new java.util.BitSet();
            if (chains > 1) {
                Map<Integer, Long> crossbarsOfOp = new TreeMap<>();
                sorted.forEach(o -> crossbarsOfOp.put(o.op(), o.crossbars()));
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
         * for capacity alone, so bounds beside the {@link #floors} points, whose runs and merges
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

        private long steps(OpCopies o, int r) {
            return new PartitionProfile.Stage(o.op(), instance.ops().get(o.op()).positions(), r).stepsPerReplica();
        }

        void run() {
            seed();
            descend(0);
        }

        /**
         * Copies to start from, as good incumbents prune the search: the copies of least fill (plus
         * row-writing time, weights programmed) within the crossbars, by a knapsack ({@link
         * #leastCost}). With more than one sample the slowest stage weighs too, so the knapsack is
         * taken with every stage held to at most {@code s} steps, for {@code s} on a geometric grid
         * from the least slowest stage that fits to the slowest stage of the unbounded answer, then
         * between the best priced {@code s} and its neighbours. Those that pack are offered.
         */
        private void seed() {
            if (late || settled) {
                return;
            }
            int[] unbounded = leastCost(Long.MAX_VALUE);
            if (unbounded == null) {
                return;
            }
            double value = offerIfPacks(unbounded);
            if (!trackSlowest) {
                return;
            }
            long least = (long) slowestSteps[0][(int) capacity];
            long most = 1;
            for (int j = 0; j < ops.size(); j++) {
                most = Math.max(most, steps(ops.get(j), unbounded[j]));
            }
            TreeMap<Long, Double> tried = new TreeMap<>();
            tried.put(most, value);
            int grid = 8;
            for (int k = 0; k < grid && least < most; k++) {
                tried.computeIfAbsent(Math.round(least * Math.pow((double) most / least, (double) k / grid)), this::seedAt);
            }
            for (int refine = 0; refine < 8 && !settled && System.nanoTime() < deadline; refine++) {
                long best = java.util.Collections.min(tried.entrySet(), Map.Entry.comparingByValue()).getKey();
                Long below = tried.lowerKey(best);
                Long above = tried.higherKey(best);
                boolean tightened = false;
                for (Long other : new Long[] {below, above}) {
                    long mid = other == null ? best : (best + other) / 2;
                    if (!tried.containsKey(mid)) {
                        tried.put(mid, seedAt(mid));
                        tightened = true;
                    }
                }
                if (!tightened) {
                    break;
                }
            }
        }

        /** The knapsack's copies with every stage at most {@code slowest} steps, offered if they pack; their value. */
        private double seedAt(long slowest) {
            if (settled || System.nanoTime() > deadline) {
                return Double.POSITIVE_INFINITY;
            }
            int[] least = leastCost(slowest);
            return least == null ? Double.POSITIVE_INFINITY : offerIfPacks(least);
        }

        /** An op's stage time with {@code r} copies, plus their row-writing time when the weights are programmed. */
        private double stageAndRowsNs(OpCopies o, int r) {
            return steps(o, r) * instance.chip().mvmLatencyNs() + (trackRows ? (double) o.rows() * r * rowNs : 0);
        }

        /**
         * Per op, the useful count of least total {@link #stageAndRowsNs} within the crossbars,
         * every op's stage at most {@code slowest} steps; null when none fits.
         */
        private int[] leastCost(long slowest) {
            int n = ops.size();
            int cap = (int) capacity;
            double[] next = new double[cap + 1];
            int[][] pick = new int[n][cap + 1];
            double[][] table = new double[n + 1][];
            table[n] = next;
            for (int i = n - 1; i >= 0; i--) {
                OpCopies o = ops.get(i);
                double[] here = new double[cap + 1];
                java.util.Arrays.fill(here, Double.POSITIVE_INFINITY);
                for (int r : o.counts()) {
                    long used = o.crossbars() * r;
                    if (used > cap) {
                        break;
                    }
                    if (steps(o, r) > slowest) {
                        continue;
                    }
                    double mine = stageAndRowsNs(o, r);
                    for (int c = (int) used; c <= cap; c++) {
                        double v = mine + next[c - (int) used];
                        if (v < here[c]) {
                            here[c] = v;
                            pick[i][c] = r;
                        }
                    }
                }
                table[i] = here;
                next = here;
            }
            if (Double.isInfinite(table[0][cap])) {
                return null;
            }
            int[] out = new int[n];
            int c = cap;
            for (int i = 0; i < n; i++) {
                out[i] = pick[i][c];
                c -= (int) (ops.get(i).crossbars() * out[i]);
            }
            return out;
        }

        /** Offers these copies per op if they pack; the goal's value of their price, infinite if not. */
        private double offerIfPacks(int[] counts) {
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
            if (complete && (late || ++nodes > nodeLimit || (nodes % 64 == 0 && System.nanoTime() > deadline))) {
                complete = false;
            }
            // Copies so far leave no room for one copy of each op still free, or cannot beat the answer.
            long left = capacity - assignedCrossbars(i);
            if (left < 0) {
                return;
            }
            List<BatchMetrics> relaxed = new ArrayList<>();
            if (cannotImprove(relaxed(i, left), relaxed)) {
                return;
            }
            if (!complete) {
                // Out of nodes: what this subtree could still reach is only bounded, not searched.
                open.addAll(relaxed(i, left).stream().map(java.util.function.Supplier::get).toList());
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

        /** Crossbars of the copies of ops before i. */
        private long assignedCrossbars(int i) {
            long total = 0;
            for (int j = 0; j < i; j++) {
                total += ops.get(j).crossbars() * copies[j];
            }
            return total;
        }

        /**
         * Prices no completion of ops before i beats: one per lower point of the free ops' copies
         * within the {@code left} crossbars ({@link #floors}), the ops before i at their copies.
         * Priced by the cost model, which is monotone in the fill, the slowest stage, rows and cells.
         */
        private List<java.util.function.Supplier<BatchMetrics>> relaxed(int i, long left) {
            Assigned assigned = assigned(i);
            List<java.util.function.Supplier<BatchMetrics>> out = new ArrayList<>();
            long halvesLeft = 2L * instance.chip().cores();
            for (int j = 0; j < i; j++) {
                halvesLeft -= ops.get(j).halfCores() * copies[j];
            }
            long leastFill = (long) fewestSteps[i][(int) left];
            long leastSlowest = trackSlowest ? (long) slowestSteps[i][(int) left] : 0;
            double t = instance.chip().mvmLatencyNs();
            for (Floor f : late ? List.of(oneCopy(i)) : floors(i, left)) {
                if (f.halfCores() > halvesLeft) {
                    continue;   // these choices cannot pack beside the assigned copies
                }
                // Every choice above f also takes at least the knapsacks' steps, and (weights programmed)
                // at least fillAndRowsNs in fill and writing: the price of such choices is lowest at the
                // most rows that allows, as latency grows with fill one for one and with rows at most so.
                long freeFill = Math.max(f.fillSteps(), leastFill);
                long freeRows = f.rows();
                if (trackRows) {
                    freeRows = Math.max(freeRows, rowsMakingUp(fillAndRowsNs[i][(int) left], freeFill * t, rowNs));
                }
                if (chains > 1) {
                    // The fill is a critical path, at least the sum over the chains of a cover: fill and
                    // the rows made up from fill plus writing count divided by their number (StepFloor).
                    freeRows = Math.max(f.rows(), (long) Math.floor((assigned.rows() + freeRows) / (double) chains) - assigned.rows());
                }
                Floor g = new Floor(freeFill, Math.max(f.slowestSteps(), leastSlowest), freeRows, f.cells(), f.halfCores());
                out.add(() -> price(g, assigned));
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
                    double ns = stageNs(o, copies[j]);
                    fill += ns;
                    slowest = Math.max(slowest, ns);
                }
            }
            long left = capacity - assignedCrossbars(i);
            double path = pathFloor(i, left);
            if (heavySteps != null && left >= 0 && Double.isFinite(heavySteps[i][(int) left])) {
                double heavy = heavySteps[i][(int) left] * instance.chip().mvmLatencyNs();
                for (int j = 0; j < i; j++) {
                    heavy += heavyOps.get(ops.get(j).op()) ? stageNs(ops.get(j), copies[j]) : 0;
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
            if (chains == 1) {
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
                ns[stageOf[j]] = stageNs(o, r);
            }
            return StageGraph.criticalPath(base.stages(), ns);
        }

        /** One lower point priced with what the rest of the span takes. */
        private BatchMetrics price(Floor f, Assigned a) {
            double t = instance.chip().mvmLatencyNs();
            PartitionProfile p = new PartitionProfile(base.stages(), base.dramBytesPerSample(), base.dramBytesPerBatch(),
                    a.crossbars(), a.rows() + f.rows(), a.cells() + f.cells(), base.weightBytes(),
                    base.crossbarMvmsPerSample(), base.vectorOpsPerSample(), base.nocByteHopsPerSample(),
                    base.nocBytesPerSample(), base.nocTransfersPerSample(), base.crossbarRowsMax());
            return CostModel.asPlan(instance.chip(), instance.batch(), p, block.programmed(),
                    new CostModel.StageTimes(Math.max((a.fillNs() + f.fillSteps() * t) / chains, a.pathNs()),
                            Math.max(a.slowestNs(), f.slowestSteps() * t)));
        }

        /** One copy of each of ops i and later: a lower point of any choice of their copies. */
        private Floor oneCopy(int i) {
            long rows = 0;
            long cells = 0;
            for (int j = i; j < ops.size(); j++) {
                rows += ops.get(j).rows();
                cells += ops.get(j).cells();
            }
            return new Floor(0, 0, rows, cells, 0);
        }

        /**
         * Lower points of the copies of ops i and later within {@code c} crossbars: every choice of
         * their useful counts that fits takes, in each of fill steps, slowest steps, rows and cells,
         * at least as much as one of the points. Built from the next op's points; dominated points
         * are dropped and, beyond {@link #MAX_FLOORS}, neighbours merged into their componentwise
         * minimum (still below everything they stood for). The slowest stage is tracked only when
         * the batch has more than one sample (else the cost model never reads it).
         */
        private List<Floor> floors(int i, long c) {
            if (i == ops.size()) {
                return List.of(new Floor(0, 0, 0, 0, 0));
            }
            int cell = (int) c;
            List<Floor> memo = floors[i][cell];
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
            List<Floor> points = new ArrayList<>();
            for (int[] run : runs.get(i)) {
                int least = run[0];
                int most = run[1];
                long used = o.crossbars() * least;
                if (used > c) {
                    break;
                }
                long steps = steps(o, most);
                for (Floor rest : floors(i + 1, c - used)) {
                    long halves = o.halfCores() * least + rest.halfCores();
                    if (halves <= 2L * instance.chip().cores()) {
                        points.add(new Floor(steps + rest.fillSteps(), trackSlowest ? Math.max(steps, rest.slowestSteps()) : 0,
                                o.rows() * (trackRows ? least : 1) + rest.rows(),
                                o.cells() * (trackCells ? least : 1) + rest.cells(), halves));
                    }
                }
            }
            List<Floor> kept = Floor.lowerFront(points, MAX_FLOORS);
            floors[i][cell] = kept;
            return kept;
        }

        /** Whether no floor can improve the answer; prices them lazily, stopping at the first that can. */
        private boolean cannotImprove(List<java.util.function.Supplier<BatchMetrics>> floors, List<BatchMetrics> priced) {
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
        private final Map<Map<Integer, Long>, Boolean> packed = new java.util.HashMap<>();

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
    }

    /**
     * What a search node's profile holds besides its free ops' copies: crossbars, rows and cells
     * (the free ops' own copy taken out), the assigned ops' fill and slowest stage.
     */
    /**
     * What the assigned ops take beside the free ones; {@code pathNs}: the critical path of the
     * block's dataflow with the assigned ops at their stages and the free ones at their shortest.
     */
    private record Assigned(long crossbars, long rows, long cells, double fillNs, double slowestNs, double pathNs) {}

    /** Most lower points kept per (op, crossbars) state of a span's search. */
    static final int MAX_FLOORS = 8;

    /**
     * Most runs of an op's useful counts {@link Search#floors} tells apart: 48 up to 256 crossbars,
     * fewer on larger chips (at least 24), whose floors have more crossbar states to fill. Measured
     * (`dp-lattice`, two runs side by side on the 2-core machine): with 24 runs on compass-s, resnet18
     * at batch 16 ends 0.3% from proven, with 48 it is proven; on compass-l, 48 runs take resnet18
     * and squeezenet1_1 past 60 s, 24 about 41-45 s.
     */
    static int maxGroups(long crossbars) {
        return (int) Math.max(24, Math.min(48, 48 * 256 / Math.max(1, crossbars)));
    }

    /**
     * A lower point of what some ops' copies take: fill and slowest stage in MVM steps, rows, cells,
     * and the half-cores their pieces claim ({@link #halfCores(List)}).
     */
    record Floor(long fillSteps, long slowestSteps, long rows, long cells, long halfCores) {
        boolean below(Floor o) {
            return fillSteps <= o.fillSteps && slowestSteps <= o.slowestSteps && rows <= o.rows && cells <= o.cells
                    && halfCores <= o.halfCores;
        }

        /** Fill, then rows, slowest and cells: the order {@link #lowerFront} merges neighbours in. */
        int compareTo(Floor o) {
            int c = Long.compare(fillSteps, o.fillSteps);
            if (c == 0) {
                c = Long.compare(rows, o.rows);
            }
            if (c == 0) {
                c = Long.compare(slowestSteps, o.slowestSteps);
            }
            return c != 0 ? c : Long.compare(cells, o.cells);
        }

        Floor min(Floor o) {
            return new Floor(Math.min(fillSteps, o.fillSteps), Math.min(slowestSteps, o.slowestSteps),
                    Math.min(rows, o.rows), Math.min(cells, o.cells), Math.min(halfCores, o.halfCores));
        }

        /** The points not above another, at most {@code most} of them (neighbours in fill order merged). */
        static List<Floor> lowerFront(List<Floor> points, int most) {
            List<Floor> sorted = new ArrayList<>(points);
            sorted.sort(Floor::compareTo);
            List<Floor> front = new ArrayList<>();
            for (Floor p : sorted) {
                boolean covered = false;
                for (Floor q : front) {
                    if (q.below(p)) {
                        covered = true;
                        break;
                    }
                }
                if (!covered) {
                    front.add(p);
                }
            }
            while (front.size() > most) {
                List<Floor> merged = new ArrayList<>();
                for (int k = 0; k < front.size(); k += 2) {
                    merged.add(k + 1 < front.size() ? front.get(k).min(front.get(k + 1)) : front.get(k));
                }
                front = merged;
            }
            return List.copyOf(front);
        }
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

    /** Stage time of an op of the span with {@code r} copies. */
    private double stageNs(OpCopies o, int r) {
        return CostModel.stageNs(instance.chip(), new PartitionProfile.Stage(o.op(), instance.ops().get(o.op()).positions(), r));
    }

    /**
     * Rows no choice with this fill lies below when fill plus row-writing time is at least
     * {@code fillAndRowsNs}: the corner a floor is priced at (the least fill, and the rows that
     * make up the rest), rounded down to stay below.
     */
    static long rowsMakingUp(double fillAndRowsNs, double fillNs, double rowNs) {
        return (long) Math.floor((fillAndRowsNs - fillNs) / rowNs * (1 - 1e-9));
    }

    /** Whether {@code x} is no worse than {@code y} in every figure of the fronts (EDP: latency and energy). */
    private boolean dominates(BatchMetrics x, BatchMetrics y) {
        return ParetoFront.dominates(x, y, figures);
    }
}
