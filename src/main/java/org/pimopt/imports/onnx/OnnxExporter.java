package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.Conv;
import org.pimopt.ir.ConvTranspose;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Linear;
import org.pimopt.ir.Network;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/**
 * Writes a network as an ONNX model (opset 20) that Netron and ONNX tools open: tensors and nodes
 * keep pimopt's names, inputs get a symbolic batch dimension, and every intermediate tensor's shape
 * is recorded. Weights are zero-filled initializers, or dims without values when omitted (a file
 * to look at, not to run). Reading the file back with {@link OnnxImporter} gives the same weighted
 * layers and parameter count.
 */
public final class OnnxExporter {
    static final int OPSET = 20;
    static final int IR_VERSION = 9;
    /** What fits in one protobuf message, with room for the graph itself. */
    private static final long MAX_WEIGHT_BYTES = Integer.MAX_VALUE - (64L << 20);

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final boolean weights;
    private final Set<String> unbatched = new HashSet<>();
    private ByteString zeros = ByteString.EMPTY;

    private OnnxExporter(boolean weights) {
        this.weights = weights;
    }

    /** The network as an ONNX model; {@code weights} false writes weight dims without values. */
    public static ModelProto export(Network network, boolean weights) {
        if (weights && network.parameters() * 4 > MAX_WEIGHT_BYTES) {
            throw new ImportException(network.name() + ": " + network.parameters() + " parameters do not fit in one ONNX file"
                    + " with weights; export without weights");
        }
        OnnxExporter e = new OnnxExporter(weights);
        e.graph.setName(network.name()).setDocString(network.description());
        network.inputs().forEach((name, shape) -> e.graph.addInput(e.valueInfo(name, shape, true)));
        for (Layer layer : network.layers()) {
            e.layer(layer);
        }
        for (String out : network.outputs()) {
            Shape shape = network.layers().stream().flatMap(l -> {
                List<String> outs = l.node().outputs();
                int i = outs.indexOf(out);
                return i < 0 ? java.util.stream.Stream.<Shape>empty() : java.util.stream.Stream.of(l.outputShapes().get(i));
            }).findFirst().orElseGet(() -> network.inputs().get(out));
            e.graph.addOutput(e.valueInfo(out, shape, !e.unbatched.contains(out)));
        }
        Set<String> outputs = new HashSet<>(network.outputs());
        for (Layer layer : network.layers()) {
            if (layer.op() instanceof VectorOp.Parameter) {
                continue;
            }
            for (int i = 0; i < layer.node().outputs().size(); i++) {
                String t = layer.node().outputs().get(i);
                if (!outputs.contains(t)) {
                    e.graph.addValueInfo(e.valueInfo(t, layer.outputShapes().get(i), !e.unbatched.contains(t)));
                }
            }
        }
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("pimopt")
                .setProducerVersion(org.pimopt.Version.NUMBER)
                .setDocString(network.description())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(e.graph)
                .build();
    }

    // ----- graph pieces -----

