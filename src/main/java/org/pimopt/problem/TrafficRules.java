package org.pimopt.problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.CrossbarGeometry;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;
import org.pimopt.problem.Instance.Flow;
import org.pimopt.problem.Instance.Traffic;

/**
 * The traffic rules of {@link Instance#profiles}: which tensors flow between layers
 * ({@link #flows}), where vector layers run, and what each partition of an assignment moves
 * through DRAM and over the NoC ({@link #traffic}). {@link Instance} counts the rest of a
 * partition's profile (crossbars, steps, vector work) and states the rules in its API.
 */
final class TrafficRules {
    /** Tensors whose producer is outside the chip: network inputs and model constants. */
    static final int SOURCE = -1;

    private final Instance instance;
    private final Network network;
    private final List<OpInfo> ops;
    private final List<UnitRef> units;
    private final List<Flow> flows;
    private final int[] opOfLayer;
    /** Per layer: the layers whose outputs it reads, and the layers that read its outputs. */
    private final int[][] layerProducers;
    private final int[][] layerReaders;
    private final double averageHops;
    private final TransferPaths transferPaths;

    /** The rules of a fully built {@code instance}, whose layer graph the arrays give (they are shared, not copied). */
    TrafficRules(Instance instance, int[] opOfLayer, int[][] layerProducers, int[][] layerReaders) {
        this.instance = instance;
        this.network = instance.network();
        this.ops = instance.ops();
        this.units = instance.units();
        this.flows = instance.flows();
        this.opOfLayer = opOfLayer;
        this.layerProducers = layerProducers;
        this.layerReaders = layerReaders;
        this.averageHops = instance.averageHops();
        this.transferPaths = new TransferPaths(instance, opOfLayer);
    }

    /** The transfer time of flow {@code f} into a receiving layer of partition {@code p} ({@link TransferPaths#flowNs}). */
    double transferNs(Flow f, int p, int[] partitionOf) {
        return transferPaths.flowNs(f, p, partitionOf);
    }

    TransferPaths transferPaths() {
        return transferPaths;
    }

    private static long bytes(Shape shape, Chip chip) {
        return CrossbarGeometry.ceilDivLong(shape.elements() * chip.activationBits(), 8);
    }

    /** The tensors between layers, each with its readers and those that receive it over the NoC ({@link Flow}). */
    static List<Flow> flows(Network network, Chip chip) {
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (Layer l : network.layers()) {
            for (String t : l.node().inputs()) {
                consumers.computeIfAbsent(t, k -> new ArrayList<>()).add(l.index());
            }
        }
        List<Flow> out = new ArrayList<>();
        for (Map.Entry<String, Shape> in : network.inputs().entrySet()) {
            List<Integer> readers = consumers.getOrDefault(in.getKey(), List.of());
            out.add(new Flow(in.getKey(), bytes(in.getValue(), chip), SOURCE, false, readers,
                    receiving(network, in.getKey(), readers), false));
        }
        for (Layer l : network.layers()) {
            boolean constant = l.op() instanceof VectorOp.Parameter;
            List<String> names = l.node().outputs();
            for (int i = 0; i < names.size(); i++) {
                String t = names.get(i);
                List<Integer> readers = consumers.getOrDefault(t, List.of());
                out.add(new Flow(t, bytes(l.outputShapes().get(i), chip), constant ? SOURCE : l.index(), constant,
                        readers, receiving(network, t, readers), network.outputs().contains(t)));
            }
        }
        return out;
    }

