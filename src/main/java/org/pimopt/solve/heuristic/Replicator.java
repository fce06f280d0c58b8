package org.pimopt.solve.heuristic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.CorePacking.PieceCounts;
import org.pimopt.cost.Unit;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
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
        PieceCounts all = new PieceCounts(0, new TreeMap<>(), chip.crossbarsPerCore());
        for (var e : ops.entrySet()) {
            all = all.plus(e.getValue(), replicas.getOrDefault(e.getKey(), 1));
        }
        return all.fitsQuickly(chip);
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
            case PIMCOMP_BALANCE -> balance(ops, r);
            case CLSA_DUPLICATE -> duplicateSlowest(ops, r);
            case BOTTLENECK -> bottleneck(ops, r);
        }
        r.values().removeIf(v -> v == 1);
        return r;
    }

    private long positions(int op) {
        return instance.ops().get(op).positions();
    }

    private void balance(Map<Integer, PieceCounts> ops, Map<Integer, Integer> r) {
        java.util.Set<Integer> full = new java.util.HashSet<>();
        while (true) {
            int best = -1;
            double most = 0;
            for (int op : ops.keySet()) {
                int copies = r.getOrDefault(op, 1);
                double perCopy = (double) positions(op) / copies;
                if (!full.contains(op) && copies < positions(op) && perCopy > most) {
                    most = perCopy;
                    best = op;
                }
            }
            if (best < 0) {
                return;
            }
            r.merge(best, 1, Integer::sum);
            if (!fits(ops, r)) {
                r.merge(best, -1, Integer::sum);
                full.add(best);
            }
        }
    }

    private void duplicateSlowest(Map<Integer, PieceCounts> ops, Map<Integer, Integer> r) {
        while (true) {
            int slowest = -1;
            long steps = 0;
            for (int op : ops.keySet()) {
                long s = steps(op, r.getOrDefault(op, 1));
                if (s > steps) {
                    steps = s;
                    slowest = op;
                }
            }
            if (slowest < 0 || r.getOrDefault(slowest, 1) >= positions(slowest)) {
                return;
            }
            r.merge(slowest, 1, Integer::sum);
            if (!fits(ops, r)) {
                r.merge(slowest, -1, Integer::sum);
                return;
            }
        }
    }

    private long steps(int op, int copies) {
        return (positions(op) + copies - 1) / copies;
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
        java.util.Set<Integer> full = new java.util.HashSet<>();
        while (true) {
            int best = -1;
            double gain = 0;
            for (int op : ops.keySet()) {
                int c = r.getOrDefault(op, 1);
                if (c >= positions(op) || full.contains(op)) {
                    continue;
                }
                double g = (double) (steps(op, c) - steps(op, c + 1)) / ops.get(op).crossbars();
                if (g > gain) {
                    gain = g;
                    best = op;
                }
            }
            if (best < 0) {
                return;
            }
            r.merge(best, 1, Integer::sum);
            if (!fits(ops, r)) {
                r.merge(best, -1, Integer::sum);
                full.add(best);
            }
        }
    }

    private Map<Integer, Integer> copiesFor(Map<Integer, PieceCounts> ops, long stageSteps) {
        Map<Integer, Integer> r = new TreeMap<>();
        for (int op : ops.keySet()) {
            r.put(op, (int) Math.min(positions(op), (positions(op) + stageSteps - 1) / stageSteps));
        }
        return r;
    }
}
