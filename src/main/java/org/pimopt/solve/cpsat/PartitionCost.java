package org.pimopt.solve.cpsat;

import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import com.google.ortools.sat.Literal;
import java.util.List;
import java.util.function.ToLongFunction;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Rates;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * Copies per op per partition and what they cost, in CP-SAT: crossbars within the chip, unit
 * copies packed into cores ({@link Packing}), each op's stage, the critical path and the slowest
 * stage, the write time, and per partition its time, cells, DRAM bytes and energy
 * (formulations/partitioning.md, "Time of a partition"; cost/CostModel.partition). Where the units
 * run and what moves is read from a {@link Placement} and {@link Flows}: decisions in the
 * partitioning model ({@link CpSatModel}), constants when a plan's unit sets are held
 * ({@link HeldPartition}), so both state these families once, here.
 */
final class PartitionCost {
    /** Where the units run, as the copy and time families read it. */
    interface Placement {
        int partitions();

        /** Op {@code op} computes in partition {@code p}; null when it certainly does not (it is then left out). */
        Literal active(int op, int p);

        /** Unit {@code u} runs in partition {@code p}. */
        Literal unitIn(int u, int p);

        /** Sum over the op's units in p of {@code weight(u)}, times its copies. */
        LinearArgument times(OpInfo op, int p, IntVar copies, ToLongFunction<UnitRef> weight, String name, long cap);

        /** Weight bytes read from DRAM to program partition {@code p} (each unit once). */
        LinearExpr weightBytes(int p);

        /** The plan has two partitions or more: weights are written every batch. */
        Literal multi();
    }

    /** The DRAM traffic, on-chip transfers and vector work of each partition ({@link Traffic}), with their maxima. */
    interface Flows {
        LinearArgument bytesPerSample(int p);

        LinearArgument bytesPerBatch(int p);

        LinearArgument nocBytes(int p);

        LinearExpr vectorOps(int p);

        long maxBytesPerSample();

        long maxVectorOps();

        /**
         * Posts {@code path >= } every path of partition {@code p}'s dataflow, in time units: op
         * {@code o} takes {@code stageTime[o]} (null: it is never in {@code p}), and an edge into a
         * layer that receives its tensor over the NoC the transfer time of the tensor's slices made in
         * {@code p} (formulations/partitioning.md, "Critical path"). {@code maxTime} bounds any path.
         */
        void postCriticalPath(int p, LinearExpr[] stageTime, IntVar path, long maxTime);

        /** The most transfer time, in time units, any path of a partition can carry. */
        long maxTransferTime();
    }

    private final CpModel model;
    private final Instance instance;
    private final Chip chip;
    private final Placement placement;
    private final List<UnitRef> units;
    private final List<OpInfo> ops;
    private final int k;
    /** copies[o][p]; null where the placement says o is not in p. */
    final IntVar[][] copies;
    private final LinearExprBuilder[] rowsProgrammed;
    private final LinearExprBuilder[] cellsProgrammed;
    LinearExpr latency;
    LinearExpr energy;
    LinearExpr cells;
    LinearExpr dram;
    LinearExpr nocEnergy;

    /** The copies, capacity and packing families; {@link #time} adds the rest once the flows are known. */
    PartitionCost(CpModel model, Instance instance, Placement placement) {
        this.model = model;
        this.instance = instance;
        this.chip = instance.chip();
        this.placement = placement;
        this.units = instance.units();
        this.ops = instance.ops();
        this.k = placement.partitions();
        copies = new IntVar[ops.size()][k];
        long capacity = chip.totalCrossbars();
        LinearExprBuilder[] crossbarsUsed = CpSatModel.builders(k);
        rowsProgrammed = CpSatModel.builders(k);
        cellsProgrammed = CpSatModel.builders(k);
        Packing packing = new Packing(model, placement, units, chip, k);
        for (OpInfo op : ops) {
            int maxCopies = instance.maxCopies(op);
            for (int p = 0; p < k; p++) {
                if (placement.active(op.index(), p) == null) {
                    continue;
                }
                copies[op.index()][p] = model.newIntVar(1, maxCopies, "copies_" + op.index() + "_" + p);
                IntVar r = copies[op.index()][p];
                crossbarsUsed[p].add(placement.times(op, p, r, ref -> (long) ref.crossbars(), "xb", capacity));
                rowsProgrammed[p].add(placement.times(op, p, r, ref -> ref.unit().rowsProgrammed(), "rows", Long.MAX_VALUE));
                cellsProgrammed[p].add(placement.times(op, p, r, ref -> ref.unit().cellsWritten(), "cells", Long.MAX_VALUE));
                packing.addOp(op, p, r);
            }
        }
        for (int p = 0; p < k; p++) {
            model.addLessOrEqual(crossbarsUsed[p], capacity);
        }
        packing.post();
    }

