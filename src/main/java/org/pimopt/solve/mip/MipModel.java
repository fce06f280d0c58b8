package org.pimopt.solve.mip;

import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Objective;
import org.pimopt.cost.Rates;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.VectorOp;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.copies.CopyCounts;

/**
 * The partitioning model of formulations/partitioning.md as a mixed-integer linear program: the
 * same decisions and prices as the CP-SAT model, with every product and logical rule written as
 * linear inequalities (section "MILP" of that file). Coefficients are the cost model's own, in ns
 * and pJ, unrounded.
 */
final class MipModel {
    final MPSolver solver;
    final Instance instance;
    final int k;
    private final Chip chip;
    private final List<UnitRef> units;
    private final List<OpInfo> ops;
    final MPVariable[][] x;           // x[u][p]: unit u runs in partition p
    /** Per op: the copy counts worth having (each one lowers ceil(N/r)); z index i >= 1 is counts[i-1]. */
    final int[][] counts;
    final MPVariable[][][] z;         // z[o][p][0]: o absent from p; z[o][p][i]: counts[o][i-1] copies
    final Lin latency = new Lin();    // ns per batch
    final Lin energy = new Lin();     // plan-dependent pJ per batch
    final Lin cells = new Lin();      // cells written per batch
    final Lin dram = new Lin();       // DRAM bytes per batch

    private final Lin[][] act;        // act[o][p] = 1 - z[o][p][0]
    private final Lin[][] cum;        // cum[u][p] = sum_{q <= p} x[u][q]
    private final Lin[] perSample;    // DRAM bytes per sample, per partition
    private final Lin[] perBatch;     // DRAM bytes loaded once per batch, per partition
    private final Lin[] noc;          // on-chip bytes per sample, per partition
    private final Lin[] transfers;    // on-chip transfers (slices read where produced) per sample, per partition
    private final Lin[][] layerAt;    // vector layer l runs in p (one-hot, linear in the variables)
    private final Lin[][] readyMemo;  // vector layer's output done by the end of p (cumulative)

    MipModel(MPSolver solver, Instance instance, int maxPartitions) {
        this.solver = solver;
        this.instance = instance;
        this.chip = instance.chip();
        this.units = instance.units();
        this.ops = instance.ops();
        this.k = maxPartitions;
        int n = units.size();
        int batch = instance.batch();
        double inf = MPSolver.infinity();

        // 1. Every unit once; partitions used in order, empty ones last.
        x = new MPVariable[n][k];
        for (int u = 0; u < n; u++) {
            Lin once = new Lin();
            for (int p = 0; p < k; p++) {
                x[u][p] = solver.makeBoolVar("x_u" + u + "_p" + p);
                once.add(x[u][p], 1);
            }
            Lin.post(solver, 1, once, 1, "once_u" + u);
        }
        MPVariable[] used = new MPVariable[k];
        for (int p = 0; p < k; p++) {
            used[p] = solver.makeBoolVar("used_p" + p);
            Lin any = new Lin();
            for (int u = 0; u < n; u++) {
                Lin.geq(solver, Lin.of(used[p]), Lin.of(x[u][p]), "usedif_u" + u + "_p" + p);
                any.add(x[u][p], 1);
            }
            Lin.geq(solver, any, Lin.of(used[p]), "usedonly_p" + p);
            if (p > 0) {
                Lin.geq(solver, Lin.of(used[p - 1]), Lin.of(used[p]), "inorder_p" + p);
            }
        }
        // multi: two or more partitions, so every partition is programmed every batch.
        Lin multi = k > 1 ? Lin.of(used[1]) : new Lin();
        cum = new Lin[n][k];
        for (int u = 0; u < n; u++) {
            Lin c = new Lin();
            for (int p = 0; p < k; p++) {
                c = new Lin().add(c).add(x[u][p], 1);
                cum[u][p] = c;
            }
        }

        // 2. Dependencies: first[o] >= last[o'] for o' read by o.
        MPVariable[] first = new MPVariable[ops.size()];
        MPVariable[] last = new MPVariable[ops.size()];
        for (OpInfo op : ops) {
            int o = op.index();
            first[o] = solver.makeNumVar(0, k - 1, "first_o" + o);
            last[o] = solver.makeNumVar(0, k - 1, "last_o" + o);
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                Lin part = partOf(u);
                Lin.geq(solver, part, Lin.of(first[o]), "firstle_u" + u);
                Lin.geq(solver, Lin.of(last[o]), part, "lastge_u" + u);
            }
        }
        for (OpInfo op : ops) {
            for (int pred : op.predecessors()) {
                Lin.geq(solver, Lin.of(first[op.index()]), Lin.of(last[pred]), "dep_o" + op.index() + "_o" + pred);
            }
        }

