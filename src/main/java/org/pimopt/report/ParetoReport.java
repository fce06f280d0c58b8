package org.pimopt.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Objective;
import org.pimopt.sim.SimResult;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.pareto.ParetoFront;
import org.pimopt.solve.pareto.ParetoPoint;

/**
 * A front and the heuristics' plans beside it as {@code pareto.csv} and as the {@code pareto} part of
 * {@code summary.json} (formulations/pareto.md). Front points are named {@code pareto-1} (least
 * {@code f}) to {@code pareto-n} (least {@code g}); each heuristic's row says how much worse it is in
 * each goal than the nearest front point that dominates it.
 */
public final class ParetoReport {
    private ParetoReport() {}

    /** The name of the i-th point (0-based) in tables, plan files and simulations. */
    public static String pointName(int i) {
        return "pareto-" + (i + 1);
    }

    /** {@code latency_ns}, {@code energy_pj}, {@code writes_cells}, {@code dram_bytes}: a CSV column. */
    public static String column(Objective o) {
        return switch (o) {
            case LATENCY -> "latency_ns";
            case ENERGY -> "energy_pj";
            case WRITES -> "writes_cells";
            case DRAM -> "dram_bytes";
            case EDP -> "edp_pj_ns";
        };
    }

    /**
     * One line per front point, then one per heuristic plan; model figures per batch, the simulated
     * latency and energy where the plan was simulated.
     *
     * @param planFiles plan file (relative to the output folder) by point name
     */
    public static String csv(ParetoFront front, List<SolveResult> heuristics, Map<String, SimResult> sims,
                             Map<String, String> planFiles) {
        Objective f = front.goals().f();
        Objective g = front.goals().g();
        StringBuilder csv = new StringBuilder("kind,name,how,status,proven_by,scope,gap," + column(g) + "_limit,partitions,"
                + column(f) + "," + column(g) + ",sim_latency_ns,sim_energy_pj,nearest_point,excess_" + f.label() + ",excess_"
                + g.label() + ",plan\n");
        for (int i = 0; i < front.points().size(); i++) {
            ParetoPoint p = front.points().get(i);
            String name = pointName(i);
            csv.append(String.join(",", "front", name, quote(p.how()), p.status().name(), p.provenBy(), quote(p.scope()), num(p.gap()),
                    Double.isFinite(p.limit()) ? num(p.limit()) : "", String.valueOf(p.plan().partitions().size()),
                    num(f.of(p.metrics())), num(g.of(p.metrics())), simLatency(sims.get(name)), simEnergy(sims.get(name)),
                    "", "", "", planFiles.getOrDefault(name, ""))).append('\n');
        }
        for (SolveResult r : heuristics) {
            if (r.plan() == null) {
                continue;
            }
            ParetoFront.Distance d = front.distance(r.metrics());
            csv.append(String.join(",", "heuristic", r.strategy(), "", r.status().name(), "", "", "", "",
                    String.valueOf(r.plan().partitions().size()), num(f.of(r.metrics())), num(g.of(r.metrics())),
                    simLatency(sims.get(r.strategy())), simEnergy(sims.get(r.strategy())),
                    d == null ? "" : pointName(d.point() - 1), d == null ? "" : num(d.f()), d == null ? "" : num(d.g()), ""))
                    .append('\n');
        }
        return csv.toString();
    }