    /** Readers of tensor {@code t} that receive it over the NoC: weighted layers, and vector layers not reading it first. */
    private static List<Integer> receiving(Network network, String t, List<Integer> readers) {
        List<Integer> out = new ArrayList<>();
        for (int c : readers) {
            Layer reader = network.layers().get(c);
            if (reader.isWeighted() || !reader.node().inputs().get(0).equals(t)) {
                out.add(c);
            }
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    /** The traffic of an assignment of units to partitions, as {@link Instance#profiles} states it. */
    Traffic traffic(int[] partitionOf, int partitions) {
        int layers = network.layers().size();
        // Partitions in which each weighted layer computes: those of its units.
        BitSet[] layerParts = new BitSet[layers];
        for (UnitRef u : units) {
            int layer = ops.get(u.op()).layer().index();
            if (layerParts[layer] == null) {
                layerParts[layer] = new BitSet(partitions);
            }
            layerParts[layer].set(partitionOf[u.id()]);
        }
        int[] vectorPart = vectorPartitions(layerParts);
        long[] perSample = new long[partitions];
        long[] perBatch = new long[partitions];
        double[] nocBytes = new double[partitions];
        long[] localBytes = new long[partitions];
        long[] localTransfers = new long[partitions];
        BitSet readers = new BitSet(partitions);
        BitSet receivers = new BitSet(partitions);
        for (Flow f : flows) {
            readers.clear();
            receivers.clear();
            for (int c : f.consumerLayers()) {
                BitSet at = opOfLayer[c] >= 0 ? layerParts[c] : null;
                if (at != null) {
                    readers.or(at);
                } else {
                    readers.set(vectorPart[c]);
                }
                if (f.receivingLayers().contains(c)) {
                    if (at != null) {
                        receivers.or(at);
                    } else {
                        receivers.set(vectorPart[c]);
                    }
                }
            }
            if (f.producerLayer() == SOURCE) {
                for (int q = readers.nextSetBit(0); q >= 0; q = readers.nextSetBit(q + 1)) {
                    (f.perBatch() ? perBatch : perSample)[q] += f.bytes();
                }
                continue;
            }
            int op = opOfLayer[f.producerLayer()];
            if (op < 0) {
                slice(f.bytes(), vectorPart[f.producerLayer()], readers, receivers, f.networkOutput(), perSample, nocBytes,
                        localBytes, localTransfers);
            } else {
                OpInfo info = ops.get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    slice(instance.sliceBytes(f, u), partitionOf[u], readers, receivers, f.networkOutput(), perSample, nocBytes, localBytes,
                            localTransfers);
                }
            }
        }
        int[] assignment = partitionOf.clone();
        return new Traffic(assignment, vectorPart, perSample, perBatch, nocBytes, localBytes, localTransfers,
                new TransferPaths.Lazy(transferPaths, assignment, layerParts, vectorPart, partitions));
    }

    private void slice(long bytes, int producer, BitSet readers, BitSet receivers, boolean output, long[] perSample,
                       double[] noc, long[] localBytes, long[] localTransfers) {
        boolean leaves = output;
        for (int q = readers.nextSetBit(0); q >= 0; q = readers.nextSetBit(q + 1)) {
            if (q != producer) {
                perSample[q] += bytes;
                leaves = true;
            } else if (receivers.get(q)) {
                noc[q] += bytes * averageHops;
                localBytes[q] += bytes;
                localTransfers[q]++;
            }
        }
        if (leaves) {
            perSample[producer] += bytes;
        }
    }

    /** Partition of every vector layer (weighted layers: -1 here). */
    private int[] vectorPartitions(BitSet[] layerParts) {
        int layers = network.layers().size();
        int[] part = new int[layers];
        Arrays.fill(part, -1);
        for (int l = 0; l < layers; l++) {
            if (opOfLayer[l] >= 0) {
                continue;
            }
            int p = -1;
            for (int src : layerProducers[l]) {
                p = Math.max(p, opOfLayer[src] >= 0 ? layerParts[src].length() - 1 : part[src]);
            }
            part[l] = p;
        }
        // Layers fed only by inputs and constants run where they are first read.
        for (int l = layers - 1; l >= 0; l--) {
            if (opOfLayer[l] >= 0 || part[l] >= 0) {
                continue;
            }
            int p = Integer.MAX_VALUE;
            for (int r : layerReaders[l]) {
                p = Math.min(p, opOfLayer[r] >= 0 ? layerParts[r].nextSetBit(0) : part[r]);
            }
            part[l] = p == Integer.MAX_VALUE ? 0 : p;
        }
        return part;
    }
}
