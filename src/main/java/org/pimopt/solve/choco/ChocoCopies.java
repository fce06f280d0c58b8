package org.pimopt.solve.choco;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * Copies per op per partition in Choco, and what holding them takes: copies among the useful
 * counts (any other count is dominated), each op's stage read from a table by {@code element},
 * the chip's crossbars, and the exact packing of unit copies into cores. Also sums what
 * programming a partition writes and reads, for {@link ChocoPartitionCost}.
 */
final class ChocoCopies {
    private static final long LIMIT = ChocoModel.LIMIT;

    private final Model model;
    private final Chip chip;
    private final List<UnitRef> units;
    private final BoolVar[][] x;
    final IntVar[][] copies;        // copies[o][p], among the useful counts
    final IntVar[][] stage;         // MVM steps per sample of one copy of o in p (0 if absent)
    final IntVar[] rows;            // rows programmed in p, all copies
    final IntVar[] cellsIn;         // cells written in p, all copies
    final IntVar[] weightBytes;     // weight bytes read from DRAM to program p (each unit once)

    /** Each copies variable is also appended to {@code decisions}, op by op, partition by partition. */
    ChocoCopies(ChocoModel m, BoolVar[][] active, ChocoModel.Bounds bounds, List<IntVar> decisions) {
        this.model = m.model;
        this.chip = m.instance.chip();
        this.units = m.units();
        this.x = m.x;
        Instance instance = m.instance;
        List<OpInfo> ops = instance.ops();
        int k = m.k;
        int n = units.size();

        // Copies (only counts at which ceil(N/r) drops: any other count is dominated), capacity, packing.
        copies = new IntVar[ops.size()][k];
        int perCore = chip.crossbarsPerCore();
        List<List<IntVar>> crossbarTerms = lists(k);
        List<List<IntVar>> rowTerms = lists(k);
        List<List<IntVar>> cellTerms = lists(k);
        List<List<IntVar>> wholeTerms = lists(k);
        List<TreeMap<Integer, List<IntVar>>> pieceTerms = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            pieceTerms.add(new TreeMap<>());
        }
        stage = new IntVar[ops.size()][k];
        for (OpInfo op : ops) {
            m.build.check("copies");
            int o = op.index();
            int max = instance.maxCopies(op);
            int[] useful = op.usefulCopies(max);
            int[] table = new int[max];
            for (int r = 1; r <= max; r++) {
                table[r - 1] = Math.toIntExact((op.positions() + r - 1) / r);
            }
            for (int p = 0; p < k; p++) {
                IntVar r = model.intVar("copies_" + o + "_" + p, useful);
                copies[o][p] = r;
                decisions.add(r);
                IntVar steps = model.intVar("steps_" + o + "_" + p, 1, Math.toIntExact(op.positions()));
                model.element(steps, table, r, 1).post();
                stage[o][p] = model.intVar("stage_" + o + "_" + p, 0, Math.toIntExact(op.positions()));
                model.times(steps, active[o][p], stage[o][p]).post();
                crossbarTerms.get(p).add(times(op, p, r, ref -> ref.crossbars(), "xb"));
                rowTerms.get(p).add(times(op, p, r, ref -> ref.unit().rowsProgrammed(), "rows"));
                cellTerms.get(p).add(times(op, p, r, ref -> ref.unit().cellsWritten(), "cells"));
                boolean anyWhole = false;
                TreeMap<Integer, Boolean> sizes = new TreeMap<>();
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    int xb = units.get(u).crossbars();
                    anyWhole |= xb >= perCore;
                    if (xb % perCore != 0) {
                        sizes.put(xb % perCore, true);
                    }
                }
                if (anyWhole) {
                    wholeTerms.get(p).add(times(op, p, r, ref -> ref.crossbars() / perCore, "cores"));
                }
                for (int s : sizes.keySet()) {
                    pieceTerms.get(p).computeIfAbsent(s, z -> new ArrayList<>())
                            .add(times(op, p, r, ref -> ref.crossbars() % perCore == s ? 1 : 0, "pieces" + s));
                }
            }
        }
        rows = new IntVar[k];
        cellsIn = new IntVar[k];
        weightBytes = new IntVar[k];
        for (int p = 0; p < k; p++) {
            m.build.check("core packing");
            model.sum(crossbarTerms.get(p).toArray(new IntVar[0]), "<=", Math.toIntExact(chip.totalCrossbars())).post();
            rows[p] = sum(rowTerms.get(p), bounds.rowsPerPartition, "rows_" + p);
            cellsIn[p] = sum(cellTerms.get(p), bounds.cellsPerPartition, "cells_in_" + p);
            int[] wb = new int[n];
            for (int u = 0; u < n; u++) {
                wb[u] = Math.toIntExact(units.get(u).unit().weightBytes());
            }
            weightBytes[p] = model.intVar("weight_bytes_in_" + p, 0, bounds.int32(bounds.weightBytesPerPartition));
            model.scalar(column(x, p), wb, "=", weightBytes[p]).post();
            packCores(p, wholeTerms.get(p), pieceTerms.get(p));
        }
    }

    /** {@code copies * sum_{u in op} w(u) x[u][p]} as a variable. */
    private IntVar times(OpInfo op, int p, IntVar r, java.util.function.ToLongFunction<UnitRef> weight, String name) {
        int count = op.unitCount();
        IntVar[] vars = new IntVar[count];
        int[] w = new int[count];
        long max = 0;
        for (int i = 0; i < count; i++) {
            vars[i] = x[op.firstUnit() + i][p];
            w[i] = Math.toIntExact(weight.applyAsLong(units.get(op.firstUnit() + i)));
            max += w[i];
        }
        IntVar base = model.intVar(name + "1_" + op.index() + "_" + p, 0, Math.toIntExact(max));
        model.scalar(vars, w, "=", base).post();
        if (r.getUB() == 1) {
            return base;
        }
        IntVar product = model.intVar(name + "_" + op.index() + "_" + p, 0, Math.toIntExact(Math.min(LIMIT, max * r.getUB())));
        model.times(base, r, product).post();
        return product;
    }

    private void packCores(int p, List<IntVar> whole, TreeMap<Integer, List<IntVar>> pieces) {
        int perCore = chip.crossbarsPerCore();
        int cores = chip.cores();
        IntVar wholeCores = sum(whole, cores, "whole_cores_" + p);
        if (pieces.isEmpty()) {
            return;
        }
        BoolVar[] open = model.boolVarArray("open_" + p, cores);
        IntVar[] load = new IntVar[cores];
        Map<Integer, List<IntVar>> placed = new TreeMap<>();
        for (int c = 0; c < cores; c++) {
            List<IntVar> ys = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (int size : pieces.keySet()) {
                IntVar y = model.intVar("in_core_" + p + "_" + c + "_" + size, 0, perCore / size);
                ys.add(y);
                sizes.add(size);
                placed.computeIfAbsent(size, z -> new ArrayList<>()).add(y);
            }
            load[c] = model.intVar("load_" + p + "_" + c, 0, perCore);
            model.scalar(ys.toArray(new IntVar[0]), sizes.stream().mapToInt(Integer::intValue).toArray(), "=", load[c]).post();
            model.scalar(new IntVar[] {load[c], open[c]}, new int[] {1, -perCore}, "<=", 0).post();
            if (c > 0) {
                model.addClausesBoolLe(open[c], open[c - 1]);
                model.arithm(load[c - 1], ">=", load[c]).post();
            }
        }
        IntVar[] all = new IntVar[cores + 1];
        System.arraycopy(open, 0, all, 0, cores);
        all[cores] = wholeCores;
        model.sum(all, "<=", cores).post();
        for (var e : pieces.entrySet()) {
            IntVar count = sum(e.getValue(), LIMIT, "pieces_" + p + "_" + e.getKey());
            model.sum(placed.get(e.getKey()).toArray(new IntVar[0]), "=", count).post();
        }
    }

    private IntVar sum(List<IntVar> terms, long max, String name) {
        long ub = 0;
        for (IntVar t : terms) {
            ub += t.getUB();
        }
        IntVar s = model.intVar(name, 0, Math.toIntExact(Math.min(Math.min(max, ub), LIMIT)));
        if (terms.isEmpty()) {
            model.arithm(s, "=", 0).post();
        } else {
            model.sum(terms.toArray(new IntVar[0]), "=", s).post();
        }
        return s;
    }

    private static BoolVar[] column(BoolVar[][] x, int p) {
        BoolVar[] c = new BoolVar[x.length];
        for (int u = 0; u < x.length; u++) {
            c[u] = x[u][p];
        }
        return c;
    }

    private static List<List<IntVar>> lists(int k) {
        List<List<IntVar>> out = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            out.add(new ArrayList<>());
        }
        return out;
    }
}
