package org.pimopt.solve.cpsat;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pimopt.hw.Chip;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * Packing of unit copies into cores, exactly: a unit of {@code X} crossbars takes {@code X / C}
 * whole cores ({@code C} crossbars per core) and a piece of {@code X mod C}; per partition, pieces
 * of each size are spread over the cores left by whole-core units, no core over {@code C}.
 */
final class Packing {
    private final CpModel model;
    private final PartitionCost.Placement placement;
    private final List<UnitRef> units;
    private final Chip chip;
    private final int k;
    private final int capacity;
    /** Per partition: piece size -> terms (count of such pieces); and whole cores taken. */
    private final List<TreeMap<Integer, LinearExprBuilder>> pieces = new ArrayList<>();
    private final List<LinearExprBuilder> wholeCores = new ArrayList<>();
    private final TreeSet<Integer> sizes = new TreeSet<>();

    Packing(CpModel model, PartitionCost.Placement placement, List<UnitRef> units, Chip chip, int k) {
        this.model = model;
        this.placement = placement;
        this.units = units;
        this.chip = chip;
        this.k = k;
        this.capacity = chip.crossbarsPerCore();
        for (int p = 0; p < k; p++) {
            pieces.add(new TreeMap<>());
            wholeCores.add(LinearExpr.newBuilder());
        }
    }

    void addOp(OpInfo op, int p, IntVar copies) {
        TreeMap<Integer, Integer> bySize = new TreeMap<>();
        boolean anyWhole = false;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            int x = units.get(u).crossbars();
            if (x % capacity != 0) {
                bySize.merge(x % capacity, 1, Integer::sum);
            }
            anyWhole |= x >= capacity;
        }
        for (int size : bySize.keySet()) {
            sizes.add(size);
            int s = size;
            LinearArgument count = placement.times(op, p, copies, ref -> ref.crossbars() % capacity == s ? 1 : 0,
                    "pieces" + s, Long.MAX_VALUE);
            pieces.get(p).computeIfAbsent(size, z -> LinearExpr.newBuilder()).add(count);
        }
        if (anyWhole) {
            wholeCores.get(p).add(placement.times(op, p, copies, ref -> ref.crossbars() / capacity, "cores", Long.MAX_VALUE));
        }
    }

    void post() {
        int cores = chip.cores();
        for (int p = 0; p < k; p++) {
            if (pieces.get(p).isEmpty()) {
                model.addLessOrEqual(wholeCores.get(p), cores);
                continue;
            }
            BoolVar[] open = new BoolVar[cores];
            LinearExprBuilder opened = LinearExpr.newBuilder().add(wholeCores.get(p).build());
            IntVar[] load = new IntVar[cores];
            TreeMap<Integer, LinearExprBuilder> placed = new TreeMap<>();
            for (int c = 0; c < cores; c++) {
                open[c] = model.newBoolVar("open_" + p + "_" + c);
                opened.add(open[c]);
                if (c > 0) {
                    model.addImplication(open[c], open[c - 1]);
                }
                LinearExprBuilder fill = LinearExpr.newBuilder();
                for (int size : pieces.get(p).keySet()) {
                    IntVar y = model.newIntVar(0, capacity / size, "in_core_" + p + "_" + c + "_" + size);
                    fill.addTerm(y, size);
                    placed.computeIfAbsent(size, z -> LinearExpr.newBuilder()).add(y);
                }
                load[c] = model.newIntVar(0, capacity, "load_" + p + "_" + c);
                model.addEquality(load[c], fill.build());
                model.addLessOrEqual(load[c], LinearExpr.term(open[c], capacity));
                if (c > 0) {
                    // Cores are interchangeable: keep them sorted by load.
                    model.addGreaterOrEqual(load[c - 1], load[c]);
                }
            }
            model.addLessOrEqual(opened, cores);
            for (var e : pieces.get(p).entrySet()) {
                model.addEquality(placed.get(e.getKey()), e.getValue().build());
            }
        }
    }
}