        // 3. Copies: one-hot z over {absent} and the useful copy counts; v = x AND z per unit.
        counts = new int[ops.size()][];
        z = new MPVariable[ops.size()][k][];
        act = new Lin[ops.size()][k];
        Lin[][] copiesOfUnit = new Lin[n][k];   // copies of unit u in p (0 if u is elsewhere)
        Lin[][] stage = new Lin[ops.size()][k]; // MVM steps per sample of one copy of o in p (0 if absent)
        for (OpInfo op : ops) {
            int o = op.index();
            counts[o] = op.usefulCopies(instance.maxCopies(op));
            for (int p = 0; p < k; p++) {
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
        Lin[] rows = new Lin[k];
        Lin[] cellsIn = new Lin[k];
        Lin[] weightBytes = new Lin[k];
        CopyCounts.Density density = CopyCounts.Density.of(units);
        double rowsPerXbar = density.rowsPerCrossbar();
        double cellsPerXbar = density.cellsPerCrossbar();
        double bytesPerXbar = density.bytesPerCrossbar();
        for (int p = 0; p < k; p++) {
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

        // 5. Where vector layers run, and the DRAM traffic of every tensor.
        perSample = new Lin[k];
        perBatch = new Lin[k];
        noc = new Lin[k];
        transfers = new Lin[k];
        for (int p = 0; p < k; p++) {
            perSample[p] = new Lin();
            perBatch[p] = new Lin();
            noc[p] = new Lin();
            transfers[p] = new Lin();
        }
        int layers = instance.network().layers().size();
        layerAt = new Lin[layers][];
        readyMemo = new Lin[layers][];
        for (Layer l : instance.network().layers()) {
            if (isVector(l)) {
                Lin[] ready = ready(l.index());
                layerAt[l.index()] = new Lin[k];
                for (int p = 0; p < k; p++) {
                    layerAt[l.index()][p] = new Lin().add(ready[p]).add(p > 0 ? ready[p - 1] : new Lin(), -1);
                }
            }
        }
        traffic();

        // 6. Time, writes and energy per partition (cost/CostModel.partition; coefficients from cost/Rates).
        Rates rates = Rates.of(chip);
        double tMvm = rates.mvmNs();
        double tByte = rates.dramNsPerByte();
        double tRow = rates.rowWriteNs();
        double capacity = chip.totalCrossbars();
        for (int p = 0; p < k; p++) {
            MPVariable bottleneck = solver.makeNumVar(0, inf, "bottleneck_p" + p);
            // The critical path of the partition's dataflow (as in CpSatModel): finish[o] >= its stage
            // after each op it reads; an absent op has stage 0 and passes its inputs' finish on.
            MPVariable criticalPath = solver.makeNumVar(0, inf, "critical_path_p" + p);
            MPVariable[] finish = new MPVariable[ops.size()];
            for (OpInfo op : ops) {
                int o = op.index();
                Lin.geq(solver, Lin.of(bottleneck), new Lin().add(stage[o][p], tMvm), "slowest_o" + o + "_p" + p);
                finish[o] = solver.makeNumVar(0, inf, "finish_o" + o + "_p" + p);
                Lin.geq(solver, Lin.of(finish[o]), new Lin().add(stage[o][p], tMvm), "finishes_o" + o + "_p" + p);
                for (int pred : op.predecessors()) {
                    Lin.geq(solver, Lin.of(finish[o]), new Lin().add(finish[pred], 1).add(stage[o][p], tMvm),
                            "after_o" + o + "_o" + pred + "_p" + p);
                }
                Lin.geq(solver, Lin.of(criticalPath), Lin.of(finish[o]), "path_o" + o + "_p" + p);
            }
            Lin fill = new Lin().add(criticalPath, 1);
            Lin.geq(solver, Lin.of(bottleneck), new Lin().add(perSample[p], tByte), "slowestio_p" + p);
            // The pooled vector stage (fill and slowest), the first sample's DRAM traffic and on-chip transfers.
            Lin vector = new Lin();
            for (Layer l : instance.network().layers()) {
                if (layerAt[l.index()] != null) {
                    vector.add(layerAt[l.index()][p], l.vectorOps() * rates.vectorNsPerOp());
                }
            }
            Lin.geq(solver, Lin.of(bottleneck), vector, "slowestvector_p" + p);
            fill.add(vector).add(perSample[p], tByte).add(noc[p], rates.nocNsPerByte())
                    .add(transfers[p], rates.nocNsPerTransfer());
            // Writes count only with two or more partitions. Units in p >= 1 imply that; partition 0
            // subtracts the most it can hold when it is alone (multi = 0).
            Lin off = p == 0 ? Lin.constant(1).add(multi, -1) : new Lin();
            MPVariable write = solver.makeNumVar(0, inf, "write_p" + p);
            Lin.geq(solver, Lin.of(write), new Lin().add(rows[p], tRow).add(off, -tRow * rowsPerXbar * capacity), "writerows_p" + p);
            Lin.geq(solver, Lin.of(write), new Lin().add(weightBytes[p], tByte).add(off, -tByte * bytesPerXbar * capacity),
                    "writebytes_p" + p);
            // No slot writes one crossbar faster than row by row: the unit's most-written crossbar.
            for (UnitRef ref : units) {
                if (!CostModel.crossbarWriteCanBind(chip, ref.unit())) {
                    continue;   // the other two terms imply it
                }
                double crossbarNs = ref.unit().mostRowsOfCrossbar() * rates.crossbarRowNs();
                Lin.geq(solver, Lin.of(write), new Lin().add(x[ref.id()][p], crossbarNs).add(off, -crossbarNs),
                        "writecrossbar_u" + ref.id() + "_p" + p);
            }
            MPVariable cellsCounted = solver.makeNumVar(0, inf, "cells_p" + p);
            Lin.geq(solver, Lin.of(cellsCounted), new Lin().add(cellsIn[p]).add(off, -cellsPerXbar * capacity), "cellsif_p" + p);
            MPVariable weightsCounted = solver.makeNumVar(0, inf, "weightbytes_p" + p);
            Lin.geq(solver, Lin.of(weightsCounted), new Lin().add(weightBytes[p]).add(off, -bytesPerXbar * capacity),
                    "weightbytesif_p" + p);

            latency.add(fill).add(bottleneck, batch - 1.0).add(write, 1).add(perBatch[p], tByte);
            cells.add(cellsCounted, 1);
            Lin bytes = new Lin().add(perSample[p], batch).add(perBatch[p]).add(weightsCounted, 1);
            dram.add(bytes);
            energy.add(cellsCounted, chip.writeEnergyPjPerCell()).add(bytes, chip.dramPjPerByte())
                    .add(noc[p], batch * instance.averageHops() * chip.pjPerByteHop());
        }
        // Static power over the batch: W x ns = 1e3 pJ.
        energy.add(latency, chip.staticPowerW() * 1e3);
    }

    /**
     * Holds each of the goal's limits on the model's figure (formulations/limits.md). Coefficients
     * are the cost model's own, so only the solver's feasibility tolerance (1e-6, relative here)
     * separates the two; energy leaves out what no plan changes, {@code energyConstantPj}.
     */
    void postLimits(org.pimopt.cost.Limits limits, double energyConstantPj) {
        int i = 0;
        for (org.pimopt.cost.Limit limit : limits.limits()) {
            double max = limit.figure() == Objective.ENERGY ? limit.max() - energyConstantPj : limit.max();
            Lin.geq(solver, Lin.constant(max + 1e-9 * Math.abs(max)), objective(limit.figure()), "limit_" + i++);
        }
    }

    Lin objective(Objective o) {
        return switch (o) {
            case LATENCY -> latency;
            case ENERGY -> energy;
            case WRITES -> cells;
            case DRAM -> dram;
            case EDP -> throw new IllegalArgumentException("edp is a product and has no linear model");
        };
    }

    /** Sets the solver's objective to minimize {@code e}. */
    void minimize(Lin e) {
        var objective = solver.objective();
        objective.clear();
        e.terms().forEach(objective::setCoefficient);
        objective.setOffset(e.constant());
        objective.setMinimization();
    }



    /** Partition index of unit u as a linear expression. */
    private Lin partOf(int u) {
        Lin part = new Lin();
        for (int p = 1; p < k; p++) {
            part.add(x[u][p], p);
        }
        return part;
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

    private boolean isVector(Layer l) {
        return instance.opOfLayer(l.index()) < 0 && !(l.op() instanceof VectorOp.Parameter);
    }

    /**
     * Whether layer l's output exists by the end of partition p, cumulative in p. A weighted op's
     * output exists once all its units ran (AND); a vector layer's once all its producers' outputs
     * exist (AND), so it runs in the latest partition of its producers; a vector layer fed only
     * from DRAM runs where its first reader starts (OR of the readers' "started by p"). With
     * integral x these continuous variables take exactly 0 or 1.
     */
    private Lin[] ready(int layer) {
        if (readyMemo[layer] != null) {
            return readyMemo[layer];
        }
        int op = instance.opOfLayer(layer);
        Lin[] out = new Lin[k];
        if (op >= 0) {
            OpInfo info = ops.get(op);
            for (int p = 0; p < k; p++) {
                List<Lin> parts = new ArrayList<>();
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    parts.add(cum[u][p]);
                }
                out[p] = and(parts, "done_l" + layer + "_p" + p);
            }
            readyMemo[layer] = out;
            return out;
        }
        List<Integer> producers = instance.partitionProducersOf(layer);
        if (!producers.isEmpty()) {
            for (int p = 0; p < k; p++) {
                List<Lin> parts = new ArrayList<>();
                for (int src : producers) {
                    parts.add(ready(src)[p]);
                }
                out[p] = and(parts, "ready_l" + layer + "_p" + p);
            }
        } else {
            List<Lin[]> readers = new ArrayList<>();
            for (int r : instance.consumersOf(layer)) {
                readers.add(started(r));
            }
            for (int p = 0; p < k; p++) {
                if (readers.isEmpty()) {
                    out[p] = Lin.constant(1);
                    continue;
                }
                List<Lin> parts = new ArrayList<>();
                for (Lin[] r : readers) {
                    parts.add(r[p]);
                }
                out[p] = or(parts, "first_l" + layer + "_p" + p);
            }
        }
        readyMemo[layer] = out;
        return out;
    }

    /** Whether layer r has begun computing by the end of p: a weighted op, any of its units. */
    private Lin[] started(int layer) {
        int op = instance.opOfLayer(layer);
        if (op < 0) {
            return ready(layer);
        }
        OpInfo info = ops.get(op);
        Lin[] out = new Lin[k];
        for (int p = 0; p < k; p++) {
            List<Lin> parts = new ArrayList<>();
            for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                parts.add(cum[u][p]);
            }
            out[p] = or(parts, "started_l" + layer + "_p" + p);
        }
        return out;
    }

    /** y = AND of 0/1 expressions: y <= each, y >= sum - (n - 1). */
    private Lin and(List<Lin> parts, String name) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        MPVariable y = solver.makeNumVar(0, 1, name);
        Lin sum = new Lin();
        for (int i = 0; i < parts.size(); i++) {
            Lin.geq(solver, parts.get(i), Lin.of(y), name + "_le" + i);
            sum.add(parts.get(i));
        }
        Lin.geq(solver, Lin.of(y), sum.addConstant(-(parts.size() - 1)), name + "_ge");
        return Lin.of(y);
    }

