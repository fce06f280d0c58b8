package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.ir.Shape;

/**
 * A tensor whose value does not depend on the network's inputs: an initializer, a Constant node's
 * value, or what constant folding made of them. Its values are held only when they are small
 * enough to be worth folding (shape arithmetic, scalars); a weight's values are never needed, only
 * its dims, so they stay in the file (or are absent altogether).
 *
 * @param name  the tensor's name, or its Constant node's name, for messages and parameter nodes
 * @param ints  the values of an integer (or boolean) tensor, or null when not held
 * @param reals the values of a floating-point tensor, or null when not held
 * @param doc   the initializer's doc string (marks pimopt's own exports as learned or constant)
 */
record ConstTensor(String name, List<Long> dims, Kind kind, long[] ints, double[] reals, String doc) {

    /** What a tensor's elements are; only the first two take part in folding. */
    enum Kind { INT, FLOAT, OTHER }

    /** Integer tensors up to this many elements are read, for shape arithmetic. */
    static final long MAX_INT_VALUES = 1 << 20;
    /** Floating-point tensors up to this many elements are read (scalars, Clip bounds, Resize scales). */
    static final long MAX_REAL_VALUES = 1 << 12;

    /** Doc strings pimopt writes on exported initializers so that the learned flag survives a round trip. */
    static final String LEARNED_DOC = "pimopt: learned parameter";
    static final String CONSTANT_DOC = "pimopt: constant (not a learned parameter)";

    ConstTensor {
        dims = List.copyOf(dims);
        doc = doc == null ? "" : doc;
    }

    static ConstTensor ofInts(String name, List<Long> dims, long[] values) {
        return new ConstTensor(name, dims, Kind.INT, values, null, "");
    }

    static ConstTensor ofReals(String name, List<Long> dims, double[] values) {
        return new ConstTensor(name, dims, Kind.FLOAT, null, values, "");
    }

    static ConstTensor scalarInt(String name, long value) {
        return ofInts(name, List.of(), new long[] {value});
    }

