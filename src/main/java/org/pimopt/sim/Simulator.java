package org.pimopt.sim;

import java.util.Locale;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;

/**
 * Executes a plan on its chip as a discrete-event simulation and measures it. Partitions run in
 * order; with two or more partitions each is programmed first (every batch, the steady state):
 * unit weights are fetched from DRAM once and written to every copy by the write engine. Then
 * the samples run through the partition's layers as the {@link Schedule} says: a weighted op's
 * work is split among its replicas (each replica one resource), vector layers run on vector
 * units, boundary tensors move through the one DRAM channel that also carries the weights. The
 * simulator never consults a strategy or the cost model's formulas; it reads the tiling facts
 * from the instance and counts everything else from the plan. When the plan carries a
 * {@link Layout} (and {@link SimConfig#useLayout}), copies sit on its cores and programming follows
 * its write schedule (formulations/replacement.md, "Executed by the simulator").
 *
 * <p>The rooms: {@link PartitionTasks} places a partition's copies, {@link Programming} decides
 * when its crossbars are written, {@link ComputeTasks} runs the samples through its layers with
 * {@link NocRoutes} moving data between cores and {@link DataMovement} between partitions; the
 * {@link EventEngine} runs the tasks under the {@link ProgrammingCheck}, and {@link Measurement}
 * reads the figures off the finished run.
 */
public final class Simulator {
    private Simulator() {}

    /** Simulates one batch; throws {@link org.pimopt.plan.PlanException} or {@link SimulationException} on a broken plan. */
    public static SimResult run(Instance instance, Plan plan, SimConfig config) {
        Validator.check(instance, plan);
        return runUnvalidated(instance, plan, config);
    }

    /**
     * Simulates without the Validator first, so that only the simulator's own runtime checks stand
     * between a broken plan and its result (tests use it to show those checks work on their own).
     *
     * <p>With a layout of two partitions or more, the batch starts while the previous batch's last
     * partition still computes (writes into crossbars it does not use overlap it). That partition
     * is simulated too: a first run takes its duration from the layout (the cost model's figure),
     * and the reported run takes it from the first run's simulated last partition.
     */
    static SimResult runUnvalidated(Instance instance, Plan plan, SimConfig config) {
        SimResult first = simulate(instance, plan, config, null);
        int k = plan.partitions().size();
        if (!config.useLayout() || plan.layout() == null || k < 2) {
            return first;
        }
        return simulate(instance, plan, config, first.partitions().get(k - 1).computeNs());
    }

    /**
     * One run. {@code tailNs}, with a layout: how long the previous batch's last partition computes
     * (null: the layout's own figure).
     */
    private static SimResult simulate(Instance instance, Plan plan, SimConfig config, Double tailNs) {
        int k = plan.partitions().size();
        int[] partOf = plan.partitionOfUnits(instance.units().size());
        DataMovement moves = new DataMovement(instance, partOf, k);
        TaskGraph graph = new TaskGraph(instance, plan, config);
        EventEngine engine = graph.engine;
        Layout layout = graph.layout;
        int previousEnd = -1;
        int[] starts = new int[k];
        int[] programmed = new int[k];
        int[] ends = graph.partitionEnds;
        if (layout != null && k >= 2) {
            // The layout's period starts when the previous batch's last partition starts computing;
            // that partition is represented by its compute time (see runUnvalidated). Reported times and the
            // batch latency are measured from its end, so the latency is the steady-state period.
            Layout.PartitionLayout last = layout.partitions().get(k - 1);
            graph.originNs = tailNs != null ? tailNs : last.computeEndNs() - last.computeStartNs();
            graph.tail = engine.addTask(Timeline.BARRIER, -1, graph.originNs, k - 1, k - 1, -1, 0);
            previousEnd = graph.tail;
        }
        if (layout != null) {
            graph.sites.recordPartitions(layout);
        }
        Placement[] placements = new Placement[k];
        for (int p = 0; p < k; p++) {
            starts[p] = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
            engine.depend(starts[p], previousEnd);
            PartitionTasks built = new PartitionTasks(graph, p, moves, starts[p], k >= 2, p == 0 ? null : placements[p - 1],
                    p == 0 ? -1 : programmed[p - 1]);
            placements[p] = built.placement;
            programmed[p] = built.programmed;
            ends[p] = built.end;
            previousEnd = ends[p];
        }
        int[] core = graph.coreOfResource();
        ProgrammingCheck check = new ProgrammingCheck(graph);
        int stuck = engine.run(check);
        if (check.violation() != null) {
            throw new SimulationException(check.violation());
        }
        if (stuck > 0) {
            throw new SimulationException(stuck + " tasks never became ready: the plan's dependencies form a cycle");
        }
        if (!moves.violations.isEmpty()) {
            DataMovement.EarlyRead v = moves.violations.get(0);
            throw new SimulationException(String.format(Locale.ROOT,
                    "partition %d reads %s from %s at %.1f ns, but partition %d produces it only at %.1f ns", v.reader(),
                    v.tensor(), v.what(), engine.finish(starts[v.reader()]), v.producer(), engine.finish(ends[v.producer()])));
        }
        return new Measurement(graph).of(k, starts, programmed, ends, placements, core);
    }
}
