package org.pimopt.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An op without stationary weights; it runs on the cores' vector units and, in a plan, rides in
 * the partition of its producer. {@link #vectorOps} is its per-sample work in elementary vector
 * operations (one per output element unless stated otherwise).
 */
public sealed interface VectorOp extends Op {

    default long vectorOps(List<Shape> inputs, List<Shape> outputs) {
        return outputs.stream().mapToLong(Shape::elements).sum();
    }

    @Override
    default long parameters(List<Shape> inputs) {
        return 0;
    }

    @Override
    default int arity() {
        return 1;
    }

    /** Ops that return their input's shape. */
    private static List<Shape> same(List<Shape> inputs) {
        return List.of(inputs.get(0));
    }

    private static String checkKind(String kind, Set<String> allowed, String op) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if (!allowed.contains(k)) {
            throw new IrException(op + " kind '" + kind + "' is not one of " + allowed);
        }
        return k;
    }

    private static Shape image(List<Shape> inputs, String op) {
        Shape in = inputs.get(0);
        if (in.rank() != 3) {
            throw new IrException(op + " expects a CxHxW input, got " + in);
        }
        return in;
    }

    Set<String> POOL_KINDS = Set.of("max", "avg");

    /** Max or average pooling over a window. */
    record Pool(String poolKind, int kernelH, int kernelW, int strideH, int strideW,
                int padTop, int padLeft, int padBottom, int padRight, boolean ceilMode) implements VectorOp {
        public Pool {
            poolKind = checkKind(poolKind, POOL_KINDS, "pool");
            if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0) {
                throw new IrException("pool kernel and stride must be positive");
            }
            if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
                throw new IrException("pool pads must not be negative");
            }
        }

        public static Pool square(String kind, int kernel, int stride, int pad, boolean ceilMode) {
            return new Pool(kind, kernel, kernel, stride, stride, pad, pad, pad, pad, ceilMode);
        }

        @Override
        public String kind() {
            return poolKind.equals("max") ? "MaxPool" : "AvgPool";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = image(inputs, "pool");
            int h = Windows.outputSize(in.dim(1), kernelH, strideH, padTop, padBottom, 1, ceilMode, "pool height");
            int w = Windows.outputSize(in.dim(2), kernelW, strideW, padLeft, padRight, 1, ceilMode, "pool width");
            return List.of(Shape.of(in.dim(0), h, w));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return outputs.get(0).elements() * kernelH * kernelW;
        }
    }

    /** Pooling of each channel to one value. */
    record GlobalPool(String poolKind) implements VectorOp {
        public GlobalPool {
            poolKind = checkKind(poolKind, POOL_KINDS, "global pool");
        }

        @Override
        public String kind() {
            return poolKind.equals("max") ? "GlobalMaxPool" : "GlobalAvgPool";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return List.of(Shape.of(image(inputs, "global pool").dim(0), 1, 1));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return inputs.get(0).elements();
        }
    }

    /** Pooling to a fixed output size (torchvision's AdaptiveAvgPool2d). */
    record AdaptivePool(String poolKind, int outH, int outW) implements VectorOp {
        public AdaptivePool {
            poolKind = checkKind(poolKind, POOL_KINDS, "adaptive pool");
            if (outH <= 0 || outW <= 0) {
                throw new IrException("adaptive pool output size must be positive");
            }
        }

        @Override
        public String kind() {
            return poolKind.equals("max") ? "AdaptiveMaxPool" : "AdaptiveAvgPool";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return List.of(Shape.of(image(inputs, "adaptive pool").dim(0), outH, outW));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return Math.max(inputs.get(0).elements(), outputs.get(0).elements());
        }
    }

    Set<String> ACTIVATIONS = Set.of("relu", "relu6", "leaky_relu", "prelu", "sigmoid", "hard_sigmoid",
            "hard_swish", "tanh", "gelu", "erf", "clip", "sqrt", "silu");

    /** An element-wise function. PReLU's slopes are not counted (torchvision models have none). */
    record Activation(String function) implements VectorOp {
        public Activation {
            function = checkKind(function, ACTIVATIONS, "activation");
        }

        @Override
        public String kind() {
            return switch (function) {
                case "relu" -> "Relu";
                case "relu6" -> "Relu6";
                case "gelu" -> "Gelu";
                default -> "Act(" + function + ")";
            };
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return same(inputs);
        }
    }

    /** Batch normalization at inference: a per-channel scale and shift (channels = dimension 0). */
    record BatchNorm(boolean affine) implements VectorOp {
        @Override
        public String kind() {
            return "BatchNorm";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return same(inputs);
        }

        @Override
        public long parameters(List<Shape> inputs) {
            return affine ? 2L * inputs.get(0).dim(0) : 0;
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 2 * outputs.get(0).elements();
        }
    }

    /** Layer normalization over the last dimension. */
    record LayerNorm(boolean affine) implements VectorOp {
        @Override
        public String kind() {
            return "LayerNorm";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return same(inputs);
        }

        @Override
        public long parameters(List<Shape> inputs) {
            return affine ? 2L * inputs.get(0).last() : 0;
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 5 * outputs.get(0).elements();
        }
    }

    Set<String> ELTWISE_KINDS = Set.of("add", "sub", "mul", "div", "pow", "max", "min");

    /**
     * Element-wise binary op with numpy broadcasting (residual add, scaling, ...). Max and min are
     * here for ONNX's Max/Min of two tensors; against a scalar constant they are an activation.
     */
    record Eltwise(String eltwiseKind) implements VectorOp {
        public Eltwise {
            eltwiseKind = checkKind(eltwiseKind, ELTWISE_KINDS, "eltwise");
        }

        @Override
        public String kind() {
            return Character.toUpperCase(eltwiseKind.charAt(0)) + eltwiseKind.substring(1);
        }

        @Override
        public int arity() {
            return 2;
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return List.of(Broadcast.shapes(inputs.get(0), inputs.get(1)));
        }
    }

    /** Concatenation along an axis. */
    record Concat(int axis) implements VectorOp {
        @Override
        public String kind() {
            return "Concat";
        }

        @Override
        public int arity() {
            return -1;
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape first = inputs.get(0);
            int a = first.normalizeAxis(axis);
            int total = 0;
            for (Shape s : inputs) {
                if (s.rank() != first.rank()) {
                    throw new IrException("concat inputs " + first + " and " + s + " differ in rank");
                }
                for (int i = 0; i < s.rank(); i++) {
                    if (i != a && s.dim(i) != first.dim(i)) {
                        throw new IrException("concat inputs " + first + " and " + s + " differ off axis " + axis);
                    }
                }
                total += s.dim(a);
            }
            return List.of(first.withDim(a, total));
        }
    }

    /** Split along an axis into pieces of the given sizes; outputs are named "node:0", "node:1", ... */
    record Split(int axis, List<Integer> sizes) implements VectorOp {
        public Split {
            sizes = List.copyOf(sizes);
            if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s <= 0)) {
                throw new IrException("split sizes must be positive and not empty, got " + sizes);
            }
        }

        @Override
        public String kind() {
            return "Split";
        }

        @Override
        public int outputCount() {
            return sizes.size();
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            int a = in.normalizeAxis(axis);
            int sum = sizes.stream().mapToInt(Integer::intValue).sum();
            if (sum != in.dim(a)) {
                throw new IrException("split sizes " + sizes + " do not add up to " + in.dim(a) + " on axis " + axis);
            }
            return sizes.stream().map(s -> in.withDim(a, s)).toList();
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 0;
        }
    }

    /** Softmax along an axis. */
    record Softmax(int axis) implements VectorOp {
        @Override
        public String kind() {
            return "Softmax";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            inputs.get(0).normalizeAxis(axis);
            return same(inputs);
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 3 * outputs.get(0).elements();
        }
    }

    /** Reshape to a target; one entry may be -1 (inferred), 0 copies the input dimension. */
    record Reshape(List<Integer> target) implements VectorOp {
        public Reshape {
            target = List.copyOf(target);
            if (target.stream().filter(d -> d == -1).count() > 1 || target.stream().anyMatch(d -> d < -1)) {
                throw new IrException("reshape target " + target + " may hold one -1 and no other negative value");
            }
        }

        @Override
        public String kind() {
            return "Reshape";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            List<Integer> dims = new ArrayList<>();
            long known = 1;
            int inferred = -1;
            for (int i = 0; i < target.size(); i++) {
                int d = target.get(i);
                if (d == 0) {
                    if (i >= in.rank()) {
                        throw new IrException("reshape target " + target + " copies dimension " + i + " that " + in + " lacks");
                    }
                    d = in.dim(i);
                }
                if (d == -1) {
                    inferred = i;
                    dims.add(1);
                } else {
                    known *= d;
                    dims.add(d);
                }
            }
            if (inferred >= 0) {
                if (known == 0 || in.elements() % known != 0) {
                    throw new IrException("reshape of " + in + " to " + target + " is impossible");
                }
                dims.set(inferred, (int) (in.elements() / known));
            } else if (known != in.elements()) {
                throw new IrException("reshape of " + in + " (" + in.elements() + " elements) to " + target + " changes the element count");
            }
            return List.of(new Shape(dims));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 0;
        }
    }

    /** Flattens dimensions from {@code axis} on into one (per sample, so axis 0 gives a vector). */
    record Flatten(int axis) implements VectorOp {
        @Override
        public String kind() {
            return "Flatten";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            if (axis < 0 || axis > in.rank()) {
                throw new IrException("flatten axis " + axis + " is out of range for " + in);
            }
            List<Integer> dims = new ArrayList<>(in.dims().subList(0, axis));
            long rest = 1;
            for (int i = axis; i < in.rank(); i++) {
                rest *= in.dim(i);
            }
            dims.add((int) rest);
            return List.of(new Shape(dims));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 0;
        }
    }

    /** Permutes dimensions. */
    record Transpose(List<Integer> perm) implements VectorOp {
        public Transpose {
            perm = List.copyOf(perm);
        }

        @Override
        public String kind() {
            return "Transpose";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            if (perm.size() != in.rank() || !perm.stream().sorted().toList().equals(
                    java.util.stream.IntStream.range(0, in.rank()).boxed().toList())) {
                throw new IrException("transpose perm " + perm + " is not a permutation of " + in.rank() + " axes");
            }
            return List.of(new Shape(perm.stream().map(in::dim).toList()));
        }
    }

    /** Product of two activations (attention scores and context), numpy matmul semantics. */
    record MatMul() implements VectorOp {
        @Override
        public String kind() {
            return "MatMul";
        }

        @Override
        public int arity() {
            return 2;
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape a = inputs.get(0);
            Shape b = inputs.get(1);
            if (a.rank() < 2 || b.rank() < 2) {
                throw new IrException("matmul expects operands of rank 2 or more, got " + a + " and " + b);
            }
            if (a.last() != b.dim(-2)) {
                throw new IrException("matmul operands " + a + " and " + b + " do not agree on the inner dimension");
            }
            Shape batch = Broadcast.shapes(new Shape(a.dims().subList(0, a.rank() - 2)),
                    new Shape(b.dims().subList(0, b.rank() - 2)));
            List<Integer> dims = new ArrayList<>(batch.dims());
            dims.add(a.dim(-2));
            dims.add(b.last());
            return List.of(new Shape(dims));
        }

        /** One multiply-accumulate per inner-dimension element of every output. */
        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return outputs.get(0).elements() * inputs.get(0).last();
        }
    }

    /** Dropout at inference or an explicit identity: no work. */
    record Identity(String reason) implements VectorOp {
        @Override
        public String kind() {
            return reason == null || reason.isEmpty() ? "Identity" : reason;
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return same(inputs);
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 0;
        }
    }

    /** Local response normalization across {@code size} channels. */
    record Lrn(int size) implements VectorOp {
        @Override
        public String kind() {
            return "LRN";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return same(inputs);
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return outputs.get(0).elements() * Math.max(1, size);
        }
    }

    /** Channel shuffle of ShuffleNet: a permutation of channels. */
    record ChannelShuffle(int groups) implements VectorOp {
        @Override
        public String kind() {
            return "ChannelShuffle";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            if (groups <= 0 || in.dim(0) % groups != 0) {
                throw new IrException("channel shuffle groups " + groups + " do not divide " + in.dim(0) + " channels");
            }
            return same(inputs);
        }
    }

    /**
     * A tensor that is part of the model: learned (class token, position embedding; counted as
     * parameters) or a fixed constant (a scale; not counted). It takes no input.
     */
    record Parameter(ShapeSpec shape, boolean learned) implements VectorOp {
        @Override
        public String kind() {
            return learned ? "Parameter" : "Constant";
        }

        @Override
        public int arity() {
            return 0;
        }

        /** A parameter's shape is bound by {@link Network}; here it must already be concrete. */
        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return List.of(shape.bind(java.util.Map.of(), "parameter"));
        }

        @Override
        public long parameters(List<Shape> inputs) {
            return learned ? outputShapes(inputs).get(0).elements() : 0;
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 0;
        }
    }

    // ----- Ops read from ONNX models (Slice, Pad, Resize, Gather, Embedding, Reduce) -----

    /**
     * A strided slice, ONNX semantics: per listed axis, {@code start} and {@code end} count from the
     * end when negative and are clamped to the axis; a negative step walks backwards. Empty axes mean
     * the first {@code starts.size()} axes; empty steps mean 1.
     */
    record Slice(List<Integer> axes, List<Integer> starts, List<Integer> ends, List<Integer> steps) implements VectorOp {
        public Slice {
            axes = List.copyOf(axes);
            starts = List.copyOf(starts);
            ends = List.copyOf(ends);
            steps = List.copyOf(steps);
            if (starts.isEmpty() || ends.size() != starts.size()
                    || (!axes.isEmpty() && axes.size() != starts.size())
                    || (!steps.isEmpty() && steps.size() != starts.size())) {
                throw new IrException("slice needs as many starts, ends (and axes, steps if given) as it slices, got starts "
                        + starts + ", ends " + ends + ", axes " + axes + ", steps " + steps);
            }
            if (steps.contains(0)) {
                throw new IrException("slice steps must not be 0");
            }
        }

        @Override
        public String kind() {
            return "Slice";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            List<Integer> dims = new ArrayList<>(in.dims());
            Set<Integer> seen = new java.util.HashSet<>();
            for (int i = 0; i < starts.size(); i++) {
                int axis = in.normalizeAxis(axes.isEmpty() ? i : axes.get(i));
                if (!seen.add(axis)) {
                    throw new IrException("slice names axis " + axis + " twice");
                }
                long size = sliceLength(in.dim(axis), starts.get(i), ends.get(i), steps.isEmpty() ? 1 : steps.get(i));
                if (size <= 0) {
                    throw new IrException("slice " + starts.get(i) + ":" + ends.get(i) + " of axis " + axis + " of " + in + " is empty");
                }
                dims.set(axis, (int) size);
            }
            return List.of(new Shape(dims));
        }

        /** Elements a slice keeps along an axis of {@code dim} (ONNX's clamping rules). */
        static long sliceLength(int dim, long start, long end, long step) {
            start = start < 0 ? start + dim : start;
            end = end < 0 ? end + dim : end;
            if (step > 0) {
                start = Math.max(0, Math.min(dim, start));
                end = Math.max(0, Math.min(dim, end));
                return Math.max(0, (end - start + step - 1) / step);
            }
            start = Math.max(-1, Math.min(dim - 1, start));
            end = Math.max(-1, Math.min(dim - 1, end));
            return Math.max(0, (start - end + (-step) - 1) / (-step));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return 0;
        }
    }

    Set<String> PAD_MODES = Set.of("constant", "reflect", "edge", "wrap");

    /** Padding (or, with negative amounts, cropping) of each dimension at its beginning and end. */
    record Pad(String mode, List<Integer> begins, List<Integer> ends) implements VectorOp {
        public Pad {
            mode = checkKind(mode == null || mode.isEmpty() ? "constant" : mode, PAD_MODES, "pad");
            begins = List.copyOf(begins);
            ends = List.copyOf(ends);
            if (begins.size() != ends.size()) {
                throw new IrException("pad begins " + begins + " and ends " + ends + " differ in length");
            }
        }

        @Override
        public String kind() {
            return "Pad";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            if (begins.size() != in.rank()) {
                throw new IrException("pad gives " + begins.size() + " dimensions for a " + in + " input");
            }
            List<Integer> dims = new ArrayList<>();
            for (int i = 0; i < in.rank(); i++) {
                long d = (long) in.dim(i) + begins.get(i) + ends.get(i);
                if (d <= 0 || d > Integer.MAX_VALUE) {
                    throw new IrException("pad of " + in + " by " + begins + "/" + ends + " gives dimension " + d);
                }
                dims.add((int) d);
            }
            return List.of(new Shape(dims));
        }
    }

    Set<String> RESIZE_MODES = Set.of("nearest", "linear", "cubic");

    /**
     * Resampling to new sizes, given either as scale factors (output = floor(input * scale), as ONNX
     * computes it) or as the output sizes themselves; one list is empty.
     */
    record Resize(String mode, List<Double> scales, List<Integer> sizes) implements VectorOp {
        public Resize {
            mode = checkKind(mode == null || mode.isEmpty() ? "nearest" : mode, RESIZE_MODES, "resize");
            scales = List.copyOf(scales);
            sizes = List.copyOf(sizes);
            if (scales.isEmpty() == sizes.isEmpty()) {
                throw new IrException("resize takes either scales or sizes, got scales " + scales + " and sizes " + sizes);
            }
            if (scales.stream().anyMatch(s -> !(s > 0) || s.isInfinite()) || sizes.stream().anyMatch(s -> s <= 0)) {
                throw new IrException("resize scales and sizes must be positive, got " + scales + " / " + sizes);
            }
        }

        @Override
        public String kind() {
            return "Resize";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            if (!sizes.isEmpty()) {
                if (sizes.size() != in.rank()) {
                    throw new IrException("resize gives " + sizes.size() + " sizes for a " + in + " input");
                }
                return List.of(new Shape(sizes));
            }
            if (scales.size() != in.rank()) {
                throw new IrException("resize gives " + scales.size() + " scales for a " + in + " input");
            }
            List<Integer> dims = new ArrayList<>();
            for (int i = 0; i < in.rank(); i++) {
                double d = Math.floor(in.dim(i) * scales.get(i));
                if (d < 1 || d > Integer.MAX_VALUE) {
                    throw new IrException("resize of " + in + " by " + scales + " gives dimension " + d);
                }
                dims.add((int) d);
            }
            return List.of(new Shape(dims));
        }

        /** Input samples read per output element: 1 nearest, 4 bilinear, 16 bicubic. */
        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            int taps = switch (mode) {
                case "linear" -> 4;
                case "cubic" -> 16;
                default -> 1;
            };
            return outputs.get(0).elements() * taps;
        }
    }

    /**
     * Picks entries along {@code axis} with a fixed tensor of indices of shape {@code indexShape}:
     * the output is the input with that axis replaced by the index shape (a scalar index, empty
     * shape, removes the axis: BERT's first-token pooling).
     */
    record Gather(int axis, List<Integer> indexShape) implements VectorOp {
        public Gather {
            indexShape = List.copyOf(indexShape);
            if (indexShape.stream().anyMatch(d -> d <= 0)) {
                throw new IrException("gather index shape " + indexShape + " must be positive");
            }
        }

        @Override
        public String kind() {
            return "Gather";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            int a = in.normalizeAxis(axis);
            List<Integer> dims = new ArrayList<>(in.dims().subList(0, a));
            dims.addAll(indexShape);
            dims.addAll(in.dims().subList(a + 1, in.rank()));
            return List.of(new Shape(dims));
        }
    }

    /**
     * Table lookup (an embedding): rows of the first input, a table (usually a learned
     * {@link Parameter}), picked by the second, a tensor of indices computed by the network. The
     * output is the indices' shape followed by a row's shape.
     */
    record Embedding() implements VectorOp {
        @Override
        public String kind() {
            return "Embedding";
        }

        @Override
        public int arity() {
            return 2;
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape table = inputs.get(0);
            Shape indices = inputs.get(1);
            if (table.rank() < 1) {
                throw new IrException("embedding table must have at least one dimension");
            }
            List<Integer> dims = new ArrayList<>(indices.dims());
            dims.addAll(table.dims().subList(1, table.rank()));
            return List.of(new Shape(dims));
        }
    }

    Set<String> REDUCE_KINDS = Set.of("mean", "sum", "max", "min", "prod", "l1", "l2");

    /** Reduction over axes (all when empty), keeping them as size 1 or dropping them. */
    record Reduce(String reduceKind, List<Integer> axes, boolean keepDims) implements VectorOp {
        public Reduce {
            reduceKind = checkKind(reduceKind, REDUCE_KINDS, "reduce");
            axes = List.copyOf(axes);
        }

        @Override
        public String kind() {
            return "Reduce" + switch (reduceKind) {
                case "l1" -> "L1";
                case "l2" -> "L2";
                default -> Character.toUpperCase(reduceKind.charAt(0)) + reduceKind.substring(1);
            };
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            Shape in = inputs.get(0);
            Set<Integer> reduced = new java.util.HashSet<>();
            if (axes.isEmpty()) {
                for (int i = 0; i < in.rank(); i++) {
                    reduced.add(i);
                }
            }
            for (int a : axes) {
                if (!reduced.add(in.normalizeAxis(a))) {
                    throw new IrException("reduce names axis " + a + " twice");
                }
            }
            List<Integer> dims = new ArrayList<>();
            for (int i = 0; i < in.rank(); i++) {
                if (!reduced.contains(i)) {
                    dims.add(in.dim(i));
                } else if (keepDims) {
                    dims.add(1);
                }
            }
            return List.of(new Shape(dims));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return inputs.get(0).elements();
        }
    }
}
