package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.Map;
import org.pimopt.imports.onnx.Value.Computed;
import org.pimopt.imports.onnx.Value.Const;
import org.pimopt.ir.Conv;
import org.pimopt.ir.ConvTranspose;
import org.pimopt.ir.Linear;
import org.pimopt.ir.VectorOp;

/** Weighted layers (Conv, ConvTranspose, Gemm, MatMul with a constant operand) and normalizations. */
final class LayerOps {
    private LayerOps() {}

    static void register(Map<String, Converter> ops) {
        ops.put("Conv", LayerOps::conv);
        ops.put("ConvTranspose", LayerOps::convTranspose);
        ops.put("Gemm", LayerOps::gemm);
        ops.put("MatMul", LayerOps::matMul);
        ops.put("BatchNormalization", LayerOps::batchNorm);
        ops.put("LayerNormalization", LayerOps::layerNorm);
    }

    /** A CxHxW input of a 2-D window op. */
    private static Computed image(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        if (x.shape().rank() != 3) {
            throw ctx.error(n, "input of dims " + x.fullDims() + " is not an N x C x H x W image; pimopt handles 2-D "
                    + n.getOpType() + " only");
        }
        return x;
    }

    /**
     * A C x L sequence as the C x 1 x L image a 1-D window op runs on. The reshapes on either side
     * move no data and cost nothing: the crossbar sees the same kernel rows either way.
     */
    static Computed toImage(NodeProto n, ImportContext ctx, Computed x) {
        return ctx.emit(n, "/2d", new VectorOp.Reshape(List.of(x.shape().dim(0), 1, x.shape().dim(1))), List.of(x));
    }

    /** The C x 1 x L' result of a 1-D window op back as the C x L' sequence ONNX has. */
    static Computed toSequence(NodeProto n, ImportContext ctx, Computed y) {
        return ctx.emit(n, "/1d", new VectorOp.Reshape(List.of(y.shape().dim(0), y.shape().dim(2))), List.of(y));
    }

    private static ConstTensor weight(NodeProto n, ImportContext ctx, int rank) {
        ConstTensor w = ctx.constIn(n, 1, "W", false);
        if (w.rank() != rank) {
            throw ctx.error(n, "weight '" + w.name() + "' has dims " + w.dims() + "; a " + (rank - 2) + "-D "
                    + n.getOpType() + " has a rank-" + rank + " weight");
        }
        return w;
    }

    private static int dim(ConstTensor w, int i) {
        return Window.toInt(w.dims().get(i), "weight dimension");
    }

    private static void checkKernel(NodeProto n, ImportContext ctx, Attributes a, int kh, int kw) {
        a.ints("kernel_shape").ifPresent(k -> {
            if (!k.equals(List.of((long) kh, (long) kw))) {
                throw ctx.error(n, "kernel_shape " + k + " disagrees with the weight's " + kh + "x" + kw);
            }
        });
    }

    /** A 2-D Conv, or a 1-D one (N x C x L input, rank-3 weight) run as a height-1 2-D Conv. */
    static void conv(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        int rank = x.shape().rank();
        if (rank != 2 && rank != 3) {
            throw ctx.error(n, "input of dims " + x.fullDims() + " is neither N x C x L nor N x C x H x W;"
                    + " pimopt handles 1-D and 2-D Conv only");
        }
        boolean oneD = rank == 2;
        ConstTensor w = weight(n, ctx, oneD ? 3 : 4);
        Attributes a = new Attributes(n);
        int groups = Window.toInt(a.i("group", 1), "group");
        int cout = dim(w, 0);
        int kh = oneD ? 1 : dim(w, 2);
        int kw = dim(w, oneD ? 2 : 3);
        if (oneD) {
            a.ints("kernel_shape").ifPresent(k -> {
                if (!k.equals(List.of((long) kw))) {
                    throw ctx.error(n, "kernel_shape " + k + " disagrees with the weight's " + kw);
                }
            });
        } else {
            checkKernel(n, ctx, a, kh, kw);
        }
        if (groups <= 0 || (long) dim(w, 1) * groups != x.shape().dim(0)) {
            throw ctx.error(n, "weight " + w.dims() + " with group " + groups + " does not fit " + x.shape().dim(0)
                    + " input channels");
        }
        Window win = oneD ? Window.of1d(a, kw, x.shape().dim(1)) : Window.of(a, kh, kw, x.shape().dim(1), x.shape().dim(2));
        boolean bias = ctx.in(n, 2) != null;
        // A bias Add holds one value per channel: at axis -2 of a sequence, -3 of an image.
        NodeProto fusedAdd = bias ? null : biasAdd(n, ctx, cout, oneD ? 2 : 3);
        Conv op = new Conv(cout, kh, kw, win.strideH(), win.strideW(), win.padTop(), win.padLeft(), win.padBottom(),
                win.padRight(), win.dilationH(), win.dilationW(), groups, bias || fusedAdd != null);
        Computed out = ctx.emit(n, "", op, List.of(oneD ? toImage(n, ctx, x) : x));
        define(n, ctx, oneD ? toSequence(n, ctx, out) : out, fusedAdd);
    }

