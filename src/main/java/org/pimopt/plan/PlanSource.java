package org.pimopt.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.pimopt.BuiltIn;
import org.pimopt.PimoptException;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.Network;

/**
 * How a plan's network and chip were read: the model and hardware arguments of the command that
 * made it. A plan records them (plan.proto {@code source}) so that {@code simulate} and
 * {@code place} re-create, from the plan alone, the instance it was solved for: an ONNX model's
 * input shapes and named dimensions, lenient op handling and PIMCOMP's dense groups change the
 * network, and a network or chip given as a file is not found by its name. Files are recorded by
 * their absolute path, so the plan reads the same from any working directory.
 *
 * @param model       built-in network name, or a model file's path
 * @param dims        {@code --dim} bindings as given
 * @param inputShapes {@code --input-shape} per ONNX graph input, as given ({@code 1x3x224x224})
 * @param hardware    preset name, or a hardware file's path
 */
public record PlanSource(String model, Map<String, Integer> dims, Map<String, String> inputShapes, boolean lenient,
                         boolean pimcompDenseGroups, String hardware) {

    public PlanSource {
        dims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dims));
        inputShapes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputShapes));
    }

    /** The arguments as a command got them, file paths made absolute. */
    public static PlanSource of(String model, Map<String, Integer> dims, Map<String, String> inputShapes, boolean lenient,
                                boolean pimcompDenseGroups, String hardware) {
        boolean builtInModel = ModelCatalog.zooNames().contains(model);
        boolean preset = ChipLoader.presetNames().contains(hardware);
        return new PlanSource(builtInModel ? model : absolute(model), dims, inputShapes, lenient, pimcompDenseGroups,
                preset ? hardware : absolute(hardware));
    }

    /** The same source with another model argument (and its own reading options). */
    public PlanSource withModel(String otherModel, Map<String, Integer> otherDims, Map<String, String> otherShapes,
                                boolean otherLenient, boolean otherDenseGroups) {
        return of(otherModel, otherDims, otherShapes, otherLenient, otherDenseGroups, hardware);
    }

    /** The same source on another chip argument. */
    public PlanSource withHardware(String otherHardware) {
        return of(model, dims, inputShapes, lenient, pimcompDenseGroups, otherHardware);
    }

    /** The options the model is read with; {@code warnings} gets the importer's warnings. */
    public ImportOptions importOptions(Consumer<String> warnings) {
        ImportOptions options = ImportOptions.DEFAULT.withLenient(lenient).withPimcompDenseGroups(pimcompDenseGroups)
                .withWarnings(warnings);
        for (Map.Entry<String, String> e : inputShapes.entrySet()) {
            options = options.withInputShape(e.getKey(), ImportOptions.parseShape(e.getValue()));
        }
        return options;
    }

    /** The network, read and bound as recorded. */
    public Network network(Consumer<String> warnings) {
        return ModelCatalog.load(model, dims, importOptions(warnings));
    }

    /** The chip, read as recorded. */
    public Chip chip() {
        return ChipLoader.load(hardware);
    }

    org.pimopt.proto.PlanSource toProto() {
        return org.pimopt.proto.PlanSource.newBuilder().setModel(model).putAllDims(dims).putAllInputShapes(inputShapes)
                .setLenient(lenient).setPimcompDenseGroups(pimcompDenseGroups).setHardware(hardware).build();
    }

    /** The source a plan file records; null for plans of versions that recorded none. */
    static PlanSource fromProto(org.pimopt.proto.PlanFile file) {
        if (!file.hasSource()) {
            return null;
        }
        org.pimopt.proto.PlanSource s = file.getSource();
        return new PlanSource(s.getModel(), s.getDimsMap(), s.getInputShapesMap(), s.getLenient(), s.getPimcompDenseGroups(),
                s.getHardware());
    }

    private static String absolute(String nameOrPath) {
        Path path = nameOrPath == null ? null : BuiltIn.pathOrNull(nameOrPath);
        if (path == null || !Files.exists(path)) {
            return nameOrPath;
        }
        try {
            return path.toAbsolutePath().normalize().toString();
        } catch (java.io.IOError | SecurityException e) {
            throw new PimoptException(nameOrPath + ": cannot resolve its absolute path: " + e.getMessage());
        }
    }
}
