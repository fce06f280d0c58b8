package org.pimopt.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutations of a protobuf message in place (ONNX models and binary plans), over every field
 * reachable by reflection: its scalars set to edge values, its strings to other strings of the
 * file or ONNX op names, its repeated fields shortened, duplicated or reordered, its sub-messages
 * cleared.
 */
final class ProtoMutations {
    private ProtoMutations() {}

    /** A field of a message builder, and which element when the field is repeated (-1 otherwise). */
    private record Field(Message.Builder owner, FieldDescriptor field, int index) {}

    /** One mutation of a protobuf message in place (never plants a marker: false). */
    static boolean mutate(Message.Builder root, SplittableRandom rnd) {
        List<Field> fields = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        walk(root, fields, strings, 0);
        if (fields.isEmpty()) {
            throw new IllegalStateException("an empty message");
        }
        Field f = fields.get(rnd.nextInt(fields.size()));
        Message.Builder b = f.owner();
        FieldDescriptor fd = f.field();
        int op = rnd.nextInt(10);
        if (fd.isRepeated() && op < 4) {
            int n = b.getRepeatedFieldCount(fd);
            switch (op) {
                case 0 -> { // remove the element
                    List<Object> keep = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if (i != f.index()) {
                            keep.add(b.getRepeatedField(fd, i));
                        }
                    }
                    b.setField(fd, keep);
                }
                case 1 -> { // duplicate it
                    int times = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(100) : 1;
                    for (int i = 0; i < times; i++) {
                        b.addRepeatedField(fd, b.getRepeatedField(fd, f.index()));
                    }
                }
                case 2 -> { // swap it with another element
                    int j = rnd.nextInt(n);
                    Object a = b.getRepeatedField(fd, f.index());
                    b.setRepeatedField(fd, f.index(), b.getRepeatedField(fd, j));
                    b.setRepeatedField(fd, j, a);
                }
                default -> b.clearField(fd); // empty the field
            }
            return false;
        }
        Object value = f.index() >= 0 ? b.getRepeatedField(fd, f.index()) : b.getField(fd);
        Object next = scalar(fd, value, strings, rnd);
        if (next == null) {
            b.clearField(fd);
        } else if (f.index() >= 0) {
            b.setRepeatedField(fd, f.index(), next);
        } else {
            b.setField(fd, next);
        }
        return false;
    }

    private static void walk(Message.Builder b, List<Field> fields, List<String> strings, int depth) {
        if (depth > 32) {
            return;
        }
        for (FieldDescriptor fd : b.getDescriptorForType().getFields()) {
            if (fd.isRepeated()) {
                int n = b.getRepeatedFieldCount(fd);
                for (int i = 0; i < n; i++) {
                    fields.add(new Field(b, fd, i));
                    if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        walk(b.getRepeatedFieldBuilder(fd, i), fields, strings, depth + 1);
                    } else if (fd.getJavaType() == FieldDescriptor.JavaType.STRING && strings.size() < 10_000) {
                        strings.add((String) b.getRepeatedField(fd, i));
                    }
                }
            } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (b.hasField(fd)) {
                    fields.add(new Field(b, fd, -1));
                    walk(b.getFieldBuilder(fd), fields, strings, depth + 1);
                }
            } else if (fd.hasPresence() ? b.hasField(fd) : !b.getField(fd).equals(fd.getDefaultValue())) {
                fields.add(new Field(b, fd, -1));
                if (fd.getJavaType() == FieldDescriptor.JavaType.STRING && strings.size() < 10_000) {
                    strings.add((String) b.getField(fd));
                }
            }
        }
    }

    /** A new value for a scalar field, or null to clear the field (and every message field). */
    private static Object scalar(FieldDescriptor fd, Object value, List<String> strings, SplittableRandom rnd) {
        long edge = EdgeValues.INTS[rnd.nextInt(EdgeValues.INTS.length)];
        switch (fd.getJavaType()) {
            case INT:
                return rnd.nextInt(3) == 0 ? (Integer) value + (rnd.nextBoolean() ? 1 : -1) : (int) edge;
            case LONG:
                return rnd.nextInt(3) == 0 ? (Long) value + (rnd.nextBoolean() ? 1 : -1) : edge;
            case FLOAT: {
                float[] edges = {0f, -0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, 1e-40f,
                    Float.MAX_VALUE, 0.5f};
                return edges[rnd.nextInt(edges.length)];
            }
            case DOUBLE: {
                double[] edges = {0, -0.0, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, 1e-320,
                    Double.MAX_VALUE, 0.5, 1e15};
                return edges[rnd.nextInt(edges.length)];
            }
            case BOOLEAN:
                return !(Boolean) value;
            case STRING: {
                int k = rnd.nextInt(3);
                if (k == 0 && !strings.isEmpty()) {
                    return strings.get(rnd.nextInt(strings.size()));
                }
                return k == 1 ? EdgeValues.ONNX_OPS[rnd.nextInt(EdgeValues.ONNX_OPS.length)]
                        : EdgeValues.STRINGS[rnd.nextInt(EdgeValues.STRINGS.length)];
            }
            case BYTE_STRING: {
                ByteString s = (ByteString) value;
                return switch (rnd.nextInt(3)) {
                    case 0 -> ByteString.EMPTY;
                    case 1 -> s.substring(0, rnd.nextInt(s.size() + 1));
                    default -> s.concat(ByteString.copyFrom(new byte[1 + rnd.nextInt(16)]));
                };
            }
            case ENUM: {
                List<EnumValueDescriptor> values = fd.getEnumType().getValues();
                return values.get(rnd.nextInt(values.size()));
            }
            default:
                return null; // MESSAGE: clear it
        }
    }
}
