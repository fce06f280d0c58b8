package org.pimopt.imports;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.Conv;
import org.pimopt.ir.ConvTranspose;
import org.pimopt.ir.IrException;
import org.pimopt.ir.Linear;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.ir.Node;
import org.pimopt.ir.Op;
import org.pimopt.ir.ShapeSpec;
import org.pimopt.ir.VectorOp;
import org.pimopt.proto.ActivationSpec;
import org.pimopt.proto.AdaptivePoolSpec;
import org.pimopt.proto.BatchNormSpec;
import org.pimopt.proto.ChannelShuffleSpec;
import org.pimopt.proto.ConcatSpec;
import org.pimopt.proto.ConvSpec;
import org.pimopt.proto.ConvTransposeSpec;
import org.pimopt.proto.EltwiseSpec;
import org.pimopt.proto.EmbeddingSpec;
import org.pimopt.proto.FlattenSpec;
import org.pimopt.proto.GatherSpec;
import org.pimopt.proto.GlobalPoolSpec;
import org.pimopt.proto.IdentitySpec;
import org.pimopt.proto.InputSpec;
import org.pimopt.proto.LayerNormSpec;
import org.pimopt.proto.LinearSpec;
import org.pimopt.proto.LrnSpec;
import org.pimopt.proto.MatMulSpec;
import org.pimopt.proto.NetworkFile;
import org.pimopt.proto.NodeSpec;
import org.pimopt.proto.PadSpec;
import org.pimopt.proto.ParameterSpec;
import org.pimopt.proto.PoolSpec;
import org.pimopt.proto.ReduceSpec;
import org.pimopt.proto.ReshapeSpec;
import org.pimopt.proto.ResizeSpec;
import org.pimopt.proto.SliceSpec;
import org.pimopt.proto.SoftmaxSpec;
import org.pimopt.proto.SplitSpec;
import org.pimopt.proto.SymbolSpec;
import org.pimopt.proto.TransposeSpec;

/**
 * The pimopt-JSON network format: the JSON form of {@code NetworkFile} in network.proto. Reading
 * rejects unknown fields and names the file, node and field of any error; writing puts one node
 * per line so that a file stays readable and diffs well.
 */
public final class PimoptJson {
    private PimoptJson() {}

    /** Parses a network file's text; {@code origin} names the file in messages. */
    public static NetworkSpec read(String json, String origin) {
        NetworkFile.Builder file = NetworkFile.newBuilder();
        try {
            JsonFormat.parser().merge(json, file);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new ImportException(origin + ": not a pimopt network file: " + org.pimopt.JsonErrors.reason(e));
        }
        return toSpec(file.build(), origin);
    }

    public static NetworkSpec toSpec(NetworkFile file, String origin) {
        if (file.getName().isBlank()) {
            throw new ImportException(origin + ": field 'name' is missing");
        }
        try {
            List<NetworkSpec.Symbol> symbols = new ArrayList<>();
            for (SymbolSpec s : file.getSymbolsList()) {
                symbols.add(new NetworkSpec.Symbol(s.getName(), s.getDefaultValue(), s.getDoc()));
            }
            List<NetworkSpec.Input> inputs = new ArrayList<>();
            for (InputSpec in : file.getInputsList()) {
                if (in.getName().isBlank()) {
                    throw new ImportException(origin + ": an input has no 'name'");
                }
                inputs.add(new NetworkSpec.Input(in.getName(), shape(in.getShape(), "input '" + in.getName() + "'", "shape")));
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < file.getNodesCount(); i++) {
                NodeSpec n = file.getNodes(i);
                String where = n.getName().isBlank() ? "node #" + i : "node '" + n.getName() + "'";
                if (n.getName().isBlank()) {
                    throw new ImportException(origin + ": " + where + " has no 'name'");
                }
                Op op;
                try {
                    op = toOp(n, where);
                } catch (IrException e) {
                    throw new ImportException(origin + ": " + where + ": " + e.getMessage());
                }
                nodes.add(new Node(n.getName(), op, n.getInputsList()));
            }
            return new NetworkSpec(file.getName(), file.getDescription(), file.getSource(), symbols, inputs,
                    nodes, file.getOutputsList());
        } catch (IrException e) {
            throw new ImportException(origin + ": " + e.getMessage());
        }
    }

