package org.pimopt.cli;

import org.pimopt.ir.Network;
import org.pimopt.plan.PlanSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that choose a network: {@code --model}, and how to read it. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "NAME|FILE", defaultValue = "resnet18",
            description = "Built-in network name (see 'pimopt models'), a pimopt or PIMCOMP JSON network, or an"
                    + " .onnx file. Default: ${DEFAULT-VALUE}.")
    String model;

    @Mixin
    ModelReading reading;

    /** The network, its file named in messages as the user gave it. */
    Network load(java.io.PrintWriter err) {
        return new PlanSource(model, reading.dims, reading.inputShapes, reading.lenient, reading.pimcompDenseGroups, null)
                .network(w -> err.println("pimopt: warning: " + Main.oneLine(w)));
    }

    /** What a plan records of these options and the chip argument, so that it can be read again alone. */
    PlanSource source(String hardware) {
        return PlanSource.of(model, reading.dims, reading.inputShapes, reading.lenient, reading.pimcompDenseGroups, hardware);
    }
}
