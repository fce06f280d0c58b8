package org.pimopt.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.ir.Network;
import picocli.CommandLine.Option;

/** The options that choose a network: {@code --model} and {@code --dim}. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "NAME|FILE", defaultValue = "resnet18",
            description = "Built-in network name (see 'pimopt models') or a network file. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--dim", paramLabel = "NAME=VALUE",
            description = "Bind a named dimension of the network, e.g. --dim seq=256 for bert-base.")
    Map<String, Integer> dims = new LinkedHashMap<>();

    Network load() {
        return ModelCatalog.load(model, dims);
    }
}
