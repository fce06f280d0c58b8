package org.pimopt.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.report.ParetoPlot;
import org.pimopt.report.ParetoReport;
import org.pimopt.report.ReportPage;
import org.pimopt.report.SolveReport;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.pareto.ParetoFront;
import org.pimopt.solve.pareto.ParetoGoals;
import org.pimopt.solve.pareto.ParetoPoint;
import org.pimopt.solve.pareto.ParetoSweep;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.solve.registry.StrategyRun;

/**
 * {@code solve --pareto F,G}: the heuristics of {@code --strategy} first, as solve runs them (the
 * exact engines' place is taken by the sweep); then the front ({@link ParetoSweep}) in what is left of
 * the budget less a reserve for simulating and writing; every front point and heuristic plan
 * simulated; {@code pareto.csv}, {@code pareto.svg}, {@code plans/pareto-N.json}, {@code plan.json}
 * (the least-{@code F} point) and {@code summary.json} (the table's rows and a {@code pareto} part)
 * written, whatever part of the front was found in time.
 */
final class ParetoStep {
    private ParetoStep() {}

    /** Milliseconds kept for simulating and writing: a sixth of the timeout, at most 4 s (more plans than solve's). */
    static long reserveMillis(long timeoutMillis) {
        return Math.min(4_000, timeoutMillis / 6);
    }

    static int run(SolveCommand cmd, ParetoGoals goals, Instance instance, List<Strategy> chosen, long start,
                   AtomicBoolean cancelled, PrintWriter stdout, PrintWriter err) {
        if (cmd.place || cmd.joint || cmd.verify) {
            throw new org.pimopt.PimoptException("--pareto does not combine with --place, --joint or --verify yet: place or"
                    + " verify a point's plan afterwards ('pimopt place --plan " + cmd.out.resolve("plans").resolve("pareto-1.json")
                    + "')");
        }
        long deadline = start + (cmd.timeoutMillis - reserveMillis(cmd.timeoutMillis)) * 1_000_000L;
        SolveOptions base = new SolveOptions(cmd.timeoutMillis, cmd.seed, cmd.workers, line -> {
            err.println(line);
            err.flush();
        }).withCancel(cancelled);
        List<Strategy> heuristics = chosen.stream().filter(s -> !Strategies.isExact(s.name())).toList();
        SolveResult[] byPosition = new SolveResult[heuristics.size()];
        new StrategyRun(instance, base::withTimeoutMillis, line -> {
            err.println(line);
            err.flush();
        }).run(heuristics, deadline, byPosition);
        List<SolveResult> found = java.util.Arrays.stream(byPosition).filter(r -> r != null).toList();
        ParetoFront front = new ParetoSweep(instance, goals, cmd.paretoPoints, ParetoSweep.DEFAULT_EPS)
                .run(base, deadline, found.stream().map(SolveResult::plan).filter(p -> p != null).toList());
        if (front.points().isEmpty()) {
            err.println("pimopt: no point of the " + goals.label() + " front found, nothing written to " + cmd.out + ": "
                    + front.stopped());
            err.flush();
            return Main.USER_ERROR;
        }
        List<SolveResult> rows = new ArrayList<>();
        for (int i = 0; i < front.points().size(); i++) {
            rows.add(asRow(ParetoReport.pointName(i), front.points().get(i), goals));
        }
        rows.addAll(found);
        Map<String, String> planFiles = writePlans(cmd.out, instance, front, cmd.planSource());
        // After Ctrl-C the files come first: solve's hook gives them 3 s before it writes on its own.
        PlanSimulations.Simulations sims = cmd.noSimulate || cancelled.get() ? PlanSimulations.Simulations.NONE
                : PlanSimulations.simulate(instance, rows, start + cmd.timeoutMillis * 1_000_000L, err);
        JsonObject summary = JsonParser.parseString(SolveReport.json(instance, rows, sims.results(), sims.skipped()))
                .getAsJsonObject();
        summary.addProperty("objective", goals.label() + " (pareto)");
        summary.add("pareto", ParetoReport.json(front, found, sims.results(), planFiles));
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(summary) + "\n";
        PlanIo.writeAtomically(cmd.out.resolve("summary.json"), json.getBytes(StandardCharsets.UTF_8));
        PlanIo.writeAtomically(cmd.out.resolve("pareto.csv"),
                ParetoReport.csv(front, found, sims.results(), planFiles).getBytes(StandardCharsets.UTF_8));
        String caption = String.format(Locale.ROOT, "%s front: %s on %s, batch %d", goals.label(), instance.network().name(),
                instance.chip().name(), instance.batch());
        PlanIo.writeAtomically(cmd.out.resolve("pareto.svg"), ParetoPlot.svg(front, found, caption, footnote(front))
                .getBytes(StandardCharsets.UTF_8));
        cmd.report.write(cmd, instance, rows, sims.results(), sims.skipped(), Map.of(), new Convergence(), start, stdout,
                List.of(ReportPage.Section.figure("pareto", "The " + goals.label() + " front", ParetoPlot.svgElement(front,
                        found, caption, footnote(front)), footnote(front)).with(ParetoReport.html(front))));
        if (cmd.json) {
            stdout.print(json);
        } else {
            stdout.println();
            stdout.print(SolveReport.table(instance, rows, sims.results(), sims.skipped()));
            stdout.println();
            stdout.println(footnote(front));
            stdout.println("wrote " + cmd.out.resolve("pareto.csv") + ", " + cmd.out.resolve("pareto.svg") + ", "
                    + cmd.out.resolve("summary.json") + ", " + cmd.out.resolve("plan.json") + " (pareto-1) and "
                    + front.points().size() + " plan(s) in " + cmd.out.resolve("plans"));
        }
        stdout.flush();
        boolean failed = found.stream().anyMatch(r -> r.status() == Status.ERROR);
        return failed ? Main.ENGINE_FAILED : 0;
    }

