package org.pimopt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pimopt.PimoptException;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanException;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.report.TextTable;
import org.pimopt.report.Units;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.placement.Placer;
import org.pimopt.solve.placement.PlacementProblem;
import org.pimopt.solve.placement.PlacementResult;
import org.pimopt.solve.replacement.Replacement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pimopt place}: tiles of a solved plan onto cores, and the crossbar programming schedule. */
@Command(name = "place", description = "Place a plan's crossbar tiles on the core mesh and schedule weight replacement.")
final class PlaceCommand implements Callable<Integer> {
    /** Cell endurances (program cycles) the lifetime is shown for, besides the chip's own. */
    static final double[] ENDURANCES = {1e6, 1e9, 1e12};

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
        Placer.Placed placed = Placer.place(instance, plan, half);
        Replacement.Result rep = Replacement.solve(instance, plan, placed.tiles(), half);
        Plan result = plan.withLayout(rep.layout());
        Validator.check(instance, result);
        PlanFile written = PlanIo.toProto(instance, result, file.getStrategy().isEmpty() ? "place" : file.getStrategy() + "+place",
                inputs.source(file));
        if (output.getFileName().toString().endsWith(".pb")) {
            PlanIo.writeBinary(output, written);
        } else {
            PlanIo.writeJson(output, written);
        }
        Simulated sim = Simulated.of(instance, result);
        Map<String, String> summary = summary(instance, placed, rep);
        summary.putAll(sim.columns(instance));
        if (csv) {
            out.println(String.join(",", summary.keySet()));
            out.println(String.join(",", summary.values()));
        } else {
            print(out, instance, placed, rep);
            out.println();
            sim.print(out, instance);
            out.println();
            out.println("figures above the simulated table: analytic cost model (compute times) plus this schedule; wrote "
                    + output);
        }
        out.flush();
        return 0;
    }

    static Map<String, String> summary(Instance instance, Placer.Placed placed, Replacement.Result rep) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("network", instance.network().name());
        m.put("hardware", instance.chip().name());
        m.put("batch", Integer.toString(instance.batch()));
        m.put("partitions", Integer.toString(placed.results().size()));
        // Partitions that occupy every crossbar: no other partition's tile can stay resident.
        m.put("partitions_filling_chip", Long.toString(placed.problems().stream()
                .filter(p -> p.items().stream().mapToLong(PlacementProblem.Item::size).sum() == instance.chip().totalCrossbars())
                .count()));
        m.put("byte_hops", num(placed.byteHops()));
        m.put("byte_hops_bound", num(placed.boundByteHops()));
        m.put("byte_hops_first_fit", num(placed.firstFitByteHops()));
        m.put("byte_hops_snake", num(placed.snakeByteHops()));
        m.put("placements_optimal", placed.results().stream().filter(r -> r.status() == org.pimopt.solve.Status.OPTIMAL).count()
                + "/" + placed.results().size());
        m.put("max_link_bytes", num(placed.results().stream().mapToDouble(PlacementResult::maxLinkBytes).max().orElse(0)));
        m.put("max_link_bytes_first_fit", num(placed.results().stream().mapToDouble(PlacementResult::firstFitMaxLink).max().orElse(0)));
        m.put("max_link_bytes_snake", num(placed.results().stream().mapToDouble(PlacementResult::snakeMaxLink).max().orElse(0)));
        m.put("compute_ns", Long.toString(rep.computeNs()));
        m.put("latency_ns", Long.toString(rep.periodNs()));
        m.put("latency_no_overlap_ns", Long.toString(rep.periodNoOverlapNs()));
        m.put("latency_cost_model_ns", num(rep.costModelLatencyNs()));
        m.put("exposed_write_ns", Long.toString(rep.exposedWriteNs()));
        m.put("exposed_write_no_overlap_ns", Long.toString(rep.exposedNoOverlapNs()));
        m.put("schedule_status", rep.schedule().name());
        m.put("cells_written", Long.toString(rep.cellsWritten()));
        m.put("cells_written_no_residency", Long.toString(rep.cellsNoResidency()));
        m.put("worst_crossbar_writes", Integer.toString(rep.worstWrites()));
        m.put("worst_crossbar_writes_no_residency", Integer.toString(rep.worstNoResidency()));
        m.put("assignment_status", rep.assignment().name());
        m.put("worst_writes_per_million_inferences", num(rep.worstWritesPerMillion(instance.batch())));
        m.put("lifetime_s_at_chip_endurance", num(rep.lifetimeSeconds(instance.chip().enduranceWrites())));
        m.put("lifetime_s_levelled", num(levelledSeconds(instance, rep)));
        for (double e : ENDURANCES) {
            m.put("lifetime_s_at_" + String.format(Locale.ROOT, "%.0e", e).replace("+", ""), num(rep.lifetimeSeconds(e)));
        }
        return m;
    }

    /**
     * The placed plan through the simulator (pipeline schedule, every physical effect on): executing
     * its layout with and without write/compute overlap, and ignoring the layout (first-fit copies,
     * every tile rewritten every batch); and, as a cross-check of the schedule, executing the layout
     * with overlap but every other effect off (the cost model's compute times).
     */
    record Simulated(SimResult layout, SimResult noOverlap, SimResult noLayout, SimResult analytic) {
        static Simulated of(Instance instance, Plan placed) {
            SimConfig physical = SimConfig.physical(Schedule.PIPELINE);
            return new Simulated(Simulator.run(instance, placed, physical),
                    Simulator.run(instance, placed, physical.withOverlapWrites(false)),
                    Simulator.run(instance, placed, physical.withLayout(false)),
                    Simulator.run(instance, placed, SimConfig.analytic(Schedule.PIPELINE).withOverlapWrites(true)));
        }

        /** Time a batch waits for programming: the partitions' write time not hidden behind compute. */
        static double exposedWriteNs(SimResult r) {
            return r.partitions().stream().mapToDouble(SimResult.PartitionStats::writeNs).sum();
        }

        Map<String, String> columns(Instance instance) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("sim_latency_ns", ns(layout.latencyNs()));
            m.put("sim_latency_no_overlap_ns", ns(noOverlap.latencyNs()));
            m.put("sim_latency_no_layout_ns", ns(noLayout.latencyNs()));
            m.put("sim_latency_analytic_ns", ns(analytic.latencyNs()));
            m.put("sim_exposed_write_ns", ns(exposedWriteNs(layout)));
            m.put("sim_exposed_write_no_overlap_ns", ns(exposedWriteNs(noOverlap)));
            m.put("sim_exposed_write_no_layout_ns", ns(exposedWriteNs(noLayout)));
            m.put("sim_cells_written", Long.toString(layout.cellsWritten()));
            m.put("sim_cells_written_no_layout", Long.toString(noLayout.cellsWritten()));
            m.put("sim_worst_crossbar_writes", Integer.toString(layout.worstCrossbarWrites()));
            m.put("sim_worst_crossbar_writes_no_layout", Integer.toString(noLayout.worstCrossbarWrites()));
            m.put("sim_noc_pj", num(layout.energy().nocPj()));
            m.put("sim_noc_pj_no_layout", num(noLayout.energy().nocPj()));
            m.put("sim_worst_writes_per_million_inferences", num(layout.worstCrossbarWrites() * 1e6 / instance.batch()));
            for (double e : ENDURANCES) {
                m.put("sim_lifetime_s_at_" + String.format(Locale.ROOT, "%.0e", e).replace("+", ""),
                        num(Replacement.lifetimeSeconds(e, layout.worstCrossbarWrites(), layout.latencyNs())));
            }
            return m;
        }

        void print(PrintWriter out, Instance instance) {
            TextTable t = new TextTable("simulated (pipeline, all effects)", ">layout, overlap", ">layout, no overlap",
                    ">no layout");
            t.row("batch latency", us(layout.latencyNs()), us(noOverlap.latencyNs()), us(noLayout.latencyNs()));
            t.row("exposed write time", us(exposedWriteNs(layout)), us(exposedWriteNs(noOverlap)), us(exposedWriteNs(noLayout)));
            t.row("cells written per batch", Units.count(layout.cellsWritten()), Units.count(noOverlap.cellsWritten()),
                    Units.count(noLayout.cellsWritten()));
            t.row("worst crossbar writes per batch", layout.worstCrossbarWrites(), noOverlap.worstCrossbarWrites(),
                    noLayout.worstCrossbarWrites());
            t.row("NoC energy per batch", sci(layout.energy().nocPj()) + " pJ", sci(noOverlap.energy().nocPj()) + " pJ",
                    sci(noLayout.energy().nocPj()) + " pJ");
            out.print(t);
            out.printf("simulated with the layout, overlap and every other effect off: batch latency %s%n", us(analytic.latencyNs()));
            out.printf("simulated lifetime at the chip's endurance (%.0e): %s%n", instance.chip().enduranceWrites(),
                    life(Replacement.lifetimeSeconds(instance.chip().enduranceWrites(), layout.worstCrossbarWrites(),
                            layout.latencyNs())));
        }
    }

    /** Simulated times to a tenth of a nanosecond (six significant digits would round away whole microseconds). */
    private static String ns(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6g", v);
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
        for (double d : ENDURANCES) {
            e.row(String.format(Locale.ROOT, "%.0e", d), sci(rep.worstWritesPerMillion(instance.batch())), life(rep.lifetimeSeconds(d)));
        }
        out.print(e);
        out.printf("wear-levelled at the chip's endurance (tile sites rotated between batches, so the writes spread over"
                + " all %s cells; what --limit lifetime holds plans to): %s%n", Units.count((long) org.pimopt.cost.Lifetime
                .totalCells(chip)), life(levelledSeconds(instance, rep)));
    }

    /** The lifetime with wear levelling ({@link org.pimopt.cost.Lifetime}), running batches back to back. */
    private static double levelledSeconds(Instance instance, Replacement.Result rep) {
        double rate = rep.periodNs() == 0 ? Double.POSITIVE_INFINITY : instance.batch() * 1e9 / rep.periodNs();
        return org.pimopt.cost.Lifetime.seconds(instance.chip(), rep.cellsWritten(), instance.batch(), rate);
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
