package org.pimopt.problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.CostModel;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.problem.Instance.Flow;

/**
 * Where a first sample waits for the NoC inside a partition (formulations/partitioning.md,
 * "Critical path"): the partition's layers form a graph whose edges are the tensors they read from
 * each other; an edge into a layer that receives the tensor over the NoC
 * ({@link Flow#receivingLayers}) takes the transfer time of the tensor's slices produced in the
 * partition, every other edge none. Ops weigh their MVM stage and vector layers nothing (their work
 * is the pooled vector stage after the path). Copies change the stages but not the transfers, so
 * this class reduces the layer graph to the ops once per unit set: per op, the longest transfer
 * path from each op it reads (through vector layers), from the partition's sources (vector layers
 * reading nothing made in the partition), and to the end of the partition's vector layers after
 * it; and the longest path of transfers alone, from a source to a vector layer.
 */
public final class TransferPaths {
    private static final double NONE = Double.NEGATIVE_INFINITY;

    /**
     * An op-level transfer graph of one partition, ops in op order: {@code preds[i]} the ops that
     * op {@code ops[i]} reads in the partition, {@code edgeNs[i][j]} the longest transfer path from
     * {@code preds[i][j]}'s output to op {@code ops[i]}; {@code leadNs[i]} the longest from a source
     * (0 when there is none), {@code tailNs[i]} the longest from the op's output to a vector layer
     * of the partition (0 when none), {@code transferOnlyNs} the longest from a source to a vector
     * layer.
     */
    public record Graph(int[] ops, int[][] preds, double[][] edgeNs, double[] leadNs, double[] tailNs, double transferOnlyNs) {
        int indexOf(int op) {
            return Arrays.binarySearch(ops, op);
        }
    }

    /** One assignment's graphs, each partition's made when first asked for. */
    public static final class Lazy {
        private final TransferPaths paths;
        private final int[] partitionOf;
        private final BitSet[] layerParts;
        private final int[] vectorPart;
        private final Graph[] graphs;

        Lazy(TransferPaths paths, int[] partitionOf, BitSet[] layerParts, int[] vectorPart, int partitions) {
            this.paths = paths;
            this.partitionOf = partitionOf;
            this.layerParts = layerParts;
            this.vectorPart = vectorPart;
            this.graphs = new Graph[partitions];
        }

        /** Partition {@code p}'s graph. */
        public synchronized Graph of(int p) {
            if (graphs[p] == null) {
                graphs[p] = paths.of(p, partitionOf, layerParts, vectorPart);
            }
            return graphs[p];
        }
    }

    private final Instance instance;
    private final Chip chip;
    private final int[] opOfLayer;
    private final List<Flow> flows;
    /** Per layer, the tensors it reads from other layers: {producer layer, flow index, 1 if it receives it over the NoC}. */
    private final int[][][] inEdges;
    /** The same as records, for the engines ({@link Instance#readsOf}). */
    private final List<List<Instance.Read>> reads = new ArrayList<>();
    /** Per layer, the last layer that reads it (itself when none): a path from it ends there at the latest. */
    private final int[] lastReader;

    TransferPaths(Instance instance, int[] opOfLayer) {
        this.instance = instance;
        this.chip = instance.chip();
        this.opOfLayer = opOfLayer;
        this.flows = instance.flows();
        Map<String, Integer> flowOf = new HashMap<>();
        for (int i = 0; i < flows.size(); i++) {
            flowOf.put(flows.get(i).name(), i);
        }
        List<Layer> layers = instance.network().layers();
        inEdges = new int[layers.size()][][];
        for (Layer l : layers) {
            List<int[]> edges = new ArrayList<>();
            for (String t : l.node().inputs()) {
                Integer fi = flowOf.get(t);
                if (fi == null || flows.get(fi).producerLayer() == TrafficRules.SOURCE) {
                    continue;
                }
                Flow f = flows.get(fi);
                edges.add(new int[] {f.producerLayer(), fi, f.receivingLayers().contains(l.index()) ? 1 : 0});
            }
            inEdges[l.index()] = edges.toArray(int[][]::new);
            reads.add(edges.stream().map(e -> new Instance.Read(e[0], e[1], e[2] == 1)).toList());
        }
        lastReader = new int[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            lastReader[l] = Math.max(lastReader[l], l);
            for (int[] e : inEdges[l]) {
                lastReader[e[0]] = Math.max(lastReader[e[0]], l);
            }
        }
    }

