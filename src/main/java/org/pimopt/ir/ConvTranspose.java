package org.pimopt.ir;

import java.util.List;

/**
 * 2-D transposed convolution of a {@code C x H x W} input. Each input pixel's channel vector is
 * multiplied by a {@code Cin/groups x (Cout/groups * Kh * Kw)} matrix whose products are scattered
 * into the output window; so, weight-stationary, it is one MVM per input position, with rows = the
 * input channels of a group and columns = every output channel at every kernel offset. Pads are
 * removed from the full output {@code [top, left, bottom, right]}; output padding adds rows and
 * columns at the bottom and right.
 */
public record ConvTranspose(int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                            int padTop, int padLeft, int padBottom, int padRight, int outputPadH, int outputPadW,
                            int dilationH, int dilationW, int groups, boolean bias) implements WeightedOp {

    public ConvTranspose {
        if (outChannels <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0
                || dilationH <= 0 || dilationW <= 0 || groups <= 0) {
            throw new IrException("conv transpose outChannels, kernel, stride, dilation and groups must be positive");
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0 || outputPadH < 0 || outputPadW < 0) {
            throw new IrException("conv transpose pads must not be negative");
        }
        if (outChannels % groups != 0) {
            throw new IrException("conv transpose outChannels " + outChannels + " is not divisible by groups " + groups);
        }
    }

    @Override
    public String kind() {
        return "ConvTranspose";
    }

    private int inChannels(List<Shape> inputs) {
        Shape in = inputs.get(0);
        if (in.rank() != 3) {
            throw new IrException("conv transpose expects a CxHxW input, got " + in);
        }
        if (in.dim(0) % groups != 0) {
            throw new IrException("conv transpose input channels " + in.dim(0) + " are not divisible by groups " + groups);
        }
        return in.dim(0);
    }

    private static int outSize(int in, int k, int s, int padBegin, int padEnd, int outPad, int d, String what) {
        long size = (long) (in - 1) * s - padBegin - padEnd + (long) d * (k - 1) + outPad + 1;
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IrException("conv transpose " + what + " would be " + size);
        }
        return (int) size;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        inChannels(inputs);
        Shape in = inputs.get(0);
        int h = outSize(in.dim(1), kernelH, strideH, padTop, padBottom, outputPadH, dilationH, "height");
        int w = outSize(in.dim(2), kernelW, strideW, padLeft, padRight, outputPadW, dilationW, "width");
        return List.of(Shape.of(outChannels, h, w));
    }

    @Override
    public MatrixView matrix(List<Shape> inputs) {
        int cin = inChannels(inputs);
        return new MatrixView(cin / groups, outChannels / groups * kernelH * kernelW, groups);
    }

    @Override
    public long outputPositions(List<Shape> inputs) {
        Shape in = inputs.get(0);
        return (long) in.dim(1) * in.dim(2);
    }

    @Override
    public long parameters(List<Shape> inputs) {
        return matrix(inputs).weights() + (bias ? outChannels : 0);
    }
}