    private ValueInfoProto valueInfo(String name, Shape shape, boolean batched) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        if (batched) {
            dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        }
        shape.dims().forEach(d -> dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(dims))).build();
    }

    /** A float weight: zeros, or dims only when weights are omitted. */
    private String weight(String name, boolean learned, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setDocString(learned ? ConstTensor.LEARNED_DOC : ConstTensor.CONSTANT_DOC);
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        if (weights) {
            int bytes = Math.toIntExact(n * 4);
            if (zeros.size() < bytes) {
                zeros = ByteString.copyFrom(new byte[bytes]);
            }
            // Every initializer shares one buffer of zeros.
            t.setRawData(zeros.substring(0, bytes));
        }
        graph.addInitializer(t);
        return name;
    }

    private String floats(String name, List<Long> dims, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putFloat((float) v);
        }
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(dims).setDocString(ConstTensor.CONSTANT_DOC).setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    private String ints(String name, List<Long> dims, List<Long> values) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addAllDims(dims).addAllInt64Data(values));
        return name;
    }

    private String ints(String name, List<Long> values) {
        return ints(name, List.of((long) values.size()), values);
    }

    private NodeProto.Builder node(String opType, String name, List<String> inputs, String... outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs);
        for (String o : outputs) {
            n.addOutput(o);
        }
        return n;
    }

    private void add(NodeProto.Builder n) {
        graph.addNode(n);
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto intsAttr(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(values).build();
    }

    private static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    private static List<Long> longs(List<Integer> values) {
        return values.stream().map(Integer::longValue).toList();
    }

    // ----- one layer -----

    private void layer(Layer layer) {
        String name = layer.name();
        List<String> in = layer.node().inputs();
        boolean batched = in.stream().anyMatch(t -> !unbatched.contains(t));
        if (!batched) {
            unbatched.addAll(layer.node().outputs());
        }
        int shift = batched ? 1 : 0;
        Shape x = layer.inputShapes().isEmpty() ? null : layer.inputShapes().get(0);
        if (layer.op() instanceof Conv c) {
            List<String> inputs = new ArrayList<>(List.of(in.get(0),
                    weight(name + ".weight", true, c.outChannels(), x.dim(0) / c.groups(), c.kernelH(), c.kernelW())));
            if (c.bias()) {
                inputs.add(weight(name + ".bias", true, c.outChannels()));
            }
            add(node("Conv", name, inputs, name).addAttribute(ints("kernel_shape", c.kernelH(), c.kernelW()))
                    .addAttribute(ints("strides", c.strideH(), c.strideW()))
                    .addAttribute(ints("pads", c.padTop(), c.padLeft(), c.padBottom(), c.padRight()))
                    .addAttribute(ints("dilations", c.dilationH(), c.dilationW()))
                    .addAttribute(attr("group", c.groups())));
        } else if (layer.op() instanceof ConvTranspose c) {
            List<String> inputs = new ArrayList<>(List.of(in.get(0),
                    weight(name + ".weight", true, x.dim(0), c.outChannels() / c.groups(), c.kernelH(), c.kernelW())));
            if (c.bias()) {
                inputs.add(weight(name + ".bias", true, c.outChannels()));
            }
            add(node("ConvTranspose", name, inputs, name).addAttribute(ints("kernel_shape", c.kernelH(), c.kernelW()))
                    .addAttribute(ints("strides", c.strideH(), c.strideW()))
                    .addAttribute(ints("pads", c.padTop(), c.padLeft(), c.padBottom(), c.padRight()))
                    .addAttribute(ints("output_padding", c.outputPadH(), c.outputPadW()))
                    .addAttribute(ints("dilations", c.dilationH(), c.dilationW()))
                    .addAttribute(attr("group", c.groups())));
        } else if (layer.op() instanceof Linear l) {
            linear(name, in.get(0), x, l, shift);
        } else if (layer.op() instanceof VectorOp v) {
            vector(layer, v, name, in, x, shift);
        }
    }

    /** A vector of features goes through Gemm; a sequence of them through MatMul (+ Add for the bias). */
    private void linear(String name, String in, Shape x, Linear l, int shift) {
        if (x.rank() == 1 && shift == 1) {
            List<String> inputs = new ArrayList<>(List.of(in, weight(name + ".weight", true, l.outFeatures(), x.last())));
            if (l.bias()) {
                inputs.add(weight(name + ".bias", true, l.outFeatures()));
            }
            add(node("Gemm", name, inputs, name).addAttribute(attr("transB", 1)));
            return;
        }
        String product = l.bias() ? name + "/matmul" : name;
        add(node("MatMul", name, List.of(in, weight(name + ".weight", true, x.last(), l.outFeatures())), product));
        if (l.bias()) {
            add(node("Add", name + "/bias", List.of(product, weight(name + ".bias", true, l.outFeatures())), name));
        }
    }

    private void vector(Layer layer, VectorOp v, String name, List<String> in, Shape x, int shift) {
        if (v instanceof VectorOp.Pool p) {
            add(node(p.poolKind().equals("max") ? "MaxPool" : "AveragePool", name, in, name)
                    .addAttribute(ints("kernel_shape", p.kernelH(), p.kernelW()))
                    .addAttribute(ints("strides", p.strideH(), p.strideW()))
                    .addAttribute(ints("pads", p.padTop(), p.padLeft(), p.padBottom(), p.padRight()))
                    .addAttribute(attr("ceil_mode", p.ceilMode() ? 1 : 0)));
        } else if (v instanceof VectorOp.GlobalPool g) {
            add(node(g.poolKind().equals("max") ? "GlobalMaxPool" : "GlobalAveragePool", name, in, name));
        } else if (v instanceof VectorOp.AdaptivePool a) {
            adaptivePool(name, in, x, a);
        } else if (v instanceof VectorOp.Activation a) {
            activation(name, in.get(0), a.function());
        } else if (v instanceof VectorOp.BatchNorm b) {
            long c = x.dim(0);
            add(node("BatchNormalization", name, List.of(in.get(0), weight(name + ".weight", b.affine(), c),
                    weight(name + ".bias", b.affine(), c), weight(name + ".running_mean", false, c),
                    weight(name + ".running_var", false, c)), name));
        } else if (v instanceof VectorOp.LayerNorm ln) {
            List<String> inputs = new ArrayList<>(List.of(in.get(0), weight(name + ".weight", ln.affine(), x.last())));
            if (ln.affine()) {
                inputs.add(weight(name + ".bias", true, x.last()));
            }
            add(node("LayerNormalization", name, inputs, name).addAttribute(attr("axis", -1)));
        } else if (v instanceof VectorOp.Eltwise e) {
            add(node(v.kind(), name, in, name));
        } else if (v instanceof VectorOp.Concat c) {
            List<String> inputs = new ArrayList<>();
            String reference = in.stream().filter(t -> !unbatched.contains(t)).findFirst().orElse(null);
            for (int i = 0; i < in.size(); i++) {
                String t = in.get(i);
                boolean expand = shift == 1 && unbatched.contains(t);
                inputs.add(expand ? withBatch(name, t, layer.inputShapes().get(i).rank(), reference) : t);
            }
            add(node("Concat", name, inputs, name).addAttribute(attr("axis", axis(c.axis(), shift))));
        } else if (v instanceof VectorOp.Split s) {
            add(node("Split", name, List.of(in.get(0), ints(name + "/split", longs(s.sizes()))),
                    layer.node().outputs().toArray(String[]::new)).addAttribute(attr("axis", axis(s.axis(), shift))));
        } else if (v instanceof VectorOp.Softmax s) {
            add(node("Softmax", name, in, name).addAttribute(attr("axis", axis(s.axis(), shift))));
        } else if (v instanceof VectorOp.Reshape r) {
            reshape(name, in.get(0), name, longs(r.target()), shift);
        } else if (v instanceof VectorOp.Flatten f) {
            if (f.axis() == 0 && shift == 1) {
                add(node("Flatten", name, in, name).addAttribute(attr("axis", 1)));
            } else {
                List<Long> target = new ArrayList<>();
                for (int i = 0; i < f.axis(); i++) {
                    target.add(0L);
                }
                target.add(-1L);
                reshape(name, in.get(0), name, target, shift);
            }
        } else if (v instanceof VectorOp.Transpose t) {
            List<Long> perm = new ArrayList<>();
            if (shift == 1) {
                perm.add(0L);
            }
            t.perm().forEach(p -> perm.add((long) p + shift));
            add(node("Transpose", name, in, name).addAttribute(intsAttr("perm", perm)));
        } else if (v instanceof VectorOp.MatMul m) {
            add(node("MatMul", name, in, name));
        } else if (v instanceof VectorOp.Identity i) {
            add(node("Dropout".equals(i.reason()) ? "Dropout" : "Identity", name, in, name));
        } else if (v instanceof VectorOp.Lrn l) {
            add(node("LRN", name, in, name).addAttribute(attr("size", l.size())));
        } else if (v instanceof VectorOp.Parameter p) {
            Shape shape = layer.outputShape();
            weight(name, p.learned(), shape.dims().stream().mapToLong(Integer::longValue).toArray());
            unbatched.add(name);
        } else if (v instanceof VectorOp.ChannelShuffle c) {
            long ch = x.dim(0);
            List<Long> split = new ArrayList<>(List.of(0L, (long) c.groups(), ch / c.groups()));
            List<Long> back = new ArrayList<>(List.of(0L, ch));
            for (int i = 1; i < x.rank(); i++) {
                split.add((long) x.dim(i));
                back.add((long) x.dim(i));
            }
            reshape(name + "/groups", in.get(0), name + "/groups", split.subList(1, split.size()), 1);
            List<Long> perm = new ArrayList<>(List.of(0L, 2L, 1L));
            for (int i = 3; i < split.size(); i++) {
                perm.add((long) i);
            }
            add(node("Transpose", name + "/transpose", List.of(name + "/groups"), name + "/transpose")
                    .addAttribute(intsAttr("perm", perm)));
            reshape(name, name + "/transpose", name, back.subList(1, back.size()), 1);
        } else if (v instanceof VectorOp.Slice s) {
            List<Long> axes = new ArrayList<>();
            for (int i = 0; i < s.starts().size(); i++) {
                axes.add((long) (s.axes().isEmpty() ? i : s.axes().get(i)) + (s.axes().isEmpty() || s.axes().get(i) >= 0 ? shift : 0));
            }
            List<String> inputs = new ArrayList<>(List.of(in.get(0), ints(name + "/starts", longs(s.starts())),
                    ints(name + "/ends", longs(s.ends())), ints(name + "/axes", axes)));
            if (!s.steps().isEmpty()) {
                inputs.add(ints(name + "/steps", longs(s.steps())));
            }
            add(node("Slice", name, inputs, name));
        } else if (v instanceof VectorOp.Pad p) {
            List<Long> pads = new ArrayList<>();
            if (shift == 1) {
                pads.add(0L);
            }
            pads.addAll(longs(p.begins()));
            if (shift == 1) {
                pads.add(0L);
            }
            pads.addAll(longs(p.ends()));
            add(node("Pad", name, List.of(in.get(0), ints(name + "/pads", pads)), name).addAttribute(attr("mode", p.mode())));
        } else if (v instanceof VectorOp.Resize r) {
            NodeProto.Builder resize = node("Resize", name, List.of(), name).addAttribute(attr("mode", r.mode()));
            List<String> inputs = new ArrayList<>(List.of(in.get(0), ""));
            if (!r.scales().isEmpty()) {
                List<Double> scales = new ArrayList<>();
                if (shift == 1) {
                    scales.add(1.0);
                }
                scales.addAll(r.scales());
                inputs.add(floats(name + "/scales", List.of((long) scales.size()),
                        scales.stream().mapToDouble(Double::doubleValue).toArray()));
            } else {
                // Sizes for the per-sample axes only, so that the batch keeps whatever size it has.
                List<Long> axes = new ArrayList<>();
                for (int i = 0; i < r.sizes().size(); i++) {
                    axes.add((long) i + shift);
                }
                inputs.add("");
                inputs.add(ints(name + "/sizes", longs(r.sizes())));
                resize.addAttribute(intsAttr("axes", axes));
            }
            add(resize.addAllInput(inputs));
        } else if (v instanceof VectorOp.Gather g) {
            List<Long> dims = longs(g.indexShape());
            List<Long> zero = java.util.Collections.nCopies((int) dims.stream().reduce(1L, Math::multiplyExact).longValue(), 0L);
            add(node("Gather", name, List.of(in.get(0), ints(name + "/indices", dims, zero)), name)
                    .addAttribute(attr("axis", axis(g.axis(), shift))));
        } else if (v instanceof VectorOp.Embedding e) {
            // Every exported tensor is declared float; Gather wants integer indices.
            add(node("Cast", name + "/indices", List.of(in.get(1)), name + "/indices")
                    .addAttribute(attr("to", TensorProto.DataType.INT64_VALUE)));
            add(node("Gather", name, List.of(in.get(0), name + "/indices"), name).addAttribute(attr("axis", 0)));
        } else if (v instanceof VectorOp.Reduce r) {
            List<Long> axes = new ArrayList<>();
            r.axes().forEach(a -> axes.add(axis(a, shift)));
            if (r.axes().isEmpty()) {
                for (int i = 0; i < x.rank(); i++) {
                    axes.add((long) i + shift);
                }
            }
            add(node(r.kind(), name, List.of(in.get(0), ints(name + "/axes", axes)), name)
                    .addAttribute(attr("keepdims", r.keepDims() ? 1 : 0)));
        } else {
            throw new IllegalStateException("no ONNX form for op " + v.kind());
        }
    }

    private static long axis(int irAxis, int shift) {
        return irAxis < 0 ? irAxis : irAxis + shift;
    }

    /**
     * An unbatched tensor (a class token) repeated along the batch dimension of {@code reference},
     * for ops that need equal ranks: Unsqueeze, then Expand to {@code [batch, 1, ..., 1]}.
     */
    private String withBatch(String node, String tensor, int rank, String reference) {
        String base = node + "/" + tensor;
        add(node("Unsqueeze", base + "/unsqueeze", List.of(tensor, ints(base + "/axes", List.of(0L))), base + "/unsqueeze"));
        add(node("Shape", base + "/batch", List.of(reference), base + "/batch").addAttribute(attr("end", 1)));
        add(node("Concat", base + "/shape", List.of(base + "/batch",
                ints(base + "/ones", java.util.Collections.nCopies(rank, 1L))), base + "/shape").addAttribute(attr("axis", 0)));
        add(node("Expand", base + "/expand", List.of(base + "/unsqueeze", base + "/shape"), base + "/expand"));
        return base + "/expand";
    }

    private void reshape(String name, String in, String out, List<Long> target, int shift) {
        List<Long> full = new ArrayList<>();
        if (shift == 1) {
            full.add(0L); // copies the batch dimension
        }
        full.addAll(target);
        add(node("Reshape", name, List.of(in, ints(name + "/shape", full)), out));
    }

    /** ONNX has no adaptive pooling: a fixed window with stride floor(in/out) gives the same output size. */
    private void adaptivePool(String name, List<String> in, Shape x, VectorOp.AdaptivePool a) {
        String type = a.poolKind().equals("max") ? "MaxPool" : "AveragePool";
        if (a.outH() == 1 && a.outW() == 1) {
            add(node(a.poolKind().equals("max") ? "GlobalMaxPool" : "GlobalAveragePool", name, in, name));
            return;
        }
        int sh = x.dim(1) / a.outH();
        int sw = x.dim(2) / a.outW();
        int kh = x.dim(1) - (a.outH() - 1) * sh;
        int kw = x.dim(2) - (a.outW() - 1) * sw;
        add(node(type, name, in, name).addAttribute(ints("kernel_shape", kh, kw)).addAttribute(ints("strides", sh, sw)));
    }

    private void activation(String name, String in, String function) {
        switch (function) {
            case "relu6" -> add(node("Clip", name, List.of(in, floats(name + "/min", List.of(), 0),
                    floats(name + "/max", List.of(), 6)), name));
            case "silu" -> {
                add(node("Sigmoid", name + "/sigmoid", List.of(in), name + "/sigmoid"));
                add(node("Mul", name, List.of(in, name + "/sigmoid"), name));
            }
            case "prelu" -> add(node("PRelu", name, List.of(in, floats(name + "/slope", List.of(1L), 0.25)), name));
            default -> add(node(switch (function) {
                case "relu" -> "Relu";
                case "leaky_relu" -> "LeakyRelu";
                case "sigmoid" -> "Sigmoid";
                case "hard_sigmoid" -> "HardSigmoid";
                case "hard_swish" -> "HardSwish";
                case "tanh" -> "Tanh";
                case "gelu" -> "Gelu";
                case "erf" -> "Erf";
                case "sqrt" -> "Sqrt";
                case "clip" -> "Clip";
                default -> throw new IllegalStateException("no ONNX form for activation " + function);
            }, name, List.of(in), name));
        }
    }
}
