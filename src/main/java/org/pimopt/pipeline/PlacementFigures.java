package org.pimopt.pipeline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.solve.placement.PlacementProblem;
import org.pimopt.solve.placement.PlacementResult;
import org.pimopt.solve.placement.Placer;
import org.pimopt.solve.replacement.Replacement;

/**
 * The figures of a placed plan by name, as {@code place --csv} prints them and {@code solve --place}
 * quotes them: one map, so the two commands cannot drift apart in what a name means.
 */
public final class PlacementFigures {
    /** Cell endurances (program cycles) the lifetime is shown for, besides the chip's own. */
    public static final double[] ENDURANCES = {1e6, 1e9, 1e12};

    private PlacementFigures() {}

    /** Placement and write-schedule figures, in the column order of {@code place --csv}. */
    public static Map<String, String> of(Instance instance, Placer.Placed placed, Replacement.Result rep) {
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
            m.put("lifetime_s_at_" + endurance(e), num(rep.lifetimeSeconds(e)));
        }
        return m;
    }

    /** The lifetime with wear levelling ({@link org.pimopt.cost.Lifetime}), running batches back to back. */
    public static double levelledSeconds(Instance instance, Replacement.Result rep) {
        double rate = rep.periodNs() == 0 ? Double.POSITIVE_INFINITY : instance.batch() * 1e9 / rep.periodNs();
        return org.pimopt.cost.Lifetime.seconds(instance.chip(), rep.cellsWritten(), instance.batch(), rate);
    }

    /**
     * The placed plan through the simulator (pipeline schedule, every physical effect on): executing
     * its layout with and without write/compute overlap, and ignoring the layout (first-fit copies,
     * every tile rewritten every batch); and, as a cross-check of the schedule, executing the layout
     * with overlap but every other effect off (the cost model's compute times).
     */
    public record Simulated(SimResult layout, SimResult noOverlap, SimResult noLayout, SimResult analytic) {
        public static Simulated of(Instance instance, Plan placed) {
            SimConfig physical = SimConfig.physical(Schedule.PIPELINE);
            return new Simulated(Simulator.run(instance, placed, physical),
                    Simulator.run(instance, placed, physical.withOverlapWrites(false)),
                    Simulator.run(instance, placed, physical.withLayout(false)),
                    Simulator.run(instance, placed, SimConfig.analytic(Schedule.PIPELINE).withOverlapWrites(true)));
        }

        /** Time a batch waits for programming: the partitions' write time not hidden behind compute. */
        public static double exposedWriteNs(SimResult r) {
            return r.partitions().stream().mapToDouble(SimResult.PartitionStats::writeNs).sum();
        }

        /** The simulated figures, in the column order of {@code place --csv} (after {@link PlacementFigures#of}'s). */
        public Map<String, String> columns(Instance instance) {
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
                m.put("sim_lifetime_s_at_" + endurance(e),
                        num(Replacement.lifetimeSeconds(e, layout.worstCrossbarWrites(), layout.latencyNs())));
            }
            return m;
        }
    }

    /** An endurance as a column suffix: 1e6, 1e9, 1e12. */
    private static String endurance(double e) {
        return String.format(Locale.ROOT, "%.0e", e).replace("+", "");
    }

    /** Simulated times to a tenth of a nanosecond (six significant digits would round away whole microseconds). */
    private static String ns(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6g", v);
    }
}
