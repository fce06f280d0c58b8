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

    private static Computed image(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        if (x.shape().rank() != 3) {
            throw ctx.error(n, "input of dims " + x.fullDims() + " is not an N x C x H x W image; pimopt handles 2-D pooling only");
        }
        return x;
    }

    static void pool(NodeProto n, ImportContext ctx, String kind) {
        Computed x = image(n, ctx);
        Attributes a = new Attributes(n);
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && ctx.soleConsumer(n.getOutput(1)) != null) {
            throw ctx.error(n, "its indices output is used, which pimopt does not read");
        }
        int[] k = Window.pair(a.ints("kernel_shape").orElseThrow(() -> ctx.error(n, "has no kernel_shape")), "kernel_shape");
        Window w = Window.of(a, k[0], k[1], x.shape().dim(1), x.shape().dim(2));
        if (w.dilationH() != 1 || w.dilationW() != 1) {
            throw ctx.error(n, "dilated pooling is not supported");
        }
        boolean ceil = a.i("ceil_mode", 0) != 0;
        VectorOp.Pool op = new VectorOp.Pool(kind, k[0], k[1], w.strideH(), w.strideW(), w.padTop(), w.padLeft(),
                w.padBottom(), w.padRight(), ceil);
        ctx.define(n.getOutput(0), ctx.emit(n, "", op, List.of(x)));
    }

    static void globalPool(NodeProto n, ImportContext ctx, String kind) {
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.GlobalPool(kind), List.of(image(n, ctx))));
    }

    /** The default axis is 1 before opset 13 (then the input is seen as 2-D from there) and -1 since. */
    static void softmax(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        long axis = new Attributes(n).i("axis", ctx.opset(n) < 13 ? 1 : -1);
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Softmax(ctx.axis(n, x, axis, "axis")), List.of(x)));
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
