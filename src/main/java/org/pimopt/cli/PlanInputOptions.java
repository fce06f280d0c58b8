package org.pimopt.cli;

import java.io.PrintWriter;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.PlanSource;
import org.pimopt.proto.PlanFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of commands that read a plan ({@code simulate}, {@code place}): by default the
 * network and chip are read as the plan records ({@link PlanSource}); these flags replace what
 * the plan says, for plans of older versions or files that moved. A flag given replaces only its
 * own part: {@code --input-shape} alone keeps the recorded model file; {@code --dim} and
 * {@code --input-shape} replace the recorded bindings, {@code --lenient} and dense groups add to them.
 */
final class PlanInputOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "NAME|FILE",
            description = "The plan's network. Default: as the plan records it (its file, shapes and dimensions).")
    String model;

    @Mixin
    ModelReading reading;

    @Option(names = "--hw", paramLabel = "PRESET|FILE", description = "The plan's chip. Default: as the plan records it.")
    String hardware;

    /** The source the plan records, with what these flags replace. */
    PlanSource source(PlanFile file) {
        PlanSource recorded = PlanIo.source(file);
        PlanSource source = recorded;
        if (readsModelFlags()) {
            source = recorded.withModel(model != null ? model : recorded.model(),
                    reading.dims.isEmpty() ? recorded.dims() : reading.dims,
                    reading.inputShapes.isEmpty() ? recorded.inputShapes() : reading.inputShapes,
                    reading.lenient || recorded.lenient(), reading.pimcompDenseGroups || recorded.pimcompDenseGroups());
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
        return model != null || reading.given();
    }
}
