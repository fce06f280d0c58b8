package org.pimopt.ir;

import java.util.List;

/** An op whose weights stay in crossbars: each output position is one matrix-vector multiply. */
public sealed interface WeightedOp extends Op permits Conv, Linear, ConvTranspose {

    MatrixView matrix(List<Shape> inputs);

    /** Matrix-vector multiplies per sample: output pixels of a conv, tokens of a linear layer. */
    long outputPositions(List<Shape> inputs);

    /** Multiply-accumulates per sample. */
    default long macs(List<Shape> inputs) {
        return outputPositions(inputs) * matrix(inputs).weights();
    }

    @Override
    default int arity() {
        return 1;
    }
}
