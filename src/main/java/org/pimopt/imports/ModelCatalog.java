package org.pimopt.imports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.BuiltIn;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkSpec;

/**
 * Finds a network by zoo name ({@code resnet18}) or by path to a model file, and reads it with the
 * reader its format needs.
 */
public final class ModelCatalog {
    /** Network files larger than this are refused rather than read into memory. */
    static final long MAX_JSON_BYTES = 64L << 20;

    private ModelCatalog() {}

    /** Names of the built-in networks, in the order of models/networks/index.txt. */
    public static List<String> zooNames() {
        return BuiltIn.names("networks");
    }

    /** The network's description as written, symbols unbound. */
    public static NetworkSpec loadSpec(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ImportException("no model given; built-in models: " + String.join(", ", zooNames()));
        }
        if (zooNames().contains(nameOrPath)) {
            String text = BuiltIn.resource("models/networks/" + nameOrPath + ".json")
                    .orElseThrow(() -> new IllegalStateException("zoo index lists " + nameOrPath + " but its file is missing"));
            return PimoptJson.read(text, nameOrPath);
        }
        Path path = Path.of(nameOrPath);
        if (!Files.exists(path)) {
            throw new ImportException("unknown model '" + nameOrPath + "': not a built-in model ("
                    + String.join(", ", zooNames()) + ") and no such file");
        }
        String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return PimoptJson.read(BuiltIn.readUserFile(path, MAX_JSON_BYTES), path.toString());
        }
        throw new ImportException(path + ": unsupported model format (expected a pimopt .json network file)");
    }

    /** Loads and binds a network; {@code dims} overrides symbol defaults such as {@code seq}. */
    public static Network load(String nameOrPath, Map<String, Integer> dims) {
        NetworkSpec spec = loadSpec(nameOrPath);
        try {
            return Network.bind(spec, dims);
        } catch (org.pimopt.ir.IrException e) {
            throw new ImportException(nameOrPath + ": " + e.getMessage());
        }
    }

}
