package org.pimopt.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.EnergyBreakdown;
import org.pimopt.cost.PartitionMetrics;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.sim.SimResult;

/**
 * The best plan in the report: its partitions one by one (ops, copies, crossbars, write and
 * compute time by the cost model and by the simulator) and where its energy goes.
 */
final class PlanTables {
    private PlanTables() {}

    /**
     * One row per partition. {@code sim} is the plan's simulation, or null; the model's columns
     * are {@link PartitionMetrics}, the simulator's {@link SimResult.PartitionStats}.
     */
    static String partitions(Instance instance, Plan plan, SimResult sim) {
        List<PartitionProfile> profiles = plan.profiles(instance);
        BatchMetrics m = plan.evaluate(instance);
        boolean simulated = sim != null && sim.partitions().size() == plan.partitions().size();
        List<HtmlTable.Column> columns = new ArrayList<>(List.of(
                HtmlTable.Column.num("#", ""),
                HtmlTable.Column.text("ops (units here/of the op, x copies)"),
                HtmlTable.Column.num("crossbars", "crossbars occupied, copies included"),
                HtmlTable.Column.num("write", "programming the partition's crossbars, cost model"),
                HtmlTable.Column.num("compute", "the batch through the partition, cost model"),
                HtmlTable.Column.num("DRAM B/sample", "activation bytes loaded and stored per sample, cost model")));
        if (simulated) {
            columns.addAll(List.of(
                    HtmlTable.Column.num("sim start", "when the partition started, from the batch's start"),
                    HtmlTable.Column.num("sim write", "simulated programming"),
                    HtmlTable.Column.num("sim compute", "simulated compute"),
                    HtmlTable.Column.num("sim DRAM bytes", "simulated DRAM traffic of the partition, per batch"),
                    HtmlTable.Column.num("cores", "cores holding its crossbars (* some copy straddles cores)")));
        }
        HtmlTable t = new HtmlTable("ops", columns);
        double write = 0;
        double compute = 0;
        double simWrite = 0;
        double simCompute = 0;
        long simDram = 0;
        for (int p = 0; p < plan.partitions().size(); p++) {
            PartitionMetrics pm = m.partitions().get(p);
            write += pm.writeNs();
            compute += pm.computeNs();
            List<HtmlTable.Cell> row = new ArrayList<>(List.of(
                    HtmlTable.Cell.of(String.valueOf(p)),
                    HtmlTable.Cell.of(SolveReport.ops(instance, plan.partitions().get(p))),
                    HtmlTable.Cell.of(Units.count(profiles.get(p).crossbarsUsed())),
                    HtmlTable.Cell.of(SolveReport.time(pm.writeNs())),
                    HtmlTable.Cell.of(SolveReport.time(pm.computeNs())),
                    HtmlTable.Cell.of(Units.count(profiles.get(p).dramBytesPerSample()))));
            if (simulated) {
                SimResult.PartitionStats s = sim.partitions().get(p);
                simWrite += s.writeNs();
                simCompute += s.computeNs();
                simDram += s.dramBytes();
                row.addAll(List.of(
                        HtmlTable.Cell.of(SolveReport.time(s.startNs())),
                        HtmlTable.Cell.of(SolveReport.time(s.writeNs())),
                        HtmlTable.Cell.of(SolveReport.time(s.computeNs())),
                        HtmlTable.Cell.of(Units.count(s.dramBytes())),
                        HtmlTable.Cell.of(s.coresUsed() + (s.straddled() ? "*" : ""))));
            }
            t.row("", Map.of("partition", String.valueOf(p)), row);
        }
        List<HtmlTable.Cell> total = new ArrayList<>(List.of(HtmlTable.Cell.of(""), HtmlTable.Cell.of("total"),
                HtmlTable.Cell.of(""), HtmlTable.Cell.of(SolveReport.time(write)), HtmlTable.Cell.of(SolveReport.time(compute)),
                HtmlTable.Cell.of("")));
        if (simulated) {
            total.addAll(List.of(HtmlTable.Cell.of(""), HtmlTable.Cell.of(SolveReport.time(simWrite)),
                    HtmlTable.Cell.of(SolveReport.time(simCompute)), HtmlTable.Cell.of(Units.count(simDram)),
                    HtmlTable.Cell.of("")));
        }
        t.footer(total);
        return t.toString();
    }

    /** Energy per sample by where it goes, model beside simulation. */
    static String energy(BatchMetrics model, SimResult sim, int batch) {
        List<HtmlTable.Column> columns = new ArrayList<>(List.of(HtmlTable.Column.text("energy per sample"),
                HtmlTable.Column.num("model", ""), HtmlTable.Column.num("share", "")));
        if (sim != null) {
            columns.addAll(List.of(HtmlTable.Column.num("simulated", ""), HtmlTable.Column.num("share ", "")));
        }
        HtmlTable t = new HtmlTable("", columns);
        String[] names = {"crossbar MVMs", "programming", "DRAM", "vector units", "on-chip transfers", "static"};
        double[] mv = parts(model.energy());
        double[] sv = sim == null ? null : parts(sim.energy());
        for (int i = 0; i < names.length; i++) {
            List<HtmlTable.Cell> row = new ArrayList<>(List.of(HtmlTable.Cell.of(names[i]),
                    HtmlTable.Cell.of(SolveReport.energy(mv[i] / batch)), HtmlTable.Cell.of(share(mv[i], model.energy().totalPj()))));
            if (sv != null) {
                row.addAll(List.of(HtmlTable.Cell.of(SolveReport.energy(sv[i] / batch)),
                        HtmlTable.Cell.of(share(sv[i], sim.energy().totalPj()))));
            }
            t.row("", Map.of(), row);
        }
        List<HtmlTable.Cell> total = new ArrayList<>(List.of(HtmlTable.Cell.of("total"),
                HtmlTable.Cell.of(SolveReport.energy(model.energyPerSamplePj())), HtmlTable.Cell.of("")));
        if (sim != null) {
            total.addAll(List.of(HtmlTable.Cell.of(SolveReport.energy(sim.energyPerSamplePj())), HtmlTable.Cell.of("")));
        }
        t.footer(total);
        return t.toString();
    }

    private static double[] parts(EnergyBreakdown e) {
        return new double[] {e.mvmPj(), e.writePj(), e.dramPj(), e.vectorPj(), e.nocPj(), e.staticPj()};
    }

    private static String share(double part, double total) {
        return total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * part / total);
    }
}
