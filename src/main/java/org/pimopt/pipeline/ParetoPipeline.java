package org.pimopt.pipeline;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.report.ParetoPlot;
import org.pimopt.report.ParetoReport;
import org.pimopt.report.SolveReport;
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
 * {@code solve --pareto F,G}: the heuristics of the options' strategies first, as a solve runs them
 * (the exact engines' place is taken by the sweep); then the front ({@link ParetoSweep}) in what is
 * left of the budget less a reserve for simulating and writing; every front point and heuristic plan
 * simulated; {@code pareto.csv}, {@code pareto.svg}, {@code plans/pareto-N.json}, {@code plan.json}
 * (the least-{@code F} point) and {@code summary.json} (the table's rows and a {@code pareto} part)
 * written, whatever part of the front was found in time.
 */
public final class ParetoPipeline {
    private ParetoPipeline() {}

    /**
     * What the sweep came to. With no point found, nothing is written and only {@code front} and
     * {@code found} are filled.
     *
     * @param found     the heuristics' results
     * @param rows      the front's points as rows of solve's table (pareto-1 ...), then the heuristics'
     * @param planFiles point name to its plan file, relative to the output folder
     */
    public record Result(ParetoFront front, List<SolveResult> found, List<SolveResult> rows, PlanSimulations.Simulations simulations,
                         Map<String, String> planFiles, String summaryJson) {
        /** Whether a heuristic failed (an ERROR row): the files stand, the command still reports it. */
        public boolean anyStrategyFailed() {
            return found.stream().anyMatch(r -> r.status() == Status.ERROR);
        }

        /** The plot's caption: which front, of what. */
        public String caption(Instance instance) {
            return String.format(Locale.ROOT, "%s front: %s on %s, batch %d", front.goals().label(), instance.network().name(),
                    instance.chip().name(), instance.batch());
        }
    }

    public static Result run(PipelineOptions options, ParetoGoals goals, int points) {
        Instance instance = options.instance();
        long deadline = options.budget().paretoDeadline();
        SolveOptions base = new SolveOptions(options.budget().timeoutMillis(), options.seed(), options.workers(), options.log())
                .withCancel(options.cancel());
        List<Strategy> heuristics = options.strategies().stream().filter(s -> !Strategies.isExact(s.name())).toList();
        SolveResult[] byPosition = new SolveResult[heuristics.size()];
        new StrategyRun(instance, base::withTimeoutMillis, options.log()).run(heuristics, deadline, byPosition);
        List<SolveResult> found = Arrays.stream(byPosition).filter(r -> r != null).toList();
        ParetoFront front = new ParetoSweep(instance, goals, points, ParetoSweep.DEFAULT_EPS)
                .run(base, deadline, found.stream().map(SolveResult::plan).filter(p -> p != null).toList());
        if (front.points().isEmpty()) {
            return new Result(front, found, List.of(), PlanSimulations.Simulations.NONE, Map.of(), null);
        }
        List<SolveResult> rows = new ArrayList<>();
        for (int i = 0; i < front.points().size(); i++) {
            rows.add(asRow(ParetoReport.pointName(i), front.points().get(i), goals));
        }
        rows.addAll(found);
        Path out = options.out();
        Map<String, String> planFiles = out == null ? names(front) : writePlans(out, instance, front, options.planSource());
        // After Ctrl-C the files come first: solve's hook gives them 3 s before it writes on its own.
        PlanSimulations.Simulations sims = !options.simulate() || options.cancel().get() ? PlanSimulations.Simulations.NONE
                : PlanSimulations.simulate(instance, rows, options.budget().simulateUntilNanos(), options.log());
        JsonObject summary = JsonParser.parseString(SolveReport.json(instance, rows, sims.results(), sims.skipped()))
                .getAsJsonObject();
        summary.addProperty("objective", goals.label() + " (pareto)");
        summary.add("pareto", ParetoReport.json(front, found, sims.results(), planFiles));
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(summary) + "\n";
        Result result = new Result(front, found, rows, sims, planFiles, json);
        if (out != null) {
            PlanIo.writeAtomically(out.resolve("summary.json"), json.getBytes(StandardCharsets.UTF_8));
            PlanIo.writeAtomically(out.resolve("pareto.csv"),
                    ParetoReport.csv(front, found, sims.results(), planFiles).getBytes(StandardCharsets.UTF_8));
            PlanIo.writeAtomically(out.resolve("pareto.svg"), ParetoPlot.svg(front, found, result.caption(instance),
                    footnote(front)).getBytes(StandardCharsets.UTF_8));
        }
        return result;
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

    /** Each point's plan file name, as {@link #writePlans} names them. */
    private static Map<String, String> names(ParetoFront front) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < front.points().size(); i++) {
            files.put(ParetoReport.pointName(i), "plans/" + ParetoReport.pointName(i) + ".json");
        }
        return files;
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
    public static String footnote(ParetoFront front) {
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
