package org.pimopt.ir;

import java.util.List;

/**
 * 2-D convolution of a {@code C x H x W} input. Pads are {@code top, left, bottom, right}.
 */
public record Conv(int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                   int padTop, int padLeft, int padBottom, int padRight,
                   int dilationH, int dilationW, int groups, boolean bias) implements WeightedOp {

    public Conv {
        positive("outChannels", outChannels);
        positive("kernel", kernelH);
        positive("kernel", kernelW);
        positive("stride", strideH);
        positive("stride", strideW);
        positive("dilation", dilationH);
        positive("dilation", dilationW);
        positive("groups", groups);
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IrException("conv pads must not be negative");
        }
        if (outChannels % groups != 0) {
            throw new IrException("conv outChannels " + outChannels + " is not divisible by groups " + groups);
        }
    }

    /** A square kernel with the same stride and symmetric padding on every side. */
    public static Conv square(int outChannels, int kernel, int stride, int pad, int groups, boolean bias) {
        return new Conv(outChannels, kernel, kernel, stride, stride, pad, pad, pad, pad, 1, 1, groups, bias);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IrException("conv " + field + " must be positive, got " + value);
        }
    }

    @Override
    public String kind() {
        return groups == 1 ? "Conv" : "GroupConv";
    }

    private int inChannels(List<Shape> inputs) {
        Shape in = inputs.get(0);
        if (in.rank() != 3) {
            throw new IrException("conv expects a CxHxW input, got " + in);
        }
        int c = in.dim(0);
        if (c % groups != 0) {
            throw new IrException("conv input channels " + c + " are not divisible by groups " + groups);
        }
        return c;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        inChannels(inputs);
        Shape in = inputs.get(0);
        int h = Windows.outputSize(in.dim(1), kernelH, strideH, padTop, padBottom, dilationH, false, "conv height");
        int w = Windows.outputSize(in.dim(2), kernelW, strideW, padLeft, padRight, dilationW, false, "conv width");
        return List.of(Shape.of(outChannels, h, w));
    }

    @Override
    public MatrixView matrix(List<Shape> inputs) {
        int cin = inChannels(inputs);
        return new MatrixView(kernelH * kernelW * (cin / groups), outChannels / groups, groups);
    }

    @Override
    public long outputPositions(List<Shape> inputs) {
        Shape out = outputShapes(inputs).get(0);
        return (long) out.dim(1) * out.dim(2);
    }

    @Override
    public long parameters(List<Shape> inputs) {
        return matrix(inputs).weights() + (bias ? outChannels : 0);
    }
}