    private static ShapeSpec shape(String text, String where, String field) {
        try {
            return ShapeSpec.parse(text);
        } catch (IrException e) {
            throw new IrException(where + ": field '" + field + "': " + e.getMessage());
        }
    }

    private static Op toOp(NodeSpec n, String where) {
        return switch (n.getOpCase()) {
            case CONV -> {
                ConvSpec c = n.getConv();
                int[] k = pair(c.getKernelList(), 0, "conv.kernel");
                int[] s = pair(c.getStrideList(), 1, "conv.stride");
                int[] d = pair(c.getDilationList(), 1, "conv.dilation");
                int[] p = pads(c.getPadsList(), "conv.pads");
                yield new Conv(c.getOutChannels(), k[0], k[1], s[0], s[1], p[0], p[1], p[2], p[3], d[0], d[1],
                        c.getGroups() == 0 ? 1 : c.getGroups(), c.getBias());
            }
            case LINEAR -> new Linear(n.getLinear().getOutFeatures(), n.getLinear().getBias());
            case POOL -> {
                PoolSpec ps = n.getPool();
                int[] k = pair(ps.getKernelList(), 0, "pool.kernel");
                int[] s = ps.getStrideCount() == 0 ? k : pair(ps.getStrideList(), 1, "pool.stride");
                int[] p = pads(ps.getPadsList(), "pool.pads");
                yield new VectorOp.Pool(ps.getKind(), k[0], k[1], s[0], s[1], p[0], p[1], p[2], p[3], ps.getCeilMode());
            }
            case GLOBAL_POOL -> new VectorOp.GlobalPool(n.getGlobalPool().getKind());
            case ADAPTIVE_POOL -> {
                AdaptivePoolSpec a = n.getAdaptivePool();
                int[] size = pair(a.getOutputSizeList(), 0, "adaptivePool.outputSize");
                yield new VectorOp.AdaptivePool(a.getKind(), size[0], size[1]);
            }
            case ACTIVATION -> new VectorOp.Activation(n.getActivation().getFunction());
            case BATCH_NORM -> new VectorOp.BatchNorm(n.getBatchNorm().getAffine());
            case LAYER_NORM -> new VectorOp.LayerNorm(n.getLayerNorm().getAffine());
            case ELTWISE -> new VectorOp.Eltwise(n.getEltwise().getKind());
            case CONCAT -> new VectorOp.Concat(n.getConcat().getAxis());
            case SPLIT -> new VectorOp.Split(n.getSplit().getAxis(), n.getSplit().getSizesList());
            case SOFTMAX -> new VectorOp.Softmax(n.getSoftmax().getAxis());
            case RESHAPE -> new VectorOp.Reshape(n.getReshape().getShapeList());
            case FLATTEN -> new VectorOp.Flatten(n.getFlatten().getAxis());
            case TRANSPOSE -> new VectorOp.Transpose(n.getTranspose().getPermList());
            case MATMUL -> new VectorOp.MatMul();
            case IDENTITY -> new VectorOp.Identity(n.getIdentity().getReason());
            case LRN -> new VectorOp.Lrn(n.getLrn().getSize());
            case PARAMETER -> new VectorOp.Parameter(shape(n.getParameter().getShape(), where, "parameter.shape"),
                    n.getParameter().getLearned());
            case CHANNEL_SHUFFLE -> new VectorOp.ChannelShuffle(n.getChannelShuffle().getGroups());
            case CONV_TRANSPOSE -> {
                ConvTransposeSpec c = n.getConvTranspose();
                int[] k = pair(c.getKernelList(), 0, "convTranspose.kernel");
                int[] s = pair(c.getStrideList(), 1, "convTranspose.stride");
                int[] d = pair(c.getDilationList(), 1, "convTranspose.dilation");
                int[] p = pads(c.getPadsList(), "convTranspose.pads");
                int[] o = c.getOutputPaddingCount() == 0 ? new int[] {0, 0}
                        : pair(c.getOutputPaddingList(), 0, "convTranspose.outputPadding");
                yield new ConvTranspose(c.getOutChannels(), k[0], k[1], s[0], s[1], p[0], p[1], p[2], p[3], o[0], o[1],
                        d[0], d[1], c.getGroups() == 0 ? 1 : c.getGroups(), c.getBias());
            }
            case SLICE -> new VectorOp.Slice(n.getSlice().getAxesList(), n.getSlice().getStartsList(),
                    n.getSlice().getEndsList(), n.getSlice().getStepsList());
            case PAD -> new VectorOp.Pad(n.getPad().getMode(), n.getPad().getBeginsList(), n.getPad().getEndsList());
            case RESIZE -> new VectorOp.Resize(n.getResize().getMode(), n.getResize().getScalesList(),
                    n.getResize().getSizesList());
            case GATHER -> new VectorOp.Gather(n.getGather().getAxis(), n.getGather().getIndexShapeList());
            case EMBEDDING -> new VectorOp.Embedding();
            case REDUCE -> new VectorOp.Reduce(n.getReduce().getKind(), n.getReduce().getAxesList(),
                    n.getReduce().getKeepDims());
            case OP_NOT_SET -> throw new IrException("no operation given (one of conv, linear, pool, ...)");
        };
    }

