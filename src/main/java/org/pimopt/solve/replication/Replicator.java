package org.pimopt.solve.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.CorePacking.PieceCounts;
import org.pimopt.cost.Unit;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Linear;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/** Chooses how many copies of each op a partition holds, by a {@link ReplicationRule}. */
public final class Replicator {
    private final Instance instance;
    private final Chip chip;

    public Replicator(Instance instance) {
        this.instance = instance;
        this.chip = instance.chip();
    }

    /** The units of each op present in a set of units, as pieces for the packer: op -> pieces. */
    private Map<Integer, PieceCounts> byOp(List<Integer> units) {
        Map<Integer, List<Unit>> lists = new TreeMap<>();
        for (int u : units) {
            UnitRef ref = instance.units().get(u);
            lists.computeIfAbsent(ref.op(), k -> new ArrayList<>()).add(ref.unit());
        }
        Map<Integer, PieceCounts> out = new TreeMap<>();
        lists.forEach((op, list) -> out.put(op, PieceCounts.of(list, chip.crossbarsPerCore())));
        return out;
    }

    /**
     * Whether these ops, each with its copies, fit the chip (crossbars, and cores by best-fit
     * decreasing: a sufficient test, cheap enough to call for every candidate copy).
     */
    private boolean fits(Map<Integer, PieceCounts> ops, Map<Integer, Integer> replicas) {
        Ops view = new Ops(ops);
        return view.fit(view.copiesOf(replicas));
    }

    /** Whether one copy of these units fits. */
    public boolean fits(List<Integer> units) {
        return fits(byOp(units), Map.of());
    }

    /** Copies per op (ops absent have one) for the units of one partition. */
    public Map<Integer, Integer> replicate(List<Integer> units, ReplicationRule rule) {
        Map<Integer, PieceCounts> ops = byOp(units);
        Map<Integer, Integer> r = new TreeMap<>();
        switch (rule) {
            case NONE -> { }
            case PIMCOMP_BALANCE -> pimcomp(ops, r);
            case BALANCE_FILL -> balance(ops, r);
            case CLSA_DUPLICATE -> duplicateSlowest(ops, r);
            case BOTTLENECK -> bottleneck(ops, r);
        }
        r.values().removeIf(v -> v == 1);
        return r;
    }

    private long positions(int op) {
        return instance.ops().get(op).positions();
    }

    /**
     * A rule's order of picks: the op with the highest key gets the next copy (the lowest op among
     * equal keys, as a scan in op order finds it). A key depends only on the op's own copies, so
     * after a pick only that op's key changes and the picks come off a heap.
     */
    private interface Priority {
        /** The op's claim to a next copy when it holds {@code copies}; NaN when it may have none. */
        double key(int op, int copies);

        /** Whether the rule stops when the op it would pick holds {@code copies} (default: never). */
        default boolean stopsAt(int op, int copies) {
            return false;
        }
    }