    /** The {@code pareto} object of summary.json: the goals, how the sweep ended, the points with their plans, the heuristics. */
    public static JsonObject json(ParetoFront front, List<SolveResult> heuristics, Map<String, SimResult> sims,
                                  Map<String, String> planFiles) {
        JsonObject o = new JsonObject();
        o.addProperty("goals", front.goals().label());
        o.addProperty("method", "epsilon-constraint: each point the lexicographic optimum of (" + front.goals().label()
                + ") under a limit on " + front.goals().g().label() + ", by the exact portfolio (formulations/pareto.md)");
        o.addProperty("complete", front.complete());
        o.addProperty("stopped", front.stopped());
        o.addProperty("subSolves", front.solves());
        o.addProperty("eps", front.eps());
        o.addProperty("millis", front.millis());
        o.addProperty("proven", front.proven());
        JsonArray points = new JsonArray();
        for (int i = 0; i < front.points().size(); i++) {
            ParetoPoint p = front.points().get(i);
            String name = pointName(i);
            JsonObject j = figures(p.metrics(), sims.get(name));
            j.addProperty("name", name);
            j.addProperty("how", p.how());
            j.addProperty("status", p.status().name());
            j.addProperty("proven", p.proven());
            j.addProperty("scope", p.scope());
            if (!p.provenBy().isEmpty()) {
                j.addProperty("provenBy", p.provenBy());
            }
            if (p.gap() != null) {
                j.addProperty("gap", p.gap());
            }
            if (Double.isFinite(p.limit())) {
                j.addProperty("limit", p.limit());
            }
            j.addProperty("partitions", p.plan().partitions().size());
            j.addProperty("millis", p.millis());
            if (planFiles.containsKey(name)) {
                j.addProperty("plan", planFiles.get(name));
            }
            j.addProperty("note", p.note());
            points.add(j);
        }
        o.add("points", points);
        JsonArray hs = new JsonArray();
        for (SolveResult r : heuristics) {
            if (r.plan() == null) {
                continue;
            }
            JsonObject j = figures(r.metrics(), sims.get(r.strategy()));
            j.addProperty("name", r.strategy());
            j.addProperty("partitions", r.plan().partitions().size());
            ParetoFront.Distance d = front.distance(r.metrics());
            if (d != null) {
                j.addProperty("nearestPoint", pointName(d.point() - 1));
                j.addProperty("excess." + front.goals().f().label(), d.f());
                j.addProperty("excess." + front.goals().g().label(), d.g());
            }
            hs.add(j);
        }
        o.add("heuristics", hs);
        return o;
    }

    private static JsonObject figures(BatchMetrics m, SimResult sim) {
        JsonObject j = new JsonObject();
        j.addProperty("latencyNs", m.latencyNs());
        j.addProperty("energyPj", m.energy().totalPj());
        j.addProperty("cellsWritten", m.cellsWritten());
        j.addProperty("dramBytes", m.dramBytes());
        if (sim != null) {
            JsonObject s = new JsonObject();
            s.addProperty("latencyNs", sim.latencyNs());
            s.addProperty("energyPj", sim.energy().totalPj());
            j.add("simulated", s);
        }
        return j;
    }

    private static String simLatency(SimResult s) {
        return s == null ? "" : num(s.latencyNs());
    }

    private static String simEnergy(SimResult s) {
        return s == null ? "" : num(s.energy().totalPj());
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.9g", v);
    }

    private static String quote(String s) {
        return s.contains(",") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The front's points as an HTML table for the report page: each point's figures, status, prover and gap. */
    public static String html(ParetoFront front) {
        org.pimopt.solve.pareto.ParetoGoals goals = front.goals();
        StringBuilder out = new StringBuilder("<table><thead><tr><th>point</th><th>how</th><th>")
                .append(Html.text(goals.f().label() + " (" + goals.f().unit() + ")")).append("</th><th>")
                .append(Html.text(goals.g().label() + " (" + goals.g().unit() + ")"))
                .append("</th><th>status</th><th>proven by</th><th>gap</th><th>partitions</th></tr></thead><tbody>");
        for (int i = 0; i < front.points().size(); i++) {
            org.pimopt.solve.pareto.ParetoPoint p = front.points().get(i);
            out.append("<tr><td>").append(Html.text(pointName(i))).append("</td><td>").append(Html.text(p.how()))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.6g", goals.f(p.metrics())))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.6g", goals.g(p.metrics())))
                    .append("</td><td>").append(Html.text(p.proven() ? "on the front" : p.status() + " (" + p.scope() + ")"))
                    .append("</td><td>").append(Html.text(p.provenBy().isEmpty() ? "-" : p.provenBy()))
                    .append("</td><td>").append(p.gap() == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f%%", 100 * p.gap()))
                    .append("</td><td>").append(p.plan().partitions().size()).append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }
}
