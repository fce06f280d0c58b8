package org.pimopt.solve.replacement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.PartitionMetrics;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.hw.Chip;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/**
 * Weight replacement of a placed plan: which crossbar of its core each tile takes
 * ({@link SlotAssignment}), then when each crossbar is programmed ({@link WriteSchedule}), with and
 * without overlapping writes and compute. Compute times are the cost model's
 * ({@code Plan.evaluate(instance).partitions()}), not re-derived here.
 */
public final class Replacement {
    private Replacement() {}

    /**
     * @param layout              tile sites and the overlapped schedule
     * @param cellsWritten        cells written per batch with residency
     * @param cellsNoResidency    cells written per batch when every tile is rewritten (the cost model's count)
     * @param worstWrites         most writes of one crossbar per batch, with residency
     * @param worstNoResidency    the same when every used crossbar is rewritten each partition
     * @param periodNs            batch latency (steady state) with overlap
     * @param periodNoOverlapNs   batch latency when writes wait for the previous partition to end
     * @param computeNs           sum of the partitions' compute times
     * @param costModelLatencyNs  the cost model's batch latency (no overlap, no residency)
     * @param assignment          status of the crossbar assignment (OPTIMAL: all three levels proven)
     * @param schedule            status of the overlapped schedule
     */
    public record Result(Layout layout, long cellsWritten, long cellsNoResidency, int worstWrites, int worstNoResidency,
                         long periodNs, long periodNoOverlapNs, long computeNs, double costModelLatencyNs,
                         Status assignment, Status schedule) {
        public long exposedWriteNs() {
            return periodNs - computeNs;
        }

        public long exposedNoOverlapNs() {
            return periodNoOverlapNs - computeNs;
        }

        /** Writes of the most-written crossbar per million inferences. */
        public double worstWritesPerMillion(int batch) {
            return worstWrites * 1e6 / batch;
        }

        /** Seconds until the most-written crossbar reaches {@code endurance} writes, running back to back. */
        public double lifetimeSeconds(double endurance) {
            return Replacement.lifetimeSeconds(endurance, worstWrites, periodNs);
        }
    }

    /**
     * Seconds until a crossbar written {@code worstWrites} times per batch reaches {@code endurance}
     * writes, running batches of {@code batchNs} back to back.
     */
    public static double lifetimeSeconds(double endurance, int worstWrites, double batchNs) {
        return worstWrites == 0 ? Double.POSITIVE_INFINITY : endurance / worstWrites * batchNs * 1e-9;
    }

