package org.pimopt.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.EnergyBreakdown;
import org.pimopt.plan.PlanIo;
import org.pimopt.sim.SimResult;

/** Tables and CSV of a simulation, set beside the analytic model's figures. */
public final class SimReport {
    private SimReport() {}

    /** Relative error of the model against the simulation, in percent ("-" when the simulation is zero). */
    public static String error(double model, double sim) {
        if (sim == 0) {
            return model == 0 ? "0.00%" : "-";
        }
        return String.format(Locale.ROOT, "%+.2f%%", 100 * (model - sim) / sim);
    }

    /** The headline figures: model, simulation, relative error. */
    public static String summary(BatchMetrics model, SimResult sim) {
        TextTable t = new TextTable("metric", ">model", ">simulated", ">model error");
        t.row("latency/batch", SolveReport.time(model.latencyNs()), SolveReport.time(sim.latencyNs()),
                error(model.latencyNs(), sim.latencyNs()));
        t.row("samples/s", SolveReport.sig(model.throughputPerSecond()), SolveReport.sig(sim.throughputPerSecond()),
                error(model.throughputPerSecond(), sim.throughputPerSecond()));
        t.row("energy/sample", SolveReport.energy(model.energyPerSamplePj()), SolveReport.energy(sim.energyPerSamplePj()),
                error(model.energyPerSamplePj(), sim.energyPerSamplePj()));
        t.row("EDP (pJ*ns)", SolveReport.sig(model.edp()), SolveReport.sig(sim.edp()), error(model.edp(), sim.edp()));
        t.row("DRAM bytes", Units.count(model.dramBytes()), Units.count(sim.dramBytes()),
                error(model.dramBytes(), sim.dramBytes()));
        t.row("cells written", Units.count(model.cellsWritten()), Units.count(sim.cellsWritten()),
                error(model.cellsWritten(), sim.cellsWritten()));
        EnergyBreakdown m = model.energy();
        EnergyBreakdown s = sim.energy();
        energyRow(t, "  MVM energy", m.mvmPj(), s.mvmPj());
        energyRow(t, "  write energy", m.writePj(), s.writePj());
        energyRow(t, "  DRAM energy", m.dramPj(), s.dramPj());
        energyRow(t, "  vector energy", m.vectorPj(), s.vectorPj());
        energyRow(t, "  NoC energy", m.nocPj(), s.nocPj());
        energyRow(t, "  static energy", m.staticPj(), s.staticPj());
        return t.toString() + String.format(Locale.ROOT,
                "crossbar utilization %.1f%%, core utilization %.1f%%, most writes of one crossbar per batch %d, %,d events,"
                        + " effects: %s%n",
                100 * sim.crossbarUtilization(), 100 * sim.coreUtilization(), sim.worstCrossbarWrites(), sim.events(),
                sim.effects());
    }

    private static void energyRow(TextTable t, String name, double model, double sim) {
        t.row(name, SolveReport.energy(model), SolveReport.energy(sim), error(model, sim));
    }

    /** One line per partition: when it started, programming and compute time, model beside simulation. */
    public static String partitions(BatchMetrics model, SimResult sim) {
        TextTable t = new TextTable(">#", ">start", ">write (model)", ">write (sim)", ">compute (model)", ">compute (sim)",
                ">crossbars", ">cores", ">DRAM bytes");
        for (SimResult.PartitionStats p : sim.partitions()) {
            var mp = model.partitions().get(p.index());
            t.row(p.index(), SolveReport.time(p.startNs()), SolveReport.time(mp.writeNs()), SolveReport.time(p.writeNs()),
                    SolveReport.time(mp.computeNs()), SolveReport.time(p.computeNs()), Units.count(p.crossbarsUsed()),
                    p.coresUsed() + (p.straddled() ? "*" : ""), Units.count(p.dramBytes()));
        }
        return t.toString();
    }

    /** Per-layer breakdown as CSV. */
    public static String layersCsv(SimResult sim) {
        StringBuilder out = new StringBuilder("layer,kind,partitions,mvms,vector_ops,busy_ns,first_start_ns,last_end_ns\n");
        for (SimResult.LayerStats l : sim.layers()) {
            out.append(csv(l.name())).append(',').append(l.kind()).append(',').append(csv(l.partitions())).append(',')
                    .append(l.mvms()).append(',').append(l.vectorOps()).append(',')
                    .append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f", l.busyNs(), l.firstStartNs(), l.lastEndNs()))
                    .append('\n');
        }
        return out.toString();
    }

    public static void writeLayersCsv(Path target, SimResult sim) {
        PlanIo.writeAtomically(target, layersCsv(sim).getBytes(StandardCharsets.UTF_8));
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
