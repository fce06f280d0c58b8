package org.pimopt.solve.heuristic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.CorePacking;
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

    /** The units of each op present in a set of units: op -> units. */
    private Map<Integer, List<Unit>> byOp(List<Integer> units) {
        Map<Integer, List<Unit>> out = new TreeMap<>();
        for (int u : units) {
            UnitRef ref = instance.units().get(u);
            out.computeIfAbsent(ref.op(), k -> new ArrayList<>()).add(ref.unit());
        }
        return out;
    }

    /** Whether these units, each op with its copies, fit the chip (crossbars and core packing). */
    public boolean fits(Map<Integer, List<Unit>> ops, Map<Integer, Integer> replicas) {
        long crossbars = 0;
        for (var e : ops.entrySet()) {
            int r = replicas.getOrDefault(e.getKey(), 1);
            for (Unit u : e.getValue()) {
                crossbars += (long) u.crossbars() * r;
            }
        }
        if (crossbars > chip.totalCrossbars()) {
            return false;
        }
        List<Unit> copies = new ArrayList<>();
        for (var e : ops.entrySet()) {
            int r = replicas.getOrDefault(e.getKey(), 1);
            for (Unit u : e.getValue()) {
                for (int i = 0; i < r; i++) {
                    copies.add(u);
                }
            }
        }
        // First-fit decreasing only: a sufficient test, cheap enough to call for every candidate copy.
        return CorePacking.fitsFirstFit(copies, chip);
    }

    /** Whether one copy of these units fits. */
    public boolean fits(List<Integer> units) {
        return fits(byOp(units), Map.of());
    }

    /** Copies per op (ops absent have one) for the units of one partition. */
    public Map<Integer, Integer> replicate(List<Integer> units, ReplicationRule rule) {
        Map<Integer, List<Unit>> ops = byOp(units);
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

    private static long crossbars(List<Unit> units) {
        return units.stream().mapToLong(Unit::crossbars).sum();
    }

    private void balance(Map<Integer, List<Unit>> ops, Map<Integer, Integer> r) {
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

    private void duplicateSlowest(Map<Integer, List<Unit>> ops, Map<Integer, Integer> r) {
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

    private void bottleneck(Map<Integer, List<Unit>> ops, Map<Integer, Integer> r) {
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
                double g = (double) (steps(op, c) - steps(op, c + 1)) / crossbars(ops.get(op));
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

    private Map<Integer, Integer> copiesFor(Map<Integer, List<Unit>> ops, long stageSteps) {
        Map<Integer, Integer> r = new TreeMap<>();
        for (int op : ops.keySet()) {
            r.put(op, (int) Math.min(positions(op), (positions(op) + stageSteps - 1) / stageSteps));
        }
        return r;
    }
}
