package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pimopt.imports.onnx.Value.Computed;
import org.pimopt.imports.onnx.Value.Const;
import org.pimopt.ir.VectorOp;

/**
 * Ops that move data rather than compute on it: constants, shapes, reshapes, concatenation,
 * slicing, padding, resizing, gathering. Inputs that are all constant were folded before a
 * converter here runs, so these see at least one computed tensor (except Constant itself).
 */
final class ShapeOps {
    private ShapeOps() {}

    static void register(Map<String, Converter> ops) {
        ops.put("Constant", ShapeOps::constant);
        ops.put("Identity", ShapeOps::alias);
        ops.put("Cast", ShapeOps::alias);
        ops.put("Dropout", ShapeOps::dropout);
        ops.put("Shape", ShapeOps::shape);
        ops.put("Size", (n, ctx) -> ctx.define(n.getOutput(0),
                new Const(ConstTensor.scalarInt(n.getOutput(0), ctx.anyTensorIn(n, 0).shape().elements()))));
        ops.put("Reshape", ShapeOps::reshape);
        ops.put("Flatten", ShapeOps::flatten);
        ops.put("Squeeze", ShapeOps::squeeze);
        ops.put("Unsqueeze", ShapeOps::unsqueeze);
        ops.put("Transpose", ShapeOps::transpose);
        ops.put("Expand", ShapeOps::expand);
        ops.put("Concat", ShapeOps::concat);
        ops.put("Split", ShapeOps::split);
        ops.put("Slice", ShapeOps::slice);
        ops.put("Pad", ShapeOps::pad);
        ops.put("Resize", ShapeOps::resize);
        ops.put("Upsample", ShapeOps::resize);
        ops.put("Gather", ShapeOps::gather);
    }

    /** A Constant node: its value in one of the value* attributes. */
    static void constant(NodeProto n, ImportContext ctx) {
        String name = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        Attributes a = new Attributes(n);
        ConstTensor t;
        if (a.has("value")) {
            t = ConstTensor.fromProto(a.get("value").map(AttributeProto::getT).orElseThrow(), name, "value");
        } else if (a.has("value_int")) {
            t = ConstTensor.scalarInt(name, a.i("value_int", 0));
        } else if (a.has("value_ints")) {
            List<Long> v = a.ints("value_ints").orElseThrow();
            t = ConstTensor.ofInts(name, List.of((long) v.size()), v.stream().mapToLong(Long::longValue).toArray());
        } else if (a.has("value_float")) {
            t = ConstTensor.ofReals(name, List.of(), new double[] {a.f("value_float", 0)});
        } else if (a.has("value_floats")) {
            List<Float> v = a.floats("value_floats").orElseThrow();
            t = ConstTensor.ofReals(name, List.of((long) v.size()), v.stream().mapToDouble(Float::doubleValue).toArray());
        } else {
            throw ctx.error(n, "holds no value pimopt can read (sparse or string constants are not supported)");
        }
        ctx.define(n.getOutput(0), new Const(t));
    }

    /** Identity and Cast of a computed tensor: the same tensor as far as planning is concerned. */
    static void alias(NodeProto n, ImportContext ctx) {
        if (ctx.in(n, 0) == null) {
            throw ctx.error(n, "input 0 is missing");
        }
        ctx.define(n.getOutput(0), ctx.in(n, 0));
    }