    /** {@code placed.get(p)}: partition p's tiles on their cores (crossbar indices are a starting point). */
    public static Result solve(Instance instance, Plan plan, List<List<Layout.Tile>> placed, SolveOptions options) {
        long start = System.nanoTime();
        Chip chip = instance.chip();
        int k = plan.partitions().size();
        List<PhaseTile> tiles = PhaseTile.of(instance, plan, placed);
        SolveOptions assignOptions = new SolveOptions(Math.max(1, options.timeoutMillis() / 3), options.seed(),
                options.workers(), options.progress());
        SlotAssignment.Result assignment = SlotAssignment.solve(tiles, k, chip.cores(), chip.crossbarsPerCore(), assignOptions);

        BatchMetrics metrics = plan.evaluate(instance);
        Jobs built = jobs(instance, plan, tiles, assignment.crossbar());
        List<WriteSchedule.Job> jobs = built.input().jobs();
        List<Integer> jobTile = built.jobTile();
        long cells = 0;
        long cellsAll = 0;
        for (PhaseTile pt : tiles) {
            cellsAll += k >= 2 ? pt.cells() : 0;
        }
        Map<Long, Integer> writesPer = new HashMap<>();
        for (int j = 0; j < jobs.size(); j++) {
            cells += tiles.get(jobTile.get(j)).cells();
            writesPer.merge(site(jobs.get(j).core(), jobs.get(j).crossbar()), 1, Integer::sum);
        }
        int worst = writesPer.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int worstAll = 0;
        if (k >= 2) {
            Map<Long, java.util.Set<Integer>> placedUsers = new HashMap<>();
            for (PhaseTile pt : tiles) {
                placedUsers.computeIfAbsent(site(pt.tile().core(), pt.tile().crossbar()), x -> new java.util.HashSet<>()).add(pt.phase());
            }
            worstAll = placedUsers.values().stream().mapToInt(java.util.Set::size).max().orElse(0);
        }

        WriteSchedule.Input input = built.input();
        // The greedy schedules stand whenever the time is gone before CP-SAT can improve them.
        double left = (options.deadlineNanos(start) - System.nanoTime()) / 1e9;
        WriteSchedule.Result noOverlap = WriteSchedule.greedy(input, false);
        if (left > 0.1) {
            noOverlap = WriteSchedule.cpsat(input, false, noOverlap, options, left / 2);
        }
        WriteSchedule.Result greedy = WriteSchedule.greedy(input, true);
        WriteSchedule.Result hint = greedy.periodNs() <= noOverlap.periodNs() ? greedy : noOverlap;
        left = (options.deadlineNanos(start) - System.nanoTime()) / 1e9;
        WriteSchedule.Result overlap = left > 0.1 ? WriteSchedule.cpsat(input, true, hint, options, left) : hint;

        List<Layout.PartitionLayout> parts = new ArrayList<>();
        List<List<Layout.Tile>> siteTiles = new ArrayList<>();
        List<List<Layout.Write>> writes = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            siteTiles.add(new ArrayList<>());
            writes.add(new ArrayList<>());
        }
        for (int t = 0; t < tiles.size(); t++) {
            Layout.Tile old = tiles.get(t).tile();
            siteTiles.get(tiles.get(t).phase()).add(new Layout.Tile(old.unit(), old.copy(), old.index(), old.core(), assignment.crossbar()[t]));
        }
        for (int j = 0; j < jobs.size(); j++) {
            WriteSchedule.Job job = jobs.get(j);
            writes.get(job.phase()).add(new Layout.Write(job.core(), job.crossbar(), overlap.writeStart()[j], overlap.writeEnd()[j]));
        }
        for (int p = 0; p < k; p++) {
            long s = overlap.computeStart()[p];
            parts.add(new Layout.PartitionLayout(siteTiles.get(p), writes.get(p), s, s + input.computeNs()[p]));
        }
        Layout layout = new Layout(parts, overlap.periodNs());
        long computeSum = input.computeSum();
        return new Result(layout, cells, cellsAll, worst, worstAll, overlap.periodNs(), noOverlap.periodNs(), computeSum,
                metrics.latencyNs(), assignment.status(), overlap.status());
    }

    /** The schedule's input and, per job, the tile it writes ({@code tiles} index). */
    record Jobs(WriteSchedule.Input input, List<Integer> jobTile) {}

    /**
     * The programming schedule's input for tiles on their crossbars: compute times (ceil ns) and
     * DRAM units per partition from the cost model, one job per tile whose crossbar another
     * partition used before it (cyclically).
     */
    static Jobs jobs(Instance instance, Plan plan, List<PhaseTile> tiles, int[] crossbar) {
        Chip chip = instance.chip();
        int k = plan.partitions().size();
        BatchMetrics metrics = plan.evaluate(instance);
        List<PartitionProfile> profiles = plan.profiles(instance);
        long[] computeNs = new long[k];
        int[] io = new int[k];
        for (int p = 0; p < k; p++) {
            PartitionMetrics m = metrics.partitions().get(p);
            computeNs[p] = (long) Math.ceil(m.computeNs());
            double bytes = (double) instance.batch() * profiles.get(p).dramBytesPerSample() + profiles.get(p).dramBytesPerBatch();
            io[p] = computeNs[p] == 0 ? 0 : (int) Math.min(WriteSchedule.DRAM_UNITS,
                    Math.ceil(WriteSchedule.DRAM_UNITS * bytes / computeNs[p] / chip.dramGBps() - 1e-9));
        }
        // Users of every crossbar, in partition order, with the tile each holds.
        Map<Long, int[]> users = new HashMap<>();
        for (int t = 0; t < tiles.size(); t++) {
            users.computeIfAbsent(site(tiles.get(t).tile().core(), crossbar[t]), x -> new int[k + 1])[tiles.get(t).phase()]++;
        }
        List<WriteSchedule.Job> jobs = new ArrayList<>();
        List<Integer> jobTile = new ArrayList<>();
        for (int t = 0; t < tiles.size(); t++) {
            PhaseTile pt = tiles.get(t);
            long key = site(pt.tile().core(), crossbar[t]);
            int q = previousUser(users.get(key), pt.phase(), k);
            if (q == pt.phase()) {
                continue;   // only this partition uses the crossbar: its tile stays
            }
            long duration = (long) Math.ceil(Math.max(pt.rows() * chip.writeNsPerRow(), pt.dramBytes() / chip.dramGBps()));
            duration = Math.max(1, duration);
            int dram = (int) Math.min(WriteSchedule.DRAM_UNITS,
                    Math.ceil(WriteSchedule.DRAM_UNITS * pt.dramBytes() / duration / chip.dramGBps() - 1e-9));
            jobs.add(new WriteSchedule.Job(pt.phase(), pt.tile().core(), crossbar[t], q, duration, dram));
            jobTile.add(t);
        }
        return new Jobs(new WriteSchedule.Input(computeNs, io, jobs, chip.writeParallelism()), jobTile);
    }

    /**
     * The programming schedule's input of a placed plan, with the crossbar assignment of
     * {@link SlotAssignment} (as {@link #solve} computes it): what {@code pimopt export --what replacement} writes.
     */
    public static WriteSchedule.Input scheduleInput(Instance instance, Plan plan, List<List<Layout.Tile>> placed, SolveOptions options) {
        List<PhaseTile> tiles = PhaseTile.of(instance, plan, placed);
        Chip chip = instance.chip();
        SlotAssignment.Result assignment = SlotAssignment.solve(tiles, plan.partitions().size(), chip.cores(),
                chip.crossbarsPerCore(), options);
        return jobs(instance, plan, tiles, assignment.crossbar()).input();
    }

    private static long site(int core, int crossbar) {
        return ((long) core << 32) | crossbar;
    }

    /** The partition that used the crossbar last before {@code p}, cyclically (p itself if no other). */
    private static int previousUser(int[] users, int p, int k) {
        for (int d = 1; d < k; d++) {
            int q = ((p - d) % k + k) % k;
            if (users[q] > 0) {
                return q;
            }
        }
        return p;
    }
}
