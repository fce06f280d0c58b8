package org.pimopt.imports.pimcomp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.Conv;
import org.pimopt.ir.IrException;
import org.pimopt.ir.Linear;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.ir.Op;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/**
 * Reads PIMCOMP-NN's network format: {@code {"node_list": [...]}} where each node has an
 * {@code operation}, its {@code provider_index} list, NCHW {@code output_dim} and a per-operation
 * {@code param}. A conv or FC node also says whether a batch norm, an activation and a clip follow
 * it ({@code with_bn}, {@code with_act} + {@code act_type}, {@code with_clip}); those become nodes
 * of their own. Every shape pimopt infers is checked against the file's {@code output_dim}.
 */
public final class PimcompJson {
    private final String origin;
    private final ImportOptions options;
    private final NetworkBuilder builder;
    private final Map<Integer, String> tensorOfIndex = new HashMap<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Set<String> names = new HashSet<>();

    private PimcompJson(String origin, String name, ImportOptions options) {
        this.origin = origin;
        this.options = options;
        this.builder = new NetworkBuilder(name).description("PIMCOMP-NN network" + (options.pimcompDenseGroups()
                ? ", grouped convolutions sized as dense (as PIMCOMP does)" : "")).source(origin);
    }

    /** Whether a parsed JSON document is in PIMCOMP's format (a top-level {@code node_list}). */
    public static boolean isPimcomp(JsonElement root) {
        return root != null && root.isJsonObject() && root.getAsJsonObject().has("node_list");
    }

    /** Parses JSON text, or returns null when it is not JSON at all (another reader will say why). */
    public static JsonElement parseOrNull(String text) {
        try {
            return JsonParser.parseString(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static NetworkSpec read(String text, String origin, String name, ImportOptions options) {
        JsonElement root = parseOrNull(text);
        if (!isPimcomp(root)) {
            throw new ImportException(origin + ": not a PIMCOMP network file (no top-level 'node_list')");
        }
        return read(root.getAsJsonObject(), origin, name, options);
    }

    public static NetworkSpec read(JsonObject root, String origin, String name, ImportOptions options) {
        PimcompJson reader = new PimcompJson(origin, name, options);
        if (!root.get("node_list").isJsonArray()) {
            throw new ImportException(origin + ": 'node_list' is not a list");
        }
        JsonArray list = root.getAsJsonArray("node_list");
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isJsonObject()) {
                throw new ImportException(origin + ": node #" + i + " is not an object");
            }
            reader.node(list.get(i).getAsJsonObject(), i);
        }
        if (reader.tensorOfIndex.isEmpty()) {
            throw new ImportException(origin + ": 'node_list' is empty");
        }
        return reader.builder.build();
    }

    // ----- one node -----

    private record Node(JsonObject json, int index, String name, String operation) {}

    private ImportException error(Node n, String message) {
        return new ImportException(origin + ": node '" + n.name() + "' (" + n.operation() + "): " + message);
    }

    private void node(JsonObject json, int position) {
        int index;
        String operation;
        try {
            index = json.has("index") ? intOf(json, "index", position) : position;
            JsonElement op = json.get("operation");
            if (op != null && !(op.isJsonPrimitive() && op.getAsJsonPrimitive().isString())) {
                throw new IllegalArgumentException("field 'operation' is not a string: " + brief(op));
            }
            operation = op == null ? "" : op.getAsString();
        } catch (IllegalArgumentException e) {
            throw new ImportException(origin + ": node #" + position + ": " + e.getMessage());
        }
        String name = json.has("name") && json.get("name").isJsonPrimitive() ? json.get("name").getAsString() : "node" + index;
        Node n = new Node(json, index, name, operation);
        if (tensorOfIndex.containsKey(index)) {
            throw error(n, "index " + index + " is used twice");
        }
        if (!names.add(name)) {
            throw error(n, "the name is used twice");
        }
        try {
            String out = convert(n);
            tensorOfIndex.put(index, out);
        } catch (IrException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw error(n, e.getMessage());
        }
    }

    private String convert(Node n) {
        JsonObject p = n.json().has("param") && n.json().get("param").isJsonObject()
                ? n.json().getAsJsonObject("param") : new JsonObject();
        if (n.operation().equals("OP_INPUT")) {
            Shape shape = perSample(n);
            builder.input(n.name(), shape.toString());
            shapes.put(n.name(), shape);
            return n.name();
        }
        List<String> in = providers(n);
        return switch (n.operation()) {
            case "OP_CONV" -> fused(n, conv(n, p, in.get(0)));
            case "OP_FC" -> fused(n, fc(n, p, in.get(0)));
            case "OP_POOL" -> check(n, pool(n, p, in.get(0)));
            case "OP_RELU" -> check(n, add(n.name(), new VectorOp.Activation("relu"), in));
            case "OP_TANH" -> check(n, add(n.name(), new VectorOp.Activation("tanh"), in));
            case "OP_SIGMOID" -> check(n, add(n.name(), new VectorOp.Activation("sigmoid"), in));
            case "OP_CLIP" -> check(n, add(n.name(), clip(number(p, "min", 0), number(p, "max", 6)), in));
            case "OP_ELTWISE" -> check(n, add(n.name(), new VectorOp.Eltwise(eltwise(n, p)), in));
            case "OP_CONCAT" -> check(n, add(n.name(), new VectorOp.Concat(0), in));
            case "OP_FLATTEN" -> check(n, add(n.name(), new VectorOp.Flatten(0), in));
            case "OP_RESHAPE" -> check(n, add(n.name(), new VectorOp.Reshape(perSample(n).dims()), in));
            case "OP_SHUFFLE" -> check(n, add(n.name(), new VectorOp.ChannelShuffle(intOf(p, "split_factor", 0)), in));
            case "OP_SOFTMAX" -> check(n, add(n.name(), new VectorOp.Softmax(0), in));
            case "OP_DROPOUT" -> check(n, add(n.name(), new VectorOp.Identity("Dropout"), in));
            // PIMCOMP's files carry no LRN parameters; 5 is the local size of every Caffe model it ships.
            case "OP_LRN" -> check(n, add(n.name(), new VectorOp.Lrn(5), in));
            default -> throw error(n, "operation '" + n.operation() + "' is not supported");
        };
    }

    private List<String> providers(Node n) {
        JsonElement e = n.json().get("provider_index");
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw error(n, "has no 'provider_index'");
        }
        List<String> in = new ArrayList<>();
        for (JsonElement p : e.getAsJsonArray()) {
            String t = tensorOfIndex.get(p.getAsInt());
            if (t == null) {
                throw error(n, "provider index " + p + " is not an earlier node");
            }
            in.add(t);
        }
        return in;
    }

