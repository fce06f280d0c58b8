package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.pimopt.imports.onnx.ConstTensor.Kind;

/**
 * The element-wise arithmetic {@link ConstantFolder} does on a node's constant inputs, with numpy
 * broadcasting: binary operators, comparisons and logic, unary functions, and Where. Each returns
 * null when it does not fold (an input without values, or a result too large to hold).
 */
final class ConstantArithmetic {
    private final NodeProto node;
    private final List<ConstTensor> in;

    /** Arithmetic on {@code node}'s inputs {@code in} (null for absent optional ones). */
    ConstantArithmetic(NodeProto node, List<ConstTensor> in) {
        this.node = node;
        this.in = in;
    }

    private String outName() {
        return node.getOutput(0);
    }

    private boolean allData() {
        return in.stream().allMatch(t -> t == null || t.hasData());
    }

    /** Index into an operand of dims {@code dims} for output position {@code flat} of {@code out}. */
    static int sourceIndex(long flat, List<Long> out, List<Long> dims) {
        long index = 0;
        long stride = 1;
        int offset = out.size() - dims.size();
        for (int i = out.size() - 1; i >= 0; i--) {
            long coord = flat % out.get(i);
            flat /= out.get(i);
            int j = i - offset;
            if (j >= 0) {
                long d = dims.get(j);
                index += (d == 1 ? 0 : coord) * stride;
                stride *= d;
            }
        }
        return (int) index;
    }

    /** The inputs' dims broadcast together. */
    private List<Long> broadcastDims() {
        List<List<Long>> shapes = new ArrayList<>();
        for (ConstTensor t : in) {
            shapes.add(t.dims());
        }
        return ShapeMath.broadcast(shapes);
    }

    /** {@code real}, or {@code integer} when both inputs are integers; a weight without values times a constant keeps its dims. */
    ConstTensor binary(DoubleBinaryOperator real, LongBinaryOperator integer) {
        if (in.size() != 2 || in.get(0) == null || in.get(1) == null) {
            return null;
        }
        List<Long> out = broadcastDims();
        if (!allData()) {
            // A weight scaled by a constant (a folded normalization) keeps its dims and its name.
            for (ConstTensor t : in) {
                if (!t.hasData() && t.dims().equals(out)) {
                    return t.withoutData(t.name(), out);
                }
            }
            return null;
        }
        long n = ShapeMath.product(out);
        ConstTensor a = in.get(0);
        ConstTensor b = in.get(1);
        if (a.kind() == Kind.INT && b.kind() == Kind.INT) {
            if (n > ConstTensor.MAX_INT_VALUES) {
                return null;
            }
            long[] v = new long[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = integer.applyAsLong(a.intAt(sourceIndex(i, out, a.dims())), b.intAt(sourceIndex(i, out, b.dims())));
            }
            return ConstTensor.ofInts(outName(), out, v);
        }
        if (n > ConstTensor.MAX_REAL_VALUES) {
            return null;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = real.applyAsDouble(a.realAt(sourceIndex(i, out, a.dims())), b.realAt(sourceIndex(i, out, b.dims())));
        }
        return ConstTensor.ofReals(outName(), out, v);
    }

    /** 1 where {@code test} holds of the two inputs, 0 elsewhere. */
    ConstTensor compare(DoubleBinaryOperator test) {
        if (in.size() != 2 || in.get(0) == null || in.get(1) == null || !allData()) {
            return null;
        }
        List<Long> out = broadcastDims();
        long n = ShapeMath.product(out);
        if (n > ConstTensor.MAX_INT_VALUES) {
            return null;
        }
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = (long) test.applyAsDouble(in.get(0).realAt(sourceIndex(i, out, in.get(0).dims())),
                    in.get(1).realAt(sourceIndex(i, out, in.get(1).dims())));
        }
        return ConstTensor.ofInts(outName(), out, v);
    }

    /** {@code f} of each element of {@code x}; integers stay integers, except under Sqrt and Reciprocal. */
    ConstTensor unary(ConstTensor x, DoubleUnaryOperator f) {
        if (!x.hasData()) {
            return null;
        }
        int n = (int) x.elements();
        if (x.kind() == Kind.INT && !node.getOpType().equals("Sqrt") && !node.getOpType().equals("Reciprocal")) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = (long) f.applyAsDouble(x.intAt(i));
            }
            return ConstTensor.ofInts(outName(), x.dims(), v);
        }
        if (n > ConstTensor.MAX_REAL_VALUES) {
            return null;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.applyAsDouble(x.realAt(i));
        }
        return ConstTensor.ofReals(outName(), x.dims(), v);
    }

    /** {@code f} of each integer of {@code x}. */
    ConstTensor unaryInt(ConstTensor x, LongUnaryOperator f) {
        if (!x.hasData()) {
            return null;
        }
        long[] v = new long[(int) x.elements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsLong(x.intAt(i));
        }
        return ConstTensor.ofInts(outName(), x.dims(), v);
    }

    /** Input 1 where input 0 is not 0, input 2 elsewhere. */
    ConstTensor where() {
        if (in.size() != 3 || in.contains(null) || !allData()) {
            return null;
        }
        List<Long> out = broadcastDims();
        long n = ShapeMath.product(out);
        ConstTensor c = in.get(0);
        ConstTensor a = in.get(1);
        ConstTensor b = in.get(2);
        boolean integer = a.kind() == Kind.INT && b.kind() == Kind.INT;
        if (n > (integer ? ConstTensor.MAX_INT_VALUES : ConstTensor.MAX_REAL_VALUES)) {
            return null;
        }
        long[] iv = integer ? new long[(int) n] : null;
        double[] rv = integer ? null : new double[(int) n];
        for (int i = 0; i < n; i++) {
            boolean pick = c.intAt(sourceIndex(i, out, c.dims())) != 0;
            ConstTensor src = pick ? a : b;
            int j = sourceIndex(i, out, src.dims());
            if (integer) {
                iv[i] = src.intAt(j);
            } else {
                rv[i] = src.realAt(j);
            }
        }
        return integer ? ConstTensor.ofInts(outName(), out, iv) : ConstTensor.ofReals(outName(), out, rv);
    }
}
