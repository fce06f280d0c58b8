package org.pimopt.bench;

import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;

/**
 * Scores a plan with the discrete-event simulator, pipeline schedule, every physical effect on
 * (vector time, fill, write slots, NoC latency, ...): the figures a comparison is judged by.
 */
public final class SimScorer implements PlanScorer {
    private final SimConfig config = SimConfig.physical(Schedule.PIPELINE);

    @Override
    public String name() {
        return "sim-pipeline";
    }

    @Override
    public BatchMetrics score(Instance instance, Plan plan) {
        SimResult r = Simulator.run(instance, plan, config);
        return new BatchMetrics(r.batch(), r.latencyNs(), r.energy(), r.cellsWritten(), r.dramBytes(), List.of());
    }
}
