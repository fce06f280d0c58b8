package org.pimopt.ir;

/** Sliding-window arithmetic shared by convolution and pooling. */
final class Windows {
    private Windows() {}

    /**
     * Output length of a window of {@code kernel} (dilated) sliding by {@code stride} over
     * {@code size} padded by {@code padBegin + padEnd}. With {@code ceil}, a last partial window is
     * kept unless it would start inside the end padding (PyTorch and ONNX agree on this rule).
     */
    static int outputSize(int size, int kernel, int stride, int padBegin, int padEnd, int dilation,
                          boolean ceil, String what) {
        long span = (long) dilation * (kernel - 1) + 1;
        long padded = (long) size + padBegin + padEnd;
        if (padded < span) {
            throw new IrException(what + ": window of " + span + " does not fit in " + padded);
        }
        long out;
        if (ceil) {
            out = (padded - span + stride - 1) / stride + 1;
            if ((out - 1) * stride >= size + padBegin) {
                out--;
            }
        } else {
            out = (padded - span) / stride + 1;
        }
        return (int) out;
    }
}
