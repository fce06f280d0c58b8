package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.imports.onnx.Value.Computed;
import org.pimopt.imports.onnx.Value.Const;
import org.pimopt.ir.IrException;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.ir.VectorOp;

/**
 * Reads an ONNX model into a pimopt network with static per-sample shapes. Weights are read as
 * dims only (from initializers or Constant nodes); constant shape arithmetic is folded; every
 * other node becomes a pimopt op, or an error naming it.
 */
public final class OnnxImporter {
    /** protobuf cannot parse a message of 2 GiB or more; bigger models keep weights in external files. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private static final Map<String, Converter> OPS = Converter.registry();

    private OnnxImporter() {}

    /** Reads and converts an ONNX file. */
    public static NetworkSpec read(Path path, ImportOptions options) {
        String origin = path.toString();
        String file = path.getFileName().toString();
        String name = file.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        return convert(parse(readBytes(path), origin), origin, name, options);
    }

    static byte[] readBytes(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new ImportException(path + ": is a directory, not an ONNX file");
            }
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new ImportException(path + ": file of " + size + " bytes is larger than the 2 GiB an ONNX file can hold");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImportException(path + ": no such file");
        } catch (IOException e) {
            throw new ImportException(path + ": cannot read: " + e.getMessage());
        }
    }

    /** Parses the bytes of an ONNX file, with a one-line error for anything that is not a model. */
    public static ModelProto parse(byte[] bytes, String origin) {
        if (bytes.length == 0) {
            throw new ImportException(origin + ": the file is empty, not an ONNX model");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ");
            throw new ImportException(origin + ": not an ONNX model (damaged or truncated?): " + why);
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph()) {
            throw new ImportException(origin + ": not an ONNX model (no IR version or no graph)");
        }
        return model;
    }

    /** Converts a parsed model; {@code name} becomes the network's name. */
    public static NetworkSpec convert(ModelProto model, String origin, String name, ImportOptions options) {
        GraphProto graph = model.getGraph();
        if (graph.getNodeCount() == 0) {
            throw new ImportException(origin + ": the model's graph has no nodes");
        }
        if (graph.getSparseInitializerCount() > 0) {
            throw new ImportException(origin + ": sparse initializers are not supported");
        }
        Map<String, Long> opsets = new HashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            opsets.put(o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain(), o.getVersion());
        }
        NetworkBuilder builder = new NetworkBuilder(name)
                .description("imported from ONNX" + (model.getProducerName().isEmpty() ? "" : " (" + model.getProducerName()
                        + (model.getProducerVersion().isEmpty() ? "" : " " + model.getProducerVersion()) + ")")
                        + ", opset " + opsets.getOrDefault("ai.onnx", 0L))
                .source(origin);
        Set<String> outputs = graph.getOutputList().stream().map(ValueInfoProto::getName).collect(Collectors.toSet());
        ImportContext ctx = new ImportContext(origin, options, opsets, builder, graph.getNodeList(), outputs);

        Set<String> available = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            try {
                ctx.define(t.getName(), new Const(ConstTensor.fromProto(t, t.getName(), "initializer '" + t.getName() + "'")));
            } catch (IllegalArgumentException e) {
                throw new ImportException(origin + ": " + e.getMessage());
            }
            available.add(t.getName());
        }
        InputBinder.bind(graph, available, ctx);
        graph.getInputList().forEach(vi -> available.add(vi.getName()));

        for (NodeProto node : GraphOrder.sort(graph.getNodeList(), available, origin)) {
            if (node.getOutputCount() == 0) {
                throw ctx.error(node, "the node has no outputs");
            }
            try {
                convert(node, ctx);
            } catch (IllegalArgumentException | ArithmeticException | IrException e) {
                throw ctx.error(node, e.getMessage());
            } catch (IndexOutOfBoundsException | NullPointerException e) {
                ImportException error = ctx.error(node, "malformed node (" + e + ")");
                error.initCause(e); // --verbose shows where
                throw error;
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (ValueInfoProto out : graph.getOutputList()) {
            if (ctx.value(out.getName()) instanceof Computed c && seen.add(c.tensor())) {
                builder.output(c.tensor());
            }
        }
        if (!ctx.passedThrough().isEmpty()) {
            options.warnings().accept(origin + ": --lenient passed through ops pimopt does not know, as shape-preserving: "
                    + ctx.passedThrough().entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                            .collect(Collectors.joining(", ")));
        }
        return builder.build();
    }

    private static void convert(NodeProto node, ImportContext ctx) {
        Value absorbed = ctx.absorbed(node);
        if (absorbed != null) {
            ctx.define(node.getOutput(0), absorbed);
            return;
        }
        if (Attributes.hasSubgraph(node)) {
            throw ctx.error(node, "holds a subgraph (If/Loop/Scan control flow), which pimopt does not read;"
                    + " export the model with static control flow");
        }
        boolean standard = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
        Converter converter = standard ? OPS.get(node.getOpType()) : null;
        if (foldConstants(node, ctx)) {
            return;
        }
        if (converter != null) {
            converter.convert(node, ctx);
        } else if (ctx.options.lenient()) {
            passThrough(node, ctx);
        } else {
            throw unsupported(node, ctx, "");
        }
    }

    /** Evaluates a node whose inputs are all constants; false when it has none or cannot be folded. */
    private static boolean foldConstants(NodeProto node, ImportContext ctx) {
        List<ConstTensor> inputs = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < node.getInputCount(); i++) {
            Value v = ctx.in(node, i);
            if (v instanceof Computed) {
                return false;
            }
            inputs.add(v == null ? null : ((Const) v).tensor());
            any |= v != null;
        }
        if (!any) {
            return false;
        }
        List<ConstTensor> outs = ConstantFolder.fold(node, inputs, ctx.opset(node));
        if (outs == null) {
            return false;
        }
        for (int i = 0; i < Math.min(outs.size(), node.getOutputCount()); i++) {
            ctx.define(node.getOutput(i), new Const(outs.get(i)));
        }
        return true;
    }

    /** --lenient: an unknown op with one computed input passes it through to all its outputs. */
    private static void passThrough(NodeProto node, ImportContext ctx) {
        List<Computed> computed = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            if (ctx.in(node, i) instanceof Computed c) {
                computed.add(c);
            }
        }
        if (computed.size() != 1) {
            throw unsupported(node, ctx, "; --lenient passes through ops with exactly one computed input, this one has "
                    + computed.size());
        }
        Computed out = ctx.emitKeepingBatch(node, "", new VectorOp.Identity(node.getOpType()), computed);
        for (String o : node.getOutputList()) {
            ctx.define(o, out);
        }
        ctx.passThrough(qualified(node));
    }

    private static ImportException unsupported(NodeProto node, ImportContext ctx, String more) {
        return ctx.error(node, "op " + qualified(node) + " (opset " + ctx.opset(node) + ") is not supported"
                + (more.isEmpty() ? " (--lenient passes unknown one-input ops through)" : more));
    }

    private static String qualified(NodeProto node) {
        return node.getDomain().isEmpty() ? node.getOpType() : node.getDomain() + "." + node.getOpType();
    }

    /** How messages name a node: by its name, or by its first output when it has none. */
    static String describe(NodeProto node) {
        String type = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx")
                ? node.getOpType() : node.getDomain() + "." + node.getOpType();
        if (!node.getName().isEmpty()) {
            return "node '" + node.getName() + "' (" + type + ")";
        }
        return node.getOutputCount() > 0 ? "node writing '" + node.getOutput(0) + "' (" + type + ")" : "a " + type + " node";
    }

    /** The name a node's pimopt counterpart takes: the ONNX node's name, else its first output's. */
    static String baseName(NodeProto node) {
        if (!node.getName().isEmpty()) {
            return node.getName();
        }
        return node.getOutputCount() > 0 && !node.getOutput(0).isEmpty() ? node.getOutput(0) : node.getOpType();
    }
}
