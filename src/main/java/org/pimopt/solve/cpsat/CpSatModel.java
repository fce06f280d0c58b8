package org.pimopt.solve.cpsat;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import com.google.ortools.sat.Literal;
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

/**
 * The partitioning model of formulations/partitioning.md in CP-SAT: a partition index per unit
 * (any order that respects precedence), copies per op per partition with stage times read from a
 * table, a bottleneck per partition, capacity and packing of unit copies into cores, the DRAM
 * traffic of every tensor that crosses partitions, and the write time and cells of programming.
 * Times are integers in {@link #TIME_SCALE} units per ns, energies in {@link #ENERGY_SCALE} per pJ.
 *
 * <p>With {@code fixedOrder}, partition indices are also non-decreasing along the instance's unit
 * order ({@code part[u] <= part[u+1]}): with partitions used in order, every partition is then a
 * contiguous span of that order, the plans {@code dp} searches.
 */
final class CpSatModel {
    static final long TIME_SCALE = 1000;
    static final long ENERGY_SCALE = 1000;
    /**
     * Vector and NoC time are counted in units of 1/FINE of a time unit per operation or byte: one
     * operation on a chip's pooled vector units takes a few picoseconds (16 cores x 12 units x
     * 1 op/ns: 5.2 ps), one byte over a 16 GB/s link 62.5 ps, too little to round to whole time units.
     */
    static final long FINE = 1000;

    final CpModel model = new CpModel();
    final Instance instance;
    final int k;
    private final Chip chip;
    private final List<UnitRef> units;
    private final List<OpInfo> ops;
    final BoolVar[][] x;          // x[u][p]: unit u runs in partition p
    final IntVar[][] copies;      // copies[o][p]
    final LinearExpr latency;     // batch latency, time units
    final LinearExpr energy;      // plan-dependent energy of a batch, energy units
    final LinearExpr cells;       // cells written per batch
    final LinearExpr dram;        // DRAM bytes per batch
    /** The part of {@link #energy} that prices NoC traffic with the mean-hop estimate (a placement-aware model replaces it). */
    final LinearExpr nocEnergy;

    CpSatModel(Instance instance, int maxPartitions) {
        this(instance, maxPartitions, false);
    }

