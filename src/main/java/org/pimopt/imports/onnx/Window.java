package org.pimopt.imports.onnx;

import java.util.List;

/**
 * The sliding-window attributes of a 2-D Conv, ConvTranspose or pooling node, with ONNX's defaults
 * and auto_pad resolved into explicit pads {@code top, left, bottom, right}; a 1-D window is the
 * height-1 case.
 */
record Window(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
              int padTop, int padLeft, int padBottom, int padRight) {

    /** Reads strides, dilations and pads for a kernel of {@code kh x kw} over an {@code inH x inW} input. */
    static Window of(Attributes a, int kh, int kw, int inH, int inW) {
        int[] s = pair(a.ints("strides").orElse(List.of()), "strides");
        int[] d = pair(a.ints("dilations").orElse(List.of()), "dilations");
        String autoPad = a.s("auto_pad", "NOTSET");
        int[] pads = switch (autoPad) {
            case "NOTSET", "" -> explicit(a.ints("pads").orElse(List.of()));
            case "VALID" -> new int[4];
            case "SAME_UPPER", "SAME_LOWER" -> {
                boolean upper = autoPad.equals("SAME_UPPER");
                int[] h = same(inH, kh, s[0], d[0], upper);
                int[] w = same(inW, kw, s[1], d[1], upper);
                yield new int[] {h[0], w[0], h[1], w[1]};
            }
            default -> throw new IllegalArgumentException("auto_pad '" + autoPad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        };
        return new Window(kh, kw, s[0], s[1], d[0], d[1], pads[0], pads[1], pads[2], pads[3]);
    }

    /**
     * The window of a 1-D Conv or pooling over a length-{@code inL} input, as the height-1 2-D
     * window pimopt runs it as: strides, dilations and pads of one axis, SAME padding resolved.
     */
    static Window of1d(Attributes a, int k, int inL) {
        int s = single(a.ints("strides").orElse(List.of()), "strides");
        int d = single(a.ints("dilations").orElse(List.of()), "dilations");
        String autoPad = a.s("auto_pad", "NOTSET");
        int[] pads = switch (autoPad) {
            case "NOTSET", "" -> {
                List<Long> p = a.ints("pads").orElse(List.of());
                if (!p.isEmpty() && p.size() != 2) {
                    throw new IllegalArgumentException("pads " + p + " is not 1-D (expected 2 values)");
                }
                yield p.isEmpty() ? new int[2] : new int[] {toInt(p.get(0), "pads"), toInt(p.get(1), "pads")};
            }
            case "VALID" -> new int[2];
            case "SAME_UPPER", "SAME_LOWER" -> same(inL, k, s, d, autoPad.equals("SAME_UPPER"));
            default -> throw new IllegalArgumentException("auto_pad '" + autoPad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        };
        return new Window(1, k, 1, s, 1, d, 0, pads[0], 0, pads[1]);
    }

    /** A 1-D attribute with default 1. */
    static int single(List<Long> values, String what) {
        if (values.isEmpty()) {
            return 1;
        }
        if (values.size() != 1) {
            throw new IllegalArgumentException(what + " " + values + " is not 1-D, as the input is");
        }
        return toInt(values.get(0), what);
    }

    /** A 2-D attribute with default 1. */
    static int[] pair(List<Long> values, String what) {
        if (values.isEmpty()) {
            return new int[] {1, 1};
        }
        if (values.size() != 2) {
            throw new IllegalArgumentException(what + " " + values + " is not 2-D; pimopt handles 2-D windows only");
        }
        return new int[] {toInt(values.get(0), what), toInt(values.get(1), what)};
    }

    /** A 2-D attribute with default 0 (output_padding). */
    static int[] explicitPair(List<Long> values, String what) {
        return values.isEmpty() ? new int[2] : pair(values, what);
    }

    static int[] explicit(List<Long> pads) {
        if (pads.isEmpty()) {
            return new int[4];
        }
        if (pads.size() != 4) {
            throw new IllegalArgumentException("pads " + pads + " is not 2-D (expected 4 values)");
        }
        int[] p = new int[4];
        for (int i = 0; i < 4; i++) {
            p[i] = toInt(pads.get(i), "pads");
        }
        return p;
    }

    /** SAME padding: output = ceil(input / stride); the odd pixel goes to the end (UPPER) or start. */
    private static int[] same(int in, int k, int s, int d, boolean upper) {
        long out = (in + (long) s - 1) / s;
        long total = Math.max(0, (out - 1) * s + (long) (k - 1) * d + 1 - in);
        int small = (int) (total / 2);
        int large = (int) (total - small);
        return upper ? new int[] {small, large} : new int[] {large, small};
    }

    static int toInt(long v, String what) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " value " + v + " is out of range");
        }
        return (int) v;
    }
}