    /** y = OR of 0/1 expressions: y >= each, y <= sum. */
    private Lin or(List<Lin> parts, String name) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        MPVariable y = solver.makeNumVar(0, 1, name);
        Lin sum = new Lin();
        for (int i = 0; i < parts.size(); i++) {
            Lin.geq(solver, Lin.of(y), parts.get(i), name + "_ge" + i);
            sum.add(parts.get(i));
        }
        Lin.geq(solver, sum, Lin.of(y), name + "_le");
        return Lin.of(y);
    }

    /** The traffic rules of {@link Instance#profiles}, one flow at a time. */
    private void traffic() {
        double inf = MPSolver.infinity();
        int fi = 0;
        for (Instance.Flow f : instance.flows()) {
            fi++;
            if (f.consumerLayers().isEmpty() && !f.networkOutput()) {
                continue;
            }
            // read[q] >= "a reader of f computes in q"; recv[q] >= "a reader receiving it over the NoC does".
            Lin[] read = new Lin[k];
            Lin[] recv = f.receivingLayers().isEmpty() ? null : new Lin[k];
            for (int q = 0; q < k; q++) {
                read[q] = Lin.of(solver.makeNumVar(0, 1, "read_f" + fi + "_p" + q));
                if (recv != null) {
                    recv[q] = Lin.of(solver.makeNumVar(0, 1, "recv_f" + fi + "_p" + q));
                }
                for (int c : f.consumerLayers()) {
                    int op = instance.opOfLayer(c);
                    Lin computes = op >= 0 ? act[op][q] : layerAt[c] == null ? null : layerAt[c][q];
                    if (computes != null) {
                        Lin.geq(solver, read[q], computes, "reads_f" + fi + "_l" + c + "_p" + q);
                        if (recv != null && f.receivingLayers().contains(c)) {
                            Lin.geq(solver, recv[q], computes, "receives_f" + fi + "_l" + c + "_p" + q);
                        }
                    }
                }
            }
            if (f.producerLayer() < 0) {
                for (int q = 0; q < k; q++) {
                    (f.perBatch() ? perBatch : perSample)[q].add(read[q], f.bytes());
                }
                continue;
            }
            int op = instance.opOfLayer(f.producerLayer());
            if (op < 0) {
                slice(f.bytes(), layerAt[f.producerLayer()], read, recv, f.networkOutput(), "f" + fi);
            } else {
                OpInfo info = ops.get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    long share = instance.sliceBytes(f, u);
                    Lin[] at = new Lin[k];
                    for (int q = 0; q < k; q++) {
                        at[q] = Lin.of(x[u][q]);
                    }
                    slice(share, at, read, recv, f.networkOutput(), "f" + fi + "_u" + u);
                }
            }
        }
    }

    /**
     * One slice of a tensor produced where {@code at} says: {@code load[q] >= read[q] - at[q]},
     * {@code leaves >= load[q]} (1 for a network output), {@code store[q] >= leaves + at[q] - 1},
     * {@code local[q] >= recv[q] + at[q] - 1} (none when no reader receives it over the NoC). The
     * objective pushes each down to its logical value.
     */
    private void slice(long bytes, Lin[] at, Lin[] read, Lin[] recv, boolean output, String name) {
        MPVariable leaves = solver.makeNumVar(output ? 1 : 0, 1, "leaves_" + name);
        for (int q = 0; q < k; q++) {
            MPVariable load = solver.makeNumVar(0, 1, "load_" + name + "_p" + q);
            Lin.geq(solver, Lin.of(load), new Lin().add(read[q]).add(at[q], -1), "loadif_" + name + "_p" + q);
            Lin.geq(solver, Lin.of(leaves), Lin.of(load), "leavesif_" + name + "_p" + q);
            MPVariable store = solver.makeNumVar(0, 1, "store_" + name + "_p" + q);
            Lin.geq(solver, Lin.of(store), new Lin().add(leaves, 1).add(at[q]).addConstant(-1), "storeif_" + name + "_p" + q);
            perSample[q].add(load, bytes).add(store, bytes);
            if (recv != null) {
                MPVariable local = solver.makeNumVar(0, 1, "local_" + name + "_p" + q);
                Lin.geq(solver, Lin.of(local), new Lin().add(recv[q]).add(at[q]).addConstant(-1), "localif_" + name + "_p" + q);
                noc[q].add(local, bytes);
                transfers[q].add(local, 1);
            }
        }
    }

    /** Hints a plan's placement and copies (solvers that take hints use it as a first solution). */
    void hint(Plan plan) {
        int[] partOf = plan.partitionOfUnits(units.size());
        List<MPVariable> vars = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            for (int p = 0; p < k; p++) {
                vars.add(x[u][p]);
                values.add(partOf[u] == p ? 1.0 : 0.0);
            }
        }
        for (OpInfo op : ops) {
            for (int p = 0; p < k; p++) {
                boolean present = false;
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    present |= partOf[u] == p;
                }
                int r = present ? plan.partitions().get(p).replicasOf(op.index()) : 0;
                for (int i = 0; i <= counts[op.index()].length; i++) {
                    boolean on = i == 0 ? !present : present && counts[op.index()][i - 1] == r;
                    vars.add(z[op.index()][p][i]);
                    values.add(on ? 1.0 : 0.0);
                }
            }
        }
        solver.setHint(vars.toArray(new MPVariable[0]), values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The plan of the current solution (empty partitions dropped). */
    Plan plan() {
        List<Partition> parts = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            List<Integer> mine = new ArrayList<>();
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int u = 0; u < units.size(); u++) {
                if (x[u][p].solutionValue() > 0.5) {
                    mine.add(u);
                    int o = units.get(u).op();
                    for (int i = 1; i <= counts[o].length; i++) {
                        if (z[o][p][i].solutionValue() > 0.5 && counts[o][i - 1] > 1) {
                            rep.put(o, counts[o][i - 1]);
                        }
                    }
                }
            }
            if (!mine.isEmpty()) {
                parts.add(new Partition(mine, rep));
            }
        }
        return new Plan(parts);
    }
}
