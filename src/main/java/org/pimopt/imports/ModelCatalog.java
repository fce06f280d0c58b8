package org.pimopt.imports;

import com.google.gson.JsonElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.BuiltIn;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.imports.onnx.OnnxImporter;
import org.pimopt.imports.pimcomp.PimcompJson;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkSpec;

/**
 * Finds a network by zoo name ({@code resnet18}) or by path to a model file, and reads it with the
 * reader its format needs: {@code .onnx} is ONNX; {@code .json} is PIMCOMP-NN's format when its
 * top-level object has a {@code node_list}, else pimopt's own network format.
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
        return loadSpec(nameOrPath, ImportOptions.DEFAULT);
    }

    /**
     * The network's description; {@code options} say how to read ONNX and PIMCOMP files (input
     * shapes, named dimensions, lenient ops, dense groups) and are ignored for pimopt files.
     */
    public static NetworkSpec loadSpec(String nameOrPath, ImportOptions options) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ImportException("no model given; built-in models: " + String.join(", ", zooNames()));
        }
        if (zooNames().contains(nameOrPath)) {
            String text = BuiltIn.resource("models/networks/" + nameOrPath + ".json")
                    .orElseThrow(() -> new IllegalStateException("zoo index lists " + nameOrPath + " but its file is missing"));
            return PimoptJson.read(text, nameOrPath);
        }
        Path path = BuiltIn.pathOrNull(nameOrPath);
        if (path == null || !Files.exists(path)) {
            throw new ImportException("unknown model '" + nameOrPath + "': not a built-in model ("
                    + String.join(", ", zooNames()) + ") and no such file");
        }
        if (Files.isDirectory(path) || path.getFileName() == null) {
            throw new ImportException(path + ": is a directory, not a model file");
        }
        String file = path.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".onnx")) {
            return OnnxImporter.read(path, options);
        }
        if (lower.endsWith(".json")) {
            String text = BuiltIn.readUserFile(path, MAX_JSON_BYTES);
            JsonElement root = PimcompJson.parseOrNull(text);
            if (PimcompJson.isPimcomp(root)) {
                return PimcompJson.read(root.getAsJsonObject(), path.toString(), file.substring(0, file.length() - 5), options);
            }
            return PimoptJson.read(text, path.toString());
        }
        throw new ImportException(path + ": unsupported model format (expected .onnx, a PIMCOMP .json or a pimopt .json network file)");
    }

    /** Whether a model is read by the ONNX importer, whose named dimensions are bound while reading. */
    public static boolean isOnnx(String nameOrPath) {
        return nameOrPath != null && nameOrPath.toLowerCase(Locale.ROOT).endsWith(".onnx") && !zooNames().contains(nameOrPath);
    }

    /** Loads and binds a network; {@code dims} overrides symbol defaults such as {@code seq}. */
    public static Network load(String nameOrPath, Map<String, Integer> dims) {
        return load(nameOrPath, dims, ImportOptions.DEFAULT);
    }

    /**
     * Loads and binds a network. For an ONNX model, {@code dims} bind its symbolic input dimensions
     * ({@code sequence=128}) while reading, since folding its shape arithmetic needs them.
     */
    public static Network load(String nameOrPath, Map<String, Integer> dims, ImportOptions options) {
        boolean onnx = isOnnx(nameOrPath);
        NetworkSpec spec = loadSpec(nameOrPath, onnx ? options.withDims(dims) : options);
        try {
            return Network.bind(spec, onnx ? Map.of() : dims);
        } catch (org.pimopt.ir.IrException e) {
            throw new ImportException(nameOrPath + ": " + e.getMessage());
        }
    }
}
