package org.pimopt.solve.mip;

import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.List;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Rates;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.copies.CopyCounts;

/**
 * What each partition costs in the MILP, and the batch's figures summed over partitions
 * (cost/CostModel.partition; coefficients from cost/Rates, in ns and pJ, unrounded): the slowest
 * stage, the critical path of the first sample, the write time, the cells and weight bytes
 * programmed (only with two partitions or more), DRAM bytes and energy.
 */
final class MipPartitionCost {
    final Lin latency = new Lin();    // ns per batch
    final Lin energy = new Lin();     // plan-dependent pJ per batch
    final Lin cells = new Lin();      // cells written per batch
    final Lin dram = new Lin();       // DRAM bytes per batch

    /** @param multi 1 when the plan has two partitions or more (every partition is then programmed every batch) */
    MipPartitionCost(MPSolver solver, Instance instance, int k, MPVariable[][] x, Lin multi, MipCopies copies,
            MipTraffic traffic) {
        Chip chip = instance.chip();
        List<UnitRef> units = instance.units();
        List<OpInfo> ops = instance.ops();
        int batch = instance.batch();
        double inf = MPSolver.infinity();
        Lin[][] stage = copies.stage;
        Lin[] rows = copies.rows;
        Lin[] cellsIn = copies.cellsIn;
        Lin[] weightBytes = copies.weightBytes;
        Lin[] perSample = traffic.perSample;
        Lin[] perBatch = traffic.perBatch;
        Lin[] noc = traffic.noc;
        Lin[][] layerAt = traffic.layerAt;
        CopyCounts.Density density = CopyCounts.Density.of(units);
        double rowsPerXbar = density.rowsPerCrossbar();
        double cellsPerXbar = density.cellsPerCrossbar();
        double bytesPerXbar = density.bytesPerCrossbar();

        // 6. Time, writes and energy per partition (cost/CostModel.partition; coefficients from cost/Rates).
        Rates rates = Rates.of(chip);
        double tMvm = rates.mvmNs();
        double tByte = rates.dramNsPerByte();
        double tRow = rates.rowWriteNs();
        double capacity = chip.totalCrossbars();
        // The critical path of each partition's dataflow, with the on-chip transfers on its edges.
        MPVariable[] paths = MipCriticalPath.post(solver, instance, k, x, copies, traffic);
        for (int p = 0; p < k; p++) {
            MPVariable bottleneck = solver.makeNumVar(0, inf, "bottleneck_p" + p);
            for (OpInfo op : ops) {
                int o = op.index();
                Lin.geq(solver, Lin.of(bottleneck), new Lin().add(stage[o][p], tMvm), "slowest_o" + o + "_p" + p);
            }
            MPVariable criticalPath = paths[p];
            Lin fill = new Lin().add(criticalPath, 1);
            Lin.geq(solver, Lin.of(bottleneck), new Lin().add(perSample[p], tByte), "slowestio_p" + p);
            // The pooled vector stage (fill and slowest) and the first sample's DRAM traffic.
            Lin vector = new Lin();
            for (Layer l : instance.network().layers()) {
                if (layerAt[l.index()] != null) {
                    vector.add(layerAt[l.index()][p], l.vectorOps() * rates.vectorNsPerOp());
                }
            }
            Lin.geq(solver, Lin.of(bottleneck), vector, "slowestvector_p" + p);
            fill.add(vector).add(perSample[p], tByte);
            // Writes count only with two or more partitions. Units in p >= 1 imply that; partition 0
            // subtracts the most it can hold when it is alone (multi = 0).
            Lin off = p == 0 ? Lin.constant(1).add(multi, -1) : new Lin();
            MPVariable write = solver.makeNumVar(0, inf, "write_p" + p);
            Lin.geq(solver, Lin.of(write), new Lin().add(rows[p], tRow).add(off, -tRow * rowsPerXbar * capacity), "writerows_p" + p);
            Lin.geq(solver, Lin.of(write), new Lin().add(weightBytes[p], tByte).add(off, -tByte * bytesPerXbar * capacity),
                    "writebytes_p" + p);
            // No unit is written before its weights arrive: each unit's time programmed alone.
            for (UnitRef ref : units) {
                double unitNs = CostModel.unitProgramNs(chip, ref.unit());
                Lin.geq(solver, Lin.of(write), new Lin().add(x[ref.id()][p], unitNs).add(off, -unitNs),
                        "writeunit_u" + ref.id() + "_p" + p);
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
}
