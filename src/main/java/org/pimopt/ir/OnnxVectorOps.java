package org.pimopt.ir;

import java.util.List;
import java.util.Set;

/**
 * The vector ops read from ONNX models: slicing, padding, resizing, gathering, table lookup and
 * reduction. They are declared here to keep {@link VectorOp}'s file short: {@code VectorOp} extends
 * this interface and so inherits its member records, which code names {@code VectorOp.Slice},
 * {@code VectorOp.Pad}, ... like the other vector ops. It declares nothing but these records and
 * their kind sets.
 */
sealed interface OnnxVectorOps permits VectorOp {

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
            return List.of(ShapeArithmetic.slice(inputs.get(0), axes, starts, ends, steps));
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
            mode = OpKinds.check(mode == null || mode.isEmpty() ? "constant" : mode, PAD_MODES, "pad");
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
            return List.of(ShapeArithmetic.pad(inputs.get(0), begins, ends));
        }
    }

    Set<String> RESIZE_MODES = Set.of("nearest", "linear", "cubic");

    /**
     * Resampling to new sizes, given either as scale factors (output = floor(input * scale), as ONNX
     * computes it) or as the output sizes themselves; one list is empty.
     */
    record Resize(String mode, List<Double> scales, List<Integer> sizes) implements VectorOp {
        public Resize {
            mode = OpKinds.check(mode == null || mode.isEmpty() ? "nearest" : mode, RESIZE_MODES, "resize");
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
            return List.of(ShapeArithmetic.resize(inputs.get(0), scales, sizes));
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
            return List.of(ShapeArithmetic.gather(inputs.get(0), axis, indexShape));
        }
    }

    /**
     * Table lookup (an embedding): rows of the first input, a table (usually a learned
     * {@link VectorOp.Parameter}), picked by the second, a tensor of indices computed by the network. The
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
            return List.of(ShapeArithmetic.embedding(inputs.get(0), inputs.get(1)));
        }
    }

    Set<String> REDUCE_KINDS = Set.of("mean", "sum", "max", "min", "prod", "l1", "l2");

    /** Reduction over axes (all when empty), keeping them as size 1 or dropping them. */
    record Reduce(String reduceKind, List<Integer> axes, boolean keepDims) implements VectorOp {
        public Reduce {
            reduceKind = OpKinds.check(reduceKind, REDUCE_KINDS, "reduce");
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
            return List.of(ShapeArithmetic.reduce(inputs.get(0), axes, keepDims));
        }

        @Override
        public long vectorOps(List<Shape> inputs, List<Shape> outputs) {
            return inputs.get(0).elements();
        }
    }
}
