package org.pimopt.sim;

/**
 * What the simulator models. Each switch is a physical effect that the analytic cost model states
 * in a simpler form or leaves out; off, the simulator takes the model's form, so with all of them
 * off ({@link #analytic}) the pipeline schedule reproduces the model exactly, and turning one on
 * shows the size of what the model simplifies.
 *
 * @param schedule           how ops share time inside a partition
 * @param fillIo             a sample's inputs are loaded from DRAM before its first op and its
 *                           outputs stored after its last one (off: the model's view: each sample's
 *                           loads and stores are one transfer on the DRAM channel that the sample waits
 *                           for before it enters, the first sample's included)
 * @param freeIssue          a sample enters a partition as soon as its inputs are loaded, and waits at
 *                           stages still busy with earlier samples (off: the model's pipeline: samples
 *                           enter one slowest-stage period apart, so none waits, and each takes the
 *                           critical path of the partition's dataflow; ops wait only for what they read
 *                           either way)
 * @param vectorTime         each vector layer takes its time on the partition's pooled vector units
 *                           (every core's), interleaved with the MVMs as data allows (off: the model's
 *                           vector stage: a sample's vector work as one task on the pool at the end of
 *                           its chain; energy is counted either way)
 * @param writeSlots         programming writes whole crossbars on {@code writeParallelism} write slots
 *                           (off: the model's form, a fluid write engine of {@code writeParallelism}
 *                           rows at a time, the partition's most-written crossbar row by row beside it)
 * @param writeWaitsForFetch a unit's crossbars are written only after its weights arrived from DRAM
 *                           (off: the model's form: fetching and writing overlap, and no unit is
 *                           programmed faster than its own fetch followed by its own write)
 * @param nocLatency         a layer's input crosses the mesh from its producer's cores: the hops to the
 *                           farthest reader core times {@code hopNs} plus the bytes over one link (no
 *                           contention modelled; off: the model's on-chip transfer time, one delay per
 *                           sample of the mean hops per transfer and the bytes over one link)
 * @param overlapWrites      a copy whose cores have room beside the previous partition's copies is
 *                           fetched and programmed while that partition computes, its weight fetches
 *                           sharing the DRAM channel with the activations (off: programming starts when
 *                           the previous partition ends, as in the model's sum of W and T). With a
 *                           layout: a write may run while partitions that do not use its crossbar
 *                           compute (off: it waits for the previous partition to end)
 * @param useLayout          when the plan carries a {@link org.pimopt.plan.Layout}, tiles sit on its cores
 *                           and crossbars (NoC hops between placed cores) and programming follows its write
 *                           schedule: only the crossbars it lists are written, each no earlier than its
 *                           scheduled start (off, or no layout: the simulator places copies itself and
 *                           rewrites every tile every batch)
 */
public record SimConfig(Schedule schedule, boolean fillIo, boolean freeIssue, boolean vectorTime,
                        boolean writeSlots, boolean writeWaitsForFetch, boolean nocLatency, boolean overlapWrites,
                        boolean useLayout) {

    /** Every physical effect off: the pipeline schedule agrees with the cost model. */
    public static SimConfig analytic(Schedule schedule) {
        return new SimConfig(schedule, false, false, false, false, false, false, false, true);
    }

    /** Every physical effect on (the default of {@code simulate}). */
    public static SimConfig physical(Schedule schedule) {
        return new SimConfig(schedule, true, true, true, true, true, true, true, true);
    }

    public SimConfig withSchedule(Schedule s) {
        return new SimConfig(s, fillIo, freeIssue, vectorTime, writeSlots, writeWaitsForFetch, nocLatency, overlapWrites,
                useLayout);
    }

    /** The same switches with write/compute overlap on or off. */
    public SimConfig withOverlapWrites(boolean on) {
        return new SimConfig(schedule, fillIo, freeIssue, vectorTime, writeSlots, writeWaitsForFetch, nocLatency, on,
                useLayout);
    }

    /** The same switches, executing the plan's layout (if it has one) or ignoring it. */
    public SimConfig withLayout(boolean on) {
        return new SimConfig(schedule, fillIo, freeIssue, vectorTime, writeSlots, writeWaitsForFetch, nocLatency,
                overlapWrites, on);
    }

    /** The names of the switches that are on. */
    public String effects() {
        StringBuilder b = new StringBuilder();
        append(b, fillIo, "fill-io");
        append(b, freeIssue, "free-issue");
        append(b, vectorTime, "vector-time");
        append(b, writeSlots, "write-slots");
        append(b, writeWaitsForFetch, "write-waits-for-fetch");
        append(b, nocLatency, "noc-latency");
        append(b, overlapWrites, "overlap-writes");
        return b.length() == 0 ? "none (analytic)" : b.toString();
    }

    private static void append(StringBuilder b, boolean on, String name) {
        if (on) {
            b.append(b.length() == 0 ? "" : ",").append(name);
        }
    }
}
