package org.pimopt.fuzz;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.pimopt.proto.PlanFile;

/**
 * Mutations of valid input files: bytes (flips, interesting values, deletions, insertions,
 * truncation, splicing with another seed), JSON trees (values replaced by edge values or values of
 * another type, members and elements removed, duplicated, swapped or renamed, deep nesting) and
 * protobuf messages (ONNX models and binary plans: every field reachable by reflection, its scalars
 * set to edge values, its strings to other strings of the file or ONNX op names, its repeated
 * fields shortened, duplicated or reordered, its sub-messages cleared). Every mutation depends only
 * on the random source it is given, so an execution is replayed from the campaign seed and its index.
 */
public final class Mutator {
    /** How a file is read, from its extension: JSON text, an ONNX model, or a binary plan. */
    public enum Format {
        JSON, ONNX, PLAN_PB;

        public static Format of(String fileName) {
            return fileName.endsWith(".onnx") ? ONNX : fileName.endsWith(".pb") ? PLAN_PB : JSON;
        }
    }

    static final long[] INTERESTING_INTS = {0, -1, 1, 2, 3, 7, 8, 15, 16, 255, 256, 1023, 1024, 65535, 65536, 1_000_000,
        Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, 4_294_967_295L, 4_294_967_296L,
        Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 1L << 53, -(1L << 31) + 1};
    static final String[] INTERESTING_NUMBERS = {"0", "-0", "-1", "1", "2", "0.5", "-0.5", "1.5", "1e-320", "1e308", "-1e308",
        "1e309", "1e30", "1e18", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483647",
        "2147483648", "-2147483648", "4294967296", "3.0000000001", "1e-9", "65536", "100000000", "123456789012345678901234567890"};
    static final String[] ONNX_OPS = {"Conv", "Gemm", "MatMul", "Relu", "Add", "Sub", "Mul", "Div", "Concat", "Reshape",
        "Transpose", "Flatten", "MaxPool", "AveragePool", "GlobalAveragePool", "Softmax", "BatchNormalization", "Split",
        "Slice", "Gather", "Shape", "Unsqueeze", "Squeeze", "Constant", "Identity", "Pow", "Sqrt", "ReduceMean", "Erf",
        "Tanh", "Sigmoid", "LayerNormalization", "Pad", "Resize", "Clip", "Max", "Min", "If", "Loop", "Cast", "Expand",
        "Where", "Equal", "ConstantOfShape", "Range", "Einsum", "ConvTranspose", "Dropout", "LRN", "Sum", "Mean",
        "GlobalMaxPool", "Tile", "TopK", "Not", "Neg", "Abs", "Exp", "Log", "ReduceSum", "Scan", "NoSuchOp", ""};
    static final String[] INTERESTING_STRINGS = {"", " ", "x", "../x", "/", "a.b", "\u0000", "\uFFFD", "é", "NaN", "-1", "0",
        "1e400", "null", "compass-s", "lenet5", "resnet18", "latency", "edp", "energy", "OP_CONV", "OP_FC", "OP_INPUT",
        "OP_POOL", "OP_ELTWISE", "OP_CONCAT", "conv", "linear", "matmul", "pool", "input", "add", "concat"};

    private static final Gson COMPACT = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();
    private static final Gson PRETTY = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().setPrettyPrinting().create();
    private static final String DEEP = "\u0001deep\u0001";
    private static final int MAX_BYTES = 4 << 20;

    private Mutator() {}

