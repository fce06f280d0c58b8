package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pimopt.imports.onnx.Value.Computed;
import org.pimopt.imports.onnx.Value.Const;
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
        ops.put("Max", (n, ctx) -> extremum(n, ctx, "max"));
        ops.put("Min", (n, ctx) -> extremum(n, ctx, "min"));
        Map.of("Add", "add", "Sub", "sub", "Mul", "mul", "Div", "div", "Pow", "pow")
                .forEach((type, kind) -> ops.put(type, (n, ctx) -> binary(n, ctx, kind)));
    }

    /**
     * One function applied to the first input. PRelu's slopes are a learned tensor that pimopt's
     * activation does not count (as for torchvision's models, which have none).
     */
    static void activation(NodeProto n, ImportContext ctx, String function) {
        Computed x = ctx.anyTensorIn(n, 0);
        ctx.define(n.getOutput(0), ctx.emitKeepingBatch(n, "", new VectorOp.Activation(function), List.of(x)));
    }

    /**
     * Clip to [0, 6] is ReLU6 and to [0, inf) ReLU; bounds are attributes before opset 11, inputs
     * since. A bound must be a scalar constant: one the network computes would be an input the
     * activation does not have.
     */
    static void clip(NodeProto n, ImportContext ctx) {
        Attributes a = new Attributes(n);
        Double min;
        Double max;
        if (ctx.opset(n) < 11) {
            min = a.has("min") ? (double) a.f("min", 0) : null;
            max = a.has("max") ? (double) a.f("max", 0) : null;
        } else {
            min = bound(n, ctx, 1, "min");
            max = bound(n, ctx, 2, "max");
        }
        activation(n, ctx, clipFunction(min, max));
    }

    /** The activation clipping to [min, max]; null is an absent bound, NaN a constant whose value the file omits. */
    private static String clipFunction(Double min, Double max) {
        boolean fromZero = min != null && min == 0;
        if (fromZero && max != null && max == 6) {
            return "relu6";
        }
        if (fromZero && (max == null || max == Double.POSITIVE_INFINITY)) {
            return "relu";
        }
        return "clip";
    }

    private static Double bound(NodeProto n, ImportContext ctx, int input, String what) {
        Value v = ctx.in(n, input);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Const c)) {
            throw ctx.error(n, "bound '" + what + "' (" + n.getInput(input) + ") is computed by the network;"
                    + " pimopt reads Clip with constant bounds only");
        }
        if (c.tensor().elements() != 1) {
            throw ctx.error(n, "bound '" + what + "' (" + n.getInput(input) + ") has dims " + c.tensor().dims()
                    + "; a Clip bound is a scalar");
        }
        return c.tensor().hasData() ? c.tensor().realAt(0) : Double.NaN;
    }

    /**
     * Max and Min, of any number of operands. Against a scalar constant they are an activation:
     * Max(x, 0) is ReLU, and Max(x, 0) read only by Min(., 6) is one ReLU6, as exporters write
     * ReLU6 without Clip; other bounds are a clip. Operands that are tensors (computed, or
     * constants of several elements) are combined pairwise by an element-wise max or min.
     */
    static void extremum(NodeProto n, ImportContext ctx, String kind) {
        int rank = 0;
        for (int i = 0; i < n.getInputCount(); i++) {
            if (ctx.in(n, i) instanceof Computed c) {
                rank = Math.max(rank, c.fullRank());
            }
        }
        List<Value> operands = new ArrayList<>();
        Double bound = null;
        for (int i = 0; i < n.getInputCount(); i++) {
            Value v = ctx.in(n, i);
            Double scalar = scalar(v, rank);
            if (scalar != null) {
                bound = bound == null ? scalar : kind.equals("max") ? Math.max(bound, scalar) : Math.min(bound, scalar);
            } else if (v != null) {
                operands.add(v);
            }
        }
        if (operands.isEmpty()) {
            throw ctx.error(n, "has no tensor operand" + (bound == null ? "" : ", only scalar constants"));
        }
        Value result = operands.get(0);
        for (Value next : operands.subList(1, operands.size())) {
            List<Computed> pair = ctx.broadcastOperands(n, List.of(result, next));
            result = ctx.emitKeepingBatch(n, "", new VectorOp.Eltwise(kind), pair);
        }
        if (bound == null) {
            ctx.define(n.getOutput(0), result);
            return;
        }
        Double min = kind.equals("max") ? bound : null;
        Double max = kind.equals("min") ? bound : null;
        NodeProto other = ctx.soleConsumer(n.getOutput(0));
        Double otherBound = other == null ? null : pairedBound(other, kind.equals("max") ? "Min" : "Max", rank, ctx);
        if (otherBound != null) {
            min = min == null ? otherBound : min;
            max = max == null ? otherBound : max;
        }
        String function = clipFunction(min, max);
        Computed out = ctx.emitKeepingBatch(n, operands.size() > 1 ? "/" + function : "", new VectorOp.Activation(function),
                List.of(ctx.asTensor(result)));
        ctx.define(n.getOutput(0), out);
        if (otherBound != null) {
            ctx.absorb(other, out);
        }
    }

    /** The scalar constant value of an operand that broadcasting cannot widen, or null. */
    private static Double scalar(Value v, int rank) {
        if (v instanceof Const c && c.tensor().hasData() && c.tensor().elements() == 1 && c.tensor().rank() <= rank) {
            return c.tensor().realAt(0);
        }
        return null;
    }

    /** The bound of a two-operand Max or Min of the given type that takes one scalar constant, or null. */
    private static Double pairedBound(NodeProto other, String type, int rank, ImportContext ctx) {
        if (!other.getOpType().equals(type) || !other.getDomain().isEmpty() || other.getInputCount() != 2) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            // A bound whose Constant node comes later in the graph is not known yet: no fusion then.
            Double d = ctx.hasValue(other.getInput(i)) ? scalar(ctx.value(other.getInput(i)), rank) : null;
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    static void binary(NodeProto n, ImportContext ctx, String kind) {
        if (ctx.in(n, 0) == null || ctx.in(n, 1) == null) {
            throw ctx.error(n, "needs two inputs");
        }
        List<Computed> operands = ctx.broadcastOperands(n, List.of(ctx.in(n, 0), ctx.in(n, 1)));
        ctx.define(n.getOutput(0), ctx.emitKeepingBatch(n, "", new VectorOp.Eltwise(kind), operands));
    }
}
