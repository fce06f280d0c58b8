package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One meaning per flag across commands, and files whose mode is the user's umask's. */
class FlagsAndFilesTest {

    /** -o names what a command writes: solve's folder as place's, import's and export's file. */
    @Test
    void dashOIsTheOutputInSolveAsInPlace(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result solved = CliTest.run("solve", "--model", "lenet5", "--strategy", "greedy", "--no-simulate", "-o",
                out.toString());
        assertEquals(0, solved.code(), solved.err());
        assertTrue(Files.exists(out.resolve("plan.json")));
        CliTest.Result placed = CliTest.run("place", "--plan", out.resolve("plan.json").toString(), "--timeout", "2s", "--out",
                dir.resolve("placed.json").toString(), "--csv");
        assertEquals(0, placed.code(), placed.err());
        assertTrue(Files.exists(dir.resolve("placed.json")));
    }

    /** solve -o edp once chose the objective; now it would write a folder named edp, so it is refused. */
    @Test
    void anObjectiveGivenToDashOIsRefusedInOneLine() {
        BadInputTest.oneLine(CliTest.run("solve", "--model", "lenet5", "-o", "edp"), "-o/--out", "--objective edp");
    }

    /** Written through a temporary file, a plan still gets the mode any new file gets, not 0600. */
    @Test
    void writtenFilesHaveTheModeOfAnyNewFile(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path reference = Files.createFile(dir.resolve("reference"));
        Set<PosixFilePermission> umaskMode = Files.getPosixFilePermissions(reference);
        Path out = dir.resolve("out");
        assertEquals(0, CliTest.run("solve", "--model", "lenet5", "--strategy", "greedy", "--no-simulate", "-o",
                out.toString()).code());
        for (String name : new String[] {"plan.json", "plan.pb", "summary.json"}) {
            assertEquals(umaskMode, Files.getPosixFilePermissions(out.resolve(name)), name);
        }
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }
}