    /**
     * A mutant of {@code seed}: one to eight stacked mutations (one time in ten 8 to 32), each
     * structural (JSON or protobuf, as the format allows) or on the bytes; {@code others} are the
     * other seeds of the same kind, for splicing.
     */
    public static byte[] mutate(byte[] seed, Format format, List<byte[]> others, SplittableRandom rnd) {
        byte[] data = seed;
        Object tree = null; // the parsed form while structural mutations follow one another
        boolean deep = false;
        int n = 1;
        while (n < 8 && rnd.nextInt(2) == 0) {
            n++;
        }
        if (rnd.nextInt(10) == 0) {
            n = 8 + rnd.nextInt(25); // now and then many: files far from any seed
        }
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(10) < 6) {
                if (tree == null) {
                    tree = parse(data, format);
                }
                if (tree != null) {
                    try {
                        deep |= tree instanceof JsonElement root ? json(root, others, rnd) : proto((Message.Builder) tree, rnd);
                        data = null;
                        continue;
                    } catch (RuntimeException | StackOverflowError e) {
                        // this mutation could not be made: mutate the bytes instead
                    }
                }
            }
            if (data == null) {
                data = serialize(tree, deep, rnd);
            }
            tree = null;
            deep = false;
            data = bytes(data, others, rnd);
            if (data.length > MAX_BYTES) {
                data = Arrays.copyOf(data, MAX_BYTES);
            }
        }
        return data != null ? data : serialize(tree, deep, rnd);
    }

    /** The file as a JSON tree or a protobuf builder, or null when it does not parse (an earlier mutation broke it). */
    private static Object parse(byte[] data, Format format) {
        try {
            return switch (format) {
                case JSON -> {
                    if (nesting(data) > 200) {
                        yield null; // gson writes trees back recursively: leave deep nests to the bytes
                    }
                    JsonElement root = JsonParser.parseString(new String(data, StandardCharsets.UTF_8));
                    yield root.isJsonObject() || root.isJsonArray() ? root : null;
                }
                case ONNX -> ModelProto.parseFrom(data).toBuilder();
                case PLAN_PB -> PlanFile.parseFrom(data).toBuilder();
            };
        } catch (Exception | StackOverflowError e) {
            return null;
        }
    }

    /** How deep brackets nest in a JSON text (strings skipped). */
    static int nesting(byte[] data) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < data.length; i++) {
            byte c = data[i];
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }

    private static byte[] serialize(Object tree, boolean deep, SplittableRandom rnd) {
        if (tree instanceof Message.Builder b) {
            return b.buildPartial().toByteArray();
        }
        String text = (rnd.nextBoolean() ? COMPACT : PRETTY).toJson((JsonElement) tree);
        if (deep) {
            int depth = rnd.nextBoolean() ? 100 + rnd.nextInt(1000) : 5_000 + rnd.nextInt(20_000);
            String open = rnd.nextBoolean() ? "[" : "{\"a\":";
            String close = open.equals("[") ? "]" : "}";
            text = text.replace("\"" + DEEP + "\"", open.repeat(depth) + "1" + close.repeat(depth));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- bytes

    static byte[] bytes(byte[] data, List<byte[]> others, SplittableRandom rnd) {
        int len = data.length;
        if (len == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        switch (rnd.nextInt(10)) {
            case 0: { // flip a bit
                byte[] d = data.clone();
                int p = rnd.nextInt(len);
                d[p] ^= (byte) (1 << rnd.nextInt(8));
                return d;
            }
            case 1: { // a byte set to an edge value
                byte[] d = data.clone();
                byte[] edge = {0, (byte) 0xff, 0x7f, (byte) 0x80, 1, '"', '{', '[', ']', '}', ',', ':', '-', '9', '.', 'e'};
                d[rnd.nextInt(len)] = edge[rnd.nextInt(edge.length)];
                return d;
            }
            case 2: { // a random byte
                byte[] d = data.clone();
                d[rnd.nextInt(len)] = (byte) rnd.nextInt(256);
                return d;
            }
            case 3: { // delete a range
                int from = rnd.nextInt(len);
                int n = Math.min(len - from, 1 + rnd.nextInt(Math.max(1, Math.min(len, 64))));
                return concat(Arrays.copyOfRange(data, 0, from), Arrays.copyOfRange(data, from + n, len));
            }
            case 4: { // duplicate a range
                int from = rnd.nextInt(len);
                int n = Math.min(len - from, 1 + rnd.nextInt(Math.max(1, Math.min(len, 256))));
                int at = rnd.nextInt(len + 1);
                return concat(Arrays.copyOfRange(data, 0, at), Arrays.copyOfRange(data, from, from + n),
                        Arrays.copyOfRange(data, at, len));
            }
            case 5: // truncate
                return Arrays.copyOf(data, rnd.nextInt(len));
            case 6: { // splice with another seed of the kind
                byte[] other = others.get(rnd.nextInt(others.size()));
                if (other.length == 0) {
                    return data;
                }
                int cut = rnd.nextInt(len);
                int from = rnd.nextInt(other.length);
                return concat(Arrays.copyOfRange(data, 0, cut), Arrays.copyOfRange(other, from, other.length));
            }
            case 7: { // an edge integer written over 1, 2, 4 or 8 bytes (varints, lengths, raw tensor data)
                byte[] d = data.clone();
                long v = INTERESTING_INTS[rnd.nextInt(INTERESTING_INTS.length)];
                int width = 1 << rnd.nextInt(4);
                int p = rnd.nextInt(len);
                for (int i = 0; i < width && p + i < len; i++) {
                    d[p + i] = (byte) (v >>> (8 * i));
                }
                return d;
            }
            case 8: { // a digit run replaced by an edge number (text formats)
                int p = rnd.nextInt(len);
                int start = -1;
                for (int i = p; i < len; i++) {
                    if (data[i] >= '0' && data[i] <= '9') {
                        start = i;
                        break;
                    }
                }
                if (start < 0) {
                    return bytes(data, others, rnd);
                }
                int end = start;
                while (end < len && (data[end] >= '0' && data[end] <= '9' || data[end] == '.')) {
                    end++;
                }
                byte[] num = INTERESTING_NUMBERS[rnd.nextInt(INTERESTING_NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
                return concat(Arrays.copyOfRange(data, 0, start), num, Arrays.copyOfRange(data, end, len));
            }
            default: { // insert random bytes
                int n = 1 + rnd.nextInt(8);
                byte[] ins = new byte[n];
                for (int i = 0; i < n; i++) {
                    ins[i] = (byte) rnd.nextInt(256);
                }
                int at = rnd.nextInt(len + 1);
                return concat(Arrays.copyOfRange(data, 0, at), ins, Arrays.copyOfRange(data, at, len));
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    // ---------------------------------------------------------------- JSON

    /** A place in a JSON tree: member {@code key} of an object, or element {@code index} of an array. */
    private record Slot(JsonElement parent, String key, int index) {
        JsonElement get() {
            return parent instanceof JsonObject o ? o.get(key) : ((JsonArray) parent).get(index);
        }

        void set(JsonElement v) {
            if (parent instanceof JsonObject o) {
                o.add(key, v);
            } else {
                ((JsonArray) parent).set(index, v);
            }
        }
    }

    /** One mutation of a JSON tree in place; true when it planted the deep-nesting marker. */
    static boolean json(JsonElement root, List<byte[]> others, SplittableRandom rnd) {
        List<Slot> slots = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        collect(root, slots, keys, strings, 0);
        if (slots.isEmpty()) {
            throw new IllegalStateException("an empty document");
        }
        Slot slot = slots.get(rnd.nextInt(slots.size()));
        JsonElement value = slot.get();
        boolean deep = false;
        switch (rnd.nextInt(12)) {
            case 0, 1, 2 -> { // numbers: edge values, neighbours, scaled
                if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
                    slot.set(number(value.getAsJsonPrimitive(), rnd));
                } else {
                    slot.set(new JsonPrimitive(new BigDecimal(INTERESTING_NUMBERS[rnd.nextInt(INTERESTING_NUMBERS.length)])));
                }
            }
            case 3 -> slot.set(otherType(value, rnd)); // a value of another type
            case 4 -> { // a string from elsewhere in the file, or an edge string
                String s = !strings.isEmpty() && rnd.nextBoolean() ? strings.get(rnd.nextInt(strings.size()))
                        : INTERESTING_STRINGS[rnd.nextInt(INTERESTING_STRINGS.length)];
                slot.set(new JsonPrimitive(s));
            }
            case 5 -> { // remove the member or element
                if (slot.parent() instanceof JsonObject o) {
                    o.remove(slot.key());
                } else {
                    ((JsonArray) slot.parent()).remove(slot.index());
                }
            }
            case 6 -> { // duplicate an element or put a copy of another value here
                if (slot.parent() instanceof JsonArray a) {
                    int times = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(200) : 1;
                    for (int i = 0; i < times; i++) {
                        a.add(value.deepCopy());
                    }
                } else {
                    slot.set(slots.get(rnd.nextInt(slots.size())).get().deepCopy());
                }
            }
            case 7 -> { // swap with another value of the same container, or any other value
                Slot other = slots.get(rnd.nextInt(slots.size()));
                JsonElement v2 = other.get();
                if (v2 != value && !contains(value, v2) && !contains(v2, value)) {
                    slot.set(v2.deepCopy());
                    other.set(value.deepCopy());
                }
            }
            case 8 -> { // rename a member to another key of the file, or an unknown one
                if (slot.parent() instanceof JsonObject o) {
                    o.remove(slot.key());
                    String k = !keys.isEmpty() && rnd.nextBoolean() ? keys.get(rnd.nextInt(keys.size())) : slot.key() + "_x";
                    o.add(k, value);
                } else {
                    ((JsonArray) slot.parent()).set(slot.index(), JsonNull.INSTANCE);
                }
            }
            case 9 -> { // empty a container, or add an unknown member
                if (value.isJsonArray()) {
                    slot.set(new JsonArray());
                } else if (value.isJsonObject()) {
                    slot.set(rnd.nextBoolean() ? new JsonObject() : withExtra(value.getAsJsonObject(), keys, rnd));
                } else {
                    slot.set(JsonNull.INSTANCE);
                }
            }
            case 10 -> { // a value from another seed of the kind (splice)
                List<Slot> s2 = slotsOf(others.get(rnd.nextInt(others.size())));
                slot.set(s2.isEmpty() ? JsonNull.INSTANCE : s2.get(rnd.nextInt(s2.size())).get().deepCopy());
            }
            default -> { // deep nesting
                slot.set(new JsonPrimitive(DEEP));
                deep = true;
            }
        }
        return deep;
    }

    private static final Map<byte[], List<Slot>> SEED_SLOTS = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** The places of a seed's JSON tree (parsed once; never changed, values are copied out). */
    private static List<Slot> slotsOf(byte[] seed) {
        return SEED_SLOTS.computeIfAbsent(seed, k -> {
            List<Slot> out = new ArrayList<>();
            try {
                collect(JsonParser.parseString(new String(k, StandardCharsets.UTF_8)), out, new ArrayList<>(), new ArrayList<>(), 0);
            } catch (RuntimeException e) {
                // not JSON: nothing to splice from
            }
            return out;
        });
    }

    private static void collect(JsonElement e, List<Slot> slots, List<String> keys, List<String> strings, int depth) {
        if (depth > 64) {
            return;
        }
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                slots.add(new Slot(e, m.getKey(), -1));
                keys.add(m.getKey());
                collect(m.getValue(), slots, keys, strings, depth + 1);
            }
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                slots.add(new Slot(e, null, i));
                collect(a.get(i), slots, keys, strings, depth + 1);
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && strings.size() < 10_000) {
            strings.add(e.getAsString());
        }
    }

    private static boolean contains(JsonElement outer, JsonElement inner) {
        if (outer == inner) {
            return true;
        }
        if (outer.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : outer.getAsJsonObject().entrySet()) {
                if (contains(m.getValue(), inner)) {
                    return true;
                }
            }
        } else if (outer.isJsonArray()) {
            for (JsonElement x : outer.getAsJsonArray()) {
                if (contains(x, inner)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonElement number(JsonPrimitive p, SplittableRandom rnd) {
        BigDecimal x;
        try {
            x = p.getAsBigDecimal();
        } catch (NumberFormatException e) {
            x = BigDecimal.ONE;
        }
        return switch (rnd.nextInt(6)) {
            case 0 -> new JsonPrimitive(x.add(BigDecimal.ONE));
            case 1 -> new JsonPrimitive(x.subtract(BigDecimal.ONE));
            case 2 -> new JsonPrimitive(x.negate());
            case 3 -> new JsonPrimitive(x.multiply(BigDecimal.valueOf(rnd.nextBoolean() ? 1000 : 1_000_000_000L)));
            case 4 -> new JsonPrimitive(x.add(new BigDecimal("0.5")));
            default -> new JsonPrimitive(new BigDecimal(INTERESTING_NUMBERS[rnd.nextInt(INTERESTING_NUMBERS.length)]));
        };
    }

    private static JsonElement otherType(JsonElement v, SplittableRandom rnd) {
        return switch (rnd.nextInt(7)) {
            case 0 -> JsonNull.INSTANCE;
            case 1 -> new JsonPrimitive(rnd.nextBoolean());
            case 2 -> new JsonPrimitive(v.isJsonPrimitive() ? v.getAsJsonPrimitive().getAsString() : "x");
            case 3 -> {
                JsonArray a = new JsonArray();
                if (rnd.nextBoolean()) {
                    a.add(v.deepCopy());
                }
                yield a;
            }
            case 4 -> {
                JsonObject o = new JsonObject();
                if (rnd.nextBoolean()) {
                    o.add("value", v.deepCopy());
                }
                yield o;
            }
            case 5 -> new JsonPrimitive(new BigDecimal(INTERESTING_NUMBERS[rnd.nextInt(INTERESTING_NUMBERS.length)]));
            default -> new JsonPrimitive(INTERESTING_STRINGS[rnd.nextInt(INTERESTING_STRINGS.length)]);
        };
    }

    private static JsonObject withExtra(JsonObject o, List<String> keys, SplittableRandom rnd) {
        JsonObject copy = o.deepCopy();
        String k = !keys.isEmpty() && rnd.nextBoolean() ? keys.get(rnd.nextInt(keys.size())) : "unknown_field";
        copy.add(k, new JsonPrimitive(new BigDecimal(INTERESTING_NUMBERS[rnd.nextInt(INTERESTING_NUMBERS.length)])));
        return copy;
    }

    // ---------------------------------------------------------------- protobuf

    /** A field of a message builder, and which element when the field is repeated (-1 otherwise). */
    private record Field(Message.Builder owner, FieldDescriptor field, int index) {}

    /** One mutation of a protobuf message in place (never plants a marker: false). */
    static boolean proto(Message.Builder root, SplittableRandom rnd) {
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
        long edge = INTERESTING_INTS[rnd.nextInt(INTERESTING_INTS.length)];
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
                return k == 1 ? ONNX_OPS[rnd.nextInt(ONNX_OPS.length)] : INTERESTING_STRINGS[rnd.nextInt(INTERESTING_STRINGS.length)];
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
