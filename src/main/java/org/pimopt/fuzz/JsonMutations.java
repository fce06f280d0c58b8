package org.pimopt.fuzz;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mutations of a JSON tree in place: values replaced by edge values or values of another type,
 * members and elements removed, duplicated, swapped or renamed, containers emptied or given an
 * unknown member, values spliced from another seed, and deep nesting (a marker {@link Mutator}
 * expands when it writes the tree back).
 */
final class JsonMutations {
    /** Stands for a deep nest until the tree is written back as text. */
    static final String DEEP = "\u0001deep\u0001";

    private JsonMutations() {}

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
    static boolean mutate(JsonElement root, List<byte[]> others, SplittableRandom rnd) {
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
                    slot.set(new JsonPrimitive(new BigDecimal(EdgeValues.NUMBERS[rnd.nextInt(EdgeValues.NUMBERS.length)])));
                }
            }
            case 3 -> slot.set(otherType(value, rnd)); // a value of another type
            case 4 -> { // a string from elsewhere in the file, or an edge string
                String s = !strings.isEmpty() && rnd.nextBoolean() ? strings.get(rnd.nextInt(strings.size()))
                        : EdgeValues.STRINGS[rnd.nextInt(EdgeValues.STRINGS.length)];
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
            default -> new JsonPrimitive(new BigDecimal(EdgeValues.NUMBERS[rnd.nextInt(EdgeValues.NUMBERS.length)]));
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
            case 5 -> new JsonPrimitive(new BigDecimal(EdgeValues.NUMBERS[rnd.nextInt(EdgeValues.NUMBERS.length)]));
            default -> new JsonPrimitive(EdgeValues.STRINGS[rnd.nextInt(EdgeValues.STRINGS.length)]);
        };
    }

    private static JsonObject withExtra(JsonObject o, List<String> keys, SplittableRandom rnd) {
        JsonObject copy = o.deepCopy();
        String k = !keys.isEmpty() && rnd.nextBoolean() ? keys.get(rnd.nextInt(keys.size())) : "unknown_field";
        copy.add(k, new JsonPrimitive(new BigDecimal(EdgeValues.NUMBERS[rnd.nextInt(EdgeValues.NUMBERS.length)])));
        return copy;
    }
}
