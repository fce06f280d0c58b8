package org.pimopt.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a model file is read: named dimensions, ONNX input shapes, lenient ops, PIMCOMP's dense
 * groups. Commands that choose a network ({@link ModelOptions}) and those that read one back from
 * a plan ({@link PlanInputOptions}) share these flags.
 */
final class ModelReading {
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

    /** Whether any of these flags was given. */
    boolean given() {
        return !dims.isEmpty() || !inputShapes.isEmpty() || lenient || pimcompDenseGroups;
    }
}