    /**
     * Checks that dims are sane and returns their product; an absurd size is a corrupt file. Errors
     * are IllegalArgumentExceptions for the caller to prefix with the file.
     */
    static long elements(List<Long> dims, String what) {
        long n = 1;
        for (long d : dims) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " has dimension " + d + " (dims " + dims + ")");
            }
            n *= d;
            if (n > Shape.MAX_ELEMENTS) {
                throw new IllegalArgumentException(what + " has dims " + dims + ", more than 2^40 elements");
            }
        }
        return n;
    }

    long elements() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    int rank() {
        return dims.size();
    }

    boolean hasData() {
        return kind == Kind.INT ? ints != null : kind == Kind.FLOAT && reals != null;
    }

    long intAt(int i) {
        return ints != null ? ints[i] : (long) reals[i];
    }

    double realAt(int i) {
        return reals != null ? reals[i] : ints[i];
    }

    List<Long> intList() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < elements(); i++) {
            out.add(intAt(i));
        }
        return out;
    }

    /** The same values under other dims (a reshape, squeeze or cast of a constant). */
    ConstTensor withDims(String newName, List<Long> newDims) {
        return new ConstTensor(newName, newDims, kind, ints, reals, doc);
    }

    ConstTensor withoutData(String newName, List<Long> newDims) {
        return new ConstTensor(newName, newDims, kind, null, null, doc);
    }

    static Kind kindOf(int dataType) {
        DataType t = DataType.forNumber(dataType);
        if (t == null) {
            return Kind.OTHER;
        }
        return switch (t) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> Kind.FLOAT;
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL, INT4, UINT4 -> Kind.INT;
            default -> Kind.OTHER;
        };
    }

    /** Bytes of one element in raw_data, or 0 when the type is not read. */
    private static int elementBytes(int dataType) {
        DataType t = DataType.forNumber(dataType);
        if (t == null) {
            return 0;
        }
        return switch (t) {
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> 1;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2;
            case INT32, UINT32, FLOAT -> 4;
            case INT64, UINT64, DOUBLE -> 8;
            default -> 0;
        };
    }

    /** Reads a TensorProto: dims always, values when small; {@code what} names it in errors. */
    static ConstTensor fromProto(TensorProto t, String name, String what) {
        List<Long> dims = t.getDimsList();
        long n = elements(dims, what);
        Kind kind = kindOf(t.getDataType());
        int size = elementBytes(t.getDataType());
        ByteString raw = t.getRawData();
        if (!raw.isEmpty() && size > 0 && raw.size() != n * size) {
            throw new IllegalArgumentException(what + ": raw data of " + raw.size() + " bytes does not fit dims " + dims
                    + " of " + size + "-byte elements");
        }
        int typed = typedCount(t);
        if (typed != 0 && typed != n && !(t.getDataType() == DataType.COMPLEX64_VALUE || t.getDataType() == DataType.COMPLEX128_VALUE)) {
            throw new IllegalArgumentException(what + ": holds " + typed + " values for dims " + dims);
        }
        boolean small = kind == Kind.INT ? n <= MAX_INT_VALUES : kind == Kind.FLOAT && n <= MAX_REAL_VALUES;
        boolean present = n == 0 || !raw.isEmpty() || typed != 0;
        if (!small || !present || (size == 0 && raw.size() > 0)) {
            return new ConstTensor(name, dims, kind, null, null, t.getDocString());
        }
        if (kind == Kind.INT) {
            return new ConstTensor(name, dims, kind, readInts(t, (int) n, what), null, t.getDocString());
        }
        return new ConstTensor(name, dims, kind, null, readReals(t, (int) n, what), t.getDocString());
    }

    private static int typedCount(TensorProto t) {
        return t.getFloatDataCount() + t.getInt32DataCount() + t.getInt64DataCount() + t.getDoubleDataCount()
                + t.getUint64DataCount();
    }

    /** When the values are not in the raw data, they must all be in one typed field. */
    private static IllegalArgumentException split(TensorProto t, String what) {
        return new IllegalArgumentException(what + ": its values are split between typed fields (float_data "
                + t.getFloatDataCount() + ", int32_data " + t.getInt32DataCount() + ", int64_data " + t.getInt64DataCount()
                + ", double_data " + t.getDoubleDataCount() + ", uint64_data " + t.getUint64DataCount() + ")");
    }

    private static long[] readInts(TensorProto t, int n, String what) {
        long[] out = new long[n];
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int type = t.getDataType();
            for (int i = 0; i < n; i++) {
                out[i] = switch (DataType.forNumber(type)) {
                    case INT8 -> b.get();
                    case UINT8, BOOL -> b.get() & 0xFF;
                    case INT16 -> b.getShort();
                    case UINT16 -> b.getShort() & 0xFFFF;
                    case INT32 -> b.getInt();
                    case UINT32 -> b.getInt() & 0xFFFFFFFFL;
                    default -> b.getLong();
                };
            }
            return out;
        }
        if (t.getInt64DataCount() != n && t.getInt32DataCount() != n && t.getUint64DataCount() != n) {
            throw split(t, what);
        }
        for (int i = 0; i < n; i++) {
            if (t.getInt64DataCount() == n) {
                out[i] = t.getInt64Data(i);
            } else if (t.getInt32DataCount() == n) {
                out[i] = t.getInt32Data(i);
            } else {
                out[i] = t.getUint64Data(i);
            }
        }
        return out;
    }

    private static double[] readReals(TensorProto t, int n, String what) {
        double[] out = new double[n];
        int type = t.getDataType();
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (DataType.forNumber(type)) {
                    case FLOAT -> b.getFloat();
                    case DOUBLE -> b.getDouble();
                    case FLOAT16 -> halfToFloat(b.getShort());
                    case BFLOAT16 -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                    default -> Double.NaN; // 8-bit floats: never needed for shapes
                };
            }
            return out;
        }
        if (n > 0 && t.getFloatDataCount() != n && t.getDoubleDataCount() != n && t.getInt32DataCount() != n
                && t.getInt64DataCount() != n && t.getUint64DataCount() != n) {
            throw split(t, what);
        }
        boolean halves = t.getInt32DataCount() == n;
        for (int i = 0; i < n; i++) {
            if (t.getFloatDataCount() == n) {
                out[i] = t.getFloatData(i);
            } else if (t.getDoubleDataCount() == n) {
                out[i] = t.getDoubleData(i);
            } else if (type == DataType.FLOAT16_VALUE && halves) {
                out[i] = halfToFloat((short) t.getInt32Data(i));
            } else if (type == DataType.BFLOAT16_VALUE && halves) {
                out[i] = Float.intBitsToFloat((t.getInt32Data(i) & 0xFFFF) << 16);
            } else {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
