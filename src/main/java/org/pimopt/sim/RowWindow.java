package org.pimopt.sim;

import org.pimopt.ir.Conv;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Op;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/**
 * Output rows of a layer and the input rows each one needs, for the cross-layer schedule. A
 * tensor of shape {@code C x H x W} has H rows; any other shape is one row. Convolutions and
 * pools need the rows under their window (kernel, stride, top pad, dilation); element-wise ops
 * need the same row; everything else (fully connected, global pool, flatten, ...) needs all rows.
 */
final class RowWindow {
    private RowWindow() {}

    static int rows(Shape s) {
        return s.rank() == 3 ? s.dim(1) : 1;
    }

    /** First and last input row that output row {@code y} of {@code layer} reads from input {@code in}. */
    static int[] needs(Layer layer, int in, int y) {
        Shape input = layer.inputShapes().get(in);
        int inRows = rows(input);
        int outRows = rows(layer.outputShape());
        if (inRows == 1) {
            return new int[] {0, 0};
        }
        Op op = layer.op();
        int lo;
        int hi;
        if (op instanceof Conv c && outRows > 1) {
            lo = y * c.strideH() - c.padTop();
            hi = lo + (c.kernelH() - 1) * c.dilationH();
        } else if (op instanceof VectorOp.Pool p && outRows > 1) {
            lo = y * p.strideH() - p.padTop();
            hi = lo + p.kernelH() - 1;
        } else if (rowWise(op, input, layer.outputShape())) {
            lo = y;
            hi = y;
        } else {
            return new int[] {0, inRows - 1};
        }
        return new int[] {Math.max(0, lo), Math.min(inRows - 1, Math.max(0, hi))};
    }

    private static boolean rowWise(Op op, Shape in, Shape out) {
        if (in.rank() != 3 || out.rank() != 3 || in.dim(1) != out.dim(1)) {
            return false;
        }
        if (op instanceof VectorOp.Concat c) {
            return in.normalizeAxis(c.axis()) == 0;
        }
        return op instanceof VectorOp.Activation || op instanceof VectorOp.BatchNorm || op instanceof VectorOp.Eltwise
                || op instanceof VectorOp.Identity || op instanceof VectorOp.Lrn || op instanceof VectorOp.ChannelShuffle;
    }
}
