package org.pimopt.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A shape as written in a network file, whose dimensions are numbers or named symbols
 * ({@code seqx768}); {@link #bind} turns it into a concrete {@link Shape}.
 */
public record ShapeSpec(List<Dim> dims) {

    /** One dimension of a shape spec. */
    public sealed interface Dim permits Fixed, Symbol {}

    public record Fixed(int size) implements Dim {
        @Override
        public String toString() {
            return Integer.toString(size);
        }
    }

    public record Symbol(String name) implements Dim {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-wyz_][A-Za-wyz_0-9]*");

    public ShapeSpec {
        dims = List.copyOf(dims);
    }

    public static ShapeSpec of(Shape shape) {
        return new ShapeSpec(shape.dims().stream().<Dim>map(Fixed::new).toList());
    }

    /**
     * Parses {@code 3x224x224} or {@code seqx768}: dimensions joined by 'x', each a positive number
     * or a symbol. Symbols are identifiers without a lower-case 'x', so the separator stays
     * unambiguous.
     */
    public static ShapeSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IrException("empty shape");
        }
        List<Dim> dims = new ArrayList<>();
        for (String token : text.trim().split("x", -1)) {
            if (!token.isEmpty() && token.chars().allMatch(Character::isDigit)) {
                long value = token.length() > 10 ? Long.MAX_VALUE : Long.parseLong(token);
                if (value <= 0 || value > Integer.MAX_VALUE) {
                    throw new IrException("dimension '" + token + "' in shape '" + text + "' is not a positive 32-bit number");
                }
                dims.add(new Fixed((int) value));
            } else if (SYMBOL.matcher(token).matches()) {
                dims.add(new Symbol(token));
            } else {
                throw new IrException("cannot read dimension '" + token + "' in shape '" + text + "'");
            }
        }
        return new ShapeSpec(dims);
    }

    /** Whether {@code name} can be a symbol in a shape (an identifier without 'x'). */
    public static boolean isSymbolName(String name) {
        return name != null && SYMBOL.matcher(name).matches();
    }

    public boolean isConcrete() {
        return dims.stream().allMatch(d -> d instanceof Fixed);
    }

    /** Replaces every symbol by its value; an unbound symbol is an error naming {@code owner}. */
    public Shape bind(Map<String, Integer> values, String owner) {
        List<Integer> sizes = new ArrayList<>(dims.size());
        for (Dim d : dims) {
            if (d instanceof Fixed f) {
                sizes.add(f.size());
            } else {
                String name = ((Symbol) d).name();
                Integer v = values.get(name);
                if (v == null) {
                    throw new IrException(owner + ": dimension '" + name + "' is not bound (give it a value, e.g. --dim " + name + "=128)");
                }
                sizes.add(v);
            }
        }
        try {
            return new Shape(sizes);
        } catch (IrException e) {
            throw new IrException(owner + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return dims.stream().map(Object::toString).collect(Collectors.joining("x"));
    }
}
