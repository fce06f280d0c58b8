package org.pimopt.fuzz;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.pimopt.proto.PlanFile;

/**
 * Mutations of valid input files, stacked: on the bytes ({@link ByteMutations}), and on the parsed
 * file while it parses, a JSON tree ({@link JsonMutations}) or a protobuf message, an ONNX model or
 * a binary plan ({@link ProtoMutations}). Every mutation depends only on the random source it is
 * given, so an execution is replayed from the campaign seed and its index.
 */
public final class Mutator {
    /** How a file is read, from its extension: JSON text, an ONNX model, or a binary plan. */
    public enum Format {
        JSON, ONNX, PLAN_PB;

        public static Format of(String fileName) {
            return fileName.endsWith(".onnx") ? ONNX : fileName.endsWith(".pb") ? PLAN_PB : JSON;
        }
    }

    private static final Gson COMPACT = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();
    private static final Gson PRETTY = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().setPrettyPrinting().create();
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
                        deep |= tree instanceof JsonElement root ? JsonMutations.mutate(root, others, rnd)
                                : ProtoMutations.mutate((Message.Builder) tree, rnd);
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
            data = ByteMutations.mutate(data, others, rnd);
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
            text = text.replace("\"" + JsonMutations.DEEP + "\"", open.repeat(depth) + "1" + close.repeat(depth));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
