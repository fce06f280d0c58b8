package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pimopt.imports.onnx.Value.Computed;
import org.pimopt.ir.VectorOp;

/** Pooling, softmax, reductions and local response normalization. */
final class PoolOps {
    private PoolOps() {}

    static void register(Map<String, Converter> ops) {
        ops.put("MaxPool", (n, ctx) -> pool(n, ctx, "max"));
        ops.put("AveragePool", (n, ctx) -> pool(n, ctx, "avg"));
        ops.put("GlobalMaxPool", (n, ctx) -> globalPool(n, ctx, "max"));
        ops.put("GlobalAveragePool", (n, ctx) -> globalPool(n, ctx, "avg"));
        ops.put("Softmax", PoolOps::softmax);
        // log(softmax) costs what softmax costs; pimopt does not tell them apart.
        ops.put("LogSoftmax", PoolOps::softmax);
        Map.of("ReduceMean", "mean", "ReduceSum", "sum", "ReduceMax", "max", "ReduceMin", "min",
                        "ReduceProd", "prod", "ReduceL1", "l1", "ReduceL2", "l2")
                .forEach((type, kind) -> ops.put(type, (n, ctx) -> reduce(n, ctx, kind)));
        ops.put("LRN", PoolOps::lrn);
    }

    /** A C x H x W image, or a C x L sequence when the op may take one (then run as C x 1 x L). */
    private static Computed image(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        if (x.shape().rank() != 3 && x.shape().rank() != 2) {
            throw ctx.error(n, "input of dims " + x.fullDims() + " is neither N x C x L nor N x C x H x W;"
                    + " pimopt handles 1-D and 2-D pooling only");
        }
        return x;
    }

    static void pool(NodeProto n, ImportContext ctx, String kind) {
        Computed x = image(n, ctx);
        boolean oneD = x.shape().rank() == 2;
        Attributes a = new Attributes(n);
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && ctx.soleConsumer(n.getOutput(1)) != null) {
            throw ctx.error(n, "its indices output is used, which pimopt does not read");
        }
        List<Long> kernel = a.ints("kernel_shape").orElseThrow(() -> ctx.error(n, "has no kernel_shape"));
        Window w = oneD ? Window.of1d(a, Window.single(kernel, "kernel_shape"), x.shape().dim(1))
                : Window.of(a, Window.pair(kernel, "kernel_shape")[0], Window.pair(kernel, "kernel_shape")[1],
                        x.shape().dim(1), x.shape().dim(2));
        if (w.dilationH() != 1 || w.dilationW() != 1) {
            throw ctx.error(n, "dilated pooling is not supported");
        }
        boolean ceil = a.i("ceil_mode", 0) != 0;
        VectorOp.Pool op = new VectorOp.Pool(kind, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padTop(),
                w.padLeft(), w.padBottom(), w.padRight(), ceil);
        Computed out = ctx.emit(n, "", op, List.of(oneD ? LayerOps.toImage(n, ctx, x) : x));
        ctx.define(n.getOutput(0), oneD ? LayerOps.toSequence(n, ctx, out) : out);
    }

    /** Global pooling of a sequence leaves N x C x 1, of an image N x C x 1 x 1. */
    static void globalPool(NodeProto n, ImportContext ctx, String kind) {
        Computed x = image(n, ctx);
        boolean oneD = x.shape().rank() == 2;
        Computed out = ctx.emit(n, "", new VectorOp.GlobalPool(kind), List.of(oneD ? LayerOps.toImage(n, ctx, x) : x));
        ctx.define(n.getOutput(0), oneD ? LayerOps.toSequence(n, ctx, out) : out);
    }

    /** The default axis is 1 before opset 13 (then the input is seen as 2-D from there) and -1 since. */
    static void softmax(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        long axis = new Attributes(n).i("axis", ctx.opset(n) < 13 ? 1 : -1);
        if (ctx.opset(n) < 13 && x.displaced()) {
            // Before opset 13 Softmax flattens from its axis on, batch included: not one sample's.
            ctx.batchFirst(n, x);
        }
        ctx.define(n.getOutput(0), ctx.emitKeepingBatch(n, "", new VectorOp.Softmax(ctx.axis(n, x, axis, "axis")), List.of(x)));
    }

    /** Axes: an attribute (ReduceSum before 13, the others before 18) or the second input. */
    static void reduce(NodeProto n, ImportContext ctx, String kind) {
        Computed x = ctx.tensorIn(n, 0);
        Attributes a = new Attributes(n);
        List<Long> axes = a.has("axes") ? a.ints("axes").orElseThrow() : ctx.optionalInts(n, 1, "axes");
        boolean keep = a.i("keepdims", 1) != 0;
        if (axes == null || axes.isEmpty()) {
            if (a.i("noop_with_empty_axes", 0) != 0) {
                ctx.define(n.getOutput(0), x);
                return;
            }
            if (x.batched() && !keep) {
                throw ctx.error(n, "reduces every axis, the batch dimension too");
            }
            axes = new ArrayList<>();
            for (int i = x.batched() ? 1 : 0; i < x.fullRank(); i++) {
                axes.add((long) i);
            }
        }
        List<Integer> irAxes = new ArrayList<>();
        for (long axis : axes) {
            irAxes.add(ctx.axis(n, x, axis, "axis"));
        }
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Reduce(kind, irAxes, keep), List.of(x)));
    }

    static void lrn(NodeProto n, ImportContext ctx) {
        int size = Window.toInt(new Attributes(n).i("size", 5), "size");
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Lrn(size), List.of(ctx.tensorIn(n, 0))));
    }
}
