package org.pimopt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary files that files are written through before they are renamed into place. They are
 * created as any file is, so the file a user gets has the mode their umask gives
 * ({@code Files.createTempFile} would make it 0600, readable by no one else).
 */
public final class TempFiles {
    private TempFiles() {}

    /** A new empty file beside {@code target} (its folder created if missing), named after it and hidden. */
    public static Path beside(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime()
                    + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }
}
