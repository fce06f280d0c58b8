package org.pimopt.sim;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.Rates;
import org.pimopt.hw.Chip;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * One simulation run while its tasks are built: the run's inputs, the event engine every room adds
 * tasks to, the resources the tasks run on, and what the rooms record for the checks during the run
 * and the measurement after it ({@link Replicas}, {@link CrossbarSites}). Task and resource ids are
 * handed out in creation order and the engine breaks ties by id, so the rooms must keep creating
 * them in the order they do: that order is part of the result.
 */
final class TaskGraph {
    final Instance instance;
    final Plan plan;
    final SimConfig config;
    final Chip chip;
    final Rates rates;
    /** The layout the run executes (null: the simulator places copies itself and rewrites every tile). */
    final Layout layout;
    final EventEngine engine = new EventEngine();
    final Replicas replicas = new Replicas();
    /** With a layout: which crossbar each write and each replica uses (empty without one). */
    final CrossbarSites sites;
    /** The one DRAM channel, carrying weights and activations alike. */
    final int dram;
    /** The write engine: its slots write crossbars side by side. */
    final int writer;
    /** Per resource: the core it sits on (-1 for the DRAM channel, the write engine and pools). */
    private final List<Integer> coreOfResource = new ArrayList<>();
    /** With a layout of two partitions or more: the previous batch's last partition, computing from time 0 (the layout's time frame); else -1. */
    int tail = -1;
    /** Engine time of the batch's time 0: how long the previous batch's last partition computes (0 without it). */
    double originNs;
    /** Per partition its "ended" barrier, set as partitions are built in order (later writes wait for earlier users). */
    final int[] partitionEnds;

    TaskGraph(Instance instance, Plan plan, SimConfig config) {
        this.instance = instance;
        this.plan = plan;
        this.config = config;
        this.chip = instance.chip();
        this.rates = Rates.of(chip);
        this.layout = config.useLayout() ? plan.layout() : null;
        this.sites = new CrossbarSites(chip.crossbarsPerCore());
        this.partitionEnds = new int[plan.partitions().size()];
        // The first two resources, before any partition's: the DRAM channel and the write engine.
        dram = resource(1, -1);
        writer = resource(config.writeSlots() || layout != null ? chip.writeParallelism() : 1, -1);
    }

    /** A resource of {@code slots} servers on {@code core} (-1: none). */
    int resource(int slots, int core) {
        int r = engine.addResource(slots);
        coreOfResource.add(core);
        return r;
    }

    int[] coreOfResource() {
        return coreOfResource.stream().mapToInt(Integer::intValue).toArray();
    }

    int coreOf(int resource) {
        return coreOfResource.get(resource);
    }
}
