package org.pimopt.imports.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How to read a model file that is not a pimopt network.
 *
 * @param inputShapes        full ONNX shapes of graph inputs, batch dimension first
 *                           ({@code input_ids -> [1, 128]}); the batch is always taken as 1
 * @param dims               values of named (symbolic) dimensions of an ONNX model ({@code sequence -> 128})
 * @param lenient            unknown ONNX ops with one computed input pass their input through
 *                           (reported through {@code warnings}) instead of failing
 * @param pimcompDenseGroups size grouped convolutions of PIMCOMP files as dense ones, as PIMCOMP does
 * @param warnings           receives one line per thing worth telling the user
 */
public record ImportOptions(Map<String, List<Long>> inputShapes, Map<String, Integer> dims, boolean lenient,
                            boolean pimcompDenseGroups, Consumer<String> warnings) {

    public static final ImportOptions DEFAULT = new ImportOptions(Map.of(), Map.of(), false, false, w -> {});

    public ImportOptions {
        inputShapes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputShapes));
        dims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dims));
        warnings = warnings == null ? w -> {} : warnings;
    }

    public ImportOptions withDims(Map<String, Integer> values) {
        Map<String, Integer> merged = new LinkedHashMap<>(dims);
        merged.putAll(values);
        return new ImportOptions(inputShapes, merged, lenient, pimcompDenseGroups, warnings);
    }

    public ImportOptions withLenient(boolean value) {
        return new ImportOptions(inputShapes, dims, value, pimcompDenseGroups, warnings);
    }

    public ImportOptions withPimcompDenseGroups(boolean value) {
        return new ImportOptions(inputShapes, dims, lenient, value, warnings);
    }

    public ImportOptions withWarnings(Consumer<String> sink) {
        return new ImportOptions(inputShapes, dims, lenient, pimcompDenseGroups, sink);
    }

    public ImportOptions withInputShape(String input, List<Long> shape) {
        Map<String, List<Long>> merged = new LinkedHashMap<>(inputShapes);
        merged.put(input, List.copyOf(shape));
        return new ImportOptions(merged, dims, lenient, pimcompDenseGroups, warnings);
    }

    /** Parses {@code 1x3x224x224} (an ONNX shape, batch first) into its dimensions. */
    public static List<Long> parseShape(String text) {
        if (text == null || text.isBlank()) {
            throw new ImportException("empty input shape (expected e.g. 1x3x224x224)");
        }
        List<Long> dims = new ArrayList<>();
        for (String token : text.trim().split("x", -1)) {
            if (token.isEmpty() || token.length() > 12 || !token.chars().allMatch(Character::isDigit)) {
                throw new ImportException("cannot read dimension '" + token + "' of input shape '" + text
                        + "' (expected positive numbers joined by 'x', e.g. 1x3x224x224)");
            }
            long d = Long.parseLong(token);
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw new ImportException("dimension " + d + " of input shape '" + text + "' is not a positive 32-bit number");
            }
            dims.add(d);
        }
        return dims;
    }
}