    /**
     * PIMCOMP-NN's own copies ({@link PimcompBalance}), counted over the ops of this partition.
     * Two guards PIMCOMP does not have keep the plan valid: an op never holds more copies than
     * its output positions (PIMCOMP would charge the useless copy and place it; here it is
     * charged but not placed, so the other ops' counts stay PIMCOMP's), and the copies are cut
     * at the longest prefix of PIMCOMP's order that packs into cores (PIMCOMP does not look at
     * cores, and overflows the chip when first copies alone take more than half of it).
     */
    private void pimcomp(Map<Integer, PieceCounts> ops, Map<Integer, Integer> r) {
        List<PimcompBalance.Layer> layers = new ArrayList<>();
        for (var e : ops.entrySet()) {
            OpInfo info = instance.ops().get(e.getKey());
            layers.add(new PimcompBalance.Layer(e.getKey(), e.getValue().crossbars(), info.positions(),
                    info.layer().op() instanceof Linear));
        }
        // PIMCOMP pushes layers in the order of its node list, which is the network's layer order.
        layers.sort(java.util.Comparator.comparingInt(l -> instance.ops().get(l.id()).layer().index()));
        List<Integer> picks = PimcompBalance.extraCopies(layers, chip.totalCrossbars());
        int good = 0;
        int bad = picks.size() + 1;
        if (fits(ops, cappedCopies(picks, picks.size()))) {
            good = picks.size();
        } else {
            bad = picks.size();
        }
        while (bad - good > 1) {
            int mid = (good + bad) / 2;
            if (fits(ops, cappedCopies(picks, mid))) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        r.putAll(cappedCopies(picks, good));
    }

    /** Copies after the first {@code length} picks, each op capped at its output positions. */
    private Map<Integer, Integer> cappedCopies(List<Integer> picks, int length) {
        Map<Integer, Integer> out = new TreeMap<>();
        for (int i = 0; i < length; i++) {
            out.merge(picks.get(i), 1, Integer::sum);
        }
        for (var e : out.entrySet()) {
            e.setValue((int) Math.min(e.getValue() + 1, positions(e.getKey())));
        }
        return out;
    }

    /** pimopt's fill: the op with the most output positions per copy, while any copy fits. */
    private void balance(Map<Integer, PieceCounts> ops, Map<Integer, Integer> r) {
        Ops view = new Ops(ops);
        grow(view, r, false, (op, copies) -> copies < view.positions[op] ? (double) view.positions[op] / copies : Double.NaN);
    }

    /**
     * {@code clsa-greedy}: the slowest op (most steps, the earlier among equals), until its next copy
     * no longer fits. It stops there even when a smaller op's copy would fit: such a copy would not
     * shorten the pipeline's slowest stage, which is what duplication is for.
     */
    private void duplicateSlowest(Map<Integer, PieceCounts> ops, Map<Integer, Integer> r) {
        Ops view = new Ops(ops);
        grow(view, r, true, new Priority() {
            @Override
            public double key(int op, int copies) {
                return steps(view.positions[op], copies);
            }

            @Override
            public boolean stopsAt(int op, int copies) {
                return copies >= view.positions[op];
            }
        });
    }

    /**
     * The ops of a partition in ascending op index (ties between keys go to the lowest op), with
     * what the rules read as arrays: a rule on a large chip makes thousands of picks per partition.
     */
    private final class Ops {
        final int[] ids;
        final long[] positions;
        final long[] crossbars;
        final PieceCounts[] pieces;

        Ops(Map<Integer, PieceCounts> ops) {
            int k = ops.size();
            ids = new int[k];
            positions = new long[k];
            crossbars = new long[k];
            pieces = new PieceCounts[k];
            int i = 0;
            for (var e : new TreeMap<>(ops).entrySet()) {
                ids[i] = e.getKey();
                positions[i] = positions(e.getKey());
                crossbars[i] = e.getValue().crossbars();
                pieces[i] = e.getValue();
                i++;
            }
        }

        /** Copies per op, in this order, from a map where absent ops have one. */
        int[] copiesOf(Map<Integer, Integer> r) {
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = r.getOrDefault(ids[i], 1);
            }
            return out;
        }

        /** Whether the ops with these copies fit the chip (as {@link Replicator#fits(Map, Map)}). */
        boolean fit(int[] copies) {
            long total = 0;
            for (int i = 0; i < copies.length; i++) {
                total += copies[i] * crossbars[i];
            }
            // Too many crossbars is the usual miss, and needs no packing to see.
            return total <= chip.totalCrossbars() && PieceCounts.sum(pieces, copies, chip.crossbarsPerCore()).fitsQuickly(chip);
        }
    }

