package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.Unit;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.solve.copies.SpanReplication;
import org.pimopt.solve.replication.IntervalScorer.Block;

/**
 * The lattice dp-lattice walks: every dependency-closed set of units and the steps between them.
 * A plan is a chain of such sets from the empty one to the full one, so listing them is what makes
 * the search cover every plan. Units of one op that agree in every figure the cost model and the
 * Validator read are interchangeable, so a set is known by how many of each such class it holds
 * (and takes the lowest-numbered units of each): that keeps the sets of real networks few.
 */
final class ClosedSets {
    /** Most dependency-closed sets it enumerates; beyond, dp-lattice gives up at once. */
    static final int MAX_STATES = 20_000;

    private ClosedSets() {}

    /** Units of one op that are interchangeable, lowest id first. */
    record UnitClass(int op, int[] units) {}

    /** A dependency-closed set: how many units of each class it holds, and the units themselves. */
    record ClosedSet(int index, int[] counts, BitSet units, int size) {}

    /** A step from one set to a larger one: the larger set's index and the units it adds. */
    record Step(int to, List<Integer> units) {}

    /** The block of a step: the units it adds to {@code from}, programmed unless it is the whole network. */
    static Block block(List<ClosedSet> sets, ClosedSet from, Step step) {
        boolean whole = from.index() == 0 && step.to() == sets.size() - 1;
        return new Block(from.units(), step.units(), !whole);
    }

    /**
     * Per set, the steps to every larger set whose added units fit the chip with one copy each
     * (capacity, then the Validator's packing, remembered per count of each class); null when the
     * deadline comes first.
     */
    static List<List<Step>> steps(Instance instance, List<ClosedSet> sets, SpanReplication copies, long deadline) {
        long capacity = instance.chip().totalCrossbars();
        Map<List<Integer>, Boolean> packs = new HashMap<>();
        List<List<Step>> out = new ArrayList<>();
        for (ClosedSet from : sets) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            List<Step> mine = new ArrayList<>();
            for (ClosedSet to : sets) {
                if (to.size() <= from.size() || !contains(to, from)) {
                    continue;
                }
                BitSet step = (BitSet) to.units().clone();
                step.andNot(from.units());
                List<Integer> units = step.stream().boxed().toList();
                if (crossbars(instance, units) <= capacity
                        && packs.computeIfAbsent(difference(to, from), d -> copies.fits(units))) {
                    mine.add(new Step(to.index(), units));
                }
            }
            out.add(mine);
        }
        return out;
    }

    /** Each op's units grouped by every figure the cost model and the Validator read. */
    static List<UnitClass> classes(Instance instance) {
        List<UnitClass> out = new ArrayList<>();
        for (OpInfo op : instance.ops()) {
            Map<List<Long>, List<Integer>> byKind = new LinkedHashMap<>();
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                Unit x = instance.units().get(u).unit();
                List<Long> kind = List.of((long) x.crossbars(), x.rowsProgrammed(), x.cellsWritten(), x.weightBytes(),
                        (long) x.outputColumns(), (long) x.stripes());
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(u);
            }
            for (List<Integer> ids : byKind.values()) {
                out.add(new UnitClass(op.index(), ids.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        return out;
    }

    /**
     * Every dependency-closed set, the empty one first and the full one last, ordered by size (a
     * set comes after every set it contains); null when there are more than {@link #MAX_STATES}.
     */
    static List<ClosedSet> sets(Instance instance, List<UnitClass> classes) {
        int ops = instance.ops().size();
        List<List<Integer>> classesOf = new ArrayList<>();
        for (int o = 0; o < ops; o++) {
            classesOf.add(new ArrayList<>());
        }
        for (int c = 0; c < classes.size(); c++) {
            classesOf.get(classes.get(c).op()).add(c);
        }
        List<int[]> found = new ArrayList<>();
        if (!enumerate(instance, classes, classesOf, 0, 0, new int[classes.size()], found)) {
            return null;
        }
        List<ClosedSet> out = new ArrayList<>();
        for (int[] counts : found) {
            BitSet units = new BitSet(instance.units().size());
            for (int c = 0; c < counts.length; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    units.set(classes.get(c).units()[i]);
                }
            }
            out.add(new ClosedSet(0, counts, units, units.cardinality()));
        }
        out.sort(Comparator.comparingInt(ClosedSet::size));
        List<ClosedSet> indexed = new ArrayList<>(out.size());
        for (ClosedSet s : out) {
            indexed.add(new ClosedSet(indexed.size(), s.counts(), s.units(), s.size()));
        }
        return indexed;
    }

    /**
     * Chooses the counts of op {@code op}'s classes from class position {@code i} on, then of the
     * next ops (ops are in topological order): an op holds units only when every op it reads is
     * complete. False when the sets exceed {@link #MAX_STATES}.
     */
    private static boolean enumerate(Instance instance, List<UnitClass> classes, List<List<Integer>> classesOf, int op,
                                     int i, int[] counts, List<int[]> found) {
        if (op == classesOf.size()) {
            found.add(counts.clone());
            return found.size() <= MAX_STATES;
        }
        List<Integer> mine = classesOf.get(op);
        if (i == mine.size()) {
            return enumerate(instance, classes, classesOf, op + 1, 0, counts, found);
        }
        boolean ready = true;
        for (int pred : instance.ops().get(op).predecessors()) {
            for (int c : classesOf.get(pred)) {
                ready &= counts[c] == classes.get(c).units().length;
            }
        }
        int c = mine.get(i);
        int most = ready ? classes.get(c).units().length : 0;
        for (int k = 0; k <= most; k++) {
            counts[c] = k;
            if (!enumerate(instance, classes, classesOf, op, i + 1, counts, found)) {
                return false;
            }
        }
        counts[c] = 0;
        return true;
    }

    private static boolean contains(ClosedSet big, ClosedSet small) {
        for (int c = 0; c < big.counts().length; c++) {
            if (big.counts()[c] < small.counts()[c]) {
                return false;
            }
        }
        return true;
    }

    /** Units per class of {@code to} not in {@code from}: what a step's packing depends on. */
    private static List<Integer> difference(ClosedSet to, ClosedSet from) {
        Integer[] d = new Integer[to.counts().length];
        for (int c = 0; c < d.length; c++) {
            d[c] = to.counts()[c] - from.counts()[c];
        }
        return Arrays.asList(d);
    }

    private static long crossbars(Instance instance, List<Integer> units) {
        long total = 0;
        for (int u : units) {
            total += instance.units().get(u).crossbars();
        }
        return total;
    }
}
