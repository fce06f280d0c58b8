package org.pimopt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files that ship inside the jar (model zoo, hardware presets) and the reading of user files,
 * shared by the network and hardware loaders. Built-in folders list their entries in index.txt,
 * one name per line, because a jar cannot be listed portably.
 */
public final class BuiltIn {
    private BuiltIn() {}

    /** Names listed in {@code models/<folder>/index.txt}, in order. */
    public static List<String> names(String folder) {
        return resource("models/" + folder + "/index.txt")
                .map(text -> text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList())
                .orElse(List.of());
    }

    /** The text of a built-in file such as {@code models/networks/resnet18.json}, if it exists. */
    public static Optional<String> resource(String path) {
        try (InputStream in = BuiltIn.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path a name means, or null when it cannot be a path here (a NUL character, say). */
    public static Path pathOrNull(String name) {
        try {
            return Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** The text of a user's file, or a one-line error naming it. Refuses files over {@code maxBytes}. */
    public static String readUserFile(Path path, long maxBytes) {
        try {
            if (Files.isDirectory(path)) {
                throw new PimoptException(path + ": is a directory, not a file");
            }
            long size = Files.size(path);
            if (size > maxBytes) {
                throw new PimoptException(path + ": file of " + size + " bytes is larger than the " + maxBytes + " bytes allowed");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PimoptException(path + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PimoptException(path + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new PimoptException(path + ": cannot read: " + e.getMessage());
        }
    }
}