    /** A [h, w] pair written as one value (square) or two; {@code fallback} when absent (0: required). */
    private static int[] pair(List<Integer> values, int fallback, String field) {
        if (values.isEmpty()) {
            if (fallback == 0) {
                throw new IrException("field '" + field + "' is missing");
            }
            return new int[] {fallback, fallback};
        }
        if (values.size() == 1) {
            return new int[] {values.get(0), values.get(0)};
        }
        if (values.size() == 2) {
            return new int[] {values.get(0), values.get(1)};
        }
        throw new IrException("field '" + field + "' takes one or two values, got " + values);
    }

    /** Pads as [all], [vertical, horizontal] or [top, left, bottom, right]. */
    private static int[] pads(List<Integer> values, String field) {
        return switch (values.size()) {
            case 0 -> new int[] {0, 0, 0, 0};
            case 1 -> new int[] {values.get(0), values.get(0), values.get(0), values.get(0)};
            case 2 -> new int[] {values.get(0), values.get(1), values.get(0), values.get(1)};
            case 4 -> new int[] {values.get(0), values.get(1), values.get(2), values.get(3)};
            default -> throw new IrException("field '" + field + "' takes 1, 2 or 4 values, got " + values);
        };
    }

    // ----- writing -----

    public static NetworkFile toFile(NetworkSpec spec) {
        NetworkFile.Builder file = NetworkFile.newBuilder()
                .setName(spec.name()).setDescription(spec.description()).setSource(spec.source());
        for (NetworkSpec.Symbol s : spec.symbols()) {
            file.addSymbols(SymbolSpec.newBuilder().setName(s.name()).setDefaultValue(s.defaultValue()).setDoc(s.doc()));
        }
        for (NetworkSpec.Input in : spec.inputs()) {
            file.addInputs(InputSpec.newBuilder().setName(in.name()).setShape(in.shape().toString()));
        }
        for (Node n : spec.nodes()) {
            file.addNodes(toNodeSpec(n));
        }
        file.addAllOutputs(spec.outputs());
        return file.build();
    }

