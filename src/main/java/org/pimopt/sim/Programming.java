package org.pimopt.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Unit;
import org.pimopt.hw.Chip;
import org.pimopt.plan.Layout;
import org.pimopt.problem.UnitRef;

/**
 * Where programming time is decided: the tasks that bring one partition's weights into its
 * crossbars, fetches from DRAM and writes by the write engine, and the barrier after which the
 * partition is programmed. With one partition the weights stay on chip and nothing is written per
 * batch. Without a layout every copy is rewritten each batch ({@link #rewriteEveryCopy}); with one,
 * only the crossbars its write schedule lists, at their scheduled times ({@link #followLayout}).
 * The switches {@link SimConfig#writeSlots}, {@link SimConfig#writeWaitsForFetch} and
 * {@link SimConfig#overlapWrites} choose between the physical effects and the cost model's form.
 */
final class Programming {
    private final PartitionTasks tasks;
    private final TaskGraph graph;
    private final EventEngine engine;
    private final Chip chip;
    private final SimConfig config;
    private final int p;
    /** The previous partition's placement and its "programmed" barrier (for overlapped writes). */
    private final Placement previous;
    private final int previousProgrammed;

    Programming(PartitionTasks tasks, Placement previous, int previousProgrammed) {
        this.tasks = tasks;
        this.graph = tasks.graph;
        this.engine = tasks.engine;
        this.chip = tasks.chip;
        this.config = graph.config;
        this.p = tasks.p;
        this.previous = previous;
        this.previousProgrammed = previousProgrammed;
    }

    /**
     * The programming tasks of the partition from {@code start} on; returns the barrier of "all
     * programmed" ({@code start} itself when {@code everyBatch} is false: one partition, whose
     * weights were written once before the steady state).
     */
    int tasks(boolean everyBatch, int start) {
        if (!everyBatch) {
            return start;
        }
        return graph.layout != null ? followLayout(start) : rewriteEveryCopy(start);
    }

    /**
     * The layout's writes for this partition: each crossbar it lists is written (whole, on one of
     * the write slots) no earlier than its scheduled start, after the partition that used the
     * crossbar before has ended (in this batch, or the previous batch's last partition), and,
     * without overlap, after the previous partition has ended. Each unit with a write fetches its
     * weights once, from its earliest scheduled write on. Crossbars not listed keep their tile.
     */
    private int followLayout(int start) {
        int k = graph.plan.partitions().size();
        int done = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
        Layout.PartitionLayout pl = graph.layout.partitions().get(p);
        CrossbarSites sites = graph.sites;
        Map<Integer, Layout.Tile> tileAt = new HashMap<>();
        for (Layout.Tile t : pl.tiles()) {
            tileAt.put(sites.site(t.core(), t.crossbar()), t);
        }
        Map<Integer, Double> firstWrite = new TreeMap<>();
        List<int[]> writeTasks = new ArrayList<>();   // {task, unit}
        for (Layout.Write w : pl.writes()) {
            int site = sites.site(w.core(), w.crossbar());
            Layout.Tile tile = tileAt.get(site);
            if (tile == null) {
                throw new SimulationException("partition " + p + " writes crossbar " + sites.name(site)
                        + " but places no tile there");
            }
            Unit unit = tasks.instance.units().get(tile.unit()).unit();
            int res = tasks.replicaOf(tile);
            int task = tasks.task(Timeline.WRITE, graph.writer, unit.rowsOfCrossbar(tile.index()) * chip.writeNsPerRow(), res,
                    -1, unit.cellsOfCrossbar(tile.index()));
            graph.replicas.writes.get(res).add(task);
            sites.siteOfWrite.put(task, site);
            engine.depend(task, timer(w.startNs()));
            int q = sites.previousUser(site, p);
            engine.depend(task, q < p ? graph.partitionEnds[q] : q == k - 1 ? graph.tail : -1);
            if (!config.overlapWrites()) {
                engine.depend(task, start);
            }
            engine.depend(done, task);
            firstWrite.merge(tile.unit(), w.startNs(), Math::min);
            writeTasks.add(new int[] {task, tile.unit()});
        }
        Map<Integer, Integer> fetchOf = new HashMap<>();
        firstWrite.forEach((u, at) -> {
            Unit unit = tasks.instance.units().get(u).unit();
            int f = tasks.task(Timeline.FETCH, graph.dram, unit.weightBytes() / chip.dramGBps(), u, -1, unit.weightBytes());
            engine.depend(f, timer(at));
            if (!config.overlapWrites()) {
                engine.depend(f, start);
            }
            engine.depend(done, f);
            fetchOf.put(u, f);
        });
        if (config.writeWaitsForFetch()) {
            for (int[] wt : writeTasks) {
                engine.depend(wt[0], fetchOf.get(wt[1]));
            }
        }
        engine.depend(done, start);
        return done;
    }

