package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.imports.onnx.Value.Computed;
import org.pimopt.imports.onnx.Value.Const;
import org.pimopt.ir.IrException;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.Op;
import org.pimopt.ir.Shape;
import org.pimopt.ir.ShapeSpec;
import org.pimopt.ir.VectorOp;
import org.pimopt.ir.WeightedOp;

/**
 * The state of one import: what every ONNX tensor has become, the pimopt network built so far and
 * the helpers the op converters share (naming, constants as parameter nodes, the batch dimension).
 */
final class ImportContext {
    final String origin;
    final ImportOptions options;
    private final Map<String, Long> opsets;
    private final NetworkBuilder builder;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Computed> parameters = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<String> graphOutputs;
    private final Map<String, Value> absorbed = new HashMap<>();
    private final Map<String, Integer> passedThrough = new LinkedHashMap<>();
    /** For tensors whose batch dimension is not first: the node that moved it, for messages. */
    private final Map<String, String> movedBy = new HashMap<>();

    ImportContext(String origin, ImportOptions options, Map<String, Long> opsets, NetworkBuilder builder,
                  List<NodeProto> nodes, Set<String> graphOutputs) {
        this.origin = origin;
        this.options = options;
        this.opsets = opsets;
        this.builder = builder;
        this.graphOutputs = graphOutputs;
        for (NodeProto n : nodes) {
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
    }

    // ----- messages -----

    ImportException error(NodeProto node, String message) {
        return new ImportException(origin + ": " + OnnxImporter.describe(node) + ": " + message);
    }

    /** The opset version the model imports for the node's domain. */
    long opset(NodeProto node) {
        String domain = node.getDomain().isEmpty() ? "ai.onnx" : node.getDomain();
        return opsets.getOrDefault(domain, 0L);
    }

    void passThrough(String opType) {
        passedThrough.merge(opType, 1, Integer::sum);
    }

    Map<String, Integer> passedThrough() {
        return passedThrough;
    }

    // ----- tensors -----

    void define(String onnxName, Value v) {
        if (!onnxName.isEmpty()) {
            values.put(onnxName, v);
        }
    }

    void defineInput(String name, Shape perSample) {
        builder.input(name, perSample.toString());
        taken.add(name);
        shapes.put(name, perSample);
        define(name, new Computed(name, perSample, true));
    }

    Value value(String onnxName) {
        Value v = values.get(onnxName);
        if (v == null) {
            throw new ImportException(origin + ": tensor '" + onnxName + "' is used before it is computed");
        }
        return v;
    }

    boolean hasValue(String onnxName) {
        return values.containsKey(onnxName);
    }

    /** Input {@code i} of a node, or null when the optional input is absent. */
    Value in(NodeProto node, int i) {
        if (i >= node.getInputCount() || node.getInput(i).isEmpty()) {
            return null;
        }
        return value(node.getInput(i));
    }

    /**
     * Input {@code i} as a tensor of the network; a constant becomes a parameter node. The batch
     * dimension must be first: the ops that follow a moved one call {@link #anyTensorIn}.
     */
    Computed tensorIn(NodeProto node, int i) {
        return batchFirst(node, anyTensorIn(node, i));
    }

    /** Input {@code i} as a tensor of the network, its batch dimension wherever it is. */
    Computed anyTensorIn(NodeProto node, int i) {
        Value v = in(node, i);
        if (v == null) {
            throw error(node, "input " + i + " is missing");
        }
        return asTensor(v);
    }

    /** {@code v}, which the node needs with the batch dimension first: else one line saying who moved it. */
    Computed batchFirst(NodeProto node, Computed v) {
        if (v.displaced()) {
            throw error(node, "its input " + v.fullDims() + " has the batch dimension at axis " + v.batchAxis()
                    + ", moved there by " + movedBy.getOrDefault(v.tensor(), "an earlier node") + "; pimopt reads "
                    + node.getOpType() + " only with the batch dimension first");
        }
        return v;
    }

    /** {@code v} with its batch dimension at ONNX axis {@code batchAxis}, moved there by {@code node}. */
    Computed displace(NodeProto node, Computed v, int batchAxis) {
        if (!v.batched()) {
            return v;
        }
        // Next to other size-1 axes the batch may sit at any of them: the first keeps it first when it can be.
        while (batchAxis > 0 && v.shape().dim(batchAxis - 1) == 1) {
            batchAxis--;
        }
        if (batchAxis == v.batchAxis()) {
            return v;
        }
        if (batchAxis != 0) {
            movedBy.putIfAbsent(v.tensor(), OnnxImporter.describe(node));
        }
        return new Computed(v.tensor(), v.shape(), true, batchAxis);
    }

    /** The batch axis the batched operands share (0 when none is batched); they must agree. */
    int batchAxisOf(NodeProto node, List<Computed> operands) {
        Integer axis = null;
        for (Computed c : operands) {
            if (c.batched()) {
                if (axis != null && axis != c.batchAxis()) {
                    throw error(node, "its operands have the batch dimension at different axes (" + axis + " and "
                            + c.batchAxis() + ")");
                }
                axis = c.batchAxis();
            }
        }
        return axis == null ? 0 : axis;
    }

    /** Emits an op whose output has its batched inputs' rank, so the batch stays at their axis. */
    Computed emitKeepingBatch(NodeProto node, String suffix, Op op, List<Computed> inputs) {
        return displace(node, emit(node, suffix, op, inputs), batchAxisOf(node, inputs));
    }

    Computed asTensor(Value v) {
        return v instanceof Computed c ? c : parameter(((Const) v).tensor(), ((Const) v).tensor().dims());
    }

    /** Input {@code i}, which must be a constant (a weight, a shape, axes); values are required if asked. */
    ConstTensor constIn(NodeProto node, int i, String what, boolean values) {
        Value v = in(node, i);
        if (v == null) {
            throw error(node, "input '" + what + "' is missing");
        }
        if (!(v instanceof Const c)) {
            throw error(node, "input '" + what + "' (" + node.getInput(i) + ") is computed by the network; pimopt needs it to be a constant");
        }
        if (values && !c.tensor().hasData()) {
            throw error(node, "input '" + what + "' (" + node.getInput(i) + ") has no values in the file");
        }
        return c.tensor();
    }

    /** An optional constant integer list input, or null when absent. */
    List<Long> optionalInts(NodeProto node, int i, String what) {
        return in(node, i) == null ? null : constIn(node, i, what, true).intList();
    }

    // ----- building the network -----

    /** Adds one node computing {@code op} of {@code inputs}; its output is batched if any input is. */
    Computed emit(NodeProto node, String suffix, Op op, List<Computed> inputs) {
        return emitAll(node, suffix, op, inputs).get(0);
    }

    List<Computed> emitAll(NodeProto node, String suffix, Op op, List<Computed> inputs) {
        List<Shape> inShapes = inputs.stream().map(Computed::shape).toList();
        List<Shape> outShapes;
        try {
            outShapes = op.outputShapes(inShapes);
            if (op instanceof WeightedOp w) {
                w.matrix(inShapes);
            }
        } catch (IrException | IndexOutOfBoundsException e) {
            throw error(node, op.kind() + " of " + inShapes + ": " + e.getMessage());
        }
        String name = uniqueName(OnnxImporter.baseName(node) + suffix, op.outputCount());
        builder.add(name, op, inputs.stream().map(Computed::tensor).toArray(String[]::new));
        boolean batched = inputs.stream().anyMatch(Computed::batched);
        List<Computed> out = new ArrayList<>();
        List<String> outNames = op.outputCount() == 1 ? List.of(name)
                : java.util.stream.IntStream.range(0, op.outputCount()).mapToObj(i -> name + ":" + i).toList();
        for (int i = 0; i < outNames.size(); i++) {
            shapes.put(outNames.get(i), outShapes.get(i));
            out.add(new Computed(outNames.get(i), outShapes.get(i), batched));
        }
        return out;
    }

    private String uniqueName(String preferred, int outputs) {
        String candidate = preferred;
        for (int k = 2; clashes(candidate, outputs); k++) {
            candidate = preferred + "_" + k;
        }
        taken.add(candidate);
        for (int i = 0; outputs > 1 && i < outputs; i++) {
            taken.add(candidate + ":" + i);
        }
        return candidate;
    }

    private boolean clashes(String name, int outputs) {
        if (taken.contains(name)) {
            return true;
        }
        for (int i = 0; outputs > 1 && i < outputs; i++) {
            if (taken.contains(name + ":" + i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A constant used as a tensor of the network (a bias added by an Add node, a LayerNorm scale, a
     * position embedding) becomes a parameter node named after it. It counts as learned when it is a
     * floating-point tensor of more than one element: scalars are the epsilons, 0.5s and sqrt(d)s of
     * decomposed formulas. A doc string written by pimopt's exporter overrides the guess.
     */
    Computed parameter(ConstTensor t, List<Long> dims) {
        String key = t.name() + "|" + dims;
        Computed known = parameters.get(key);
        if (known != null) {
            return known;
        }
        List<Integer> sizes = new ArrayList<>();
        for (long d : dims) {
            if (d <= 0) {
                throw new ImportException(origin + ": constant '" + t.name() + "' of dims " + dims + " is empty but used as a tensor");
            }
            sizes.add((int) d);
        }
        if (sizes.isEmpty()) {
            sizes.add(1);
        }
        boolean learned = switch (t.doc()) {
            case ConstTensor.LEARNED_DOC -> true;
            case ConstTensor.CONSTANT_DOC -> false;
            default -> t.kind() == ConstTensor.Kind.FLOAT && t.elements() > 1;
        };
        Shape shape = new Shape(sizes);
        String name = uniqueName(t.name(), 1);
        builder.add(name, new VectorOp.Parameter(ShapeSpec.of(shape), learned));
        shapes.put(name, shape);
        Computed c = new Computed(name, shape, false);
        parameters.put(key, c);
        return c;
    }

    /**
     * The operands of a broadcasting op (Add, Concat, MatMul of activations) as network tensors.
     * ONNX aligns shapes from the right; pimopt's per-sample shapes lack the batch dimension, so an
     * operand without batch dimension that spans the batch axis (a {@code 1 x seq x d} position
     * embedding added to {@code batch x seq x d}) loses its 1 there, and a batched operand must
     * keep the batch where the others have it.
     */
    List<Computed> broadcastOperands(NodeProto node, List<Value> operands) {
        int rank = operands.stream().mapToInt(v -> Value.dimsOf(v).size()).max().orElse(0);
        List<Computed> batchedOnes = operands.stream().filter(v -> v instanceof Computed c && c.batched())
                .map(v -> (Computed) v).toList();
        int batch = batchAxisOf(node, batchedOnes);
        List<Computed> out = new ArrayList<>();
        for (Value v : operands) {
            List<Long> dims = Value.dimsOf(v);
            int at = batch - (rank - dims.size());
            if (v instanceof Computed c && c.batched()) {
                if (dims.size() != rank) {
                    throw error(node, "broadcasting " + dims + " to rank " + rank + " would move the batch dimension");
                }
                out.add(c);
            } else if (!batchedOnes.isEmpty() && at >= 0) {
                if (dims.get(at) != 1) {
                    throw error(node, "operand of dims " + dims + " spreads along the batch dimension");
                }
                List<Long> rest = new ArrayList<>(dims);
                rest.remove(at);
                out.add(v instanceof Const k ? parameter(k.tensor(), rest) : dropAxis(node, (Computed) v, at));
            } else {
                out.add(asTensor(v));
            }
        }
        return out;
    }

    private Computed dropAxis(NodeProto node, Computed c, int axis) {
        List<Integer> rest = new ArrayList<>(c.shape().dims());
        rest.remove(axis);
        if (rest.isEmpty()) {
            return c;
        }
        return emit(node, "/squeeze", new VectorOp.Reshape(rest), List.of(c));
    }

    /** Per-sample shape of an ONNX shape: the batch dimension at {@code batchAxis} (-1: none), which must be 1, is dropped. */
    Shape perSample(NodeProto node, List<Long> full, int batchAxis) {
        List<Long> dims = full;
        if (batchAxis >= 0) {
            if (batchAxis >= full.size() || full.get(batchAxis) != 1) {
                throw error(node, "the result " + full + " no longer has the batch dimension first; pimopt needs"
                        + " per-sample shapes behind a leading batch dimension");
            }
            dims = new ArrayList<>(full);
            dims.remove(batchAxis);
        }
        List<Integer> sizes = new ArrayList<>();
        for (long d : dims) {
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw error(node, "dimension " + d + " in " + full + " is not a positive 32-bit number");
            }
            sizes.add((int) d);
        }
        try {
            return new Shape(sizes);
        } catch (IrException e) {
            throw error(node, e.getMessage());
        }
    }

    /** An ONNX axis of a tensor as a per-sample axis; the batch axis itself is an error. */
    int axis(NodeProto node, Computed v, long axis, String what) {
        int rank = v.fullRank();
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw error(node, what + " " + axis + " is out of range for rank " + rank);
        }
        if (v.batched() && a == v.batchAxis()) {
            throw error(node, what + " " + axis + " is the batch dimension, which pimopt keeps to itself");
        }
        return (int) (v.batched() && a > v.batchAxis() ? a - 1 : a);
    }

    /**
     * {@code v} reshaped to the ONNX dims {@code full} (no node if nothing changes). The batch
     * dimension goes where {@link ShapeMath#batchAfterReshape} finds it, or to {@code batchAxis}
     * when the caller knows (Squeeze, Unsqueeze); a reshape that merges it into another axis of a
     * tensor whose batch was moved is refused.
     */
    Computed reshape(NodeProto node, Computed v, List<Long> full, int batchAxis) {
        int outBatch = -1;
        if (v.batched()) {
            outBatch = batchAxis >= 0 ? batchAxis : ShapeMath.batchAfterReshape(v.fullDims(), v.batchAxis(), full);
            if (outBatch < 0 && v.displaced()) {
                throw error(node, "reshapes " + v.fullDims() + " (batch dimension at axis " + v.batchAxis() + ") to " + full
                        + ", which merges the batch dimension into another axis; pimopt keeps it an axis of its own");
            }
            outBatch = Math.max(outBatch, 0);
        }
        Shape target = perSample(node, full, outBatch);
        if (target.equals(v.shape())) {
            return displace(node, v, Math.max(outBatch, 0));
        }
        if (target.elements() != v.shape().elements()) {
            throw error(node, "cannot reshape " + v.fullDims() + " to " + full);
        }
        return displace(node, emit(node, "", new VectorOp.Reshape(target.dims()), List.of(v)), Math.max(outBatch, 0));
    }

    Computed reshape(NodeProto node, Computed v, List<Long> full) {
        return reshape(node, v, full, -1);
    }

    // ----- fusion -----

    /** The one node reading {@code tensor}, or null when it has several readers or leaves the graph. */
    NodeProto soleConsumer(String tensor) {
        List<NodeProto> readers = consumers.getOrDefault(tensor, List.of());
        if (readers.size() != 1 || graphOutputs.contains(tensor)) {
            return null;
        }
        return readers.get(0);
    }

    /** Marks a later node as folded into an earlier one: its output will be {@code result}. */
    void absorb(NodeProto node, Value result) {
        absorbed.put(node.getOutput(0), result);
    }

    Value absorbed(NodeProto node) {
        return node.getOutputCount() == 0 ? null : absorbed.get(node.getOutput(0));
    }
}