    /** Time per partition (cost/CostModel.partition; coefficients from cost/Rates), and the totals. */
    void time(Flows traffic) {
        int n = units.size();
        int batch = instance.batch();
        Literal multi = placement.multi();
        Rates rates = Rates.of(chip);
        long mvmTime = Math.round(rates.mvmNs() * CpSatModel.TIME_SCALE);
        long byteTime = Math.round(rates.dramNsPerByte() * CpSatModel.TIME_SCALE);
        long rowTime = Math.round(rates.rowWriteNs() * CpSatModel.TIME_SCALE);
        long vectorTime = CpSatModel.fineTime(rates.vectorNsPerOp());
        long fine = CpSatModel.FINE;
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
        long maxVector = traffic.maxVectorOps() * vectorTime / fine + 1;
        long maxPath = maxTime + traffic.maxTransferTime() + 1;
        long maxRows = 0;
        long maxCells = 0;
        long maxWeightBytes = 0;
        // Per unit, its time programmed alone (cost/CostModel.unitProgramNs); per op, whether its units agree.
        long[] unitProgram = new long[n];
        long maxUnitProgram = 0;
        for (UnitRef u : units) {
            maxRows += u.unit().rowsProgrammed() * instance.maxCopies(ops.get(u.op()));
            maxCells += u.unit().cellsWritten() * instance.maxCopies(ops.get(u.op()));
            maxWeightBytes += u.unit().weightBytes();
            unitProgram[u.id()] = (long) Math.ceil(CostModel.unitProgramNs(chip, u.unit()) * CpSatModel.TIME_SCALE);
            maxUnitProgram = Math.max(maxUnitProgram, unitProgram[u.id()]);
        }
        long writeBound = maxRows * rowTime + maxWeightBytes * byteTime + maxUnitProgram + 1;
        long slowestBound = Math.max(Math.max(maxTime, maxIo), maxVector);
        long partitionBound = maxPath + maxVector + (batch - 1L) * slowestBound + writeBound + 2 * maxIo + 1;
        boolean[] unitsAgree = new boolean[ops.size()];
        for (OpInfo op : ops) {
            unitsAgree[op.index()] = java.util.stream.IntStream.rangeClosed(op.firstUnit(), op.lastUnit())
                    .allMatch(u -> unitProgram[u] == unitProgram[op.firstUnit()]);
        }
        for (int p = 0; p < k; p++) {
            IntVar bottleneck = model.newIntVar(0, slowestBound, "bottleneck_" + p);
            LinearExprBuilder fill = LinearExpr.newBuilder();
            // The critical path of the partition's dataflow with the on-chip transfers on its edges:
            // an op finishes its first sample its stage after what it reads has crossed to it.
            IntVar criticalPath = model.newIntVar(0, maxPath, "critical_path_" + p);
            LinearExpr[] stageTime = new LinearExpr[ops.size()];
            for (OpInfo op : ops) {
                Literal active = placement.active(op.index(), p);
                if (active == null) {
                    continue;
                }
                long[] table = CpSatModel.stepsTable(op, instance.maxCopies(op));
                IntVar steps = model.newIntVar(1, op.positions(), "steps_" + op.index() + "_" + p);
                model.addElement(LinearExpr.affine(copies[op.index()][p], 1, -1), table, steps);
                IntVar stage = model.newIntVar(0, op.positions(), "stage_" + op.index() + "_" + p);
                model.addGreaterOrEqual(stage, steps).onlyEnforceIf(active);
                model.addGreaterOrEqual(LinearExpr.term(bottleneck, 1), LinearExpr.term(stage, mvmTime));
                stageTime[op.index()] = LinearExpr.term(stage, mvmTime);
            }
            traffic.postCriticalPath(p, stageTime, criticalPath, maxPath);
            fill.add(criticalPath);
            // The pooled vector stage: in the fill and a candidate for the slowest stage.
            IntVar vector = model.newIntVar(0, maxVector, "vector_" + p);
            model.addGreaterOrEqual(LinearExpr.term(vector, fine),
                    LinearExpr.newBuilder().addTerm(traffic.vectorOps(p), vectorTime).build());
            model.addGreaterOrEqual(bottleneck, vector);
            fill.add(vector);
            // The first sample's DRAM traffic.
            fill.addTerm(traffic.bytesPerSample(p), byteTime);
            model.addGreaterOrEqual(bottleneck, LinearExpr.term(traffic.bytesPerSample(p), byteTime));
            LinearExpr weightBytes = placement.weightBytes(p);
            IntVar write = model.newIntVar(0, writeBound, "write_" + p);
            model.addGreaterOrEqual(LinearExpr.term(write, 1), scaled(rowsProgrammed[p], rowTime)).onlyEnforceIf(multi);
            model.addGreaterOrEqual(LinearExpr.term(write, 1), LinearExpr.newBuilder().addTerm(weightBytes, byteTime).build())
                    .onlyEnforceIf(multi);
            // No unit is written before its weights arrive: each unit's time programmed alone (one
            // constraint per op when its units agree, as they mostly do).
            for (OpInfo op : ops) {
                if (placement.active(op.index(), p) == null) {
                    continue;
                }
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    Literal in = unitsAgree[op.index()] ? placement.active(op.index(), p) : placement.unitIn(u, p);
                    model.addGreaterOrEqual(write, unitProgram[u]).onlyEnforceIf(new Literal[] {in, multi});
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
            model.addGreaterOrEqual(LinearExpr.term(weightsCounted, 1), weightBytes).onlyEnforceIf(multi);
            cellsTotal.add(cellsCounted);
            dramTotal.addTerm(traffic.bytesPerSample(p), batch).add(traffic.bytesPerBatch(p)).add(weightsCounted);
            energyTotal.addTerm(cellsCounted, Math.round(chip.writeEnergyPjPerCell() * CpSatModel.ENERGY_SCALE));
            energyTotal.addTerm(traffic.bytesPerSample(p), Math.round(batch * chip.dramPjPerByte() * CpSatModel.ENERGY_SCALE));
            energyTotal.addTerm(traffic.bytesPerBatch(p), Math.round(chip.dramPjPerByte() * CpSatModel.ENERGY_SCALE));
            energyTotal.addTerm(weightsCounted, Math.round(chip.dramPjPerByte() * CpSatModel.ENERGY_SCALE));
            long nocPerByte = Math.round(batch * instance.averageHops() * chip.pjPerByteHop() * CpSatModel.ENERGY_SCALE);
            energyTotal.addTerm(traffic.nocBytes(p), nocPerByte);
            nocEnergyTotal.addTerm(traffic.nocBytes(p), nocPerByte);
        }
        latency = total.build();
        IntVar latencyVar = model.newIntVar(0, partitionBound * k, "latency");
        model.addEquality(latencyVar, latency);
        // Static power over the batch: W x ns = 1e3 pJ.
        energyTotal.addTerm(latencyVar, Math.round(chip.staticPowerW() * 1e3 * CpSatModel.ENERGY_SCALE / CpSatModel.TIME_SCALE));
        energy = energyTotal.build();
        cells = cellsTotal.build();
        dram = dramTotal.build();
        nocEnergy = nocEnergyTotal.build();
    }

    private static LinearExpr scaled(LinearExprBuilder b, long factor) {
        return LinearExpr.newBuilder().addTerm(b.build(), factor).build();
    }
}