    /**
     * The transfer time of flow {@code f} into a receiving layer of partition {@code p}: one
     * transfer of the whole tensor when a vector layer makes it, else one per slice of the
     * producer's units in {@code p} ({@link CostModel#transferNs}).
     */
    double flowNs(Flow f, int p, int[] partitionOf) {
        int op = opOfLayer[f.producerLayer()];
        if (op < 0) {
            return sliceNs(f, -1);
        }
        OpInfo info = instance.ops().get(op);
        double ns = 0;
        for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
            if (partitionOf[u] == p) {
                ns += sliceNs(f, u);
            }
        }
        return ns;
    }

    /** One slice's transfer: unit {@code unit}'s share of {@code f}, or ({@code -1}) a vector producer's whole tensor. */
    double sliceNs(Flow f, int unit) {
        return CostModel.transferNs(chip, unit < 0 ? f.bytes() : instance.sliceBytes(f, unit));
    }

    List<Instance.Read> readsOf(int layer) {
        return reads.get(layer);
    }

    /** Partition {@code p}'s graph when weighted layer {@code l} computes in {@code layerParts[l]} and vector layers in {@code vectorPart}. */
    Graph of(int p, int[] partitionOf, BitSet[] layerParts, int[] vectorPart) {
        int n = opOfLayer.length;
        boolean[] here = new boolean[n];
        List<Integer> layersHere = new ArrayList<>();
        List<Integer> opsHere = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            here[l] = opOfLayer[l] >= 0 ? layerParts[l] != null && layerParts[l].get(p) : vectorPart[l] == p;
            if (here[l]) {
                layersHere.add(l);
                if (opOfLayer[l] >= 0) {
                    opsHere.add(l);
                }
            }
        }
        int[] order = layersHere.stream().mapToInt(Integer::intValue).toArray();
        double[] flowNs = new double[flows.size()];
        Arrays.fill(flowNs, Double.NaN);
        double[] dist = new double[n];
        int m = opsHere.size();
        int[] ops = new int[m];
        for (int i = 0; i < m; i++) {
            ops[i] = opOfLayer[opsHere.get(i)];
        }
        double[] lead = new double[m];
        double[] tail = new double[m];
        List<List<Integer>> predsOf = new ArrayList<>();
        List<List<Double>> nsOf = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            predsOf.add(new ArrayList<>());
            nsOf.add(new ArrayList<>());
        }
        // From the sources: vector layers that read nothing made in the partition.
        Arrays.fill(dist, NONE);
        double transferOnly = 0;
        for (int l : layersHere) {
            boolean source = true;
            double best = NONE;
            for (int[] e : inEdges[l]) {
                if (!here[e[0]]) {
                    continue;
                }
                source = false;
                if (dist[e[0]] > NONE) {
                    best = Math.max(best, dist[e[0]] + weight(e, p, partitionOf, flowNs));
                }
            }
            if (opOfLayer[l] >= 0) {
                int i = Arrays.binarySearch(ops, opOfLayer[l]);
                lead[i] = Math.max(0, best);
            } else {
                dist[l] = source ? 0 : best;
                transferOnly = Math.max(transferOnly, dist[l]);
            }
        }
        // From each op's output: to the ops it feeds (stopping there) and to the vector layers after it.
        Arrays.fill(dist, NONE);
        List<Integer> reached = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            int from = opsHere.get(i);
            for (int l : reached) {
                dist[l] = NONE;
            }
            reached.clear();
            dist[from] = 0;
            reached.add(from);
            int horizon = lastReader[from];   // no layer past it is reached from what is reached so far
            for (int at = Arrays.binarySearch(order, from) + 1; at < order.length && order[at] <= horizon; at++) {
                int l = order[at];
                double best = NONE;
                for (int[] e : inEdges[l]) {
                    if (here[e[0]] && dist[e[0]] > NONE) {
                        best = Math.max(best, dist[e[0]] + weight(e, p, partitionOf, flowNs));
                    }
                }
                if (best == NONE) {
                    continue;
                }
                if (opOfLayer[l] >= 0) {
                    int reader = Arrays.binarySearch(ops, opOfLayer[l]);
                    predsOf.get(reader).add(ops[i]);
                    nsOf.get(reader).add(best);
                } else {
                    dist[l] = best;
                    reached.add(l);
                    tail[i] = Math.max(tail[i], best);
                    horizon = Math.max(horizon, lastReader[l]);
                }
            }
        }
        int[][] preds = new int[m][];
        double[][] edgeNs = new double[m][];
        for (int i = 0; i < m; i++) {
            List<Integer> ps = predsOf.get(i);
            preds[i] = new int[ps.size()];
            edgeNs[i] = new double[ps.size()];
            for (int j = 0; j < ps.size(); j++) {
                preds[i][j] = ps.get(j);
                edgeNs[i][j] = nsOf.get(i).get(j);
            }
        }
        return new Graph(ops, preds, edgeNs, lead, tail, transferOnly);
    }

    private double weight(int[] edge, int p, int[] partitionOf, double[] flowNs) {
        if (edge[2] == 0) {
            return 0;
        }
        int fi = edge[1];
        if (Double.isNaN(flowNs[fi])) {
            flowNs[fi] = flowNs(flows.get(fi), p, partitionOf);
        }
        return flowNs[fi];
    }
}
