package org.pimopt.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.plan.Partition;
import org.pimopt.problem.Instance;
import org.pimopt.problem.UnitRef;

/**
 * How data crosses the mesh inside one partition: which cores a layer's output leaves from and
 * arrives at, the hops between them, the transfer a reader waits for (with
 * {@link SimConfig#nocLatency}), and the byte-hops per sample that NoC energy is counted from,
 * of transfers and of partial sums. Traffic between partitions goes through DRAM
 * ({@link DataMovement}).
 */
final class NocRoutes {
    private final PartitionTasks tasks;
    private final TaskGraph graph;
    private final Instance instance;
    private final Chip chip;
    private final Map<List<Integer>, double[]> hopsOfPair = new HashMap<>();
    private final Map<Integer, int[]> coresOfLayer = new HashMap<>();
    private final Map<String, Instance.Flow> flows = new HashMap<>();
    /** The model's transfer time of each tensor into a receiving layer of this partition. */
    private final Map<String, Double> modelNs = new HashMap<>();
    /** With a layout: byte-hops per sample of the partition's in-partition transfers between placed cores. */
    private double placedByteHops;

    NocRoutes(PartitionTasks tasks) {
        this.tasks = tasks;
        this.graph = tasks.graph;
        this.instance = tasks.instance;
        this.chip = tasks.chip;
    }

    /**
     * What row {@code y} of a layer waits for: per in-partition input, the producer rows it needs
     * (cross-layer) or the producer's whole sample; with NoC latency on, through a transfer that
     * takes the hops between the two cores and the bytes over one link.
     */
    List<Integer> inputDependencies(Layer l, List<String> inputs, int[] producer, Map<Integer, int[]> rowDone,
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
            Instance.Flow flow = flowOf(inputs.get(i));
            if (flow == null || !flow.receivingLayers().contains(l.index())) {
                // A vector layer runs where its first input is: that input does not move.
                deps.addAll(rowsRead);
                continue;
            }
            double[] pair = hopsBetween(producer[i], l.index());
            if (graph.layout != null && s == 0 && y == 0) {
                // The whole tensor crosses the mesh between the placed cores, once per sample and
                // reader: every producer copy sends its share to every reader copy.
                placedByteHops += (double) flow.bytes() * pair[0];
            }
            // With NoC latency on, the transfer ends when the farthest reader copy has its part;
            // off, it takes the model's time (mean hops, the slices made in this partition).
            double ns;
            if (graph.config.nocLatency()) {
                double bytes = (double) flow.bytes() * (need[1] - need[0] + 1) / src.length;
                ns = pair[1] * chip.hopNs() + (pair[1] > 0 ? bytes / chip.linkGBps() : 0);
            } else if (flow.producerLayer() < 0) {
                ns = 0;   // a model constant: loaded from DRAM once per batch, never sent over the NoC in the model
            } else {
                ns = modelNs.computeIfAbsent(flow.name(),
                        t -> instance.transferNs(flow, tasks.p, tasks.moves.partitionOfUnit)) * (need[1] - need[0] + 1) / src.length;
            }
            if (ns == 0) {
                deps.addAll(rowsRead);
                continue;
            }
            int transfer = tasks.task(Timeline.NOC, -1, ns, l.index(), s, 0);
            for (int r : rowsRead) {
                tasks.engine.depend(transfer, r);
            }
            deps.add(transfer);
        }
        return deps;
    }

    /**
     * Byte-hops per sample of the transfers inside the partition: with a layout, between the placed
     * cores, as {@link #inputDependencies} counted them for the first sample; without one, the
     * traffic model's mean hop distance.
     */
    double transferByteHopsPerSample() {
        return graph.layout != null ? placedByteHops : tasks.moves.nocByteHopsPerSample[tasks.p];
    }

    /**
     * Byte-hops per sample of partial sums, as for transfers: between the placed cores with a
     * layout; without one, the model's rule (each unit over the fewest cores that hold it), not the
     * fill order's accidental straddles, which no placement would keep.
     */
    double partialSumByteHopsPerSample() {
        return graph.layout != null ? placedPartialSumByteHops() : modelPartialSumByteHops();
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
        for (int res : tasks.replicasOfOp.get(op)) {
            for (int c : graph.replicas.cores.get(res)) {
                cores.add(c);
            }
        }
        return cores.stream().mapToInt(Integer::intValue).toArray();
    }

    private int hops(int a, int b) {
        int cols = chip.meshCols();
        return Math.abs(a / cols - b / cols) + Math.abs(a % cols - b % cols);
    }

    private Instance.Flow flowOf(String tensor) {
        if (flows.isEmpty()) {
            for (Instance.Flow f : instance.flows()) {
                flows.put(f.name(), f);
            }
        }
        return flows.get(tensor);
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
            Integer src = tasks.producerOf(t);
            if (src == null || !tasks.here(src)) {
                continue;
            }
            int op = instance.opOfLayer(src);
            if (op >= 0) {
                TreeSet<Integer> set = new TreeSet<>();
                for (int r : tasks.replicasOfOp.get(op)) {
                    set.add(graph.coreOf(r));
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
        for (int u : tasks.part.units()) {
            total += instance.partialSumByteHops(instance.units().get(u));
        }
        return total;
    }

    /** Byte-hops per sample of partial sums of unit copies spanning cores (one hop per extra core). */
    private long placedPartialSumByteHops() {
        long total = 0;
        Partition part = tasks.part;
        int i = 0;
        for (int u : part.units()) {
            UnitRef ref = instance.units().get(u);
            int spanned = tasks.placement.coresOfCopy[i].length;
            if (spanned > 1) {
                total += instance.partialSumBytes(ref) * (spanned - 1);
            }
            i += part.replicasOf(ref.op());
        }
        return total;
    }
}
