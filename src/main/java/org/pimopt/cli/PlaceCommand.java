package org.pimopt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pimopt.PimoptException;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.pipeline.PlaceStep;
import org.pimopt.pipeline.PlacementFigures;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanException;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.report.TextTable;
import org.pimopt.report.Units;
import org.pimopt.sim.SimResult;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.placement.Placer;
import org.pimopt.solve.placement.PlacementResult;
import org.pimopt.solve.replacement.Replacement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pimopt place}: tiles of a solved plan onto cores, and the crossbar programming schedule. */
@Command(name = "place", description = "Place a plan's crossbar tiles on the core mesh and schedule weight replacement.")
final class PlaceCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Plan written by 'pimopt solve' (.json or .pb).")
    Path planFile;

    @Option(names = {"-o", "--out", "--output"}, defaultValue = "placed.json", paramLabel = "FILE",
            description = "Where the placed plan goes (.pb: binary, else JSON). Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = {"-t", "--timeout"}, defaultValue = "30s", converter = DurationConverter.class,
            description = "Wall-clock budget: half for placement, half for replacement. Default: ${DEFAULT-VALUE}.")
    long timeoutMillis;

    @Mixin
    PlanInputOptions inputs;

    @Option(names = "--seed", defaultValue = "1", description = "Solver seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--workers", defaultValue = "2", description = "Solver threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--csv", description = "Print one CSV header and row of totals instead of tables.")
    boolean csv;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (workers < 1) {
            throw new PimoptException("--workers must be at least 1, got " + workers);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PlanFile file = PlanIo.read(planFile);
        Network network = inputs.network(file, planFile.toString(), spec.commandLine().getErr());
        Chip chip = inputs.chip(file, planFile.toString());
        Goal goal = PlanIo.goal(file, planFile.toString());
        if (file.getBatch() < 1) {
            // As simulate does: a plan's batch is part of what it was solved for, not a default to fill in.
            throw new PlanException(planFile + ": batch " + file.getBatch() + " is not positive");
        }
        Instance instance = Instance.of(network, chip, file.getBatch(), goal);
        Plan plan = PlanIo.fromProto(instance, file, planFile.toString()).withLayout(null);
        try {
            Validator.check(instance, plan);
        } catch (PlanException e) {
            throw new PlanException(planFile + ": " + e.getMessage());
        }

        SolveOptions half = new SolveOptions(Math.max(1, timeoutMillis / 2), seed, workers, line -> {
            if (!csv) {
                err.println(line);
                err.flush();
            }
        });
        PlaceStep.LaidOut laid = PlaceStep.layOut(instance, plan, half);
        Placer.Placed placed = laid.placed();
        Replacement.Result rep = laid.replacement();
        Plan result = laid.plan();
        PlanFile written = PlanIo.toProto(instance, result, file.getStrategy().isEmpty() ? "place" : file.getStrategy() + "+place",
                inputs.source(file));
        if (output.getFileName().toString().endsWith(".pb")) {
            PlanIo.writeBinary(output, written);
        } else {
            PlanIo.writeJson(output, written);
        }
        // The placed plan is written before it is simulated: a simulation that fails does not cost the layout.
        PlacementFigures.Simulated sim = PlacementFigures.Simulated.of(instance, result);
        Map<String, String> summary = PlacementFigures.of(instance, placed, rep);
        summary.putAll(sim.columns(instance));
        if (csv) {
            out.println(String.join(",", summary.keySet()));
            out.println(String.join(",", summary.values()));
        } else {
            print(out, instance, placed, rep);
            out.println();
            print(out, instance, sim);
            out.println();
            out.println("figures above the simulated table: analytic cost model (compute times) plus this schedule; wrote "
                    + output);
        }
        out.flush();
        return 0;
    }

    /** The simulated table of a placed plan. */
    private static void print(PrintWriter out, Instance instance, PlacementFigures.Simulated sim) {
        SimResult layout = sim.layout();
        SimResult noOverlap = sim.noOverlap();
        SimResult noLayout = sim.noLayout();
        TextTable t = new TextTable("simulated (pipeline, all effects)", ">layout, overlap", ">layout, no overlap",
                ">no layout");
        t.row("batch latency", us(layout.latencyNs()), us(noOverlap.latencyNs()), us(noLayout.latencyNs()));
        t.row("exposed write time", us(PlacementFigures.Simulated.exposedWriteNs(layout)),
                us(PlacementFigures.Simulated.exposedWriteNs(noOverlap)), us(PlacementFigures.Simulated.exposedWriteNs(noLayout)));
        t.row("cells written per batch", Units.count(layout.cellsWritten()), Units.count(noOverlap.cellsWritten()),
                Units.count(noLayout.cellsWritten()));
        t.row("worst crossbar writes per batch", layout.worstCrossbarWrites(), noOverlap.worstCrossbarWrites(),
                noLayout.worstCrossbarWrites());
        t.row("NoC energy per batch", sci(layout.energy().nocPj()) + " pJ", sci(noOverlap.energy().nocPj()) + " pJ",
                sci(noLayout.energy().nocPj()) + " pJ");
        out.print(t);
        out.printf("simulated with the layout, overlap and every other effect off: batch latency %s%n",
                us(sim.analytic().latencyNs()));
        out.printf("simulated lifetime at the chip's endurance (%.0e): %s%n", instance.chip().enduranceWrites(),
                life(Replacement.lifetimeSeconds(instance.chip().enduranceWrites(), layout.worstCrossbarWrites(),
                        layout.latencyNs())));
    }

    private static void print(PrintWriter out, Instance instance, Placer.Placed placed, Replacement.Result rep) {
        Chip chip = instance.chip();
        out.printf("%s on %s (%dx%d mesh, %d crossbars/core), batch %d, %d partition(s)%n%n", instance.network().name(),
                chip.name(), chip.meshRows(), chip.meshCols(), chip.crossbarsPerCore(), instance.batch(), placed.results().size());
        TextTable t = new TextTable(">#", ">items", ">pairs", "status", ">byte-hops/sample", ">gap", ">first-fit", ">snake",
                ">max link B", ">first-fit link", ">snake link", ">time");
        for (int p = 0; p < placed.results().size(); p++) {
            PlacementResult r = placed.results().get(p);
            t.row(p, placed.problems().get(p).items().size(), placed.problems().get(p).pairs().size(),
                    r.status() + (r.linkOptimal() ? "+link" : ""), sci(r.byteHops()), pct(r.gap()), sci(r.firstFitByteHops()),
                    sci(r.snakeByteHops()), sci(r.maxLinkBytes()), sci(r.firstFitMaxLink()), sci(r.snakeMaxLink()),
                    r.wallMillis() + " ms");
        }
        out.print(t);
        double hops = placed.byteHops();
        out.printf("NoC byte-hops per sample: %s (bound %s); first-fit %s (%s), snake %s (%s)%n%n", sci(hops),
                sci(placed.boundByteHops()), sci(placed.firstFitByteHops()), ratio(placed.firstFitByteHops(), hops),
                sci(placed.snakeByteHops()), ratio(placed.snakeByteHops(), hops));
        if (!placed.fallbacks().isEmpty()) {
            out.printf("no placement found within the time limit for %s, which keep that layout%n%n", placed.fallbacks());
        }
        TextTable w = new TextTable("weight replacement", ">this schedule", ">baseline", "baseline is");
        w.row("batch latency", us(rep.periodNs()), us(rep.periodNoOverlapNs()), "same residency, writes between partitions");
        w.row("exposed write time", us(rep.exposedWriteNs()), us(rep.exposedNoOverlapNs()), "same residency, writes between partitions");
        w.row("batch latency (cost model)", "", us(rep.costModelLatencyNs()), "no residency, no overlap");
        w.row("cells written per batch", Units.count(rep.cellsWritten()), Units.count(rep.cellsNoResidency()), "no residency");
        w.row("worst crossbar writes per batch", rep.worstWrites(), rep.worstNoResidency(), "no residency");
        out.print(w);
        out.printf("schedule %s, crossbar assignment %s; compute %s per batch%n%n", rep.schedule(), rep.assignment(),
                us(rep.computeNs()));
        TextTable e = new TextTable("cell endurance", ">writes/crossbar per 1e6 inferences", ">lifetime");
        e.row(String.format(Locale.ROOT, "%.0e (chip)", chip.enduranceWrites()), sci(rep.worstWritesPerMillion(instance.batch())),
                life(rep.lifetimeSeconds(chip.enduranceWrites())));
        for (double d : PlacementFigures.ENDURANCES) {
            e.row(String.format(Locale.ROOT, "%.0e", d), sci(rep.worstWritesPerMillion(instance.batch())), life(rep.lifetimeSeconds(d)));
        }
        out.print(e);
        out.printf("wear-levelled at the chip's endurance (tile sites rotated between batches, so the writes spread over"
                + " all %s cells; what --limit lifetime holds plans to): %s%n", Units.count((long) org.pimopt.cost.Lifetime
                .totalCells(chip)), life(PlacementFigures.levelledSeconds(instance, rep)));
    }

    private static String sci(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String ratio(double baseline, double value) {
        return Double.isNaN(baseline) ? "does not fit" : value == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", baseline / value);
    }

    private static String us(double ns) {
        return String.format(Locale.ROOT, "%.3f us", ns / 1e3);
    }

    /** Seconds as a readable lifetime. */
    static String life(double seconds) {
        if (Double.isInfinite(seconds)) {
            return "unlimited (no rewrites)";
        }
        double years = seconds / (365.25 * 86400);
        if (years >= 1) {
            return String.format(Locale.ROOT, "%.3g years", years);
        }
        if (seconds >= 86400) {
            return String.format(Locale.ROOT, "%.3g days", seconds / 86400);
        }
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%.3g hours", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.3g s", seconds);
    }
}