    /** The node's output_dim without its batch dimension. */
    private Shape perSample(Node n) {
        JsonElement e = n.json().get("output_dim");
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() < 2) {
            throw error(n, "has no 'output_dim' with a batch dimension");
        }
        List<Integer> dims = new ArrayList<>();
        JsonArray a = e.getAsJsonArray();
        for (int i = 1; i < a.size(); i++) {
            long d = a.get(i).getAsLong();
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw error(n, "output_dim " + a + " has dimension " + d);
            }
            dims.add((int) d);
        }
        return new Shape(dims);
    }

    private Op conv(Node n, JsonObject p, String in) {
        int groups = intOf(p, "group", 1);
        int cin = shapes.get(in).dim(0);
        if (intOf(p, "input_channel", cin) != cin) {
            throw error(n, "input_channel " + intOf(p, "input_channel", cin) + " disagrees with the input's " + cin + " channels");
        }
        // PIMCOMP maps a grouped convolution as if it were dense; pimopt reads the groups unless asked to copy that.
        int effectiveGroups = options.pimcompDenseGroups() ? 1 : groups;
        return new Conv(intOf(p, "output_channel", 0), intOf(p, "kernel_h", 0), intOf(p, "kernel_w", 0),
                intOf(p, "stride_h", 1), intOf(p, "stride_w", 1),
                intOf(p, "pad_h0", 0), intOf(p, "pad_w0", 0), intOf(p, "pad_h1", 0), intOf(p, "pad_w1", 0),
                intOf(p, "dilation_h", 1), intOf(p, "dilation_w", 1), effectiveGroups, intOf(p, "with_bias", 0) != 0);
    }

    private Op fc(Node n, JsonObject p, String in) {
        long inputs = shapes.get(in).elements();
        if (intOf(p, "num_input", (int) inputs) != inputs) {
            throw error(n, "num_input " + intOf(p, "num_input", 0) + " disagrees with the input's " + inputs + " elements");
        }
        return new Linear(intOf(p, "num_output", 0), intOf(p, "with_bias", 0) != 0);
    }

    /** Pooling: the file has no ceil flag, so the rounding that gives its output_dim is the one used. */
    private String pool(Node n, JsonObject p, String in) {
        String kind = switch (intOf(p, "pool_method", 0)) {
            case 0 -> "max";
            case 1 -> "avg";
            default -> throw error(n, "pool_method " + intOf(p, "pool_method", 0) + " is not 0 (max) or 1 (avg)");
        };
        if (intOf(p, "global", 0) != 0) {
            return add(n.name(), new VectorOp.GlobalPool(kind), List.of(in));
        }
        Shape expected = perSample(n);
        VectorOp.Pool floor = pool(p, kind, false);
        boolean useCeil = !floor.outputShapes(List.of(shapes.get(in))).get(0).equals(expected);
        return add(n.name(), useCeil ? pool(p, kind, true) : floor, List.of(in));
    }

    private static VectorOp.Pool pool(JsonObject p, String kind, boolean ceil) {
        return new VectorOp.Pool(kind, intOf(p, "kernel_h", 0), intOf(p, "kernel_w", 0), intOf(p, "stride_h", 1),
                intOf(p, "stride_w", 1), intOf(p, "pad_h0", 0), intOf(p, "pad_w0", 0), intOf(p, "pad_h1", 0),
                intOf(p, "pad_w1", 0), ceil);
    }

    private String eltwise(Node n, JsonObject p) {
        return switch (intOf(p, "eletype", -1)) {
            case 2 -> "add";
            case 4 -> "sub";
            default -> throw error(n, "eletype " + intOf(p, "eletype", -1) + " is not 2 (add) or 4 (sub)");
        };
    }

    private static VectorOp.Activation clip(double min, double max) {
        if (min == 0 && max == 6) {
            return new VectorOp.Activation("relu6");
        }
        return new VectorOp.Activation(min == 0 && max >= 1e6 ? "relu" : "clip");
    }

    /** A conv or FC node and what its flags fuse into it: batch norm, activation, clip. */
    private String fused(Node n, Op op) {
        JsonObject j = n.json();
        String t = providers(n).get(0);
        if (op instanceof Linear && shapes.get(t).rank() != 1) {
            t = add(n.name() + "/flatten", new VectorOp.Flatten(0), List.of(t));
        }
        t = check(n, add(n.name(), op, List.of(t)));
        if (intOf(j, "with_bn", 0) != 0) {
            t = add(n.name() + "/bn", new VectorOp.BatchNorm(true), List.of(t));
        }
        if (intOf(j, "with_act", 0) != 0) {
            String function = switch (intOf(j, "act_type", 0)) {
                case 0 -> "relu";
                case 1 -> "tanh";
                case 2 -> "sigmoid";
                default -> throw error(n, "act_type " + intOf(j, "act_type", 0) + " is not 0 (ReLU), 1 (Tanh) or 2 (Sigmoid)");
            };
            t = add(n.name() + "/" + function, new VectorOp.Activation(function), List.of(t));
        }
        if (intOf(j, "with_clip", 0) != 0) {
            t = add(n.name() + "/clip", clip(number(j, "clip_min", 0), number(j, "clip_max", 6)), List.of(t));
        }
        return t;
    }

    /** Adds a node after inferring its shape; returns its output tensor. */
    private String add(String name, Op op, List<String> inputs) {
        String unique = name;
        for (int k = 2; shapes.containsKey(unique); k++) {
            unique = name + "_" + k;
        }
        List<Shape> in = inputs.stream().map(shapes::get).toList();
        if (op.arity() >= 0 && op.arity() != in.size()) {
            throw new IllegalArgumentException(op.kind() + " takes " + op.arity() + " input(s), the file gives " + in.size());
        }
        shapes.put(unique, op.outputShapes(in).get(0));
        builder.add(unique, op, inputs.toArray(String[]::new));
        return unique;
    }

    /** The file's output_dim must be what pimopt computes, or the two disagree on the layer. */
    private String check(Node n, String tensor) {
        JsonElement e = n.json().get("output_dim");
        if (e != null && e.isJsonArray()) {
            Shape expected = perSample(n);
            Shape actual = shapes.get(tensor);
            if (!expected.equals(actual)) {
                throw error(n, "pimopt computes output " + actual + " but the file says " + expected);
            }
        }
        return tensor;
    }

    private static int intOf(JsonObject o, String field, int fallback) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        try {
            long v = e.getAsLong();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("field '" + field + "' = " + v + " is out of range");
            }
            return (int) v;
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new IllegalArgumentException("field '" + field + "' is not a number: " + brief(e));
        }
    }

    /** A JSON value as a message shows it: cut after 40 characters. */
    private static String brief(JsonElement e) {
        String s = e.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static double number(JsonObject o, String field, double fallback) {
        JsonElement e = o.get(field);
        try {
            return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new IllegalArgumentException("field '" + field + "' is not a number: " + brief(e));
        }
    }
}
