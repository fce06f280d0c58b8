package org.pimopt.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A concrete network: every symbol bound, layers in a topological order (the file's order where
 * it is one), every tensor's per-sample shape inferred. Immutable.
 */
public record Network(String name, String description, String source, Map<String, Integer> bindings,
                      Map<String, Shape> inputs, List<Layer> layers, List<String> outputs) {

    public Network {
        bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        layers = List.copyOf(layers);
        outputs = List.copyOf(outputs);
    }

    /** Binds symbols (the defaults, overridden by {@code values}) and infers every shape. */
    public static Network bind(NetworkSpec spec, Map<String, Integer> values) {
        Map<String, Integer> bindings = new LinkedHashMap<>();
        Set<String> declared = new HashSet<>();
        for (NetworkSpec.Symbol s : spec.symbols()) {
            declared.add(s.name());
            bindings.put(s.name(), s.defaultValue());
        }
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            if (!declared.contains(e.getKey())) {
                throw new IrException(spec.name() + ": no dimension named '" + e.getKey() + "'"
                        + (declared.isEmpty() ? " (this network has none)" : " (it has " + declared + ")"));
            }
            if (e.getValue() == null || e.getValue() <= 0) {
                throw new IrException(spec.name() + ": dimension '" + e.getKey() + "' must be positive");
            }
            bindings.put(e.getKey(), e.getValue());
        }

        Map<String, Shape> tensors = new HashMap<>();
        Map<String, Shape> inputs = new LinkedHashMap<>();
        if (spec.inputs().isEmpty()) {
            throw new IrException(spec.name() + ": the network has no input");
        }
        for (NetworkSpec.Input in : spec.inputs()) {
            Shape shape = in.shape().bind(bindings, "input '" + in.name() + "'");
            if (tensors.put(in.name(), shape) != null) {
                throw new IrException("input '" + in.name() + "' is declared twice");
            }
            inputs.put(in.name(), shape);
        }

        List<Node> ordered = topologicalOrder(spec.nodes(), inputs.keySet());
        List<Layer> layers = new ArrayList<>(ordered.size());
        Set<String> consumed = new HashSet<>();
        for (Node node : ordered) {
            Node bound = bindParameter(node, bindings);
            Op op = bound.op();
            if (op.arity() >= 0 && node.inputs().size() != op.arity()) {
                throw new IrException("node '" + node.name() + "' (" + op.kind() + ") takes " + op.arity()
                        + " input(s), got " + node.inputs().size());
            }
            if (op.arity() < 0 && node.inputs().isEmpty()) {
                throw new IrException("node '" + node.name() + "' (" + op.kind() + ") has no input");
            }
            List<Shape> inShapes = new ArrayList<>();
            for (String t : node.inputs()) {
                inShapes.add(tensors.get(t));
                consumed.add(t);
            }
            List<Shape> outShapes;
            try {
                outShapes = op.outputShapes(inShapes);
                op.parameters(inShapes);
                if (op instanceof WeightedOp w) {
                    w.matrix(inShapes);
                }
            } catch (IrException e) {
                throw new IrException("node '" + node.name() + "' (" + op.kind() + "): " + e.getMessage());
            }
            List<String> outNames = bound.outputs();
            for (int i = 0; i < outNames.size(); i++) {
                tensors.put(outNames.get(i), outShapes.get(i));
            }
            layers.add(new Layer(layers.size(), bound, inShapes, outShapes));
        }

        List<String> outputs = new ArrayList<>(spec.outputs());
        for (String out : outputs) {
            if (!tensors.containsKey(out)) {
                throw new IrException(spec.name() + ": output '" + out + "' is not a tensor of the network");
            }
        }
        if (outputs.isEmpty()) {
            for (Layer layer : layers) {
                for (String t : layer.node().outputs()) {
                    if (!consumed.contains(t)) {
                        outputs.add(t);
                    }
                }
            }
        }
        return new Network(spec.name(), spec.description(), spec.source(), bindings, inputs, layers, outputs);
    }

    private static Node bindParameter(Node node, Map<String, Integer> bindings) {
        if (node.op() instanceof VectorOp.Parameter p && !p.shape().isConcrete()) {
            Shape shape = p.shape().bind(bindings, "node '" + node.name() + "'");
            return new Node(node.name(), new VectorOp.Parameter(ShapeSpec.of(shape), p.learned()), node.inputs());
        }
        return node;
    }

    /**
     * Kahn's algorithm, stable with respect to the file's order, so a file already in topological
     * order keeps it. Unknown tensors, duplicate names and cycles are errors naming a node.
     */
    private static List<Node> topologicalOrder(List<Node> nodes, Set<String> inputNames) {
        Map<String, Node> producer = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (Node n : nodes) {
            if (!names.add(n.name())) {
                throw new IrException("node name '" + n.name() + "' is used twice");
            }
            for (String t : n.outputs()) {
                if (inputNames.contains(t) || producer.put(t, n) != null) {
                    throw new IrException("node '" + n.name() + "' produces tensor '" + t + "' that already exists");
                }
            }
        }
        Map<Node, Integer> missing = new HashMap<>();
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node n : nodes) {
            int count = 0;
            for (String t : n.inputs()) {
                if (inputNames.contains(t)) {
                    continue;
                }
                if (!producer.containsKey(t)) {
                    throw new IrException("node '" + n.name() + "' reads tensor '" + t + "' that nothing produces");
                }
                consumers.computeIfAbsent(t, k -> new ArrayList<>()).add(n);
                count++;
            }
            missing.put(n, count);
        }
        Map<Node, Integer> position = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            position.put(nodes.get(i), i);
        }
        java.util.PriorityQueue<Node> ready = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingInt(position::get));
        for (Node n : nodes) {
            if (missing.get(n) == 0) {
                ready.add(n);
            }
        }
        List<Node> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            order.add(n);
            for (String t : n.outputs()) {
                for (Node c : consumers.getOrDefault(t, List.of())) {
                    if (missing.merge(c, -1, Integer::sum) == 0) {
                        ready.add(c);
                    }
                }
            }
        }
        if (order.size() != nodes.size()) {
            Deque<String> stuck = new ArrayDeque<>();
            for (Node n : nodes) {
                if (missing.get(n) > 0) {
                    stuck.add(n.name());
                }
            }
            throw new IrException("the graph has a cycle through node '" + stuck.peekFirst() + "'");
        }
        return order;
    }

    public List<Layer> weightedLayers() {
        return layers.stream().filter(Layer::isWeighted).toList();
    }

    public long parameters() {
        return layers.stream().mapToLong(Layer::parameters).sum();
    }

    public long macs() {
        return layers.stream().mapToLong(Layer::macs).sum();
    }

    /** Weights held in crossbars (weighted layers only, no biases). */
    public long stationaryWeights() {
        return weightedLayers().stream().mapToLong(l -> l.matrix().weights()).sum();
    }

    public Layer layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IrException(this.name + ": no layer named '" + name + "'"));
    }
}
