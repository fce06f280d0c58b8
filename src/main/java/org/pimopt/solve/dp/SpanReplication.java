package org.pimopt.solve.dp;

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
import org.pimopt.cost.Unit;
import org.pimopt.problem.Instance;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.IntervalScorer;
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
 *   <li>A partial assignment (ops taken in a fixed order) is cut off when even the free ops at their
 *       largest count for stage time, and at one copy for crossbars, rows and cells, price no
 *       better than the best leaf so far (by (1) no completion can be better), or when its crossbars
 *       with one copy of every free op exceed the chip. A leaf is kept if the {@link CorePacking#fits}
 *       test of the {@link org.pimopt.plan.Validator} accepts its copies.
 * </ol>
 *
 * For a goal whose objectives add up over spans (latency, energy, writes, DRAM and lexicographic
 * lists: lexicographic order is preserved by adding the same pair to both sides) the best single
 * assignment is what a shortest path needs. For EDP the span keeps the Pareto front of
 * (latency, energy) instead, cut off by weak dominance of the same relaxed price; EDP grows with
 * both, so a path through a dominated point is never better. The search stops after
 * {@link #NODE_LIMIT} nodes per span; then the span's answer is the best found, and not proven.
 */
final class SpanReplication {
    /** Most search nodes per span before the answer is the best found so far. */
    static final long NODE_LIMIT = 20_000;

    /** The span's choices: one best (or the Pareto front for EDP), and whether the search completed. */
    record Choices(List<Scored> options, boolean proven) {}

    private final IntervalScorer scorer;
    private final Instance instance;
    private final Goal goal;
    private final boolean pareto;

    SpanReplication(IntervalScorer scorer) {
        this.scorer = scorer;
        this.instance = scorer.instance();
        this.goal = instance.goal();
        this.pareto = goal.primary() == Objective.EDP;
    }

    /** Whether one copy of every unit of {@code [a, b)} passes the Validator's capacity and packing test. */
    boolean fits(int a, int b) {
        List<Unit> units = new ArrayList<>();
        long crossbars = 0;
        for (int u = a; u < b; u++) {
            units.add(instance.units().get(u).unit());
            crossbars += instance.units().get(u).crossbars();
        }
        return crossbars <= instance.chip().totalCrossbars() && CorePacking.fits(units, instance.chip());
    }

    /** One op of the span: its units here, what one copy of them takes, and its useful counts. */
    private record OpCopies(int op, List<Unit> units, long crossbars, long rows, long cells, int[] counts) {}

    Choices choose(int a, int b, long deadlineNanos) {
        PartitionProfile base = scorer.profile(a, b, Map.of());
        Map<Integer, OpCopies> byOp = new TreeMap<>();
        Map<Integer, List<Unit>> unitsOf = new TreeMap<>();
        for (int u = a; u < b; u++) {
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
            byOp.put(e.getKey(), new OpCopies(e.getKey(), e.getValue(), xb, rows, cells,
                    instance.ops().get(e.getKey()).usefulCopies(Math.max(1, capacity / Math.max(1, xb)))));
        }
        Search s = new Search(a, b, base, new ArrayList<>(byOp.values()), deadlineNanos);
        // The best of the replication rules is a first incumbent (and never lost).
        s.offer(scorer.score(a, b));
        s.run();
        List<Scored> options = new ArrayList<>(s.found);
        options.sort((x, y) -> goal.comparator().compare(x.metrics(), y.metrics()));
        return new Choices(options, s.complete);
    }

    /** Depth-first branch and bound over the ops of one span. */
    private final class Search {
        private final int a;
        private final int b;
        private final PartitionProfile base;
        private final List<OpCopies> ops;
        private final int[] copies;
        private final long deadline;
        private final long capacity = instance.chip().totalCrossbars();
        final List<Scored> found = new ArrayList<>();
        boolean complete = true;
        private long nodes;

        Search(int a, int b, PartitionProfile base, List<OpCopies> ops, long deadline) {
            this.a = a;
            this.b = b;
            this.base = base;
            this.deadline = deadline;
            // Ops with the most steps first: their copies move the price most.
            List<OpCopies> sorted = new ArrayList<>(ops);
            sorted.sort(Comparator.comparingLong((OpCopies o) -> -instance.ops().get(o.op()).positions()));
            this.ops = sorted;
            this.copies = new int[sorted.size()];
        }

        void run() {
            descend(0);
        }

        private void descend(int i) {
            if (!complete) {
                return;
            }
            if (++nodes > NODE_LIMIT || (nodes % 1024 == 0 && System.nanoTime() > deadline)) {
                complete = false;
                return;
            }
            if (crossbars(i) > capacity || worthless(relaxed(i))) {
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
                    offer(scorer.priced(a, b, rep));
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

        /** Crossbars with ops before i at their copies and the rest at one copy. */
        private long crossbars(int i) {
            long total = 0;
            for (int j = 0; j < ops.size(); j++) {
                total += ops.get(j).crossbars() * (j < i ? copies[j] : 1);
            }
            return total;
        }

        /**
         * A price no completion of ops before i beats: the free ops at their most useful copies
         * for stage time, at one copy for crossbars, rows and cells (a profile no plan has, priced
         * by the cost model, which is monotone in each).
         */
        private BatchMetrics relaxed(int i) {
            Map<Integer, Integer> stageCopies = new TreeMap<>();
            long xb = 0;
            long rows = 0;
            long cells = 0;
            for (int j = 0; j < ops.size(); j++) {
                OpCopies o = ops.get(j);
                int r = j < i ? copies[j] : 1;
                stageCopies.put(o.op(), j < i ? copies[j] : o.counts()[o.counts().length - 1]);
                xb += o.crossbars() * r;
                rows += o.rows() * r;
                cells += o.cells() * r;
            }
            // base holds one copy of every op: add what the extra copies take.
            long xb1 = 0;
            long rows1 = 0;
            long cells1 = 0;
            for (OpCopies o : ops) {
                xb1 += o.crossbars();
                rows1 += o.rows();
                cells1 += o.cells();
            }
            List<PartitionProfile.Stage> stages = new ArrayList<>();
            for (PartitionProfile.Stage st : base.stages()) {
                stages.add(new PartitionProfile.Stage(st.op(), st.mvmStepsPerSample(), stageCopies.getOrDefault(st.op(), 1)));
            }
            PartitionProfile p = new PartitionProfile(stages, base.dramBytesPerSample(), base.dramBytesPerBatch(),
                    base.crossbarsUsed() + xb - xb1, base.rowsProgrammed() + rows - rows1,
                    base.cellsWritten() + cells - cells1, base.weightBytes(), base.crossbarMvmsPerSample(),
                    base.vectorOpsPerSample(), base.nocByteHopsPerSample());
            return CostModel.single(instance.chip(), instance.batch(), p, scorer.programmed(a, b));
        }

        /** Whether nothing at or above this price can improve the answer. */
        private boolean worthless(BatchMetrics floor) {
            for (Scored s : found) {
                if (pareto ? dominates(s.metrics(), floor) : goal.comparator().compare(floor, s.metrics()) >= 0) {
                    return true;
                }
            }
            return false;
        }

        private boolean packs() {
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

    /** Whether {@code x} is no worse than {@code y} in both latency and energy. */
    private static boolean dominates(BatchMetrics x, BatchMetrics y) {
        return Goal.compare(x.latencyNs(), y.latencyNs()) <= 0 && Goal.compare(x.energy().totalPj(), y.energy().totalPj()) <= 0;
    }
}
