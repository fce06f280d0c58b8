package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.Map;
import org.pimopt.imports.onnx.Value.Computed;
import org.pimopt.ir.VectorOp;

/** Element-wise functions and binary arithmetic. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static void register(Map<String, Converter> ops) {
        Map.of("Relu", "relu", "Sigmoid", "sigmoid", "Tanh", "tanh", "HardSigmoid", "hard_sigmoid",
                        "HardSwish", "hard_swish", "Gelu", "gelu", "Erf", "erf", "Sqrt", "sqrt",
                        "LeakyRelu", "leaky_relu", "PRelu", "prelu")
                .forEach((type, function) -> ops.put(type, (n, ctx) -> activation(n, ctx, function)));
        ops.put("Clip", ElementwiseOps::clip);
        Map.of("Add", "add", "Sub", "sub", "Mul", "mul", "Div", "div", "Pow", "pow")
                .forEach((type, kind) -> ops.put(type, (n, ctx) -> binary(n, ctx, kind)));
    }

    /**
     * One function applied to the first input. PRelu's slopes are a learned tensor that pimopt's
     * activation does not count (as for torchvision's models, which have none).
     */
    static void activation(NodeProto n, ImportContext ctx, String function) {
        Computed x = ctx.tensorIn(n, 0);
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Activation(function), List.of(x)));
    }

    /** Clip to [0, 6] is ReLU6 and to [0, inf) ReLU; bounds are attributes before opset 11, inputs since. */
    static void clip(NodeProto n, ImportContext ctx) {
        Attributes a = new Attributes(n);
        Double min;
        Double max;
        if (ctx.opset(n) < 11) {
            min = a.has("min") ? (double) a.f("min", 0) : null;
            max = a.has("max") ? (double) a.f("max", 0) : null;
        } else {
            min = bound(n, ctx, 1);
            max = bound(n, ctx, 2);
        }
        String function = "clip";
        if (min != null && min == 0 && max != null && max == 6) {
            function = "relu6";
        } else if (min != null && min == 0 && (max == null || Double.isInfinite(max))) {
            function = "relu";
        }
        activation(n, ctx, function);
    }

    private static Double bound(NodeProto n, ImportContext ctx, int input) {
        if (!(ctx.in(n, input) instanceof Value.Const c) || !c.tensor().hasData() || c.tensor().elements() != 1) {
            return null;
        }
        return c.tensor().realAt(0);
    }

    static void binary(NodeProto n, ImportContext ctx, String kind) {
        if (ctx.in(n, 0) == null || ctx.in(n, 1) == null) {
            throw ctx.error(n, "needs two inputs");
        }
        List<Computed> operands = ctx.broadcastOperands(n, List.of(ctx.in(n, 0), ctx.in(n, 1)));
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Eltwise(kind), operands));
    }
}
