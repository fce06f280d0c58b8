package org.pimopt.zoo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Supplier;
import org.pimopt.imports.PimoptJson;
import org.pimopt.ir.NetworkSpec;

/**
 * Writes the model zoo of {@link ZooNetworks} to {@code models/networks/}: one pimopt-JSON file per
 * network and {@code index.txt} listing them in order. Run it through {@code scripts/regenerate-zoo}
 * from the repository root; {@code ZooTest} fails when the committed files differ from what this
 * writes.
 */
public final class ZooGenerator {
    private ZooGenerator() {}

    /** Where the zoo lives, relative to the repository root. */
    public static final Path DIRECTORY = Path.of("models", "networks");

    /** The text of a network's file. */
    public static String networkFile(NetworkSpec spec) {
        return PimoptJson.write(spec);
    }

    /** The text of {@code index.txt}: one network name per line, in zoo order. */
    public static String indexFile() {
        StringBuilder out = new StringBuilder();
        for (String name : ZooNetworks.all().keySet()) {
            out.append(name).append('\n');
        }
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : DIRECTORY;
        Files.createDirectories(dir);
        for (Map.Entry<String, Supplier<NetworkSpec>> e : ZooNetworks.all().entrySet()) {
            NetworkSpec spec = e.getValue().get();
            if (!spec.name().equals(e.getKey())) {
                throw new IllegalStateException("network " + spec.name() + " is listed as " + e.getKey());
            }
            writeAtomically(dir.resolve(e.getKey() + ".json"), networkFile(spec));
        }
        // The index goes last, so that it never lists a network whose file is not written yet.
        writeAtomically(dir.resolve("index.txt"), indexFile());
        System.out.println("wrote " + ZooNetworks.all().size() + " networks to " + dir);
    }

    /** Writes a sibling temporary file and renames it over the target, so a reader never sees half a file. */
    private static void writeAtomically(Path target, String text) throws IOException {
        // A fixed sibling name rather than Files.createTempFile, whose owner-only permissions the
        // rename would carry over to the committed file.
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