    /** The JSON text of a network: header fields pretty-printed, then one node per line. */
    public static String write(NetworkSpec spec) {
        NetworkFile file = toFile(spec);
        try {
            String header = JsonFormat.printer().print(file.toBuilder().clearNodes().clearOutputs().build());
            StringBuilder out = new StringBuilder(header.substring(0, header.lastIndexOf('}')).stripTrailing());
            out.append(",\n  \"nodes\": [\n");
            JsonFormat.Printer compact = JsonFormat.printer().omittingInsignificantWhitespace();
            for (int i = 0; i < file.getNodesCount(); i++) {
                out.append("    ").append(compact.print(file.getNodes(i)));
                out.append(i + 1 < file.getNodesCount() ? ",\n" : "\n");
            }
            out.append("  ]");
            if (file.getOutputsCount() > 0) {
                out.append(",\n  \"outputs\": ").append(compact.print(
                        NetworkFile.newBuilder().addAllOutputs(file.getOutputsList()).build()).replaceFirst("^\\{\"outputs\":", "").replaceFirst("}$", ""));
            }
            out.append("\n}\n");
            return out.toString();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print network " + spec.name(), e);
        }
    }

    private static NodeSpec toNodeSpec(Node n) {
        NodeSpec.Builder b = NodeSpec.newBuilder().setName(n.name()).addAllInputs(n.inputs());
        Op op = n.op();
        if (op instanceof Conv c) {
            ConvSpec.Builder cs = ConvSpec.newBuilder().setOutChannels(c.outChannels());
            addPair(cs::addKernel, c.kernelH(), c.kernelW(), 0);
            addPair(cs::addStride, c.strideH(), c.strideW(), 1);
            addPads(cs::addPads, c.padTop(), c.padLeft(), c.padBottom(), c.padRight());
            addPair(cs::addDilation, c.dilationH(), c.dilationW(), 1);
            if (c.groups() != 1) {
                cs.setGroups(c.groups());
            }
            b.setConv(cs.setBias(c.bias()));
        } else if (op instanceof Linear l) {
            b.setLinear(LinearSpec.newBuilder().setOutFeatures(l.outFeatures()).setBias(l.bias()));
        } else if (op instanceof ConvTranspose c) {
            ConvTransposeSpec.Builder cs = ConvTransposeSpec.newBuilder().setOutChannels(c.outChannels());
            addPair(cs::addKernel, c.kernelH(), c.kernelW(), 0);
            addPair(cs::addStride, c.strideH(), c.strideW(), 1);
            addPads(cs::addPads, c.padTop(), c.padLeft(), c.padBottom(), c.padRight());
            addPair(cs::addDilation, c.dilationH(), c.dilationW(), 1);
            addPair(cs::addOutputPadding, c.outputPadH(), c.outputPadW(), 0);
            if (c.groups() != 1) {
                cs.setGroups(c.groups());
            }
            b.setConvTranspose(cs.setBias(c.bias()));
        } else if (op instanceof VectorOp v) {
            setVector(b, v);
        }
        return b.build();
    }

