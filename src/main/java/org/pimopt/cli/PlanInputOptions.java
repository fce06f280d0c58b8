package org.pimopt.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.PlanSource;
import org.pimopt.proto.PlanFile;
import picocli.CommandLine.Option;

/**
 * The options of commands that read a plan ({@code simulate}, {@code place}): by default the
 * network and chip are read as the plan records ({@link PlanSource}); these flags replace what
 * the plan says, for plans of older versions or files that moved. A flag given replaces only its
 * own part: {@code --input-shape} alone keeps the recorded model file.
 */
final class PlanInputOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "NAME|FILE",
            description = "The plan's network. Default: as the plan records it (its file, shapes and dimensions).")
    String model;

    @Option(names = "--dim", paramLabel = "NAME=VALUE",
            description = "Bind a named dimension of the network (replaces the plan's bindings), e.g. --dim seq=256.")
    Map<String, Integer> dims = new LinkedHashMap<>();

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "Shape of an ONNX graph input, batch first (replaces the plan's shapes), e.g. --input-shape image=1x3x224x224.")
    Map<String, String> inputShapes = new LinkedHashMap<>();

    @Option(names = "--lenient", description = "Pass unknown one-input ONNX ops through as vector ops. Default: as the plan records.")
    boolean lenient;

    @Option(names = "--pimcomp-dense-groups",
            description = "Size grouped convolutions of PIMCOMP files densely. Default: as the plan records.")
    boolean pimcompDenseGroups;

    @Option(names = "--hw", paramLabel = "PRESET|FILE", description = "The plan's chip. Default: as the plan records it.")
    String hardware;

    /** The source the plan records, with what these flags replace. */
    PlanSource source(PlanFile file) {
        PlanSource recorded = PlanIo.source(file);
        PlanSource source = recorded;
        if (model != null || !dims.isEmpty() || !inputShapes.isEmpty() || lenient || pimcompDenseGroups) {
            source = recorded.withModel(model != null ? model : recorded.model(),
                    dims.isEmpty() ? recorded.dims() : dims, inputShapes.isEmpty() ? recorded.inputShapes() : inputShapes,
                    lenient || recorded.lenient(), pimcompDenseGroups || recorded.pimcompDenseGroups());
        }
        return hardware != null ? source.withHardware(hardware) : source;
    }

    /**
     * The plan's network: read as the plan records it (errors name the plan file), or as the flags
     * say (errors name the model).
     */
    Network network(PlanFile file, String origin, PrintWriter err) {
        PlanSource source = source(file);
        java.util.function.Consumer<String> warnings = w -> err.println("pimopt: warning: " + Main.oneLine(w));
        return readsModelFlags() ? source.network(warnings) : PlanIo.network(source, origin, warnings);
    }

    /** The plan's chip: as recorded (errors name the plan file), or as {@code --hw} says. */
    Chip chip(PlanFile file, String origin) {
        PlanSource source = source(file);
        return hardware != null ? source.chip() : PlanIo.chip(source, origin);
    }

    private boolean readsModelFlags() {
        return model != null || !dims.isEmpty() || !inputShapes.isEmpty() || lenient || pimcompDenseGroups;
    }
}