    /** A front point as a row of solve's table: its name, status, f as the objective, the bound its gap implies. */
    private static SolveResult asRow(String name, ParetoPoint p, ParetoGoals goals) {
        double f = goals.f(p.metrics());
        Double bound = p.gap() == null ? null : f * (1 - p.gap());
        Map<String, Object> stats = new LinkedHashMap<>();
        if (!p.provenBy().isEmpty()) {
            stats.put(SolveResult.PROVEN_BY, p.provenBy());
        }
        stats.put("scope", p.scope());
        if (Double.isFinite(p.limit())) {
            stats.put("limit." + goals.g().label(), p.limit());
        }
        String note = p.how() + ": " + (p.proven() ? "on the exact front (" + p.scope() + ")" : p.status() == Status.OPTIMAL
                ? "optimal among " + p.scope() + " only" : "not proven") + "; " + p.note();
        return new SolveResult(name, p.plan(), p.metrics(), p.status(), f, bound, p.millis(), stats, note);
    }

    /** plans/pareto-N.json for every point, and plan.json (the least-f point); stale point files of an earlier run removed. */
    private static Map<String, String> writePlans(Path out, Instance instance, ParetoFront front,
                                                  org.pimopt.plan.PlanSource source) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < front.points().size(); i++) {
            String name = ParetoReport.pointName(i);
            var file = PlanIo.toProto(instance, front.points().get(i).plan(), name, source);
            PlanIo.writeJson(out.resolve("plans").resolve(name + ".json"), file);
            files.put(name, "plans/" + name + ".json");
            if (i == 0) {
                PlanIo.writeJson(out.resolve("plan.json"), file);
            }
        }
        try (var old = Files.list(out.resolve("plans"))) {
            for (Path p : old.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("pareto-\\d+\\.json") && !files.containsKey(n.substring(0, n.length() - 5))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Stale files of an earlier run stay; summary.json names the ones of this run.
        }
        return files;
    }

    /** How the sweep ended, in one line. */
    static String footnote(ParetoFront front) {
        long unproven = front.points().size() - front.proven();
        String how = front.complete() ? "complete: every point proven over every plan and every range of "
                + front.goals().g().label() + " between neighbours searched"
                : "not complete: " + (front.stopped().equals(ParetoSweep.SEARCHED) ? "every range searched, but not every sub-solve"
                + " proven" + (unproven > 0 ? " (" + unproven + " point(s) unproven)" : " (a range's answer was not proven)")
                : "stopped: " + front.stopped());
        return String.format(Locale.ROOT, "pareto %s: %d point(s), %d proven on the exact front, %d sub-solve(s) in %.1f s; %s",
                front.goals().label(), front.points().size(), front.proven(), front.solves(), front.millis() / 1000.0, how);
    }
}
