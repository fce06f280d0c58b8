package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.imports.onnx.ConstTensor.Kind;

/**
 * Evaluates nodes whose inputs are all constants: the Shape -> Gather -> Unsqueeze -> Concat chains
 * exporters write to compute reshape targets, scalar arithmetic, and reshapes or transposes of
 * weights. Values are computed only for small tensors; a weight moved by a shape-only op keeps its
 * dims and stays without values. Returns null when the node is not something to fold, in which
 * case the op's converter turns the constants into parameter nodes.
 */
final class ConstantFolder {
    private final NodeProto node;
    private final List<ConstTensor> in;
    private final Attributes attrs;
    private final long opset;
    private final ConstantArithmetic arithmetic;

    private ConstantFolder(NodeProto node, List<ConstTensor> in, long opset) {
        this.node = node;
        this.in = in;
        this.attrs = new Attributes(node);
        this.opset = opset;
        this.arithmetic = new ConstantArithmetic(node, in);
    }

    /** The node's outputs, or null; {@code in} holds null for absent optional inputs. */
    static List<ConstTensor> fold(NodeProto node, List<ConstTensor> in, long opset) {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            return null;
        }
        return new ConstantFolder(node, in, opset).run();
    }

    private String outName() {
        return node.getOutput(0);
    }

    private ConstTensor x() {
        if (in.isEmpty() || in.get(0) == null) {
            throw new IllegalArgumentException("input 0 is missing");
        }
        return in.get(0);
    }

    /** Input {@code i}, which the op cannot do without. */
    private ConstTensor input(int i) {
        if (i >= in.size() || in.get(i) == null) {
            throw new IllegalArgumentException("input " + i + " is missing");
        }
        return in.get(i);
    }

    /** The integers of input {@code i}, which the op cannot do without. */
    private List<Long> required(int i, String what) {
        List<Long> v = ints(i);
        if (v == null) {
            throw new IllegalArgumentException("has no " + what + " (input " + i + ")");
        }
        return v;
    }

    private boolean allData() {
        return in.stream().allMatch(t -> t == null || t.hasData());
    }

    private List<Long> ints(int i) {
        ConstTensor t = i < in.size() ? in.get(i) : null;
        if (t == null) {
            return null;
        }
        if (!t.hasData()) {
            throw new IllegalArgumentException("input " + i + " (" + t.name() + ") has no values in the file");
        }
        return t.intList();
    }

    /** Axes of Squeeze/Unsqueeze: an attribute before opset 13, an input since. */
    private List<Long> axes(int input) {
        return attrs.has("axes") ? attrs.ints("axes").orElse(null) : ints(input);
    }

    private List<Long> requiredAxes(int input) {
        List<Long> axes = axes(input);
        if (axes == null) {
            throw new IllegalArgumentException("has no axes");
        }
        return axes;
    }

    private List<ConstTensor> run() {
        return switch (node.getOpType()) {
            case "Identity", "Dropout" -> List.of(x());
            case "Cast" -> List.of(cast(x(), (int) attrs.i("to", TensorProto.DataType.FLOAT_VALUE)));
            case "Shape" -> List.of(shape());
            case "Size" -> List.of(ConstTensor.scalarInt(outName(), x().elements()));
            case "Reshape" -> List.of(moved(ShapeMath.reshape(x().dims(), required(1, "shape"), attrs.i("allowzero", 0) != 0)));
            case "Flatten" -> List.of(moved(ShapeMath.flatten(x().dims(), attrs.i("axis", 1))));
            case "Squeeze" -> List.of(moved(ShapeMath.squeeze(x().dims(), axes(1), 0)));
            case "Unsqueeze" -> List.of(moved(ShapeMath.unsqueeze(x().dims(), requiredAxes(1))));
            case "Transpose" -> List.of(transpose());
            case "Expand" -> single(expand());
            case "Concat" -> single(allData() ? concat() : null);
            case "Gather" -> single(allData() ? gather() : null);
            case "Slice" -> single(slice());
            case "ConstantOfShape" -> List.of(constantOfShape());
            case "Range" -> single(allData() ? range() : null);
            case "Add" -> single(arithmetic.binary((a, b) -> a + b, Long::sum));
            case "Sub" -> single(arithmetic.binary((a, b) -> a - b, (a, b) -> a - b));
            case "Mul" -> single(arithmetic.binary((a, b) -> a * b, (a, b) -> a * b));
            case "Div" -> single(arithmetic.binary((a, b) -> a / b, (a, b) -> {
                if (b == 0) {
                    throw new IllegalArgumentException("integer division by zero");
                }
                return a / b;
            }));
            case "Mod" -> single(arithmetic.binary((a, b) -> a % b, (a, b) -> b == 0 ? 0 : Math.floorMod(a, b)));
            case "Pow" -> single(arithmetic.binary(Math::pow, (a, b) -> (long) Math.pow(a, b)));
            case "Min" -> single(in.size() == 2 ? arithmetic.binary(Math::min, Math::min) : null);
            case "Max" -> single(in.size() == 2 ? arithmetic.binary(Math::max, Math::max) : null);
            case "Equal" -> single(arithmetic.compare((a, b) -> a == b ? 1 : 0));
            case "Less" -> single(arithmetic.compare((a, b) -> a < b ? 1 : 0));
            case "Greater" -> single(arithmetic.compare((a, b) -> a > b ? 1 : 0));
            case "LessOrEqual" -> single(arithmetic.compare((a, b) -> a <= b ? 1 : 0));
            case "GreaterOrEqual" -> single(arithmetic.compare((a, b) -> a >= b ? 1 : 0));
            case "And" -> single(arithmetic.compare((a, b) -> a != 0 && b != 0 ? 1 : 0));
            case "Or" -> single(arithmetic.compare((a, b) -> a != 0 || b != 0 ? 1 : 0));
            case "Not" -> single(arithmetic.unaryInt(x(), a -> a == 0 ? 1 : 0));
            case "Neg" -> single(arithmetic.unary(x(), a -> -a));
            case "Abs" -> single(arithmetic.unary(x(), Math::abs));
            case "Floor" -> single(arithmetic.unary(x(), Math::floor));
            case "Ceil" -> single(arithmetic.unary(x(), Math::ceil));
            case "Sqrt" -> single(arithmetic.unary(x(), Math::sqrt));
            case "Reciprocal" -> single(arithmetic.unary(x(), a -> 1 / a));
            case "Where" -> single(arithmetic.where());
            default -> null;
        };
    }

    private static List<ConstTensor> single(ConstTensor t) {
        return t == null ? null : List.of(t);
    }

    /** A shape-only op: same values (if held), new dims, and the name of the weight it moves. */
    private ConstTensor moved(List<Long> dims) {
        return x().withDims(x().name(), dims);
    }

    private ConstTensor cast(ConstTensor t, int to) {
        Kind kind = ConstTensor.kindOf(to);
        if (kind == t.kind() || !t.hasData()) {
            return new ConstTensor(t.name(), t.dims(), kind, t.ints(), t.reals(), t.doc());
        }
        int n = (int) t.elements();
        if (kind == Kind.INT) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = (long) t.realAt(i);
            }
            return ConstTensor.ofInts(outName(), t.dims(), v);
        }
        if (kind == Kind.FLOAT && n <= ConstTensor.MAX_REAL_VALUES) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = t.intAt(i);
            }
            return ConstTensor.ofReals(outName(), t.dims(), v);
        }
        return t.withoutData(outName(), t.dims());
    }

    private ConstTensor shape() {
        List<Long> dims = x().dims();
        int rank = dims.size();
        int start = (int) clampAxis(attrs.i("start", 0), rank);
        int end = (int) clampAxis(attrs.i("end", rank), rank);
        List<Long> part = dims.subList(start, Math.max(start, end));
        return ConstTensor.ofInts(outName(), List.of((long) part.size()), part.stream().mapToLong(Long::longValue).toArray());
    }

    private static long clampAxis(long a, int rank) {
        long v = a < 0 ? a + rank : a;
        return Math.max(0, Math.min(rank, v));
    }

    // ----- data movement -----

    /** Gathers elements of {@code t} at output positions given by a mapping to source indices. */
    private ConstTensor remap(ConstTensor t, List<Long> out, java.util.function.LongUnaryOperator source) {
        long n = ShapeMath.product(out);
        if (t.kind() == Kind.INT) {
            long[] v = new long[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = t.intAt((int) source.applyAsLong(i));
            }
            return ConstTensor.ofInts(outName(), out, v);
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = t.realAt((int) source.applyAsLong(i));
        }
        return ConstTensor.ofReals(outName(), out, v);
    }

    private static long[] strides(List<Long> dims) {
        long[] s = new long[dims.size()];
        long stride = 1;
        for (int i = dims.size() - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= dims.get(i);
        }
        return s;
    }

    private ConstTensor transpose() {
        List<Long> perm = attrs.ints("perm").orElse(ShapeMath.reversed(x().rank()));
        List<Long> out = ShapeMath.transpose(x().dims(), perm);
        if (!x().hasData()) {
            return x().withoutData(x().name(), out);
        }
        long[] inStrides = strides(x().dims());
        int[] from = new int[out.size()];
        for (int i = 0; i < from.length; i++) {
            from[i] = ShapeMath.normalizeAxis(perm.get(i), from.length, "transpose perm entry");
        }
        return remap(x(), out, flat -> {
            long index = 0;
            for (int i = out.size() - 1; i >= 0; i--) {
                long coord = flat % out.get(i);
                flat /= out.get(i);
                index += coord * inStrides[from[i]];
            }
            return index;
        });
    }

    private ConstTensor expand() {
        List<Long> out = ShapeMath.broadcast(List.of(x().dims(), required(1, "shape")));
        if (ShapeMath.product(out) == x().elements()) {
            return moved(out);
        }
        if (!x().hasData()) {
            return null;
        }
        long limit = x().kind() == Kind.INT ? ConstTensor.MAX_INT_VALUES : ConstTensor.MAX_REAL_VALUES;
        if (ShapeMath.product(out) > limit) {
            return null;
        }
        return remap(x(), out, flat -> ConstantArithmetic.sourceIndex(flat, out, x().dims()));
    }

    private ConstTensor concat() {
        ConstTensor first = x();
        int axis = ShapeMath.normalizeAxis(attrs.i("axis", 0), first.rank(), "concat axis");
        List<Long> out = new ArrayList<>(first.dims());
        long total = 0;
        boolean integer = true;
        for (ConstTensor t : in) {
            if (t.rank() != first.rank()) {
                throw new IllegalArgumentException("concat of ranks " + first.rank() + " and " + t.rank());
            }
            total += t.dims().get(axis);
            integer &= t.kind() == Kind.INT;
        }
        out.set(axis, total);
        long n = ShapeMath.product(out);
        if (n > (integer ? ConstTensor.MAX_INT_VALUES : ConstTensor.MAX_REAL_VALUES)) {
            return null;
        }
        long outer = ShapeMath.product(first.dims().subList(0, axis));
        long inner = ShapeMath.product(first.dims().subList(axis + 1, first.rank()));
        long[] iv = integer ? new long[(int) n] : null;
        double[] rv = integer ? null : new double[(int) n];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (ConstTensor t : in) {
                long block = t.dims().get(axis) * inner;
                for (long j = 0; j < block; j++) {
                    int src = (int) (o * block + j);
                    if (integer) {
                        iv[k++] = t.intAt(src);
                    } else {
                        rv[k++] = t.realAt(src);
                    }
                }
            }
        }
        return integer ? ConstTensor.ofInts(outName(), out, iv) : ConstTensor.ofReals(outName(), out, rv);
    }

    private ConstTensor gather() {
        ConstTensor data = x();
        ConstTensor idx = input(1);
        int axis = ShapeMath.normalizeAxis(attrs.i("axis", 0), data.rank(), "gather axis");
        List<Long> out = new ArrayList<>(data.dims().subList(0, axis));
        out.addAll(idx.dims());
        out.addAll(data.dims().subList(axis + 1, data.rank()));
        long inner = ShapeMath.product(data.dims().subList(axis + 1, data.rank()));
        long dim = data.dims().get(axis);
        long count = idx.elements();
        return remap(data, out, flat -> {
            long i = flat % inner;
            long rest = flat / inner;
            long which = rest % count;
            long o = rest / count;
            long index = idx.intAt((int) which);
            if (index < -dim || index >= dim) {
                throw new IllegalArgumentException("gather index " + index + " is out of range for dimension " + dim);
            }
            index = index < 0 ? index + dim : index;
            return (o * dim + index) * inner + i;
        });
    }

    private ConstTensor slice() {
        List<Long> starts;
        List<Long> ends;
        List<Long> axes;
        List<Long> steps = null;
        if (opset < 10) {
            starts = attrs.ints("starts").orElseThrow(() -> new IllegalArgumentException("slice has no starts"));
            ends = attrs.ints("ends").orElseThrow(() -> new IllegalArgumentException("slice has no ends"));
            axes = attrs.ints("axes").orElse(null);
        } else {
            starts = required(1, "starts");
            ends = required(2, "ends");
            axes = ints(3);
            steps = ints(4);
        }
        List<ShapeMath.SliceAxis> plan = ShapeMath.slice(x().dims(), starts, ends, axes, steps);
        List<Long> out = ShapeMath.sliceDims(x().dims(), plan);
        if (!x().hasData()) {
            return x().withoutData(x().name(), out);
        }
        long[] inStrides = strides(x().dims());
        ShapeMath.SliceAxis[] byAxis = new ShapeMath.SliceAxis[x().rank()];
        plan.forEach(s -> byAxis[s.axis()] = s);
        return remap(x(), out, flat -> {
            long index = 0;
            for (int i = out.size() - 1; i >= 0; i--) {
                long coord = flat % out.get(i);
                flat /= out.get(i);
                long src = byAxis[i] == null ? coord : byAxis[i].start() + coord * byAxis[i].step();
                index += src * inStrides[i];
            }
            return index;
        });
    }

    private ConstTensor constantOfShape() {
        List<Long> dims = required(0, "shape");
        long n = ConstTensor.elements(dims, "ConstantOfShape " + outName());
        ConstTensor value = attrs.get("value")
                .map(a -> ConstTensor.fromProto(a.getT(), outName(), "ConstantOfShape value"))
                .orElse(ConstTensor.ofReals(outName(), List.of(1L), new double[] {0}));
        boolean integer = value.kind() == Kind.INT;
        if (!value.hasData() || n > (integer ? ConstTensor.MAX_INT_VALUES : ConstTensor.MAX_REAL_VALUES)) {
            return new ConstTensor(outName(), dims, value.kind(), null, null, "");
        }
        if (integer) {
            long[] v = new long[(int) n];
            java.util.Arrays.fill(v, value.intAt(0));
            return ConstTensor.ofInts(outName(), dims, v);
        }
        double[] v = new double[(int) n];
        java.util.Arrays.fill(v, value.realAt(0));
        return ConstTensor.ofReals(outName(), dims, v);
    }

    private ConstTensor range() {
        ConstTensor start = input(0);
        ConstTensor limit = input(1);
        ConstTensor delta = input(2);
        double step = delta.realAt(0);
        if (step == 0) {
            throw new IllegalArgumentException("range delta is 0");
        }
        double count = Math.max(0, Math.ceil((limit.realAt(0) - start.realAt(0)) / step));
        if (count > ConstTensor.MAX_INT_VALUES) {
            throw new IllegalArgumentException("range of " + (long) count + " elements is too long to fold");
        }
        int n = (int) count;
        if (start.kind() == Kind.INT) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = start.intAt(0) + i * delta.intAt(0);
            }
            return ConstTensor.ofInts(outName(), List.of((long) n), v);
        }
        if (n > ConstTensor.MAX_REAL_VALUES) {
            return null;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start.realAt(0) + i * step;
        }
        return ConstTensor.ofReals(outName(), List.of((long) n), v);
    }
}