    /** A task that ends at {@code ns} in the layout's time frame (a scheduled release). */
    private int timer(double ns) {
        return ns > 0 ? engine.addTask(Timeline.BARRIER, -1, ns, p, p, -1, 0) : -1;
    }

    /** Fetch each unit's weights once, write every copy; returns the barrier of "all programmed". */
    private int rewriteEveryCopy(int start) {
        List<int[]> copies = tasks.copies;
        Placement placement = tasks.placement;
        int done = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
        Map<Integer, Integer> fetchOf = new HashMap<>();
        // With overlapped writes, a copy whose cores have room beside the previous partition is
        // fetched and written while that partition computes; the others wait for it to finish.
        boolean[] early = new boolean[copies.size()];
        Map<Integer, Boolean> unitEarly = new HashMap<>();
        for (int i = 0; i < copies.size(); i++) {
            early[i] = config.overlapWrites() && previous != null;
            for (int c : placement.coresOfCopy[i]) {
                early[i] &= previous != null && previous.used[c] + placement.used[c] <= chip.crossbarsPerCore();
            }
            unitEarly.merge(copies.get(i)[0], early[i], Boolean::logicalAnd);
        }
        for (int u : tasks.part.units()) {
            Unit unit = tasks.instance.units().get(u).unit();
            int f = tasks.task(Timeline.FETCH, graph.dram, unit.weightBytes() / chip.dramGBps(), u, -1, unit.weightBytes());
            engine.depend(f, unitEarly.get(u) ? previousProgrammed : start);
            engine.depend(done, f);
            fetchOf.put(u, f);
        }
        for (int i = 0; i < copies.size(); i++) {
            int[] copy = copies.get(i);
            UnitRef ref = tasks.instance.units().get(copy[0]);
            Unit unit = ref.unit();
            int res = tasks.replicasOfOp.get(ref.op())[copy[1]];
            List<Integer> writes = graph.replicas.writes.get(res);
            if (config.writeSlots()) {
                // Whole crossbars on the write slots, the unit's rows and cells spread over them.
                for (int x = 0; x < unit.crossbars(); x++) {
                    long cells = unit.cellsOfCrossbar(x);
                    int w = tasks.task(Timeline.WRITE, graph.writer, unit.rowsOfCrossbar(x) * chip.writeNsPerRow(), res, -1, cells);
                    writes.add(w);
                }
            } else {
                writes.add(tasks.task(Timeline.WRITE, graph.writer,
                        unit.rowsProgrammed() * chip.writeNsPerRow() / chip.writeParallelism(), res, -1,
                        unit.cellsWritten()));
            }
            for (int w : writes.subList(writes.size() - (config.writeSlots() ? unit.crossbars() : 1), writes.size())) {
                engine.depend(w, early[i] ? previousProgrammed : start);
                if (config.writeWaitsForFetch()) {
                    engine.depend(w, fetchOf.get(copy[0]));
                }
                engine.depend(done, w);
            }
        }
        if (!config.writeWaitsForFetch()) {
            // The model's form of writes waiting for fetches: no unit is programmed faster than
            // its own fetch followed by its own write (CostModel.unitProgramNs), from when it may start.
            for (int u : tasks.part.units()) {
                Unit unit = tasks.instance.units().get(u).unit();
                int alone = engine.addTask(Timeline.BARRIER, -1, CostModel.unitProgramNs(chip, unit), p, p, -1, 0);
                engine.depend(alone, unitEarly.get(u) ? previousProgrammed : start);
                engine.depend(done, alone);
            }
        }
        if (!config.writeSlots() && !copies.isEmpty()) {
            // The model's form: no unit is programmed faster than its most-written crossbar row by
            // row, which whole crossbars on slots give by themselves: from its fetch when writes
            // wait for fetches, else from when it may start (the unit's time alone above covers it).
            if (config.writeWaitsForFetch()) {
                for (int u : tasks.part.units()) {
                    Unit unit = tasks.instance.units().get(u).unit();
                    int floor = engine.addTask(Timeline.BARRIER, -1, unit.mostRowsOfCrossbar() * chip.writeNsPerRow(), p, p, -1, 0);
                    engine.depend(floor, fetchOf.get(u));
                    engine.depend(done, floor);
                }
            }
        }
        engine.depend(done, start);
        return done;
    }
}
