package org.pimopt.solve.mip;

import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * Copies per op per partition in the MILP, and what holding them takes: a one-hot choice among
 * the useful copy counts, each unit's copies ({@code v = x AND z}, linearized), the chip's
 * crossbars, and the exact packing of unit copies into cores (formulations/partitioning.md,
 * "MILP"). Also sums what programming a partition writes and reads, for {@link MipPartitionCost}.
 */
final class MipCopies {
    private final MPSolver solver;
    private final Chip chip;
    /** Per op: the copy counts worth having (each one lowers ceil(N/r)); z index i >= 1 is counts[i-1]. */
    final int[][] counts;
    final MPVariable[][][] z;         // z[o][p][0]: o absent from p; z[o][p][i]: counts[o][i-1] copies
    final Lin[][] act;                // act[o][p] = 1 - z[o][p][0]
    final Lin[][] stage;              // MVM steps per sample of one copy of o in p (0 if absent)
    final Lin[] rows;                 // rows programmed in p, all copies
    final Lin[] cellsIn;              // cells written in p, all copies
    final Lin[] weightBytes;          // weight bytes read from DRAM to program p (each unit once)

    MipCopies(MPSolver solver, Instance instance, MPVariable[][] x, int k, org.pimopt.solve.BuildDeadline build) {
        this.solver = solver;
        this.chip = instance.chip();
        List<UnitRef> units = instance.units();
        List<OpInfo> ops = instance.ops();
        int n = units.size();
        double inf = MPSolver.infinity();

        // 3. Copies: one-hot z over {absent} and the useful copy counts; v = x AND z per unit.
        counts = new int[ops.size()][];
        z = new MPVariable[ops.size()][k][];
        act = new Lin[ops.size()][k];
        Lin[][] copiesOfUnit = new Lin[n][k];   // copies of unit u in p (0 if u is elsewhere)
        stage = new Lin[ops.size()][k];
        for (OpInfo op : ops) {
            int o = op.index();
            counts[o] = op.usefulCopies(instance.maxCopies(op));
            for (int p = 0; p < k; p++) {
                build.check("copies");
                z[o][p] = new MPVariable[counts[o].length + 1];
                Lin one = new Lin();
                stage[o][p] = new Lin();
                for (int i = 0; i <= counts[o].length; i++) {
                    z[o][p][i] = solver.makeBoolVar("z_o" + o + "_p" + p + "_" + (i == 0 ? "absent" : "r" + counts[o][i - 1]));
                    one.add(z[o][p][i], 1);
                    if (i > 0) {
                        long r = counts[o][i - 1];
                        stage[o][p].add(z[o][p][i], (op.positions() + r - 1) / r);
                    }
                }
                Lin.post(solver, 1, one, 1, "onehot_o" + o + "_p" + p);
                act[o][p] = Lin.constant(1).add(z[o][p][0], -1);
                Lin anyUnit = new Lin();
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    Lin.geq(solver, act[o][p], Lin.of(x[u][p]), "act_u" + u + "_p" + p);
                    anyUnit.add(x[u][p], 1);
                    copiesOfUnit[u][p] = new Lin();
                    if (counts[o].length == 1) {
                        copiesOfUnit[u][p].add(x[u][p], counts[o][0]);
                        continue;
                    }
                    Lin share = new Lin();
                    for (int i = 1; i <= counts[o].length; i++) {
                        MPVariable v = solver.makeNumVar(0, 1, "v_u" + u + "_p" + p + "_r" + counts[o][i - 1]);
                        Lin.geq(solver, Lin.of(z[o][p][i]), Lin.of(v), "vle_u" + u + "_p" + p + "_r" + counts[o][i - 1]);
                        share.add(v, 1);
                        copiesOfUnit[u][p].add(v, counts[o][i - 1]);
                    }
                    Lin.eq(solver, share, Lin.of(x[u][p]), "vsum_u" + u + "_p" + p);
                }
                Lin.geq(solver, anyUnit, act[o][p], "actonly_o" + o + "_p" + p);
            }
        }

        // 4. Capacity, packing into cores, and what programming a partition costs.
        int perCore = chip.crossbarsPerCore();
        rows = new Lin[k];
        cellsIn = new Lin[k];
        weightBytes = new Lin[k];
        for (int p = 0; p < k; p++) {
            build.check("core packing");
            Lin crossbars = new Lin();
            Lin whole = new Lin();
            TreeMap<Integer, Lin> pieces = new TreeMap<>();
            rows[p] = new Lin();
            cellsIn[p] = new Lin();
            weightBytes[p] = new Lin();
            for (UnitRef ref : units) {
                int u = ref.id();
                Lin c = copiesOfUnit[u][p];
                crossbars.add(c, ref.crossbars());
                whole.add(c, ref.crossbars() / perCore);
                if (ref.crossbars() % perCore != 0) {
                    pieces.computeIfAbsent(ref.crossbars() % perCore, s -> new Lin()).add(c);
                }
                rows[p].add(c, ref.unit().rowsProgrammed());
                cellsIn[p].add(c, ref.unit().cellsWritten());
                weightBytes[p].add(x[u][p], ref.unit().weightBytes());
            }
            Lin.post(solver, -inf, crossbars, chip.totalCrossbars(), "capacity_p" + p);
            packCores(p, whole, pieces);
        }
    }

    /**
     * Exact packing of unit copies into cores: whole cores for each full multiple of a core, pieces
     * of each size spread over the other cores, none over a core's crossbars; open cores first and
     * sorted by load to break symmetry.
     */
    private void packCores(int p, Lin whole, TreeMap<Integer, Lin> pieces) {
        int perCore = chip.crossbarsPerCore();
        int cores = chip.cores();
        if (pieces.isEmpty()) {
            Lin.post(solver, -MPSolver.infinity(), whole, cores, "wholecores_p" + p);
            return;
        }
        Lin opened = new Lin().add(whole);
        Map<Integer, Lin> placed = new TreeMap<>();
        Lin previousLoad = null;
        MPVariable previousOpen = null;
        for (int c = 0; c < cores; c++) {
            MPVariable open = solver.makeBoolVar("open_p" + p + "_c" + c);
            opened.add(open, 1);
            Lin load = new Lin();
            for (int size : pieces.keySet()) {
                MPVariable y = solver.makeIntVar(0, perCore / size, "in_p" + p + "_c" + c + "_s" + size);
                load.add(y, size);
                placed.computeIfAbsent(size, s -> new Lin()).add(y, 1);
            }
            Lin.geq(solver, new Lin().add(open, perCore), load, "corecap_p" + p + "_c" + c);
            if (previousOpen != null) {
                Lin.geq(solver, Lin.of(previousOpen), Lin.of(open), "openinorder_p" + p + "_c" + c);
                Lin.geq(solver, previousLoad, load, "loadsorted_p" + p + "_c" + c);
            }
            previousOpen = open;
            previousLoad = load;
        }
        Lin.post(solver, -MPSolver.infinity(), opened, cores, "cores_p" + p);
        for (var e : pieces.entrySet()) {
            Lin.eq(solver, placed.get(e.getKey()), e.getValue(), "pieces_p" + p + "_s" + e.getKey());
        }
    }
}
