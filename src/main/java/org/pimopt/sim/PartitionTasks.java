package org.pimopt.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Partition;
import org.pimopt.problem.Instance;
import org.pimopt.problem.UnitRef;

/**
 * The tasks of one partition: its unit copies placed on cores as replica resources, then
 * {@link Programming} (weights into crossbars), then {@link ComputeTasks} (every sample through
 * the layers, moving data by {@link NocRoutes}), and a barrier at the end. Holds what those rooms
 * share: the partition, its replicas and its layers.
 */
final class PartitionTasks {
    final TaskGraph graph;
    final EventEngine engine;
    final Instance instance;
    final Chip chip;
    final int p;
    final Partition part;
    final DataMovement moves;
    /** Copies of the partition's units, {unit id, copy}: replica j of an op holds copy j of each of its units here. */
    final List<int[]> copies = new ArrayList<>();
    final Placement placement;
    /** Per op present: its replica resources (replica j at index j). */
    final Map<Integer, int[]> replicasOfOp = new TreeMap<>();
    /** The barrier after which the partition's crossbars hold its weights. */
    final int programmed;
    /** The barrier after which the partition is over (programmed, computed, every task done). */
    final int end;
    /** Every task of the partition that takes part in its work; the end waits for all of them. */
    private final List<Integer> allTasks = new ArrayList<>();
    private final Map<String, Integer> producerIndex = new HashMap<>();

    /**
     * Builds partition {@code p} from {@code start} on; {@code everyBatch}: programming is part of
     * every batch (two partitions or more). {@code previous} and {@code previousProgrammed}: the
     * previous partition's placement and "programmed" barrier (null and -1 for the first), for
     * writes that overlap its compute.
     */
    PartitionTasks(TaskGraph graph, int p, DataMovement moves, int start, boolean everyBatch, Placement previous,
                   int previousProgrammed) {
        this.graph = graph;
        this.engine = graph.engine;
        this.instance = graph.instance;
        this.chip = graph.chip;
        this.p = p;
        this.moves = moves;
        this.part = graph.plan.partitions().get(p);
        Map<Integer, Integer> replicaCrossbars = new HashMap<>();
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
        placement = graph.layout != null
                ? Placement.fromLayout(copies, graph.layout.partitions().get(p), chip.cores(), chip.crossbarsPerCore())
                : Placement.of(sizes.stream().mapToInt(Integer::intValue).toArray(), chip.cores(), chip.crossbarsPerCore());
        if (placement == null) {
            throw new SimulationException("partition " + p + " does not fit on " + chip.name());
        }
        addReplicas(replicaCrossbars);
        if (graph.layout != null) {
            recordSites();
        }
        programmed = new Programming(this, previous, previousProgrammed).tasks(everyBatch, start);
        int computeEnd = new ComputeTasks(this).tasks(start);
        end = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
        engine.depend(end, computeEnd);
        for (int t : allTasks) {
            engine.depend(end, t);
        }
    }

    /** One resource per replica, on the core of its first copy's first crossbar, and the cores it spans. */
    private void addReplicas(Map<Integer, Integer> replicaCrossbars) {
        Map<Integer, List<Integer>> replicaCores = new HashMap<>();
        for (int op : replicaCrossbars.keySet()) {
            int r = part.replicasOf(op);
            int[] res = new int[r];
            replicasOfOp.put(op, res);
            for (int j = 0; j < r; j++) {
                res[j] = -1;
            }
        }
        for (int i = 0; i < copies.size(); i++) {
            UnitRef ref = instance.units().get(copies.get(i)[0]);
            int j = copies.get(i)[1];
            int[] res = replicasOfOp.get(ref.op());
            if (res[j] < 0) {
                res[j] = graph.resource(1, placement.coresOfCopy[i][0]);
                graph.replicas.add(res[j], "op " + instance.ops().get(ref.op()).name() + " copy " + j + " in partition " + p,
                        replicaCrossbars.get(ref.op()), p);
            }
            List<Integer> cores = replicaCores.computeIfAbsent(res[j], x -> new ArrayList<>());
            for (int c : placement.coresOfCopy[i]) {
                if (!cores.contains(c)) {
                    cores.add(c);
                }
            }
        }
        replicaCores.forEach((res, cs) -> graph.replicas.cores.put(res, cs.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The crossbars of every replica of this partition, and this partition among the users of each. */
    private void recordSites() {
        Map<Integer, List<Integer>> sites = new HashMap<>();
        for (Layout.Tile t : graph.layout.partitions().get(p).tiles()) {
            int res = replicaOf(t);
            int site = graph.sites.site(t.core(), t.crossbar());
            sites.computeIfAbsent(res, x -> new ArrayList<>()).add(site);
            graph.sites.addUser(site, res);
        }
        sites.forEach((res, list) -> graph.sites.sitesOfReplica.put(res, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The replica resource a layout's tile belongs to. */
    int replicaOf(Layout.Tile t) {
        return replicasOfOp.get(instance.units().get(t.unit()).op())[t.copy()];
    }

    /** A task of this partition that its end waits for. */
    int task(byte kind, int res, double ns, int tag, int sample, double amount) {
        int t = engine.addTask(kind, res, ns, tag, p, sample, amount);
        allTasks.add(t);
        return t;
    }

    /** Records a task made by {@link EventEngine#addTask} directly among those the end waits for. */
    void waitAtEnd(int t) {
        allTasks.add(t);
    }

    /** A barrier of this partition after every task of {@code before}. */
    int barrier(List<Integer> before, int sample) {
        int b = engine.addTask(Timeline.BARRIER, -1, 0, -1, p, sample, 0);
        for (int t : before) {
            engine.depend(b, t);
        }
        return b;
    }

    /** Layers of the partition in network order: weighted ones holding units here, vector ones placed here. */
    List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        for (Layer l : instance.network().layers()) {
            if (here(l.index())) {
                out.add(l);
            }
        }
        return out;
    }

    /** Whether {@code layer} runs in this partition. */
    boolean here(int layer) {
        int op = instance.opOfLayer(layer);
        return op >= 0 ? replicasOfOp.containsKey(op) : moves.partitionOfVector(layer) == p;
    }

    /** The layer producing {@code tensor}, or null for a network input or a constant. */
    Integer producerOf(String tensor) {
        if (producerIndex.isEmpty()) {
            for (Layer l : instance.network().layers()) {
                for (String t : l.node().outputs()) {
                    producerIndex.put(t, l.index());
                }
            }
        }
        return producerIndex.get(tensor);
    }
}
