package org.pimopt.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected layer on the last dimension (Gemm, or MatMul with a constant weight operand):
 * {@code ... x K -> ... x N}. Every vector along the last dimension is one matrix-vector multiply.
 */
public record Linear(int outFeatures, boolean bias) implements WeightedOp {

    public Linear {
        if (outFeatures <= 0) {
            throw new IrException("linear outFeatures must be positive, got " + outFeatures);
        }
    }

    @Override
    public String kind() {
        return "Linear";
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Shape in = inputs.get(0);
        if (in.rank() < 1) {
            throw new IrException("linear expects at least one dimension");
        }
        List<Integer> dims = new ArrayList<>(in.dims());
        dims.set(dims.size() - 1, outFeatures);
        return List.of(new Shape(dims));
    }

    @Override
    public MatrixView matrix(List<Shape> inputs) {
        return new MatrixView(inputs.get(0).last(), outFeatures, 1);
    }

    @Override
    public long outputPositions(List<Shape> inputs) {
        Shape in = inputs.get(0);
        return in.elements() / in.last();
    }

    @Override
    public long parameters(List<Shape> inputs) {
        return matrix(inputs).weights() + (bias ? outFeatures : 0);
    }
}