    /**
     * ConvTranspose: weight {@code Cin x Cout/groups x Kh x Kw}. An {@code output_shape} (or SAME
     * auto_pad) fixes the output size; the padding that gives it is derived as the ONNX spec says.
     */
    static void convTranspose(NodeProto n, ImportContext ctx) {
        Computed x = image(n, ctx);
        ConstTensor w = weight(n, ctx, 4);
        Attributes a = new Attributes(n);
        int groups = Window.toInt(a.i("group", 1), "group");
        if (groups <= 0 || dim(w, 0) != x.shape().dim(0)) {
            throw ctx.error(n, "weight " + w.dims() + " does not fit " + x.shape().dim(0) + " input channels");
        }
        int cout = Math.multiplyExact(dim(w, 1), groups);
        int kh = dim(w, 2);
        int kw = dim(w, 3);
        checkKernel(n, ctx, a, kh, kw);
        int[] s = Window.pair(a.ints("strides").orElse(List.of()), "strides");
        int[] d = Window.pair(a.ints("dilations").orElse(List.of()), "dilations");
        int[] outPad = a.ints("output_padding").map(v -> Window.explicitPair(v, "output_padding")).orElse(new int[2]);
        String autoPad = a.s("auto_pad", "NOTSET");
        int[] in = {x.shape().dim(1), x.shape().dim(2)};
        int[] k = {kh, kw};
        int[] pads;
        List<Long> outputShape = a.ints("output_shape").orElse(null);
        if (outputShape != null || autoPad.startsWith("SAME")) {
            pads = new int[4];
            for (int i = 0; i < 2; i++) {
                long target = outputShape != null ? outputShape.get(outputShape.size() - 2 + i) : (long) in[i] * s[i];
                long total = (long) s[i] * (in[i] - 1) + outPad[i] + (long) (k[i] - 1) * d[i] + 1 - target;
                if (total < 0) {
                    outPad[i] += (int) -total;
                    total = 0;
                }
                int half = (int) (total / 2);
                boolean upper = !autoPad.equals("SAME_LOWER");
                pads[i] = upper ? half : (int) total - half;
                pads[i + 2] = upper ? (int) total - half : half;
            }
        } else if (autoPad.equals("VALID")) {
            pads = new int[4];
        } else {
            pads = Window.explicit(a.ints("pads").orElse(List.of()));
        }
        boolean bias = ctx.in(n, 2) != null;
        NodeProto fusedAdd = bias ? null : biasAdd(n, ctx, cout, 3);
        ConvTranspose op = new ConvTranspose(cout, kh, kw, s[0], s[1], pads[0], pads[1], pads[2], pads[3],
                outPad[0], outPad[1], d[0], d[1], groups, bias || fusedAdd != null);
        define(n, ctx, ctx.emit(n, "", op, List.of(x)), fusedAdd);
    }

    /** Gemm: {@code alpha * A' x B' + beta * C} with B a constant weight; alpha and beta cost nothing. */
    static void gemm(NodeProto n, ImportContext ctx) {
        Attributes a = new Attributes(n);
        Computed x = ctx.tensorIn(n, 0);
        if (!(ctx.in(n, 1) instanceof Const)) {
            throw ctx.error(n, "operand B is computed by the network; pimopt reads Gemm with a constant weight only");
        }
        if (a.i("transA", 0) != 0) {
            throw ctx.error(n, "transA=1 would transpose the batch dimension");
        }
        ConstTensor w = ctx.constIn(n, 1, "B", false);
        if (w.rank() != 2) {
            throw ctx.error(n, "weight '" + w.name() + "' has dims " + w.dims() + ", not a matrix");
        }
        boolean transB = a.i("transB", 0) != 0;
        int k = dim(w, transB ? 1 : 0);
        int outFeatures = dim(w, transB ? 0 : 1);
        if (x.shape().last() != k) {
            throw ctx.error(n, "input of dims " + x.fullDims() + " does not fit weight " + w.dims()
                    + (transB ? " (transposed)" : ""));
        }
        ctx.define(n.getOutput(0), ctx.emit(n, "", new Linear(outFeatures, ctx.in(n, 2) != null), List.of(x)));
    }

