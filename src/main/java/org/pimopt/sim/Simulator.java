package org.pimopt.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.Rates;
import org.pimopt.cost.Unit;
import org.pimopt.hw.Chip;
import org.pimopt.plan.Layout;
import org.pimopt.ir.Layer;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

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
 */
public final class Simulator {
    private final Instance instance;
    private final Plan plan;
    private final SimConfig config;
    private final Chip chip;
    private final EventEngine engine = new EventEngine();
    private final List<Integer> coreOfResource = new ArrayList<>();
    private final Rates rates;
    /** Per replica resource: its op's layer and the write tasks that program it. */
    private final Map<Integer, List<Integer>> writesOfReplica = new HashMap<>();
    private final Map<Integer, String> replicaLabel = new HashMap<>();
    private final Map<Integer, Integer> crossbarsOfReplica = new HashMap<>();
    private final Map<Integer, int[]> coresOfReplica = new HashMap<>();
    private int dram;
    private int writer;
    /** The layout the run executes (null: the simulator places copies itself and rewrites every tile). */
    private final Layout layout;
    /** With a layout: the previous batch's last partition, computing from time 0 (the layout's time frame). */
    private int tail = -1;
    private double originNs;
    private int[] partitionEnds;
    /** With a layout: crossbar (core * crossbarsPerCore + crossbar) of each write task, and the crossbars of each replica. */
    private final Map<Integer, Integer> siteOfWrite = new HashMap<>();
    private final Map<Integer, int[]> sitesOfReplica = new HashMap<>();
    /** With a layout: per crossbar, the replica resources using it, in partition order. */
    private final Map<Integer, List<Integer>> usersOfSite = new HashMap<>();
    private final Map<Integer, Integer> partitionOfReplica = new HashMap<>();
    /** With a layout: the partitions placing a tile on each crossbar. */
    private final Map<Integer, java.util.TreeSet<Integer>> partitionsOfSite = new HashMap<>();

    /** With a layout: how long the previous batch's last partition computes (null: the layout's own figure). */
    private final Double tailNs;

