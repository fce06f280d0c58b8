package org.pimopt.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.Network;
import org.pimopt.plan.PlanSource;
import picocli.CommandLine.Option;

/** The options that choose a network: {@code --model}, and how to read it. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "NAME|FILE", defaultValue = "resnet18",
            description = "Built-in network name (see 'pimopt models'), a pimopt or PIMCOMP JSON network, or an"
                    + " .onnx file. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--dim", paramLabel = "NAME=VALUE",
            description = "Bind a named dimension of the network, e.g. --dim seq=256 for bert-base.")
    Map<String, Integer> dims = new LinkedHashMap<>();

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "Shape of an ONNX graph input, batch first (the batch is taken as 1), e.g. --input-shape image=1x3x224x224.")
    Map<String, String> inputShapes = new LinkedHashMap<>();

    @Option(names = "--lenient", description = "Pass unknown one-input ONNX ops through as vector ops, with a warning.")
    boolean lenient;

    @Option(names = "--pimcomp-dense-groups", description = "Size grouped convolutions of PIMCOMP files densely, as PIMCOMP does.")
    boolean pimcompDenseGroups;

    Network load(java.io.PrintWriter err) {
        ImportOptions options = ImportOptions.DEFAULT.withLenient(lenient).withPimcompDenseGroups(pimcompDenseGroups)
                .withWarnings(w -> err.println("pimopt: warning: " + Main.oneLine(w)));
        for (Map.Entry<String, String> e : inputShapes.entrySet()) {
            options = options.withInputShape(e.getKey(), ImportOptions.parseShape(e.getValue()));
        }
        return ModelCatalog.load(model, dims, options);
    }

    /** What a plan records of these options and the chip argument, so that it can be read again alone. */
    PlanSource source(String hardware) {
        return PlanSource.of(model, dims, inputShapes, lenient, pimcompDenseGroups, hardware);
    }
}