    /**
     * Gives copies in the order the rule picks them while they fit: when a copy does not fit,
     * either the rule stops ({@code stopAtFirstMiss}) or that op is full and the others go on.
     * Trying every pick would cost one packing test per copy (thousands on large chips); the
     * longest run of picks that fits is found by doubling and then halving its length instead,
     * which gives the same copies as long as a run that fits stays fitting when shortened.
     */
    private void grow(Ops ops, Map<Integer, Integer> r, boolean stopAtFirstMiss, Priority priority) {
        boolean[] full = new boolean[ops.ids.length];
        int[] copies = ops.copiesOf(r);
        while (true) {
            Run run = new Run(copies, full, priority);
            int good = 0;
            int bad = -1;
            for (int length = 1; ; length *= 2) {
                run.extendTo(length);
                int len = Math.min(length, run.size());
                if (len == good) {
                    break;
                }
                if (!ops.fit(run.copies(len))) {
                    bad = len;
                    break;
                }
                good = len;
            }
            while (bad - good > 1) {
                int mid = (good + bad) / 2;
                if (ops.fit(run.copies(mid))) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            copies = run.copies(good);
            if (bad < 0 || stopAtFirstMiss) {
                break;
            }
            full[run.pick(good)] = true;
        }
        r.clear();
        for (int i = 0; i < copies.length; i++) {
            r.put(ops.ids[i], copies[i]);
        }
    }

    /** The picks a rule makes from a starting state (ops marked full get none), drawn as far as asked. */
    private static final class Run {
        private final int[] start;
        private final int[] current;
        private final Priority priority;
        private final double[] key;
        private final java.util.PriorityQueue<Integer> heap;
        private int[] picks = new int[16];
        private int size;
        private boolean exhausted;

        Run(int[] start, boolean[] full, Priority priority) {
            this.start = start.clone();
            this.current = start.clone();
            this.priority = priority;
            this.key = new double[start.length];
            this.heap = new java.util.PriorityQueue<>(Math.max(1, start.length),
                    (a, b) -> key[a] != key[b] ? Double.compare(key[b], key[a]) : Integer.compare(a, b));
            for (int op = 0; op < start.length; op++) {
                key[op] = priority.key(op, current[op]);
                if (!full[op] && !Double.isNaN(key[op])) {
                    heap.add(op);
                }
            }
        }

        int size() {
            return size;
        }

        int pick(int i) {
            return picks[i];
        }

        void extendTo(int length) {
            while (!exhausted && size < length) {
                Integer top = heap.peek();
                if (top == null || priority.stopsAt(top, current[top])) {
                    exhausted = true;
                    continue;
                }
                heap.poll();
                current[top]++;
                key[top] = priority.key(top, current[top]);
                if (!Double.isNaN(key[top])) {
                    heap.add(top);
                }
                if (size == picks.length) {
                    picks = java.util.Arrays.copyOf(picks, 2 * size);
                }
                picks[size++] = top;
            }
        }

        /** Copies after the first {@code length} picks. */
        int[] copies(int length) {
            int[] out = start.clone();
            for (int i = 0; i < length; i++) {
                out[picks[i]]++;
            }
            return out;
        }
    }

    private static long steps(long positions, int copies) {
        return (positions + copies - 1) / copies;
    }

    private void bottleneck(Map<Integer, PieceCounts> ops, Map<Integer, Integer> r) {
        long hi = 0;
        for (int op : ops.keySet()) {
            hi = Math.max(hi, positions(op));
        }
        long lo = 1;
        // Smallest stage length M (in MVM steps) whose copies r = ceil(O / M) fit; M = max O always fits.
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            if (fits(ops, copiesFor(ops, mid))) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        r.putAll(copiesFor(ops, hi));
        // Spend what is left on the fill: the copy that cuts the most steps per crossbar.
        Ops view = new Ops(ops);
        grow(view, r, false, (op, c) -> {
            if (c >= view.positions[op]) {
                return Double.NaN;
            }
            double gain = (double) (steps(view.positions[op], c) - steps(view.positions[op], c + 1)) / view.crossbars[op];
            return gain > 0 ? gain : Double.NaN;   // a copy that saves no step is never given
        });
    }

    private Map<Integer, Integer> copiesFor(Map<Integer, PieceCounts> ops, long stageSteps) {
        Map<Integer, Integer> r = new TreeMap<>();
        for (int op : ops.keySet()) {
            r.put(op, (int) Math.min(positions(op), (positions(op) + stageSteps - 1) / stageSteps));
        }
        return r;
    }
}
