package org.pimopt.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How the vector ops that rearrange or resize a tensor compute their output shapes, and the
 * checks that reject an input they cannot take. {@link VectorOp} states what each op is and
 * costs; its records call here for the shape, so each rule is written once, next to its kin.
 */
final class ShapeArithmetic {
    private ShapeArithmetic() {}

    /** The input of an op that expects an image (CxHxW). */
    static Shape image(List<Shape> inputs, String op) {
        Shape in = inputs.get(0);
        if (in.rank() != 3) {
            throw new IrException(op + " expects a CxHxW input, got " + in);
        }
        return in;
    }

    /** Concatenation of {@code inputs} along {@code axis}: they agree off it, and it adds up. */
    static Shape concat(List<Shape> inputs, int axis) {
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
        return first.withDim(a, total);
    }

    /** The pieces of {@code in} split along {@code axis} into {@code sizes}, which must add up to it. */
    static List<Shape> split(Shape in, int axis, List<Integer> sizes) {
        int a = in.normalizeAxis(axis);
        int sum = sizes.stream().mapToInt(Integer::intValue).sum();
        if (sum != in.dim(a)) {
            throw new IrException("split sizes " + sizes + " do not add up to " + in.dim(a) + " on axis " + axis);
        }
        return sizes.stream().map(s -> in.withDim(a, s)).toList();
    }

    /** {@code in} reshaped to {@code target}: one -1 is inferred, a 0 copies the input's dimension. */
    static Shape reshape(Shape in, List<Integer> target) {
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
        return new Shape(dims);
    }

    /** {@code in} with its dimensions from {@code axis} on flattened into one. */
    static Shape flatten(Shape in, int axis) {
        if (axis < 0 || axis > in.rank()) {
            throw new IrException("flatten axis " + axis + " is out of range for " + in);
        }
        List<Integer> dims = new ArrayList<>(in.dims().subList(0, axis));
        long rest = 1;
        for (int i = axis; i < in.rank(); i++) {
            rest *= in.dim(i);
        }
        dims.add((int) rest);
        return new Shape(dims);
    }

    /** {@code in} with its dimensions permuted by {@code perm}. */
    static Shape transpose(Shape in, List<Integer> perm) {
        if (perm.size() != in.rank() || !perm.stream().sorted().toList().equals(
                IntStream.range(0, in.rank()).boxed().toList())) {
            throw new IrException("transpose perm " + perm + " is not a permutation of " + in.rank() + " axes");
        }
        return new Shape(perm.stream().map(in::dim).toList());
    }

    /** The product of {@code a} and {@code b} under numpy's matmul: batch dimensions broadcast. */
    static Shape matMul(Shape a, Shape b) {
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
        return new Shape(dims);
    }

    /** {@code in} sliced as {@link VectorOp.Slice} states; no axis may come out empty. */
    static Shape slice(Shape in, List<Integer> axes, List<Integer> starts, List<Integer> ends, List<Integer> steps) {
        List<Integer> dims = new ArrayList<>(in.dims());
        Set<Integer> seen = new HashSet<>();
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
        return new Shape(dims);
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

    /** {@code in} grown by {@code begins} and {@code ends} per dimension (shrunk where negative). */
    static Shape pad(Shape in, List<Integer> begins, List<Integer> ends) {
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
        return new Shape(dims);
    }

    /** {@code in} resampled to {@code sizes}, or else by {@code scales} (floor of dimension times scale). */
    static Shape resize(Shape in, List<Double> scales, List<Integer> sizes) {
        if (!sizes.isEmpty()) {
            if (sizes.size() != in.rank()) {
                throw new IrException("resize gives " + sizes.size() + " sizes for a " + in + " input");
            }
            return new Shape(sizes);
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
        return new Shape(dims);
    }

    /** {@code in} with {@code axis} replaced by {@code indexShape}. */
    static Shape gather(Shape in, int axis, List<Integer> indexShape) {
        int a = in.normalizeAxis(axis);
        List<Integer> dims = new ArrayList<>(in.dims().subList(0, a));
        dims.addAll(indexShape);
        dims.addAll(in.dims().subList(a + 1, in.rank()));
        return new Shape(dims);
    }

    /** Rows of {@code table} picked by {@code indices}: the indices' shape, then a row's. */
    static Shape embedding(Shape table, Shape indices) {
        if (table.rank() < 1) {
            throw new IrException("embedding table must have at least one dimension");
        }
        List<Integer> dims = new ArrayList<>(indices.dims());
        dims.addAll(table.dims().subList(1, table.rank()));
        return new Shape(dims);
    }

    /** {@code in} reduced over {@code axes} (all when empty), kept as size 1 or dropped. */
    static Shape reduce(Shape in, List<Integer> axes, boolean keepDims) {
        Set<Integer> reduced = new HashSet<>();
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
        return new Shape(dims);
    }
}
