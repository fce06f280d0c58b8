package org.pimopt.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * Where each layer runs under a plan and which tensor bytes cross partitions, worked out by the
 * simulator from the network and the plan (not from the cost model's profiles): a weighted layer
 * runs in every partition holding one of its units; a vector layer in the latest partition of
 * its producers (one fed only by inputs and constants, in the earliest partition of its readers).
 * A unit's slice of an output is its share of the output columns. A slice read in another
 * partition is stored once by its producer and loaded once by each reading partition; network
 * inputs are loaded, network outputs stored, learned tensors loaded once per batch.
 */
final class DataMovement {
    final TreeSet<Integer>[] partitionsOfLayer;
    final long[] loadPerSample;
    final long[] storePerSample;
    final long[] loadPerBatch;
    /** Bytes that stay in their partition and cross the NoC to a receiving reader, times the instance's mean hop distance. */
    final double[] nocByteHopsPerSample;
    /** Where each unit runs (the model's on-chip transfers count the slices of a partition's own units). */
    final int[] partitionOfUnit;
    /** Slices read in a partition that runs before the one producing them. */
    final List<EarlyRead> violations = new ArrayList<>();

    /** {@code what} (a unit or layer) produces {@code tensor} in partition {@code producer}, read earlier in {@code reader}. */
    record EarlyRead(String what, String tensor, int reader, int producer) {}

    @SuppressWarnings("unchecked")
    DataMovement(Instance instance, int[] partitionOfUnit, int partitions) {
        Network net = instance.network();
        int layers = net.layers().size();
        partitionsOfLayer = new TreeSet[layers];
        for (int i = 0; i < layers; i++) {
            partitionsOfLayer[i] = new TreeSet<>();
        }
        for (UnitRef u : instance.units()) {
            partitionsOfLayer[instance.ops().get(u.op()).layer().index()].add(partitionOfUnit[u.id()]);
        }
        placeVectorLayers(instance);
        loadPerSample = new long[partitions];
        storePerSample = new long[partitions];
        loadPerBatch = new long[partitions];
        nocByteHopsPerSample = new double[partitions];
        this.partitionOfUnit = partitionOfUnit.clone();
        for (Instance.Flow f : instance.flows()) {
            TreeSet<Integer> readers = new TreeSet<>();
            TreeSet<Integer> receivers = new TreeSet<>();
            for (int c : f.consumerLayers()) {
                readers.addAll(partitionsOfLayer[c]);
                if (f.receivingLayers().contains(c)) {
                    receivers.addAll(partitionsOfLayer[c]);
                }
            }
            if (f.producerLayer() < 0) {
                for (int q : readers) {
                    (f.perBatch() ? loadPerBatch : loadPerSample)[q] += f.bytes();
                }
                continue;
            }
            int op = instance.opOfLayer(f.producerLayer());
            if (op < 0) {
                move(f, instance.network().layers().get(f.producerLayer()).name(), f.bytes(),
                        partitionsOfLayer[f.producerLayer()].first(), readers, receivers, instance.averageHops());
            } else {
                OpInfo info = instance.ops().get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    move(f, instance.units().get(u).label(instance), instance.sliceBytes(f, u), partitionOfUnit[u], readers, receivers,
                            instance.averageHops());
                }
            }
        }
    }

    private void move(Instance.Flow f, String what, long bytes, int producer, TreeSet<Integer> readers,
                      TreeSet<Integer> receivers, double hops) {
        boolean stored = f.networkOutput();
        for (int q : readers) {
            if (q < producer) {
                violations.add(new EarlyRead(what, f.name(), q, producer));
            }
            if (q == producer) {
                if (receivers.contains(q)) {
                    nocByteHopsPerSample[q] += bytes * hops;
                }
            } else {
                loadPerSample[q] += bytes;
                stored = true;
            }
        }
        if (stored) {
            storePerSample[producer] += bytes;
        }
    }

    private void placeVectorLayers(Instance instance) {
        List<Layer> layers = instance.network().layers();
        Map<String, Integer> producer = new HashMap<>();
        for (Layer l : layers) {
            for (String t : l.node().outputs()) {
                producer.put(t, l.index());
            }
        }
        Map<Integer, List<Integer>> readers = new HashMap<>();
        for (Layer l : layers) {
            if (instance.opOfLayer(l.index()) >= 0) {
                continue;
            }
            int p = -1;
            for (String t : l.node().inputs()) {
                Integer src = producer.get(t);
                if (src != null) {
                    readers.computeIfAbsent(src, k -> new ArrayList<>()).add(l.index());
                    if (!partitionsOfLayer[src].isEmpty()) {
                        p = Math.max(p, partitionsOfLayer[src].last());
                    }
                }
            }
            if (p >= 0) {
                partitionsOfLayer[l.index()].add(p);
            }
        }
        for (Layer l : layers) {
            for (String t : l.node().inputs()) {
                Integer src = producer.get(t);
                if (src != null && instance.opOfLayer(l.index()) >= 0) {
                    readers.computeIfAbsent(src, k -> new ArrayList<>()).add(l.index());
                }
            }
        }
        // Layers fed only by inputs and constants run where they are first read.
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (!partitionsOfLayer[i].isEmpty()) {
                continue;
            }
            int p = Integer.MAX_VALUE;
            for (int r : readers.getOrDefault(i, List.of())) {
                if (!partitionsOfLayer[r].isEmpty()) {
                    p = Math.min(p, partitionsOfLayer[r].first());
                }
            }
            partitionsOfLayer[i].add(p == Integer.MAX_VALUE ? 0 : p);
        }
    }

    /** The one partition of a vector layer. */
    int partitionOfVector(int layer) {
        return partitionsOfLayer[layer].first();
    }
}