    CpSatModel(Instance instance, int maxPartitions, boolean fixedOrder) {
        this.instance = instance;
        this.chip = instance.chip();
        this.units = instance.units();
        this.ops = instance.ops();
        this.k = maxPartitions;
        int n = units.size();
        int batch = instance.batch();

        // Placement of units, partitions used in order.
        x = new BoolVar[n][k];
        IntVar[] part = new IntVar[n];
        for (int u = 0; u < n; u++) {
            for (int p = 0; p < k; p++) {
                x[u][p] = model.newBoolVar("x_" + u + "_" + p);
            }
            model.addExactlyOne(x[u]);
            part[u] = model.newIntVar(0, k - 1, "part_" + u);
            model.addEquality(part[u], weighted(x[u], indexWeights()));
            if (fixedOrder && u > 0) {
                model.addLessOrEqual(part[u - 1], part[u]);
            }
        }
        BoolVar[] used = new BoolVar[k];
        for (int p = 0; p < k; p++) {
            used[p] = model.newBoolVar("used_" + p);
            LinearExprBuilder any = LinearExpr.newBuilder();
            for (int u = 0; u < n; u++) {
                model.addImplication(x[u][p], used[p]);
                any.add(x[u][p]);
            }
            model.addGreaterOrEqual(any, used[p]);
            if (p > 0) {
                model.addImplication(used[p], used[p - 1]);
            }
        }
        BoolVar multi = model.newBoolVar("several_partitions");
        if (k > 1) {
            model.addEquality(multi, used[1]);
        } else {
            model.addEquality(multi, 0);
        }

        // Ops: first and last partition, precedence, presence per partition.
        IntVar[] first = new IntVar[ops.size()];
        IntVar[] last = new IntVar[ops.size()];
        BoolVar[][] active = new BoolVar[ops.size()][k];
        for (OpInfo op : ops) {
            List<IntVar> mine = new ArrayList<>();
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                mine.add(part[u]);
            }
            first[op.index()] = model.newIntVar(0, k - 1, "first_" + op.index());
            last[op.index()] = model.newIntVar(0, k - 1, "last_" + op.index());
            model.addMinEquality(first[op.index()], mine);
            model.addMaxEquality(last[op.index()], mine);
            for (int p = 0; p < k; p++) {
                active[op.index()][p] = model.newBoolVar("active_" + op.index() + "_" + p);
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    model.addImplication(x[u][p], active[op.index()][p]);
                }
            }
        }
        for (OpInfo op : ops) {
            for (int pred : op.predecessors()) {
                model.addGreaterOrEqual(first[op.index()], last[pred]);
            }
        }

        // Copies, capacity and packing.
        copies = new IntVar[ops.size()][k];
        long capacity = chip.totalCrossbars();
        LinearExprBuilder[] crossbarsUsed = builders(k);
        LinearExprBuilder[] rowsProgrammed = builders(k);
        LinearExprBuilder[] cellsProgrammed = builders(k);
        LinearExprBuilder[] weightBytes = builders(k);
        Packing packing = new Packing(this, chip);
        for (OpInfo op : ops) {
            int maxCopies = maxCopies(op);
            for (int p = 0; p < k; p++) {
                copies[op.index()][p] = model.newIntVar(1, maxCopies, "copies_" + op.index() + "_" + p);
                IntVar r = copies[op.index()][p];
                crossbarsUsed[p].add(times(op, p, r, ref -> (long) ref.crossbars(), "xb", capacity));
                rowsProgrammed[p].add(times(op, p, r, ref -> ref.unit().rowsProgrammed(), "rows", Long.MAX_VALUE));
                cellsProgrammed[p].add(times(op, p, r, ref -> ref.unit().cellsWritten(), "cells", Long.MAX_VALUE));
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    weightBytes[p].addTerm(x[u][p], units.get(u).unit().weightBytes());
                }
                packing.addOp(op, p, r);
            }
        }
        for (int p = 0; p < k; p++) {
            model.addLessOrEqual(crossbarsUsed[p], capacity);
        }
        packing.post();

        // Traffic.
        Traffic traffic = new Traffic(this, active, first, last);

        // Time per partition (cost/CostModel.partition; coefficients from cost/Rates).
        Rates rates = Rates.of(chip);
        long mvmTime = Math.round(rates.mvmNs() * TIME_SCALE);
        long byteTime = Math.round(rates.dramNsPerByte() * TIME_SCALE);
        long rowTime = Math.round(rates.rowWriteNs() * TIME_SCALE);
        long vectorTime = fineTime(rates.vectorNsPerOp());
        long nocByteTime = fineTime(rates.nocNsPerByte());
        long transferTime = fineTime(rates.nocNsPerTransfer());
        LinearExprBuilder total = LinearExpr.newBuilder();
        LinearExprBuilder cellsTotal = LinearExpr.newBuilder();
        LinearExprBuilder dramTotal = LinearExpr.newBuilder();
        LinearExprBuilder energyTotal = LinearExpr.newBuilder();
        LinearExprBuilder nocEnergyTotal = LinearExpr.newBuilder();
        long maxTime = 0;
        for (OpInfo op : ops) {
            maxTime += op.positions() * mvmTime;
        }
        long maxIo = traffic.maxBytesPerSample() * byteTime;
        long maxVector = traffic.maxVectorOps() * vectorTime / FINE + 1;
        long maxNoc = (traffic.maxBytesPerSample() * nocByteTime + traffic.maxTransfers() * transferTime) / FINE + 1;
        long maxRows = 0;
        long maxCells = 0;
        long maxWeightBytes = 0;
        long maxCrossbarRows = 0;
        for (UnitRef u : units) {
            maxRows += u.unit().rowsProgrammed() * maxCopies(ops.get(u.op()));
            maxCells += u.unit().cellsWritten() * maxCopies(ops.get(u.op()));
            maxWeightBytes += u.unit().weightBytes();
            maxCrossbarRows = Math.max(maxCrossbarRows, u.unit().mostRowsOfCrossbar());
        }
        long writeBound = maxRows * rowTime + maxWeightBytes * byteTime + maxCrossbarRows * Math.round(rates.crossbarRowNs() * TIME_SCALE) + 1;
        long slowestBound = Math.max(Math.max(maxTime, maxIo), maxVector);
        long partitionBound = maxTime + maxVector + maxNoc + (batch - 1L) * slowestBound + writeBound + 2 * maxIo + 1;
        // Per unit, its most-written crossbar's rows where that term can bind, else 0
        // (CostModel.crossbarWriteCanBind); per op, whether its units agree.
        long[] crossbarRows = new long[n];
        for (UnitRef u : units) {
            crossbarRows[u.id()] = CostModel.crossbarWriteCanBind(chip, u.unit()) ? u.unit().mostRowsOfCrossbar() : 0;
        }
        boolean[] unitsAgree = new boolean[ops.size()];
        for (OpInfo op : ops) {
            unitsAgree[op.index()] = java.util.stream.IntStream.rangeClosed(op.firstUnit(), op.lastUnit())
                    .allMatch(u -> crossbarRows[u] == crossbarRows[op.firstUnit()]);
        }
        for (int p = 0; p < k; p++) {
            IntVar bottleneck = model.newIntVar(0, slowestBound, "bottleneck_" + p);
            LinearExprBuilder fill = LinearExpr.newBuilder();
            // The critical path of the partition's dataflow: an op finishes its first sample its stage
            // after the ops it reads. An op absent from p has stage 0 and passes its inputs' finish on;
            // no op of p reads one through it (partitions follow the dependencies).
            IntVar criticalPath = model.newIntVar(0, maxTime, "critical_path_" + p);
            IntVar[] finish = new IntVar[ops.size()];
            for (OpInfo op : ops) {
                long[] table = stepsTable(op, maxCopies(op));
                IntVar steps = model.newIntVar(1, op.positions(), "steps_" + op.index() + "_" + p);
                model.addElement(LinearExpr.affine(copies[op.index()][p], 1, -1), table, steps);
                IntVar stage = model.newIntVar(0, op.positions(), "stage_" + op.index() + "_" + p);
                model.addGreaterOrEqual(stage, steps).onlyEnforceIf(active[op.index()][p]);
                model.addGreaterOrEqual(LinearExpr.term(bottleneck, 1), LinearExpr.term(stage, mvmTime));
                IntVar done = model.newIntVar(0, maxTime, "finish_" + op.index() + "_" + p);
                model.addGreaterOrEqual(done, LinearExpr.term(stage, mvmTime));
                for (int pred : op.predecessors()) {
                    model.addGreaterOrEqual(done, LinearExpr.newBuilder().add(finish[pred]).addTerm(stage, mvmTime).build());
                }
                model.addGreaterOrEqual(criticalPath, done);
                finish[op.index()] = done;
            }
            fill.add(criticalPath);
            // The pooled vector stage: in the fill and a candidate for the slowest stage.
            IntVar vector = model.newIntVar(0, maxVector, "vector_" + p);
            model.addGreaterOrEqual(LinearExpr.term(vector, FINE),
                    LinearExpr.newBuilder().addTerm(traffic.vectorOps(p), vectorTime).build());
            model.addGreaterOrEqual(bottleneck, vector);
            fill.add(vector);
            // The first sample's DRAM traffic and on-chip transfers.
            fill.addTerm(traffic.bytesPerSample(p), byteTime);
            IntVar noc = model.newIntVar(0, maxNoc, "noc_time_" + p);
            model.addGreaterOrEqual(LinearExpr.term(noc, FINE), LinearExpr.newBuilder()
                    .addTerm(traffic.nocBytes(p), nocByteTime).add(LinearExpr.term(traffic.transfers(p), transferTime)).build());
            fill.add(noc);
            model.addGreaterOrEqual(bottleneck, LinearExpr.term(traffic.bytesPerSample(p), byteTime));
            IntVar write = model.newIntVar(0, writeBound, "write_" + p);
            model.addGreaterOrEqual(LinearExpr.term(write, 1), scaled(rowsProgrammed[p], rowTime)).onlyEnforceIf(multi);
            model.addGreaterOrEqual(LinearExpr.term(write, 1), scaled(weightBytes[p], byteTime)).onlyEnforceIf(multi);
            // No slot writes one crossbar faster than row by row: the unit's most-written crossbar,
            // where it can bind (one constraint per op when its units agree, as they mostly do).
            for (OpInfo op : ops) {
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    if (crossbarRows[u] == 0) {
                        continue;
                    }
                    Literal in = unitsAgree[op.index()] ? active[op.index()][p] : x[u][p];
                    model.addGreaterOrEqual(write, Math.round(crossbarRows[u] * rates.crossbarRowNs() * TIME_SCALE))
                            .onlyEnforceIf(new Literal[] {in, multi});
                    if (unitsAgree[op.index()]) {
                        break;
                    }
                }
            }
            total.add(fill.build()).addTerm(bottleneck, batch - 1L).addTerm(write, 1)
                    .addTerm(traffic.bytesPerBatch(p), byteTime);

            IntVar cellsCounted = model.newIntVar(0, maxCells, "cells_" + p);
            model.addGreaterOrEqual(LinearExpr.term(cellsCounted, 1), cellsProgrammed[p].build()).onlyEnforceIf(multi);
            IntVar weightsCounted = model.newIntVar(0, maxWeightBytes, "weight_bytes_" + p);
            model.addGreaterOrEqual(LinearExpr.term(weightsCounted, 1), weightBytes[p].build()).onlyEnforceIf(multi);
            cellsTotal.add(cellsCounted);
            dramTotal.addTerm(traffic.bytesPerSample(p), batch).add(traffic.bytesPerBatch(p)).add(weightsCounted);
            energyTotal.addTerm(cellsCounted, Math.round(chip.writeEnergyPjPerCell() * ENERGY_SCALE));
            energyTotal.addTerm(traffic.bytesPerSample(p), Math.round(batch * chip.dramPjPerByte() * ENERGY_SCALE));
            energyTotal.addTerm(traffic.bytesPerBatch(p), Math.round(chip.dramPjPerByte() * ENERGY_SCALE));
            energyTotal.addTerm(weightsCounted, Math.round(chip.dramPjPerByte() * ENERGY_SCALE));
            long nocPerByte = Math.round(batch * instance.averageHops() * chip.pjPerByteHop() * ENERGY_SCALE);
            energyTotal.addTerm(traffic.nocBytes(p), nocPerByte);
            nocEnergyTotal.addTerm(traffic.nocBytes(p), nocPerByte);
        }
        latency = total.build();
        IntVar latencyVar = model.newIntVar(0, partitionBound * k, "latency");
        model.addEquality(latencyVar, latency);
        // Static power over the batch: W x ns = 1e3 pJ.
        energyTotal.addTerm(latencyVar, Math.round(chip.staticPowerW() * 1e3 * ENERGY_SCALE / TIME_SCALE));
        energy = energyTotal.build();
        cells = cellsTotal.build();
        dram = dramTotal.build();
        nocEnergy = nocEnergyTotal.build();
    }

    /**
     * Holds each of the goal's limits on the model's figure (formulations/limits.md, "How each
     * engine posts them"). Coefficients are rounded to the model's units, so a figure may be off the
     * cost model's by the relative {@code rounding}: the right-hand side gets that much slack, which
     * keeps every plan that meets a limit (a plan just over it by rounding is then marked over the
     * limit by the caller, which prices the plan exactly). Energy leaves out what no plan changes,
     * {@code energyConstantPj}.
     */
    void postLimits(org.pimopt.cost.Limits limits, double energyConstantPj, double rounding) {
        for (org.pimopt.cost.Limit limit : limits.limits()) {
            double max = switch (limit.figure()) {
                case LATENCY -> limit.max() * TIME_SCALE;
                case ENERGY -> (limit.max() - energyConstantPj) * ENERGY_SCALE;
                case WRITES, DRAM -> limit.max();
                case EDP -> throw new IllegalArgumentException("edp cannot be limited");
            };
            boolean exact = limit.figure() == Objective.WRITES || limit.figure() == Objective.DRAM;
            double slack = exact ? 1e-9 * max : rounding * Math.abs(max) + 1;
            long rhs = (long) Math.floor(Math.min(Long.MAX_VALUE / 4.0, max + slack));
            model.addLessOrEqual(objective(limit.figure()), rhs);
        }
    }

    LinearExpr objective(Objective o) {
        return switch (o) {
            case LATENCY -> latency;
            case ENERGY -> energy;
            case WRITES -> cells;
            case DRAM -> dram;
            case EDP -> throw new IllegalArgumentException("edp is not linear");
        };
    }

    /** Most copies of an op worth having ({@link Instance#maxCopies}). */
    int maxCopies(OpInfo op) {
        return instance.maxCopies(op);
    }

    /** {@code ns} in time units x FINE, rounded. */
    static long fineTime(double ns) {
        return Math.round(ns * TIME_SCALE * FINE);
    }

    static long[] stepsTable(OpInfo op, int maxCopies) {
        long[] t = new long[maxCopies];
        for (int r = 1; r <= maxCopies; r++) {
            t[r - 1] = (op.positions() + r - 1) / r;
        }
        return t;
    }

    /** Sum over the op's units in p of {@code weight(u) * x[u][p]}, times its copies, as a variable. */
    LinearArgument times(OpInfo op, int p, IntVar copiesVar, java.util.function.ToLongFunction<UnitRef> weight,
                         String name, long cap) {
        LinearExprBuilder once = LinearExpr.newBuilder();
        long max = 0;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            long w = weight.applyAsLong(units.get(u));
            once.addTerm(x[u][p], w);
            max += w;
        }
        if (maxCopies(op) == 1) {
            return once.build();
        }
        IntVar base = model.newIntVar(0, max, name + "1_" + op.index() + "_" + p);
        model.addEquality(base, once.build());
        IntVar product = model.newIntVar(0, Math.min(cap, max * maxCopies(op)), name + "_" + op.index() + "_" + p);
        model.addMultiplicationEquality(product, base, copiesVar);
        return product;
    }

    private long[] indexWeights() {
        long[] w = new long[k];
        for (int p = 0; p < k; p++) {
            w[p] = p;
        }
        return w;
    }

    static LinearExpr weighted(Literal[] lits, long[] w) {
        LinearExprBuilder b = LinearExpr.newBuilder();
        for (int i = 0; i < lits.length; i++) {
            b.addTerm((BoolVar) lits[i], w[i]);
        }
        return b.build();
    }

    private static LinearExpr scaled(LinearExprBuilder b, long factor) {
        return LinearExpr.newBuilder().addTerm(b.build(), factor).build();
    }

    static LinearExprBuilder[] builders(int k) {
        LinearExprBuilder[] b = new LinearExprBuilder[k];
        for (int p = 0; p < k; p++) {
            b[p] = LinearExpr.newBuilder();
        }
        return b;
    }

    /**
     * Hints the solver with a complete solution: the plan's placement and copies are fixed, CP-SAT
     * completes every auxiliary variable, and the whole assignment becomes the hint. A partial hint
     * is often dropped by the solver; a complete one is a first solution to improve on. Its
     * time goes into {@code stats} ({@link TimedSolve}, entries {@code hint...}).
     */
    void completeHint(Plan plan, double seconds, Map<String, Object> stats) {
        int before = model.getBuilder().getConstraintsCount();
        int[] partOf = plan.partitionOfUnits(units.size());
        for (int u = 0; u < units.size(); u++) {
            model.addEquality(x[u][partOf[u]], 1);
        }
        for (int p = 0; p < k; p++) {
            for (OpInfo op : ops) {
                int r = p < plan.partitions().size() ? plan.partitions().get(p).replicasOf(op.index()) : 1;
                model.addEquality(copies[op.index()][p], Math.min(r, maxCopies(op)));
            }
        }
        com.google.ortools.sat.CpSolver solver = new com.google.ortools.sat.CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(0.1, seconds)).setNumWorkers(1).setCatchSigintSignal(false);
        TimedSolve timed = TimedSolve.run(solver, model, null, null);
        timed.putInto(stats, "hint");
        com.google.ortools.sat.CpSolverStatus status = timed.status();
        while (model.getBuilder().getConstraintsCount() > before) {
            model.getBuilder().removeConstraints(model.getBuilder().getConstraintsCount() - 1);
        }
        model.clearHints();
        if (status == com.google.ortools.sat.CpSolverStatus.OPTIMAL || status == com.google.ortools.sat.CpSolverStatus.FEASIBLE) {
            var values = solver.response().getSolutionList();
            var hint = model.getBuilder().getSolutionHintBuilder();
            for (int i = 0; i < values.size(); i++) {
                hint.addVars(i).addValues(values.get(i));
            }
        } else {
            hint(plan);
        }
    }

    /** Hints the solver with a plan's placement and copies only. */
    void hint(Plan plan) {
        int[] partOf = plan.partitionOfUnits(units.size());
        for (int u = 0; u < units.size(); u++) {
            for (int p = 0; p < k; p++) {
                model.addHint(x[u][p], partOf[u] == p);
            }
        }
        for (int p = 0; p < k; p++) {
            for (OpInfo op : ops) {
                int r = p < plan.partitions().size() ? plan.partitions().get(p).replicasOf(op.index()) : 1;
                model.addHint(copies[op.index()][p], Math.min(r, maxCopies(op)));
            }
        }
    }

    /** The plan a solution describes (empty partitions dropped, copies of absent ops dropped). */
    Plan plan(java.util.function.Predicate<Literal> isTrue, java.util.function.ToLongFunction<IntVar> valueOf) {
        List<Partition> parts = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            List<Integer> mine = new ArrayList<>();
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int u = 0; u < units.size(); u++) {
                if (isTrue.test(x[u][p])) {
                    mine.add(u);
                    int op = units.get(u).op();
                    int r = (int) valueOf.applyAsLong(copies[op][p]);
                    if (r > 1) {
                        rep.put(op, r);
                    }
                }
            }
            if (!mine.isEmpty()) {
                parts.add(new Partition(mine, rep));
            }
        }
        return new Plan(parts);
    }

    List<UnitRef> units() {
        return units;
    }

    List<OpInfo> ops() {
        return ops;
    }

    static boolean isConstant(Layer layer) {
        return layer.op() instanceof VectorOp.Parameter;
    }
}