    /**
     * MatMul with a constant matrix operand is a weight-stationary fully connected layer (a bias
     * Add that follows is folded into it); a product of two computed tensors is vector work.
     */
    static void matMul(NodeProto n, ImportContext ctx) {
        Value a = ctx.in(n, 0);
        Value b = ctx.in(n, 1);
        if (a == null || b == null) {
            throw ctx.error(n, "needs two inputs");
        }
        if (a instanceof Computed x && b instanceof Const c && isMatrix(c.tensor())) {
            List<Long> dims = c.tensor().dims();
            long k = dims.get(dims.size() - 2);
            int outFeatures = Window.toInt(dims.get(dims.size() - 1), "weight dimension");
            if (x.displaced() && x.batchAxis() == x.fullRank() - 1) {
                ctx.batchFirst(n, x);
            }
            if (x.fullRank() < 2 || x.shape().last() != k) {
                throw ctx.error(n, "input of dims " + x.fullDims() + " does not fit weight " + dims);
            }
            NodeProto fusedAdd = biasAdd(n, ctx, outFeatures, 1);
            define(n, ctx, ctx.emitKeepingBatch(n, "", new Linear(outFeatures, fusedAdd != null), List.of(x)), fusedAdd);
            return;
        }
        List<Computed> operands = ctx.broadcastOperands(n, List.of(a, b));
        for (Computed o : operands) {
            // A moved batch must stay among the leading (broadcast) axes, out of the two multiplied.
            if (o.displaced() && o.batchAxis() >= o.fullRank() - 2) {
                ctx.batchFirst(n, o);
            }
        }
        ctx.define(n.getOutput(0), ctx.emitKeepingBatch(n, "", new VectorOp.MatMul(), operands));
    }

    /** A rank-2 constant, or one whose leading dimensions are all 1. */
    private static boolean isMatrix(ConstTensor t) {
        if (t.rank() < 2) {
            return false;
        }
        for (int i = 0; i < t.rank() - 2; i++) {
            if (t.dims().get(i) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The Add that adds a constant bias to this node's only output, or null. The bias must hold one
     * value per output channel at axis {@code -channelFromEnd} (1 for a linear layer's features, 3
     * for a convolution's channels) and 1 elsewhere.
     */
    private static NodeProto biasAdd(NodeProto n, ImportContext ctx, int channels, int channelFromEnd) {
        NodeProto add = ctx.soleConsumer(n.getOutput(0));
        if (add == null || !add.getOpType().equals("Add") || !add.getDomain().isEmpty() || add.getInputCount() != 2) {
            return null;
        }
        String other = add.getInput(0).equals(n.getOutput(0)) ? add.getInput(1) : add.getInput(0);
        if (!(ctx.value(other) instanceof Const c) || c.tensor().kind() != ConstTensor.Kind.FLOAT) {
            return null;
        }
        List<Long> dims = c.tensor().dims();
        if (dims.size() < channelFromEnd || c.tensor().elements() != channels
                || dims.get(dims.size() - channelFromEnd) != channels) {
            return null;
        }
        return add;
    }

    private static void define(NodeProto n, ImportContext ctx, Computed out, NodeProto fusedAdd) {
        ctx.define(n.getOutput(0), out);
        if (fusedAdd != null) {
            ctx.absorb(fusedAdd, out);
        }
    }

    static void batchNorm(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        ConstTensor scale = ctx.constIn(n, 1, "scale", false);
        int channels = x.shape().rank() == 0 ? 1 : x.shape().dim(0);
        if (scale.elements() != channels) {
            throw ctx.error(n, "scale of dims " + scale.dims() + " does not fit " + channels + " channels of " + x.fullDims());
        }
        // Scale and shift count as parameters, as torchvision counts them, unless pimopt's own export marked them fixed.
        boolean affine = !ConstTensor.CONSTANT_DOC.equals(scale.doc());
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.BatchNorm(affine), List.of(x)));
    }

    /** LayerNormalization over the last axis; a scale without a bias is a norm followed by a scaling. */
    static void layerNorm(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        if (x.displaced() && x.batchAxis() == x.fullRank() - 1) {
            ctx.batchFirst(n, x);
        }
        long axis = new Attributes(n).i("axis", -1);
        if (axis != -1 && axis != x.fullRank() - 1) {
            throw ctx.error(n, "normalizes from axis " + axis + " of rank " + x.fullRank() + "; pimopt handles the last axis only");
        }
        ConstTensor scale = ctx.constIn(n, 1, "Scale", false);
        if (scale.elements() != x.shape().last()) {
            throw ctx.error(n, "scale of dims " + scale.dims() + " does not fit " + x.fullDims());
        }
        boolean bias = ctx.in(n, 2) != null;
        boolean fixedScale = ConstTensor.CONSTANT_DOC.equals(scale.doc());
        Computed out = ctx.emitKeepingBatch(n, "", new VectorOp.LayerNorm(bias), List.of(x));
        if (!bias && !fixedScale) {
            Computed s = ctx.parameter(scale, List.of((long) x.shape().last()));
            out = ctx.emitKeepingBatch(n, "/scale", new VectorOp.Eltwise("mul"), List.of(out, s));
        }
        ctx.define(n.getOutput(0), out);
    }
}