    private Simulator(Instance instance, Plan plan, SimConfig config, Double tailNs) {
        this.instance = instance;
        this.plan = plan;
        this.config = config;
        this.chip = instance.chip();
        this.rates = Rates.of(chip);
        this.layout = config.useLayout() ? plan.layout() : null;
        this.tailNs = tailNs;
    }

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
        SimResult first = new Simulator(instance, plan, config, null).simulate();
        int k = plan.partitions().size();
        if (!config.useLayout() || plan.layout() == null || k < 2) {
            return first;
        }
        return new Simulator(instance, plan, config, first.partitions().get(k - 1).computeNs()).simulate();
    }

    private int resource(int slots, int core) {
        int r = engine.addResource(slots);
        coreOfResource.add(core);
        return r;
    }

    private SimResult simulate() {
        int k = plan.partitions().size();
        int[] partOf = plan.partitionOfUnits(instance.units().size());
        DataMovement moves = new DataMovement(instance, partOf, k);
        dram = resource(1, -1);
        writer = resource(config.writeSlots() || layout != null ? chip.writeParallelism() : 1, -1);
        int previousEnd = -1;
        int[] starts = new int[k];
        int[] programmed = new int[k];
        int[] ends = new int[k];
        partitionEnds = ends;
        if (layout != null && k >= 2) {
            // The layout's period starts when the previous batch's last partition starts computing;
            // that partition is represented by its compute time (see runUnvalidated). Reported times and the
            // batch latency are measured from its end, so the latency is the steady-state period.
            Layout.PartitionLayout last = layout.partitions().get(k - 1);
            originNs = tailNs != null ? tailNs : last.computeEndNs() - last.computeStartNs();
            tail = engine.addTask(Timeline.BARRIER, -1, originNs, k - 1, k - 1, -1, 0);
            previousEnd = tail;
        }
        if (layout != null) {
            for (int p = 0; p < k; p++) {
                for (Layout.Tile t : layout.partitions().get(p).tiles()) {
                    partitionsOfSite.computeIfAbsent(t.core() * chip.crossbarsPerCore() + t.crossbar(),
                            x -> new java.util.TreeSet<>()).add(p);
                }
            }
        }
        Placement[] placements = new Placement[k];
        for (int p = 0; p < k; p++) {
            starts[p] = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
            engine.depend(starts[p], previousEnd);
            PartitionBuild build = new PartitionBuild(p, moves, starts[p], k >= 2, p == 0 ? null : placements[p - 1],
                    p == 0 ? -1 : programmed[p - 1]);
            placements[p] = build.placement;
            programmed[p] = build.programmed;
            ends[p] = build.end;
            previousEnd = ends[p];
        }
        int[] core = coreOfResource.stream().mapToInt(Integer::intValue).toArray();
        ProgrammingCheck check = new ProgrammingCheck();
        int stuck = engine.run(check);
        if (check.violation == null && check.siteViolation != null) {
            check.violation = check.siteViolation;
        }
        if (check.violation != null) {
            throw new SimulationException(check.violation);
        }
        if (stuck > 0) {
            throw new SimulationException(stuck + " tasks never became ready: the plan's dependencies form a cycle");
        }
        if (!moves.violations.isEmpty()) {
            DataMovement.EarlyRead v = moves.violations.get(0);
            throw new SimulationException(String.format(java.util.Locale.ROOT,
                    "partition %d reads %s from %s at %.1f ns, but partition %d produces it only at %.1f ns", v.reader(),
                    v.tensor(), v.what(), engine.finish(starts[v.reader()]), v.producer(), engine.finish(ends[v.producer()])));
        }
        return new Measurement(instance, plan, config, engine, originNs, crossbarsOfReplica, coresOfReplica, layout,
                siteOfWrite, dram, writer).of(k, starts, programmed, ends, placements, core);
    }

    /**
     * As the plan runs: no MVM of a replica starts while a write to its crossbars is still pending.
     * With a layout, per crossbar: a replica starts only when every crossbar it uses holds its tile
     * (the last write there was its own; at the start of the period a crossbar holds the tile of
     * the last partition using it), and a crossbar is written only when the replica that used it
     * before has no MVM left.
     */
    private final class ProgrammingCheck implements EventEngine.Listener {
        private final int[] writesLeft = new int[engine.resourceCount()];
        private final int[] mvmsLeft = new int[engine.resourceCount()];
        private final boolean[] checked = new boolean[engine.resourceCount()];
        private final Map<Integer, Integer> holder = new HashMap<>();
        private final Map<Integer, Integer> writing = new HashMap<>();
        String violation;
        String siteViolation;

        ProgrammingCheck() {
            writesOfReplica.forEach((res, writes) -> writesLeft[res] = writes.size());
            for (int t = 0; t < engine.tasks(); t++) {
                if (engine.kind(t) == Timeline.MVM) {
                    mvmsLeft[engine.resource(t)]++;
                }
            }
            usersOfSite.forEach((site, users) -> holder.put(site, users.get(users.size() - 1)));
        }

        @Override
        public void started(int t, double now) {
            if (engine.kind(t) == Timeline.MVM && writesLeft[engine.resource(t)] > 0 && violation == null) {
                violation = String.format(java.util.Locale.ROOT, "%s used at %.1f ns before its crossbars were programmed"
                        + " (%d crossbar writes pending)", replicaLabel.get(engine.resource(t)), now - originNs,
                        writesLeft[engine.resource(t)]);
            }
            if (layout == null || siteViolation != null) {
                return;
            }
            if (engine.kind(t) == Timeline.MVM && !checked[engine.resource(t)]) {
                int res = engine.resource(t);
                checked[res] = true;
                for (int site : sitesOfReplica.getOrDefault(res, new int[0])) {
                    Integer w = writing.get(site);
                    if (w != null || holder.get(site) != res) {
                        siteViolation = String.format(java.util.Locale.ROOT,
                                "partition %d uses crossbar %s at %.1f ns while it %s (%s)", partitionOfReplica.get(res),
                                siteName(site), now - originNs, w != null ? "is being written for partition " + engine.partition(w)
                                        : "holds a tile of partition " + partitionOfReplica.get(holder.get(site)), replicaLabel.get(res));
                        return;
                    }
                }
            }
            if (engine.kind(t) == Timeline.WRITE) {
                int site = siteOfWrite.get(t);
                int before = holder.get(site);
                if (partitionOfReplica.get(before) < engine.partition(t) && mvmsLeft[before] > 0) {
                    siteViolation = String.format(java.util.Locale.ROOT,
                            "crossbar %s is written for partition %d at %.1f ns while partition %d still uses it (%s, %d MVM tasks left)",
                            siteName(site), engine.partition(t), now - originNs, partitionOfReplica.get(before),
                            replicaLabel.get(before), mvmsLeft[before]);
                    return;
                }
                writing.put(site, t);
            }
        }

        @Override
        public void finished(int t, double now) {
            if (engine.kind(t) == Timeline.WRITE) {
                writesLeft[engine.tag(t)]--;
                Integer site = siteOfWrite.get(t);
                if (site != null) {
                    writing.remove(site);
                    holder.put(site, engine.tag(t));
                }
            } else if (engine.kind(t) == Timeline.MVM) {
                mvmsLeft[engine.resource(t)]--;
            }
        }
    }

    private String siteName(int site) {
        return (site % chip.crossbarsPerCore()) + " of core " + (site / chip.crossbarsPerCore());
    }

    /** Tasks of one partition: programming, then every sample through its layers. */
    private final class PartitionBuild {
        final Placement placement;
        final int programmed;
        final int end;
        private final int p;
        private final DataMovement moves;
        private final List<Integer> allTasks = new ArrayList<>();
        /** Per op present: its replica resources and crossbars of one replica. */
        private final Map<Integer, int[]> replicas = new TreeMap<>();
        private final Map<Integer, Integer> replicaCrossbars = new HashMap<>();
        private final Map<Integer, int[]> coresOfLayer = new HashMap<>();

        /** The previous partition's placement and its "programmed" barrier (for overlapped writes). */
        private final Placement previous;
        private final int previousProgrammed;

        PartitionBuild(int p, DataMovement moves, int start, boolean program, Placement previous, int previousProgrammed) {
            this.previous = previous;
            this.previousProgrammed = previousProgrammed;
            this.p = p;
            this.moves = moves;
            Partition part = plan.partitions().get(p);
            // Copies of the partition's units: replica j of an op holds copy j of each of its units here.
            List<int[]> copies = new ArrayList<>();   // {unit id, copy}
            List<Integer> sizes = new ArrayList<>();
            for (int u : part.units()) {
                UnitRef ref = instance.units().get(u);
                int r = part.replicasOf(ref.op());
                replicaCrossbars.merge(ref.op(), ref.crossbars(), Integer::sum);
                for (int j = 0; j < r; j++) {
                    copies.add(new int[] {u, j});
                    sizes.add(ref.crossbars());
                }
            }
            placement = layout != null
                    ? Placement.fromLayout(copies, layout.partitions().get(p), chip.cores(), chip.crossbarsPerCore())
                    : Placement.of(sizes.stream().mapToInt(Integer::intValue).toArray(), chip.cores(), chip.crossbarsPerCore());
            if (placement == null) {
                throw new SimulationException("partition " + p + " does not fit on " + chip.name());
            }
            Map<Integer, List<Integer>> replicaCores = new HashMap<>();
            for (int op : replicaCrossbars.keySet()) {
                int r = part.replicasOf(op);
                int[] res = new int[r];
                replicas.put(op, res);
                for (int j = 0; j < r; j++) {
                    res[j] = -1;
                }
            }
            for (int i = 0; i < copies.size(); i++) {
                UnitRef ref = instance.units().get(copies.get(i)[0]);
                int j = copies.get(i)[1];
                int[] res = replicas.get(ref.op());
                if (res[j] < 0) {
                    res[j] = resource(1, placement.coresOfCopy[i][0]);
                    replicaLabel.put(res[j], "op " + instance.ops().get(ref.op()).name() + " copy " + j
                            + " in partition " + p);
                    crossbarsOfReplica.put(res[j], replicaCrossbars.get(ref.op()));
                    writesOfReplica.put(res[j], new ArrayList<>());
                    partitionOfReplica.put(res[j], p);
                }
                List<Integer> cores = replicaCores.computeIfAbsent(res[j], x -> new ArrayList<>());
                for (int c : placement.coresOfCopy[i]) {
                    if (!cores.contains(c)) {
                        cores.add(c);
                    }
                }
            }
            replicaCores.forEach((res, cs) -> coresOfReplica.put(res, cs.stream().mapToInt(Integer::intValue).toArray()));
            if (layout != null) {
                recordSites();
            }
            programmed = !program ? start : layout != null ? programLayout(start) : program(part, copies, start);
            int computeEnd = compute(start);
            end = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
            engine.depend(end, computeEnd);
            for (int t : allTasks) {
                engine.depend(end, t);
            }
        }

        private int task(byte kind, int res, double ns, int tag, int sample, double amount) {
            int t = engine.addTask(kind, res, ns, tag, p, sample, amount);
            allTasks.add(t);
            return t;
        }

        /** The crossbars of every replica of this partition, and this partition among the users of each. */
        private void recordSites() {
            Map<Integer, List<Integer>> sites = new HashMap<>();
            for (Layout.Tile t : layout.partitions().get(p).tiles()) {
                int res = replicaOf(t);
                int site = t.core() * chip.crossbarsPerCore() + t.crossbar();
                sites.computeIfAbsent(res, x -> new ArrayList<>()).add(site);
                usersOfSite.computeIfAbsent(site, x -> new ArrayList<>()).add(res);
            }
            sites.forEach((res, list) -> sitesOfReplica.put(res, list.stream().mapToInt(Integer::intValue).toArray()));
        }

        private int replicaOf(Layout.Tile t) {
            return replicas.get(instance.units().get(t.unit()).op())[t.copy()];
        }

        /**
         * The layout's writes for this partition: each crossbar it lists is written (whole, on one of
         * the write slots) no earlier than its scheduled start, after the partition that used the
         * crossbar before has ended (in this batch, or the previous batch's last partition), and,
         * without overlap, after the previous partition has ended. Each unit with a write fetches its
         * weights once, from its earliest scheduled write on. Crossbars not listed keep their tile.
         */
        private int programLayout(int start) {
            int k = plan.partitions().size();
            int done = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
            Layout.PartitionLayout pl = layout.partitions().get(p);
            Map<Integer, Layout.Tile> tileAt = new HashMap<>();
            for (Layout.Tile t : pl.tiles()) {
                tileAt.put(t.core() * chip.crossbarsPerCore() + t.crossbar(), t);
            }
            Map<Integer, Double> firstWrite = new TreeMap<>();
            List<int[]> writeTasks = new ArrayList<>();   // {task, unit}
            for (Layout.Write w : pl.writes()) {
                int site = w.core() * chip.crossbarsPerCore() + w.crossbar();
                Layout.Tile tile = tileAt.get(site);
                if (tile == null) {
                    throw new SimulationException("partition " + p + " writes crossbar " + siteName(site)
                            + " but places no tile there");
                }
                Unit unit = instance.units().get(tile.unit()).unit();
                int res = replicaOf(tile);
                int task = task(Timeline.WRITE, writer, unit.rowsOfCrossbar(tile.index()) * chip.writeNsPerRow(), res, -1,
                        unit.cellsOfCrossbar(tile.index()));
                writesOfReplica.get(res).add(task);
                siteOfWrite.put(task, site);
                engine.depend(task, timer(w.startNs()));
                int q = previousUser(site, k);
                engine.depend(task, q < p ? partitionEnds[q] : q == k - 1 ? tail : -1);
                if (!config.overlapWrites()) {
                    engine.depend(task, start);
                }
                engine.depend(done, task);
                firstWrite.merge(tile.unit(), w.startNs(), Math::min);
                writeTasks.add(new int[] {task, tile.unit()});
            }
            Map<Integer, Integer> fetchOf = new HashMap<>();
            firstWrite.forEach((u, at) -> {
                Unit unit = instance.units().get(u).unit();
                int f = task(Timeline.FETCH, dram, unit.weightBytes() / chip.dramGBps(), u, -1, unit.weightBytes());
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

        /** The partition that used crossbar {@code site} last before this one, cyclically (this one if no other). */
        private int previousUser(int site, int k) {
            java.util.TreeSet<Integer> users = partitionsOfSite.get(site);
            Integer q = users.lower(p);
            return q != null ? q : users.last();
        }

        /** A task that ends at {@code ns} in the layout's time frame (a scheduled release). */
        private int timer(double ns) {
            return ns > 0 ? engine.addTask(Timeline.BARRIER, -1, ns, p, p, -1, 0) : -1;
        }

        /** Fetch each unit's weights once, write every copy; returns the barrier of "all programmed". */
        private int program(Partition part, List<int[]> copies, int start) {
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
            for (int u : part.units()) {
                Unit unit = instance.units().get(u).unit();
                int f = task(Timeline.FETCH, dram, unit.weightBytes() / chip.dramGBps(), u, -1, unit.weightBytes());
                engine.depend(f, unitEarly.get(u) ? previousProgrammed : start);
                engine.depend(done, f);
                fetchOf.put(u, f);
            }
            for (int i = 0; i < copies.size(); i++) {
                int[] copy = copies.get(i);
                UnitRef ref = instance.units().get(copy[0]);
                Unit unit = ref.unit();
                int res = replicas.get(ref.op())[copy[1]];
                List<Integer> writes = writesOfReplica.get(res);
                if (config.writeSlots()) {
                    // Whole crossbars on the write slots, the unit's rows and cells spread over them.
                    for (int x = 0; x < unit.crossbars(); x++) {
                        long cells = unit.cellsOfCrossbar(x);
                        int w = task(Timeline.WRITE, writer, unit.rowsOfCrossbar(x) * chip.writeNsPerRow(), res, -1, cells);
                        writes.add(w);
                    }
                } else {
                    writes.add(task(Timeline.WRITE, writer,
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
            if (!config.writeSlots() && !copies.isEmpty()) {
                // The model's form: no partition is programmed faster than its most-written crossbar
                // row by row (CostModel.partition), which whole crossbars on slots give by themselves.
                // Copies written early (beside the previous partition) and the others, each from its start.
                long[] rows = new long[2];
                for (int i = 0; i < copies.size(); i++) {
                    int e = early[i] ? 1 : 0;
                    rows[e] = Math.max(rows[e], instance.units().get(copies.get(i)[0]).unit().mostRowsOfCrossbar());
                }
                for (int e = 0; e < 2; e++) {
                    int floor = engine.addTask(Timeline.BARRIER, -1, rows[e] * chip.writeNsPerRow(), p, p, -1, 0);
                    engine.depend(floor, e == 1 ? previousProgrammed : start);
                    engine.depend(done, floor);
                }
            }
            engine.depend(done, start);
            return done;
        }

        /** Layers of the partition in network order: weighted ones holding units here, vector ones placed here. */
        private List<Layer> layers() {
            List<Layer> out = new ArrayList<>();
            for (Layer l : instance.network().layers()) {
                int op = instance.opOfLayer(l.index());
                if (op >= 0 ? replicas.containsKey(op) : moves.partitionOfVector(l.index()) == p) {
                    out.add(l);
                }
            }
            return out;
        }

        private boolean here(int layer) {
            int op = instance.opOfLayer(layer);
            return op >= 0 ? replicas.containsKey(op) : moves.partitionOfVector(layer) == p;
        }

        /** Samples through the layers; returns a barrier after which the partition's compute is over. */
        private int compute(int start) {
            int batch = instance.batch();
            Schedule schedule = config.schedule();
            int preload = programmed;
            if (moves.loadPerBatch[p] > 0) {
                preload = task(Timeline.LOAD, dram, moves.loadPerBatch[p] / chip.dramGBps(), -1, -1, moves.loadPerBatch[p]);
                engine.depend(preload, programmed);
            }
            long in = moves.loadPerSample[p];
            long out = moves.storePerSample[p];
            int[] gate = new int[batch];
            int[] sampleIo = new int[batch];
            Arrays.fill(sampleIo, -1);
            for (int s = 0; s < batch; s++) {
                if (config.fillIo()) {
                    gate[s] = preload;
                    if (in > 0) {
                        gate[s] = task(Timeline.LOAD, dram, in / chip.dramGBps(), -1, s, in);
                        engine.depend(gate[s], preload);
                    }
                } else {
                    // The model's view: a sample enters once the DRAM channel has moved its traffic
                    // (loads and stores of one sample as one transfer, the first sample's included).
                    if (in + out > 0) {
                        double ns = (in + out) / chip.dramGBps();
                        sampleIo[s] = task(Timeline.IO, dram, ns, -1, s, in + out);
                        engine.depend(sampleIo[s], preload);
                    }
                    gate[s] = sampleIo[s] < 0 ? preload : sampleIo[s];
                }
            }
            if (schedule == Schedule.PIPELINE && !config.freeIssue()) {
                issueAtModelRate(gate, in + out);
            }
            List<Layer> layers = layers();
            // Partial sums as for transfers: between the placed cores with a layout; without one, the
            // model's rule (each unit over the fewest cores that hold it), not the fill order's
            // accidental straddles, which no placement would keep.
            double partialSumBytes = layout != null ? partialSumByteHops() : modelPartialSumByteHops();
            int last = preload;   // the layer schedule's running sequence
            Map<Integer, Integer> producersCache = new HashMap<>();
            for (int s = 0; s < batch; s++) {
                Map<Integer, int[]> rowDone = new HashMap<>();
                Map<Integer, Integer> layerDone = new HashMap<>();
                int sampleDone = engine.addTask(Timeline.BARRIER, -1, 0, -1, p, s, 0);
                for (Layer l : layers) {
                    int li = l.index();
                    int op = instance.opOfLayer(li);
                    boolean cross = schedule == Schedule.CROSS_LAYER;
                    int rows = cross ? RowWindow.rows(l.outputShape()) : 1;
                    long positions = op >= 0 ? instance.ops().get(op).positions() : 0;
                    if (op >= 0 && positions % rows != 0) {
                        rows = 1;
                    }
                    // In-partition producers of each input, and whether any input comes from DRAM.
                    List<String> inputs = l.node().inputs();
                    int[] producer = new int[inputs.size()];
                    boolean fromDram = false;
                    for (int i = 0; i < inputs.size(); i++) {
                        Integer src = producerOf(inputs.get(i));
                        producer[i] = src != null && here(src) && rowDone.containsKey(src) ? src : -1;
                        fromDram |= producer[i] < 0 || (src != null && moves.partitionsOfLayer[src].first() < p);
                    }
                    int[] done = new int[rows];
                    for (int y = 0; y < rows; y++) {
                        List<Integer> pieces = op >= 0 ? mvmPieces(op, li, s, y, rows, positions) : vectorPiece(l, s, y, rows);
                        List<Integer> inputDeps = inputDependencies(l, inputs, producer, rowDone, layerDone, y, cross, s);
                        for (int t : pieces) {
                            if (fromDram) {
                                engine.depend(t, gate[s]);
                            }
                            engine.depend(t, programmed);
                            for (int d : inputDeps) {
                                engine.depend(t, d);
                            }
                            if (schedule == Schedule.LAYER) {
                                engine.depend(t, last);
                            }
                        }
                        done[y] = pieces.size() == 1 ? pieces.get(0) : barrier(pieces, s);
                    }
                    int whole = rows == 1 ? done[0] : barrier(Arrays.stream(done).boxed().toList(), s);
                    rowDone.put(li, done);
                    layerDone.put(li, whole);
                    engine.depend(sampleDone, whole);
                    last = whole;
                }
                allTasks.add(sampleDone);
                int sampleEnd = modelledStages(sampleDone, s);
                if (config.fillIo() && out > 0) {
                    int st = task(Timeline.STORE, dram, out / chip.dramGBps(), -1, s, out);
                    engine.depend(st, sampleEnd);
                }
                // With a layout, in-partition traffic is counted between the placed cores (as the transfers
                // above take it); otherwise the traffic model's mean hop distance stands in.
                double noc = (layout != null ? placedByteHops : moves.nocByteHopsPerSample[p]) + partialSumBytes;
                if (noc > 0) {
                    int n = task(Timeline.NOC, -1, 0, -1, s, noc);
                    engine.depend(n, sampleEnd);
                }
            }
            int done = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
            engine.depend(done, programmed);
            engine.depend(done, start);
            return done;
        }

        /**
         * The model's pipeline: sample {@code s} enters once its inputs are in ({@code gate[s]}) and
         * one period after sample {@code s - 1} entered, the period being the model's slowest stage
         * (an op's steps per copy, the vector stage or the DRAM traffic per sample). No sample then
         * waits at a stage, and each takes the partition's critical path.
         */
        private void issueAtModelRate(int[] gate, long ioBytes) {
            Partition part = plan.partitions().get(p);
            double period = ioBytes / chip.dramGBps();
            long vectorOps = 0;
            for (Layer l : layers()) {
                int op = instance.opOfLayer(l.index());
                if (op >= 0) {
                    long positions = instance.ops().get(op).positions();
                    int r = part.replicasOf(op);
                    period = Math.max(period, (positions + r - 1) / r * chip.mvmLatencyNs());
                } else {
                    vectorOps += l.vectorOps();
                }
            }
            period = Math.max(period, vectorOps * rates.vectorNsPerOp());
            int issue = resource(1, -1);
            int previous = -1;
            for (int s = 0; s < gate.length; s++) {
                int entry = engine.addTask(Timeline.BARRIER, -1, 0, -1, p, s, 0);
                allTasks.add(entry);
                engine.depend(entry, gate[s]);
                engine.depend(entry, previous);
                // The slot only spaces the samples: the partition's end does not wait for the last one.
                previous = engine.addTask(Timeline.BARRIER, issue, period, -1, p, s, 0);
                engine.depend(previous, entry);
                gate[s] = entry;
            }
        }

        /**
         * The model's form of the effects switched off, after a sample's layers: the on-chip
         * transfers as one delay of the model's length (nocLatency off) and the partition's vector
         * work as one task on the pooled vector units (vectorTime off), in that order at the end of
         * the sample's chain. Returns the task after which the sample is done.
         */
        private int modelledStages(int sampleDone, int s) {
            int end = sampleDone;
            if (!config.nocLatency()) {
                double ns = moves.localTransfersPerSample[p] * rates.nocNsPerTransfer()
                        + moves.localBytesPerSample[p] * rates.nocNsPerByte();
                if (ns > 0) {
                    int d = task(Timeline.NOC, -1, ns, -1, s, 0);
                    engine.depend(d, end);
                    end = d;
                }
            }
            if (!config.vectorTime()) {
                long ops = 0;
                for (Layer l : layers()) {
                    ops += instance.opOfLayer(l.index()) < 0 ? l.vectorOps() : 0;
                }
                if (ops > 0) {
                    int v = task(Timeline.VECTOR, vectorPool(), ops * rates.vectorNsPerOp(), -1, s, 0);
                    engine.depend(v, end);
                    end = v;
                }
            }
            return end;
        }

        /** The partition's pooled vector units: every core's, one resource. */
        private int vectorPool() {
            if (vectorPool < 0) {
                vectorPool = resource(1, -1);
            }
            return vectorPool;
        }

        private int vectorPool = -1;

        /**
         * What row {@code y} of a layer waits for: per in-partition input, the producer rows it needs
         * (cross-layer) or the producer's whole sample; with NoC latency on, through a transfer that
         * takes the hops between the two cores and the bytes over one link.
         */
        private List<Integer> inputDependencies(Layer l, List<String> inputs, int[] producer, Map<Integer, int[]> rowDone,
                                                Map<Integer, Integer> layerDone, int y, boolean cross, int s) {
            List<Integer> deps = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (producer[i] < 0) {
                    continue;
                }
                List<Integer> rowsRead = new ArrayList<>();
                int[] src = rowDone.get(producer[i]);
                int[] need = cross ? RowWindow.needs(l, i, y) : new int[] {0, src.length - 1};
                need[1] = Math.min(need[1], src.length - 1);
                if (src.length == 1 || (need[0] == 0 && need[1] == src.length - 1)) {
                    rowsRead.add(layerDone.get(producer[i]));
                } else {
                    for (int r = need[0]; r <= need[1]; r++) {
                        rowsRead.add(src[r]);
                    }
                }
                if (instance.opOfLayer(l.index()) < 0 && i == 0) {
                    // A vector layer runs where its first input is: that input does not move.
                    deps.addAll(rowsRead);
                    continue;
                }
                double[] pair = hopsBetween(producer[i], l.index());
                if (layout != null && s == 0 && y == 0) {
                    // The whole tensor crosses the mesh between the placed cores, once per sample and
                    // reader: every producer copy sends its share to every reader copy.
                    placedByteHops += (double) bytesOf(inputs.get(i)) * pair[0];
                }
                // The transfer ends when the farthest reader copy has its part.
                int hops = config.nocLatency() ? (int) pair[1] : 0;
                if (hops == 0) {
                    deps.addAll(rowsRead);
                    continue;
                }
                double bytes = (double) bytesOf(inputs.get(i)) * (need[1] - need[0] + 1) / src.length;
                int transfer = task(Timeline.NOC, -1, hops * chip.hopNs() + bytes / chip.linkGBps(), l.index(), s, 0);
                for (int r : rowsRead) {
                    engine.depend(transfer, r);
                }
                deps.add(transfer);
            }
            return deps;
        }

        /**
         * Mean and largest hop count from a producer layer's cores to a reader layer's cores: a
         * weighted layer's are the cores of each of its copies (each copy computes a share of the
         * output positions, each of its cores some of the columns), a vector layer's its vector
         * units' cores. Every (source, destination) pair carries an equal share of the tensor.
         */
        private double[] hopsBetween(int producerLayer, int readerLayer) {
            return hopsOfPair.computeIfAbsent(List.of(producerLayer, readerLayer), key -> {
                int[] from = coresOfEnds(producerLayer);
                int[] to = coresOfEnds(readerLayer);
                double sum = 0;
                int most = 0;
                for (int a : from) {
                    for (int b : to) {
                        int h = hops(a, b);
                        sum += h;
                        most = Math.max(most, h);
                    }
                }
                return new double[] {sum / ((double) from.length * to.length), most};
            });
        }

        private int[] coresOfEnds(int layer) {
            int op = instance.opOfLayer(layer);
            if (op < 0) {
                return coresOf(instance.network().layers().get(layer));
            }
            List<Integer> cores = new ArrayList<>();
            for (int res : replicas.get(op)) {
                for (int c : coresOfReplica.get(res)) {
                    cores.add(c);
                }
            }
            return cores.stream().mapToInt(Integer::intValue).toArray();
        }

        private final Map<List<Integer>, double[]> hopsOfPair = new HashMap<>();

        private int hops(int a, int b) {
            int cols = chip.meshCols();
            return Math.abs(a / cols - b / cols) + Math.abs(a % cols - b % cols);
        }

        private long bytesOf(String tensor) {
            if (tensorBytes.isEmpty()) {
                for (Instance.Flow f : instance.flows()) {
                    tensorBytes.put(f.name(), f.bytes());
                }
            }
            return tensorBytes.getOrDefault(tensor, 0L);
        }

        private final Map<String, Long> tensorBytes = new HashMap<>();
        /** With a layout: byte-hops per sample of the partition's in-partition transfers between placed cores. */
        private double placedByteHops;
        private final Map<String, Integer> producerIndex = new HashMap<>();

        private Integer producerOf(String tensor) {
            if (producerIndex.isEmpty()) {
                for (Layer l : instance.network().layers()) {
                    for (String t : l.node().outputs()) {
                        producerIndex.put(t, l.index());
                    }
                }
            }
            return producerIndex.get(tensor);
        }

        private int barrier(List<Integer> before, int sample) {
            int b = engine.addTask(Timeline.BARRIER, -1, 0, -1, p, sample, 0);
            for (int t : before) {
                engine.depend(b, t);
            }
            return b;
        }

        /**
         * MVM tasks of row {@code y} of an op: the row's positions split among the replicas. With one
         * row (pipeline, layer) that is the op's whole work per sample, replica j taking every r-th share.
         */
        private List<Integer> mvmPieces(int op, int layer, int s, int y, int rows, long positions) {
            int[] res = replicas.get(op);
            int r = res.length;
            long perRow = positions / rows;
            int pieces = Math.max(1, r / rows);
            List<Integer> out = new ArrayList<>(pieces);
            for (int i = 0; i < pieces; i++) {
                long share = perRow / pieces + (i < perRow % pieces ? 1 : 0);
                if (share == 0) {
                    continue;
                }
                int replica = res[(int) (((long) y * pieces + i) % r)];
                double mvms = (double) share * crossbarsOfReplica.get(replica);
                out.add(task(Timeline.MVM, replica, share * chip.mvmLatencyNs(), layer, s, mvms));
            }
            return out;
        }

        /**
         * A vector layer's row: its share of the layer's vector ops. With vector time on it runs on
         * the partition's pooled vector units (every core's, formulations/partitioning.md "Vector
         * stage"), one layer's row at a time; off, it takes no time here and the sample's vector work
         * runs as one stage at the end of its chain ({@link #modelledStages}).
         */
        private List<Integer> vectorPiece(Layer l, int s, int y, int rows) {
            long ops = l.vectorOps();
            long share = ops * (y + 1) / rows - ops * y / rows;
            int res = -1;
            double ns = 0;
            if (config.vectorTime()) {
                res = vectorPool();
                ns = share * rates.vectorNsPerOp();
            }
            return List.of(task(Timeline.VECTOR, res, ns, l.index(), s, share));
        }

        /**
         * Cores a vector layer's output leaves from, for NoC hops: those of the replicas of the
         * weighted op that feeds it in this partition (through other vector layers), or core 0 if
         * none does.
         */
        private int[] coresOf(Layer l) {
            int[] c = coresOfLayer.get(l.index());
            if (c != null) {
                return c;
            }
            int[] cores = {0};
            for (String t : l.node().inputs()) {
                Integer src = producerOf(t);
                if (src == null || !here(src)) {
                    continue;
                }
                int op = instance.opOfLayer(src);
                if (op >= 0) {
                    java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
                    for (int r : replicas.get(op)) {
                        set.add(coreOfResource.get(r));
                    }
                    cores = set.stream().mapToInt(Integer::intValue).toArray();
                } else {
                    cores = coresOf(instance.network().layers().get(src));
                }
                break;
            }
            coresOfLayer.put(l.index(), cores);
            return cores;
        }

        /** The model's byte-hops per sample of partial sums ({@link Instance#partialSumByteHops}), unit by unit. */
        private double modelPartialSumByteHops() {
            double total = 0;
            for (int u : plan.partitions().get(p).units()) {
                total += instance.partialSumByteHops(instance.units().get(u));
            }
            return total;
        }

        /** Byte-hops per sample of partial sums of unit copies spanning cores (one hop per extra core). */
        private long partialSumByteHops() {
            long total = 0;
            Partition part = plan.partitions().get(p);
            int i = 0;
            for (int u : part.units()) {
                UnitRef ref = instance.units().get(u);
                int spanned = placement.coresOfCopy[i].length;
                if (spanned > 1) {
                    total += instance.partialSumBytes(ref) * (spanned - 1);
                }
                i += part.replicasOf(ref.op());
            }
            return total;
        }
    }
}
