package org.pimopt.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The static shape of one sample's tensor (no batch dimension): {@code 3x224x224} for an image,
 * {@code 128x768} for a sequence of 128 tokens, {@code 1000} for logits.
 */
public record Shape(List<Integer> dims) {

    /** Largest tensor a sample may hold; beyond it a file is taken to be corrupt, not a model. */
    public static final long MAX_ELEMENTS = 1L << 40;

    public Shape {
        dims = List.copyOf(dims);
        long elements = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IrException("dimension " + d + " in shape " + format(dims) + " is not positive");
            }
            elements *= d;
            if (elements > MAX_ELEMENTS) {
                throw new IrException("shape " + format(dims) + " has more than 2^40 elements");
            }
        }
    }

    public static Shape of(int... dims) {
        List<Integer> list = new ArrayList<>(dims.length);
        for (int d : dims) {
            list.add(d);
        }
        return new Shape(list);
    }

    public int rank() {
        return dims.size();
    }

    /** Dimension {@code axis}; a negative axis counts from the end, as in ONNX and numpy. */
    public int dim(int axis) {
        return dims.get(normalizeAxis(axis));
    }

    public int last() {
        return dims.get(dims.size() - 1);
    }

    public long elements() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + rank() : axis;
        if (a < 0 || a >= rank()) {
            throw new IrException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    public Shape withDim(int axis, int size) {
        List<Integer> copy = new ArrayList<>(dims);
        copy.set(normalizeAxis(axis), size);
        return new Shape(copy);
    }

    @Override
    public String toString() {
        return format(dims);
    }

    private static String format(List<Integer> dims) {
        return dims.isEmpty() ? "scalar" : dims.stream().map(String::valueOf).collect(Collectors.joining("x"));
    }
}