    private static void setVector(NodeSpec.Builder b, VectorOp v) {
        if (v instanceof VectorOp.Pool p) {
            PoolSpec.Builder ps = PoolSpec.newBuilder().setKind(p.poolKind()).setCeilMode(p.ceilMode());
            addPair(ps::addKernel, p.kernelH(), p.kernelW(), 0);
            if (p.strideH() != p.kernelH() || p.strideW() != p.kernelW()) {
                addPair(ps::addStride, p.strideH(), p.strideW(), 0);
            }
            addPads(ps::addPads, p.padTop(), p.padLeft(), p.padBottom(), p.padRight());
            b.setPool(ps);
        } else if (v instanceof VectorOp.GlobalPool g) {
            b.setGlobalPool(GlobalPoolSpec.newBuilder().setKind(g.poolKind()));
        } else if (v instanceof VectorOp.AdaptivePool a) {
            b.setAdaptivePool(AdaptivePoolSpec.newBuilder().setKind(a.poolKind())
                    .addOutputSize(a.outH()).addOutputSize(a.outW()));
        } else if (v instanceof VectorOp.Activation a) {
            b.setActivation(ActivationSpec.newBuilder().setFunction(a.function()));
        } else if (v instanceof VectorOp.BatchNorm bn) {
            b.setBatchNorm(BatchNormSpec.newBuilder().setAffine(bn.affine()));
        } else if (v instanceof VectorOp.LayerNorm ln) {
            b.setLayerNorm(LayerNormSpec.newBuilder().setAffine(ln.affine()));
        } else if (v instanceof VectorOp.Eltwise e) {
            b.setEltwise(EltwiseSpec.newBuilder().setKind(e.eltwiseKind()));
        } else if (v instanceof VectorOp.Concat c) {
            b.setConcat(ConcatSpec.newBuilder().setAxis(c.axis()));
        } else if (v instanceof VectorOp.Split s) {
            b.setSplit(SplitSpec.newBuilder().setAxis(s.axis()).addAllSizes(s.sizes()));
        } else if (v instanceof VectorOp.Softmax s) {
            b.setSoftmax(SoftmaxSpec.newBuilder().setAxis(s.axis()));
        } else if (v instanceof VectorOp.Reshape r) {
            b.setReshape(ReshapeSpec.newBuilder().addAllShape(r.target()));
        } else if (v instanceof VectorOp.Flatten f) {
            b.setFlatten(FlattenSpec.newBuilder().setAxis(f.axis()));
        } else if (v instanceof VectorOp.Transpose t) {
            b.setTranspose(TransposeSpec.newBuilder().addAllPerm(t.perm()));
        } else if (v instanceof VectorOp.MatMul) {
            b.setMatmul(MatMulSpec.getDefaultInstance());
        } else if (v instanceof VectorOp.Identity i) {
            b.setIdentity(IdentitySpec.newBuilder().setReason(i.reason() == null ? "" : i.reason()));
        } else if (v instanceof VectorOp.Lrn l) {
            b.setLrn(LrnSpec.newBuilder().setSize(l.size()));
        } else if (v instanceof VectorOp.Parameter p) {
            b.setParameter(ParameterSpec.newBuilder().setShape(p.shape().toString()).setLearned(p.learned()));
        } else if (v instanceof VectorOp.ChannelShuffle c) {
            b.setChannelShuffle(ChannelShuffleSpec.newBuilder().setGroups(c.groups()));
        } else if (v instanceof VectorOp.Slice s) {
            b.setSlice(SliceSpec.newBuilder().addAllAxes(s.axes()).addAllStarts(s.starts()).addAllEnds(s.ends())
                    .addAllSteps(s.steps()));
        } else if (v instanceof VectorOp.Pad p) {
            b.setPad(PadSpec.newBuilder().setMode(p.mode()).addAllBegins(p.begins()).addAllEnds(p.ends()));
        } else if (v instanceof VectorOp.Resize r) {
            b.setResize(ResizeSpec.newBuilder().setMode(r.mode()).addAllScales(r.scales()).addAllSizes(r.sizes()));
        } else if (v instanceof VectorOp.Gather g) {
            b.setGather(GatherSpec.newBuilder().setAxis(g.axis()).addAllIndexShape(g.indexShape()));
        } else if (v instanceof VectorOp.Embedding) {
            b.setEmbedding(EmbeddingSpec.getDefaultInstance());
        } else if (v instanceof VectorOp.Reduce r) {
            b.setReduce(ReduceSpec.newBuilder().setKind(r.reduceKind()).addAllAxes(r.axes()).setKeepDims(r.keepDims()));
        } else {
            throw new IllegalStateException("no file form for op " + v.kind());
        }
    }

    private static void addPair(java.util.function.IntConsumer add, int h, int w, int omitIf) {
        if (h == w && h == omitIf) {
            return;
        }
        add.accept(h);
        if (h != w) {
            add.accept(w);
        }
    }

    private static void addPads(java.util.function.IntConsumer add, int top, int left, int bottom, int right) {
        if (top == left && left == bottom && bottom == right) {
            if (top != 0) {
                add.accept(top);
            }
        } else if (top == bottom && left == right) {
            add.accept(top);
            add.accept(left);
        } else {
            add.accept(top);
            add.accept(left);
            add.accept(bottom);
            add.accept(right);
        }
    }

}