    static void dropout(NodeProto n, ImportContext ctx) {
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && ctx.soleConsumer(n.getOutput(1)) != null) {
            throw ctx.error(n, "its mask output is used; pimopt reads inference graphs only");
        }
        ctx.define(n.getOutput(0), ctx.emitKeepingBatch(n, "", new VectorOp.Identity("Dropout"), List.of(ctx.anyTensorIn(n, 0))));
    }

    /**
     * The shape of a computed tensor is known: it becomes a constant (batch bound to 1), computed by
     * the folder from a stand-in constant of the same dims (which also applies start and end).
     */
    static void shape(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        ConstTensor standIn = new ConstTensor(x.tensor(), x.fullDims(), ConstTensor.Kind.FLOAT, null, null, "");
        ctx.define(n.getOutput(0), new Const(ConstantFolder.fold(n, List.of(standIn), ctx.opset(n)).get(0)));
    }

    static void reshape(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        List<Long> target = ctx.constIn(n, 1, "shape", true).intList();
        boolean allowZero = new Attributes(n).i("allowzero", 0) != 0;
        ctx.define(n.getOutput(0), ctx.reshape(n, x, ShapeMath.reshape(x.fullDims(), target, allowZero)));
    }

    static void flatten(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        long axis = new Attributes(n).i("axis", 1);
        long a = axis < 0 ? axis + x.fullRank() : axis;
        if (x.batched() && !x.displaced() && a <= 1 && x.shape().rank() > 1) {
            ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Flatten(0), List.of(x)));
            return;
        }
        ctx.define(n.getOutput(0), ctx.reshape(n, x, ShapeMath.flatten(x.fullDims(), axis)));
    }

    /** Axes from the attribute (before opset 13) or the second input. */
    private static List<Long> axes(NodeProto n, ImportContext ctx) {
        Attributes a = new Attributes(n);
        return a.has("axes") ? a.ints("axes").orElseThrow() : ctx.optionalInts(n, 1, "axes");
    }

    /** Squeezing every 1 leaves the batch dimension alone: it is 1 only because pimopt binds it so. */
    static void squeeze(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        List<Long> full = x.fullDims();
        List<Long> axes = axes(n, ctx);
        if (axes == null && x.batched()) {
            axes = new ArrayList<>();
            for (int i = 0; i < full.size(); i++) {
                if (full.get(i) == 1 && i != x.batchAxis()) {
                    axes.add((long) i);
                }
            }
        }
        int batch = -1;
        if (x.batched()) {
            batch = x.batchAxis();
            for (long axis : axes) {
                int a = ShapeMath.normalizeAxis(axis, full.size(), "squeeze axis");
                if (a == x.batchAxis()) {
                    throw ctx.error(n, "squeezes the batch dimension (axis " + axis + " of " + full + ")");
                }
                batch -= a < x.batchAxis() ? 1 : 0;
            }
        }
        ctx.define(n.getOutput(0), ctx.reshape(n, x, ShapeMath.squeeze(full, axes, 0), batch));
    }

    static void unsqueeze(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        List<Long> axes = axes(n, ctx);
        if (axes == null) {
            throw ctx.error(n, "has no axes");
        }
        List<Long> out = ShapeMath.unsqueeze(x.fullDims(), axes);
        int batch = -1;
        if (x.batched()) {
            // The batch is the input axis batchAxis: the (batchAxis+1)-th output axis not inserted.
            List<Integer> inserted = axes.stream().map(a -> ShapeMath.normalizeAxis(a, out.size(), "unsqueeze axis")).toList();
            for (int i = 0, kept = 0; i < out.size(); i++) {
                if (!inserted.contains(i) && kept++ == x.batchAxis()) {
                    batch = i;
                    break;
                }
            }
        }
        ctx.define(n.getOutput(0), ctx.reshape(n, x, out, batch));
    }

    /**
     * A Transpose of a batched tensor transposes each sample; when it moves the batch dimension
     * (PaddleOCR's {@code [2, 0, 3, 1, 4]} head split of attention) the sample is transposed
     * without it and the batch's new axis is remembered: pimopt binds the batch to 1, so moving it
     * moves no data. The ops after it that need the batch first refuse the tensor until an op puts
     * it back (a Gather, Squeeze or Transpose).
     */
    static void transpose(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        List<Long> perm = new Attributes(n).ints("perm").orElse(ShapeMath.reversed(x.fullRank()));
        ShapeMath.transpose(x.fullDims(), perm);
        int batch = x.batched() ? x.batchAxis() : -1;
        int outBatch = 0;
        List<Integer> irPerm = new ArrayList<>();
        for (int i = 0; i < perm.size(); i++) {
            int p = ShapeMath.normalizeAxis(perm.get(i), perm.size(), "perm entry");
            if (p == batch) {
                outBatch = i;
            } else {
                irPerm.add(batch >= 0 && p > batch ? p - 1 : p);
            }
        }
        boolean identity = true;
        for (int i = 0; i < irPerm.size(); i++) {
            identity &= irPerm.get(i) == i;
        }
        Computed out = identity ? x : ctx.emit(n, "", new VectorOp.Transpose(irPerm), List.of(x));
        ctx.define(n.getOutput(0), ctx.displace(n, out, outBatch));
    }

    /** Expand that keeps the element count (a class token expanded to batch 1) is a reshape. */
    static void expand(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        List<Long> target = ctx.constIn(n, 1, "shape", true).intList();
        List<Long> out = ShapeMath.broadcast(List.of(x.fullDims(), target));
        if (ShapeMath.product(out) != x.shape().elements()) {
            throw ctx.error(n, "expands " + x.fullDims() + " to " + out + "; pimopt reads an Expand only when it"
                    + " keeps the number of elements");
        }
        ctx.define(n.getOutput(0), ctx.reshape(n, x, out));
    }

    static void concat(NodeProto n, ImportContext ctx) {
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) {
            if (ctx.in(n, i) != null) {
                inputs.add(ctx.in(n, i));
            }
        }
        if (inputs.isEmpty()) {
            throw ctx.error(n, "has no inputs");
        }
        List<Computed> operands = ctx.broadcastOperands(n, inputs);
        Computed reference = operands.stream().filter(Computed::batched).findFirst().orElse(operands.get(0));
        int axis = ctx.axis(n, reference, new Attributes(n).i("axis", 0), "axis");
        ctx.define(n.getOutput(0), ctx.emitKeepingBatch(n, "", new VectorOp.Concat(axis), operands));
    }

    /** Split sizes: the 'split' attribute (before opset 13) or input, else equal parts. */
    static void split(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        Attributes a = new Attributes(n);
        int axis = ctx.axis(n, x, a.i("axis", 0), "axis");
        List<Long> sizes = a.has("split") ? a.ints("split").orElseThrow() : ctx.optionalInts(n, 1, "split");
        int parts = n.getOutputCount();
        int dim = x.shape().dim(axis);
        List<Integer> irSizes = new ArrayList<>();
        if (sizes != null) {
            sizes.forEach(s -> irSizes.add(Window.toInt(s, "split size")));
        } else {
            // Equal parts, the last one smaller when the axis does not divide (opset 18's rule).
            int part = (dim + parts - 1) / parts;
            for (int i = 0; i < parts; i++) {
                irSizes.add(Math.min(part, dim - part * i));
            }
        }
        List<Computed> outs = ctx.emitAll(n, "", new VectorOp.Split(axis, irSizes), List.of(x));
        if (outs.size() != n.getOutputCount()) {
            throw ctx.error(n, "has " + n.getOutputCount() + " outputs for " + outs.size() + " split sizes");
        }
        for (int i = 0; i < outs.size(); i++) {
            ctx.define(n.getOutput(i), ctx.displace(n, outs.get(i), x.batchAxis()));
        }
    }

    static void slice(NodeProto n, ImportContext ctx) {
        Computed x = ctx.anyTensorIn(n, 0);
        Attributes a = new Attributes(n);
        List<Long> starts;
        List<Long> ends;
        List<Long> axes;
        List<Long> steps = null;
        if (ctx.opset(n) < 10) {
            starts = a.ints("starts").orElseThrow(() -> ctx.error(n, "has no starts"));
            ends = a.ints("ends").orElseThrow(() -> ctx.error(n, "has no ends"));
            axes = a.ints("axes").orElse(null);
        } else {
            starts = ctx.constIn(n, 1, "starts", true).intList();
            ends = ctx.constIn(n, 2, "ends", true).intList();
            axes = ctx.optionalInts(n, 3, "axes");
            steps = ctx.optionalInts(n, 4, "steps");
        }
        List<Integer> irAxes = new ArrayList<>();
        List<Integer> irStarts = new ArrayList<>();
        List<Integer> irEnds = new ArrayList<>();
        List<Integer> irSteps = new ArrayList<>();
        for (ShapeMath.SliceAxis s : ShapeMath.slice(x.fullDims(), starts, ends, axes, steps)) {
            long dim = x.fullDims().get(s.axis());
            if (x.batched() && s.axis() == x.batchAxis()) {
                if (s.length() != dim) {
                    throw ctx.error(n, "slices the batch dimension");
                }
                continue;
            }
            if (s.length() == dim && s.step() == 1) {
                continue;
            }
            long end = s.start() + s.length() * s.step();
            irAxes.add(s.axis() - (x.batched() && s.axis() > x.batchAxis() ? 1 : 0));
            irStarts.add((int) s.start());
            // A backward slice down to the first element ends before index 0, which must not read as -1.
            irEnds.add(end < 0 ? Integer.MIN_VALUE : (int) end);
            irSteps.add(Window.toInt(Math.abs(s.step()), "slice step") * (s.step() < 0 ? -1 : 1));
        }
        if (irAxes.isEmpty()) {
            ctx.define(n.getOutput(0), x);
            return;
        }
        boolean unitSteps = irSteps.stream().allMatch(s -> s == 1);
        ctx.define(n.getOutput(0), ctx.emitKeepingBatch(n, "",
                new VectorOp.Slice(irAxes, irStarts, irEnds, unitSteps ? List.of() : irSteps), List.of(x)));
    }

    /** Pad: pads as [x1_begin, x2_begin, ..., x1_end, x2_end], optionally for the listed axes only. */
    static void pad(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        Attributes a = new Attributes(n);
        List<Long> pads = ctx.opset(n) < 11 ? a.ints("pads").orElseThrow(() -> ctx.error(n, "has no pads"))
                : ctx.constIn(n, 1, "pads", true).intList();
        int rank = x.fullRank();
        List<Long> axes = ctx.opset(n) >= 18 ? ctx.optionalInts(n, 3, "axes") : null;
        long[] begins = new long[rank];
        long[] ends = new long[rank];
        int listed = axes == null ? rank : axes.size();
        if (pads.size() != 2 * listed) {
            throw ctx.error(n, "pads " + pads + " do not fit rank " + rank);
        }
        for (int i = 0; i < listed; i++) {
            int axis = axes == null ? i : ShapeMath.normalizeAxis(axes.get(i), rank, "pad axis");
            begins[axis] = pads.get(i);
            ends[axis] = pads.get(i + listed);
        }
        if (x.batched() && (begins[0] != 0 || ends[0] != 0)) {
            throw ctx.error(n, "pads the batch dimension");
        }
        List<Integer> b = new ArrayList<>();
        List<Integer> e = new ArrayList<>();
        for (int i = x.batched() ? 1 : 0; i < rank; i++) {
            b.add(Math.toIntExact(begins[i]));
            e.add(Math.toIntExact(ends[i]));
        }
        String mode = a.s("mode", "constant");
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Pad(mode, b, e), List.of(x)));
    }

    /**
     * Resize (and the older Upsample): scales or sizes for every dimension, from attributes (opset
     * 7-8), input 1 (opset 9-10) or inputs 2 and 3 (opset 11 on; input 1 is the region of interest).
     */
    static void resize(NodeProto n, ImportContext ctx) {
        Computed x = ctx.tensorIn(n, 0);
        Attributes a = new Attributes(n);
        List<Double> scales = null;
        List<Long> sizes = null;
        if (a.has("scales")) {
            scales = a.floats("scales").orElseThrow().stream().map(Float::doubleValue).toList();
        } else if (n.getOpType().equals("Upsample") || ctx.opset(n) < 11) {
            scales = reals(ctx.constIn(n, 1, "scales", true));
        } else {
            if (ctx.in(n, 2) != null && ctx.constIn(n, 2, "scales", false).elements() > 0) {
                scales = reals(ctx.constIn(n, 2, "scales", true));
            }
            if (ctx.in(n, 3) != null && ctx.constIn(n, 3, "sizes", false).elements() > 0) {
                sizes = ctx.constIn(n, 3, "sizes", true).intList();
            }
        }
        if ((scales == null) == (sizes == null)) {
            throw ctx.error(n, "needs either scales or sizes");
        }
        List<Long> axes = a.ints("axes").orElse(null);
        if (axes != null) {
            // Opset 18: scales or sizes for the listed axes only; the others keep their size.
            int rank = x.fullRank();
            List<Double> allScales = new ArrayList<>(java.util.Collections.nCopies(rank, 1.0));
            List<Long> allSizes = new ArrayList<>(x.fullDims());
            int given = scales != null ? scales.size() : sizes.size();
            if (given != axes.size()) {
                throw ctx.error(n, "gives " + given + " scales or sizes for " + axes.size() + " axes");
            }
            for (int i = 0; i < axes.size(); i++) {
                int axis = ShapeMath.normalizeAxis(axes.get(i), rank, "resize axis");
                if (scales != null) {
                    allScales.set(axis, scales.get(i));
                } else {
                    allSizes.set(axis, sizes.get(i));
                }
            }
            scales = scales != null ? allScales : null;
            sizes = sizes != null ? allSizes : null;
        }
        int count = scales != null ? scales.size() : sizes.size();
        if (count != x.fullRank()) {
            throw ctx.error(n, "gives " + count + " scales or sizes for rank " + x.fullRank());
        }
        int from = x.batched() ? 1 : 0;
        if (x.batched() && (scales != null ? scales.get(0) != 1 : sizes.get(0) != 1)) {
            throw ctx.error(n, "resizes the batch dimension");
        }
        String mode = a.s("mode", "nearest").toLowerCase(java.util.Locale.ROOT);
        mode = mode.equals("bilinear") ? "linear" : mode;
        VectorOp.Resize op = scales != null
                ? new VectorOp.Resize(mode, scales.subList(from, scales.size()), List.of())
                : new VectorOp.Resize(mode, List.of(), sizes.subList(from, sizes.size()).stream()
                        .map(s -> Window.toInt(s, "size")).toList());
        ctx.define(n.getOutput(0), ctx.emit(n, "", op, List.of(x)));
    }

    private static List<Double> reals(ConstTensor t) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < t.elements(); i++) {
            out.add(t.realAt(i));
        }
        return out;
    }

    /**
     * Gather with constant indices picks entries of a tensor; Gather from a constant table by
     * computed indices is an embedding lookup whose table is a learned parameter.
     */
    static void gather(NodeProto n, ImportContext ctx) {
        Value data = ctx.in(n, 0);
        Value indices = ctx.in(n, 1);
        if (data == null || indices == null) {
            throw ctx.error(n, "needs two inputs");
        }
        long axis = new Attributes(n).i("axis", 0);
        if (indices instanceof Const c) {
            Computed x = ctx.asTensor(data);
            int irAxis = ctx.axis(n, x, axis, "axis");
            List<Integer> indexShape = c.tensor().dims().stream().map(d -> Window.toInt(d, "index dimension")).toList();
            // Picking along an axis before a moved batch replaces that axis by the index's axes.
            int fullAxis = ShapeMath.normalizeAxis(axis, x.fullRank(), "axis");
            int batch = fullAxis < x.batchAxis() ? x.batchAxis() - 1 + indexShape.size() : x.batchAxis();
            ctx.define(n.getOutput(0), ctx.displace(n,
                    ctx.emit(n, "", new VectorOp.Gather(irAxis, indexShape), List.of(x)), batch));
            return;
        }
        Computed table = ctx.asTensor(data);
        if (table.batched()) {
            throw ctx.error(n, "gathers from a computed tensor by computed indices, which pimopt does not read");
        }
        if (ShapeMath.normalizeAxis(axis, table.fullRank(), "axis") != 0) {
            throw ctx.error(n, "looks up a table along axis " + axis + "; pimopt reads lookups along axis 0 only");
        }
        ctx.define(n.getOutput(0), ctx.emit(n, "", new VectorOp.Embedding(), List.of(table, (Computed) indices)));
    }
}
