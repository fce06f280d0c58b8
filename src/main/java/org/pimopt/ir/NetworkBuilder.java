package org.pimopt.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a {@link NetworkSpec} node by node; each method returns the name of the tensor it
 * produces, so layers chain naturally. Used by the importers and to write the model zoo.
 */
public final class NetworkBuilder {
    private final String name;
    private String description = "";
    private String source = "";
    private final List<NetworkSpec.Symbol> symbols = new ArrayList<>();
    private final List<NetworkSpec.Input> inputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    public NetworkBuilder(String name) {
        this.name = name;
    }

    public NetworkBuilder description(String text) {
        this.description = text;
        return this;
    }

    public NetworkBuilder source(String text) {
        this.source = text;
        return this;
    }

    public NetworkBuilder symbol(String symbol, int defaultValue, String doc) {
        symbols.add(new NetworkSpec.Symbol(symbol, defaultValue, doc));
        return this;
    }

    public String input(String tensor, String shape) {
        inputs.add(new NetworkSpec.Input(tensor, ShapeSpec.parse(shape)));
        return tensor;
    }

    public NetworkBuilder output(String tensor) {
        outputs.add(tensor);
        return this;
    }

    /** Adds a node; returns its (first) output tensor. */
    public String add(String node, Op op, String... in) {
        Node n = new Node(node, op, Arrays.asList(in));
        nodes.add(n);
        return n.outputs().get(0);
    }

    // Shorthands for the common layers.

    public String conv(String node, String in, int outChannels, int kernel, int stride, int pad, boolean bias) {
        return add(node, Conv.square(outChannels, kernel, stride, pad, 1, bias), in);
    }

    public String groupConv(String node, String in, int outChannels, int kernel, int stride, int pad, int groups, boolean bias) {
        return add(node, Conv.square(outChannels, kernel, stride, pad, groups, bias), in);
    }

    public String linear(String node, String in, int outFeatures, boolean bias) {
        return add(node, new Linear(outFeatures, bias), in);
    }

    public String batchNorm(String node, String in) {
        return add(node, new VectorOp.BatchNorm(true), in);
    }

    public String layerNorm(String node, String in) {
        return add(node, new VectorOp.LayerNorm(true), in);
    }

    public String act(String node, String function, String in) {
        return add(node, new VectorOp.Activation(function), in);
    }

    public String relu(String node, String in) {
        return act(node, "relu", in);
    }

    public String maxPool(String node, String in, int kernel, int stride, int pad, boolean ceil) {
        return add(node, VectorOp.Pool.square("max", kernel, stride, pad, ceil), in);
    }

    public String avgPool(String node, String in, int kernel, int stride, int pad, boolean ceil) {
        return add(node, VectorOp.Pool.square("avg", kernel, stride, pad, ceil), in);
    }

    public String globalAvgPool(String node, String in) {
        return add(node, new VectorOp.GlobalPool("avg"), in);
    }

    public String adaptiveAvgPool(String node, String in, int h, int w) {
        return add(node, new VectorOp.AdaptivePool("avg", h, w), in);
    }

    public String flatten(String node, String in) {
        return add(node, new VectorOp.Flatten(0), in);
    }

    public String dropout(String node, String in) {
        return add(node, new VectorOp.Identity("Dropout"), in);
    }

    public String eltwise(String node, String kind, String a, String b) {
        return add(node, new VectorOp.Eltwise(kind), a, b);
    }

    public String concat(String node, int axis, String... in) {
        return add(node, new VectorOp.Concat(axis), in);
    }

    public String reshape(String node, String in, Integer... target) {
        return add(node, new VectorOp.Reshape(Arrays.asList(target)), in);
    }

    public String transpose(String node, String in, Integer... perm) {
        return add(node, new VectorOp.Transpose(Arrays.asList(perm)), in);
    }

    public String matmul(String node, String a, String b) {
        return add(node, new VectorOp.MatMul(), a, b);
    }

    public String softmax(String node, String in, int axis) {
        return add(node, new VectorOp.Softmax(axis), in);
    }

    public String parameter(String node, String shape, boolean learned) {
        return add(node, new VectorOp.Parameter(ShapeSpec.parse(shape), learned));
    }

    public NetworkSpec build() {
        return new NetworkSpec(name, description, source, symbols, inputs, nodes, outputs);
    }
}
