package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pimopt.imports.common.ImportException;

/**
 * A topological order of an ONNX graph's nodes. ONNX requires files to be sorted already, but a
 * file that is not, or has a cycle or reads a tensor nobody makes, should get a message naming the
 * node rather than a wrong network.
 */
final class GraphOrder {
    private GraphOrder() {}

    static List<NodeProto> sort(List<NodeProto> nodes, Set<String> available, String origin) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) {
                if (out.isEmpty()) {
                    continue;
                }
                if (available.contains(out) || producer.put(out, i) != null) {
                    throw new ImportException(origin + ": " + OnnxImporter.describe(nodes.get(i))
                            + " writes tensor '" + out + "' that already exists");
                }
            }
        }
        int[] missing = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).getInputList()) {
                if (in.isEmpty() || available.contains(in)) {
                    continue;
                }
                Integer p = producer.get(in);
                if (p == null) {
                    throw new ImportException(origin + ": " + OnnxImporter.describe(nodes.get(i)) + " reads tensor '" + in
                            + "' that is not a graph input, an initializer or any node's output (a missing initializer?)");
                }
                consumers.get(p).add(i);
                missing[i]++;
            }
        }
        // Kahn's algorithm, taking ready nodes in file order so a sorted file keeps its order.
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (missing[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int c : consumers.get(i)) {
                if (--missing[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != nodes.size()) {
            int start = 0;
            while (missing[start] == 0) {
                start++;
            }
            NodeProto onCycle = nodes.get(nodeOnCycle(nodes, producer, missing, start));
            throw new ImportException(origin + ": the graph has a cycle through " + OnnxImporter.describe(onCycle));
        }
        return order;
    }

    /** Walks from a node that never became ready back through unfinished producers until one repeats. */
    private static int nodeOnCycle(List<NodeProto> nodes, Map<String, Integer> producer, int[] missing, int start) {
        Set<Integer> seen = new java.util.HashSet<>();
        int i = start;
        while (seen.add(i)) {
            for (String in : nodes.get(i).getInputList()) {
                Integer p = producer.get(in);
                if (p != null && missing[p] > 0) {
                    i = p;
                    break;
                }
            }
        }
        return i;
    }
}
