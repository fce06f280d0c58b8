package org.pimopt.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.sim.SimResult;
import org.pimopt.solve.SolveResult;

/** The comparison table of {@code solve}, the best plan's partitions, and the JSON summary. */
public final class SolveReport {
    private SolveReport() {}

    public static String table(Instance instance, List<SolveResult> results) {
        return table(instance, results, Map.of());
    }

    /**
     * The comparison table; with simulations (by strategy name), each row also shows the simulated
     * latency and energy per sample and the model's relative error against them.
     */
    public static String table(Instance instance, List<SolveResult> results, Map<String, SimResult> sims) {
        return table(instance, results, sims, Map.of());
    }

    /**
     * The table, and after it a line for each strategy whose plan was not simulated
     * ({@code notSimulated}, by strategy: why), whose simulated columns stay empty.
     */
    public static String table(Instance instance, List<SolveResult> results, Map<String, SimResult> sims,
                               Map<String, String> notSimulated) {
        SolveResult best = SolveResult.best(instance, results);
        Goal goal = instance.goal();
        List<String> columns = new ArrayList<>(List.of("strategy", "status", ">" + goal.primary().label(), ">gap",
                ">latency/batch", ">samples/s", ">energy/sample", ">EDP (pJ*ns)", ">cells written", ">DRAM bytes",
                ">partitions", ">vs best", ">time"));
        boolean simulated = !sims.isEmpty() || !notSimulated.isEmpty();
        if (simulated) {
            columns.addAll(List.of(">sim latency", ">err", ">sim energy/sample", ">err "));
        }
        TextTable t = new TextTable(columns.toArray(new String[0]));
        for (SolveResult r : results) {
            List<Object> row = new ArrayList<>();
            if (r.plan() == null) {
                row.addAll(List.of(r.strategy(), status(r), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", ms(r.wallMillis())));
                if (simulated) {
                    row.addAll(List.of("-", "-", "-", "-"));
                }
                t.row(row.toArray());
                continue;
            }
            BatchMetrics m = r.metrics();
            double ratio = goal.primaryValue(m) / goal.primaryValue(best.metrics());
            String gap = r.gap() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * r.gap());
            row.addAll(List.of(r.strategy(), status(r), sig(r.objective()), gap, time(m.latencyNs()), sig(m.throughputPerSecond()),
                    energy(m.energyPerSamplePj()), sig(m.edp()), Units.count(m.cellsWritten()), Units.count(m.dramBytes()),
                    r.plan().partitions().size(), String.format(Locale.ROOT, "%.3fx", ratio), ms(r.wallMillis())));
            if (simulated) {
                SimResult s = sims.get(r.strategy());
                if (s == null) {
                    row.addAll(List.of("-", "-", "-", "-"));
                } else {
                    row.addAll(List.of(time(s.latencyNs()), SimReport.error(m.latencyNs(), s.latencyNs()),
                            energy(s.energyPerSamplePj()), SimReport.error(m.energyPerSamplePj(), s.energyPerSamplePj())));
                }
            }
            t.row(row.toArray());
        }

        StringBuilder out = new StringBuilder(t.toString());
        if (simulated) {
            out.append("sim: discrete-event simulation, pipeline schedule, physical effects on; err = (model - sim) / sim\n");
        }
        notSimulated.forEach((strategy, why) -> out.append("sim: ").append(strategy).append(": ").append(why).append('\n'));
        for (SolveResult r : results) {
            if (!r.note().isEmpty() && !r.note().equals("heuristic")) {
                out.append(r.strategy()).append(": ").append(r.note()).append('\n');
            }
        }
        return out.toString();
    }

    /** The status, with what proved an OPTIMAL when that is not the strategy's own search: "OPTIMAL (dp-lattice)". */
    static String status(SolveResult r) {
        return r.provenBy().isEmpty() || r.provenBy().equals(r.strategy()) ? r.status().name()
                : r.status().name() + " (" + r.provenBy() + ")";
    }

    /** One line per partition of a plan: its ops (units held / units of the op), crossbars, copies. */
    public static String partitions(Instance instance, Plan plan) {
        List<PartitionProfile> profiles = plan.profiles(instance);
        BatchMetrics m = plan.evaluate(instance);
        TextTable t = new TextTable(">#", "ops (units here/of op, x copies)", ">crossbars", ">write", ">compute", ">DRAM B/sample");
        for (int p = 0; p < plan.partitions().size(); p++) {
            String ops = ops(instance, plan.partitions().get(p));
            String opsText = ops.length() > 90 ? ops.substring(0, 87) + "..." : ops;
            t.row(p, opsText, Units.count(profiles.get(p).crossbarsUsed()), time(m.partitions().get(p).writeNs()),
                    time(m.partitions().get(p).computeNs()), Units.count(profiles.get(p).dramBytesPerSample()));
        }
        return t.toString();
    }

    /** "conv1, layer1.0.conv1 (3/9) x2": a partition's ops in op order, with their share of units and copies. */
    static String ops(Instance instance, Partition part) {
        java.util.Map<Integer, Integer> count = new java.util.TreeMap<>();
        for (int u : part.units()) {
            count.merge(instance.units().get(u).op(), 1, Integer::sum);
        }
        StringBuilder ops = new StringBuilder();
        for (var e : count.entrySet()) {
            OpInfo op = instance.ops().get(e.getKey());
            if (ops.length() > 0) {
                ops.append(", ");
            }
            ops.append(op.name());
            if (e.getValue() != op.unitCount()) {
                ops.append(" (").append(e.getValue()).append('/').append(op.unitCount()).append(')');
            }
            if (part.replicasOf(op.index()) > 1) {
                ops.append(" x").append(part.replicasOf(op.index()));
            }
        }
        return ops.toString();
    }

    public static String json(Instance instance, List<SolveResult> results) {
        return json(instance, results, Map.of());
    }

    public static String json(Instance instance, List<SolveResult> results, Map<String, SimResult> sims) {
        return json(instance, results, sims, Map.of());
    }

    public static String json(Instance instance, List<SolveResult> results, Map<String, SimResult> sims,
                              Map<String, String> notSimulated) {
        return json(instance, results, sims, notSimulated, Map.of());
    }

    /**
     * The summary; a plan that was not simulated carries {@code "notSimulated"}: why; an OPTIMAL
     * that {@code solve --verify} re-checked carries {@code "verification"}: the verdict and each check.
     */
    public static String json(Instance instance, List<SolveResult> results, Map<String, SimResult> sims,
                              Map<String, String> notSimulated, Map<String, String> verification) {
        JsonObject root = new JsonObject();
        root.addProperty("network", instance.network().name());
        root.addProperty("hardware", instance.chip().name());
        root.addProperty("batch", instance.batch());
        root.addProperty("objective", instance.goal().toString());
        if (!instance.goal().limits().isEmpty()) {
            JsonArray limits = new JsonArray();
            for (org.pimopt.cost.Limit l : instance.goal().limits().limits()) {
                JsonObject o = new JsonObject();
                o.addProperty("stated", l.stated());
                o.addProperty("figure", l.figure().label());
                o.addProperty("max", l.max());
                o.addProperty("unit", l.figure().unit());
                limits.add(o);
            }
            root.add("limits", limits);
        }
        root.addProperty("units", instance.units().size());
        SolveResult best = SolveResult.best(instance, results);
        if (best != null) {
            root.addProperty("best", best.strategy());
        }
        JsonArray rows = new JsonArray();
        for (SolveResult r : results) {
            JsonObject o = new JsonObject();
            o.addProperty("strategy", r.strategy());
            o.addProperty("status", r.status().name());
            if (!r.provenBy().isEmpty()) {
                o.addProperty("provenBy", r.provenBy());
            }
            o.addProperty("note", r.note());
            o.addProperty("wallMillis", r.wallMillis());
            if (r.plan() != null) {
                BatchMetrics m = r.metrics();
                o.addProperty("objective", r.objective());
                if (r.bound() != null) {
                    o.addProperty("bound", r.bound());
                    o.addProperty("gap", r.gap());
                }
                o.addProperty("latencyNs", m.latencyNs());
                o.addProperty("throughputPerS", m.throughputPerSecond());
                o.addProperty("energyPj", m.energy().totalPj());
                o.addProperty("energyPerSamplePj", m.energyPerSamplePj());
                o.addProperty("edpPjNs", m.edp());
                o.addProperty("cellsWritten", m.cellsWritten());
                o.addProperty("dramBytes", m.dramBytes());
                o.addProperty("partitions", r.plan().partitions().size());
                JsonObject energy = new JsonObject();
                energy.addProperty("mvmPj", m.energy().mvmPj());
                energy.addProperty("writePj", m.energy().writePj());
                energy.addProperty("dramPj", m.energy().dramPj());
                energy.addProperty("vectorPj", m.energy().vectorPj());
                energy.addProperty("nocPj", m.energy().nocPj());
                energy.addProperty("staticPj", m.energy().staticPj());
                o.add("energyBreakdown", energy);
            }
            SimResult sim = sims.get(r.strategy());
            if (sim != null) {
                JsonObject so = new JsonObject();
                so.addProperty("schedule", sim.schedule().label());
                so.addProperty("effects", sim.effects());
                so.addProperty("latencyNs", sim.latencyNs());
                so.addProperty("throughputPerS", sim.throughputPerSecond());
                so.addProperty("energyPj", sim.energy().totalPj());
                so.addProperty("energyPerSamplePj", sim.energyPerSamplePj());
                so.addProperty("edpPjNs", sim.edp());
                so.addProperty("crossbarUtilization", sim.crossbarUtilization());
                so.addProperty("coreUtilization", sim.coreUtilization());
                so.addProperty("events", sim.events());
                o.add("simulated", so);
            } else if (notSimulated.containsKey(r.strategy())) {
                o.addProperty("notSimulated", notSimulated.get(r.strategy()));
            }
            if (verification.containsKey(r.strategy())) {
                o.addProperty("verification", verification.get(r.strategy()));
            }
            JsonObject stats = new JsonObject();
            r.stats().forEach((k, v) -> stats.addProperty(k, String.valueOf(v)));
            o.add("stats", stats);
            rows.add(o);
        }
        root.add("results", rows);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    static String sig(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }

    /** ns with a readable unit. */
    public static String time(double ns) {
        if (ns >= 1e9) {
            return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
        }
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
        }
        if (ns >= 1e3) {
            return String.format(Locale.ROOT, "%.3f us", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f ns", ns);
    }

    /** pJ with a readable unit. */
    public static String energy(double pj) {
        if (pj >= 1e9) {
            return String.format(Locale.ROOT, "%.3f mJ", pj / 1e9);
        }
        if (pj >= 1e6) {
            return String.format(Locale.ROOT, "%.3f uJ", pj / 1e6);
        }
        if (pj >= 1e3) {
            return String.format(Locale.ROOT, "%.3f nJ", pj / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f pJ", pj);
    }

    static String ms(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
