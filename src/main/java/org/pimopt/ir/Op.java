package org.pimopt.ir;

import java.util.List;

/**
 * What a node computes. Weighted ops hold a weight matrix that is programmed into crossbars;
 * vector ops run on the cores' vector units. Every op knows its output shapes, its parameter
 * count and its work from the shapes of its inputs; shapes are per sample.
 */
public sealed interface Op permits WeightedOp, VectorOp {

    /** Short name of the operation as shown in tables: "Conv", "Linear", "MaxPool", ... */
    String kind();

    /** How many inputs the op takes; {@code -1} for any number of at least one. */
    int arity();

    /** Output shapes for these input shapes; throws {@link IrException} without the node name. */
    List<Shape> outputShapes(List<Shape> inputs);

    /** Learned parameters (weights, biases, normalization affine), as torchvision counts them. */
    long parameters(List<Shape> inputs);

    /** Number of outputs; only a split has more than one. */
    default int outputCount() {
        return 1;
    }
}
