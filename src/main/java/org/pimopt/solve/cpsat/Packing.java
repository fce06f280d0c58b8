package org.pimopt.solve.cpsat;

import com.google.ortools.sat.BoolVar;
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

/**
 * Packing of unit copies into cores, exactly: a unit of {@code X} crossbars takes {@code X / C}
 * whole cores ({@code C} crossbars per core) and a piece of {@code X mod C}; per partition, pieces
 * of each size are spread over the cores left by whole-core units, no core over {@code C}.
 */
final class Packing {
    private final CpSatModel m;
    private final Chip chip;
    private final int capacity;
    /** Per partition: piece size -> terms (count of such pieces); and whole cores taken. */
    private final List<TreeMap<Integer, LinearExprBuilder>> pieces = new ArrayList<>();
    private final List<LinearExprBuilder> wholeCores = new ArrayList<>();
    private final TreeSet<Integer> sizes = new TreeSet<>();

    Packing(CpSatModel m, Chip chip) {
        this.m = m;
        this.chip = chip;
        this.capacity = chip.crossbarsPerCore();
        for (int p = 0; p < m.k; p++) {
            pieces.add(new TreeMap<>());
            wholeCores.add(LinearExpr.newBuilder());
        }
    }

    void addOp(OpInfo op, int p, IntVar copies) {
        TreeMap<Integer, Integer> bySize = new TreeMap<>();
        boolean anyWhole = false;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            int x = m.units().get(u).crossbars();
            if (x % capacity != 0) {
                bySize.merge(x % capacity, 1, Integer::sum);
            }
            anyWhole |= x >= capacity;
        }
        for (int size : bySize.keySet()) {
            sizes.add(size);
            int s = size;
            LinearArgument count = m.times(op, p, copies, ref -> ref.crossbars() % capacity == s ? 1 : 0,
                    "pieces" + s, Long.MAX_VALUE);
            pieces.get(p).computeIfAbsent(size, z -> LinearExpr.newBuilder()).add(count);
        }
        if (anyWhole) {
            wholeCores.get(p).add(m.times(op, p, copies, ref -> ref.crossbars() / capacity, "cores", Long.MAX_VALUE));
        }
    }

    void post() {
        int cores = chip.cores();
        for (int p = 0; p < m.k; p++) {
            if (pieces.get(p).isEmpty()) {
                m.model.addLessOrEqual(wholeCores.get(p), cores);
                continue;
            }
            BoolVar[] open = new BoolVar[cores];
            LinearExprBuilder opened = LinearExpr.newBuilder().add(wholeCores.get(p).build());
            IntVar[] load = new IntVar[cores];
            TreeMap<Integer, LinearExprBuilder> placed = new TreeMap<>();
            for (int c = 0; c < cores; c++) {
                open[c] = m.model.newBoolVar("open_" + p + "_" + c);
                opened.add(open[c]);
                if (c > 0) {
                    m.model.addImplication(open[c], open[c - 1]);
                }
                LinearExprBuilder fill = LinearExpr.newBuilder();
                for (int size : pieces.get(p).keySet()) {
                    IntVar y = m.model.newIntVar(0, capacity / size, "in_core_" + p + "_" + c + "_" + size);
                    fill.addTerm(y, size);
                    placed.computeIfAbsent(size, z -> LinearExpr.newBuilder()).add(y);
                }
                load[c] = m.model.newIntVar(0, capacity, "load_" + p + "_" + c);
                m.model.addEquality(load[c], fill.build());
                m.model.addLessOrEqual(load[c], LinearExpr.term(open[c], capacity));
                if (c > 0) {
                    // Cores are interchangeable: keep them sorted by load.
                    m.model.addGreaterOrEqual(load[c - 1], load[c]);
                }
            }
            m.model.addLessOrEqual(opened, cores);
            for (var e : pieces.get(p).entrySet()) {
                m.model.addEquality(placed.get(e.getKey()), e.getValue().build());
            }
        }
    }
}
