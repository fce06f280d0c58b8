package org.pimopt.ir;

import java.util.List;

/** A node of a concrete {@link Network}, with the shapes of its inputs and outputs. */
public record Layer(int index, Node node, List<Shape> inputShapes, List<Shape> outputShapes) {

    public Layer {
        inputShapes = List.copyOf(inputShapes);
        outputShapes = List.copyOf(outputShapes);
    }

    public String name() {
        return node.name();
    }

    public Op op() {
        return node.op();
    }

    public boolean isWeighted() {
        return node.op() instanceof WeightedOp;
    }

    /** The weight-stationary matrix; only for weighted layers. */
    public MatrixView matrix() {
        return weighted().matrix(inputShapes);
    }

    /** Matrix-vector multiplies per sample; only for weighted layers. */
    public long outputPositions() {
        return weighted().outputPositions(inputShapes);
    }

    public long macs() {
        return isWeighted() ? weighted().macs(inputShapes) : 0;
    }

    public long parameters() {
        return node.op().parameters(inputShapes);
    }

    public long vectorOps() {
        return node.op() instanceof VectorOp v ? v.vectorOps(inputShapes, outputShapes) : 0;
    }

    public Shape outputShape() {
        return outputShapes.get(0);
    }

    private WeightedOp weighted() {
        if (node.op() instanceof WeightedOp w) {
            return w;
        }
        throw new IllegalStateException(node.name() + " is not a weighted layer");
    }
}
