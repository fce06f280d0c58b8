package org.pimopt.ir;

import java.util.List;
import java.util.Set;

/**
 * An op without stationary weights; it runs on the cores' vector units and, in a plan, rides in
 * the partition of its producer. {@link #vectorOps} is its per-sample work in elementary vector
 * operations (one per output element unless stated otherwise). The ops read from ONNX models
 * (Slice, Pad, Resize, Gather, Embedding, Reduce) are declared in {@link OnnxVectorOps} and named
 * through this interface; the shape rules of the ops that rearrange tensors are in
 * {@link ShapeArithmetic}.
 */
public sealed interface VectorOp extends Op, OnnxVectorOps
        permits VectorOp.Pool, VectorOp.GlobalPool, VectorOp.AdaptivePool, VectorOp.Activation, VectorOp.BatchNorm,
                VectorOp.LayerNorm, VectorOp.Eltwise, VectorOp.Concat, VectorOp.Split, VectorOp.Softmax,
                VectorOp.Reshape, VectorOp.Flatten, VectorOp.Transpose, VectorOp.MatMul, VectorOp.Identity,
                VectorOp.Lrn, VectorOp.ChannelShuffle, VectorOp.Parameter,
                OnnxVectorOps.Slice, OnnxVectorOps.Pad, OnnxVectorOps.Resize, OnnxVectorOps.Gather,
                OnnxVectorOps.Embedding, OnnxVectorOps.Reduce {

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

    Set<String> POOL_KINDS = Set.of("max", "avg");

    /** Max or average pooling over a window. */
    record Pool(String poolKind, int kernelH, int kernelW, int strideH, int strideW,
                int padTop, int padLeft, int padBottom, int padRight, boolean ceilMode) implements VectorOp {
        public Pool {
            poolKind = OpKinds.check(poolKind, POOL_KINDS, "pool");
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
            Shape in = ShapeArithmetic.image(inputs, "pool");
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
            poolKind = OpKinds.check(poolKind, POOL_KINDS, "global pool");
        }

        @Override
        public String kind() {
            return poolKind.equals("max") ? "GlobalMaxPool" : "GlobalAvgPool";
        }

        @Override
        public List<Shape> outputShapes(List<Shape> inputs) {
            return List.of(Shape.of(ShapeArithmetic.image(inputs, "global pool").dim(0), 1, 1));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return inputs.get(0).elements();
        }
    }

    /** Pooling to a fixed output size (torchvision's AdaptiveAvgPool2d). */
    record AdaptivePool(String poolKind, int outH, int outW) implements VectorOp {
        public AdaptivePool {
            poolKind = OpKinds.check(poolKind, POOL_KINDS, "adaptive pool");
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
            return List.of(Shape.of(ShapeArithmetic.image(inputs, "adaptive pool").dim(0), outH, outW));
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
            function = OpKinds.check(function, ACTIVATIONS, "activation");
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
            eltwiseKind = OpKinds.check(eltwiseKind, ELTWISE_KINDS, "eltwise");
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
            return List.of(ShapeArithmetic.concat(inputs, axis));
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
            return ShapeArithmetic.split(inputs.get(0), axis, sizes);
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
            return List.of(ShapeArithmetic.reshape(inputs.get(0), target));
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
            return List.of(ShapeArithmetic.flatten(inputs.get(0), axis));
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
            return List.of(ShapeArithmetic.transpose(inputs.get(0), perm));
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
            return List.of(ShapeArithmetic.matMul(inputs.get(0), inputs.get(1)));
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
}
