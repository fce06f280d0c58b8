package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --timeout} is for the whole command, with at most two seconds over, on the zoo's largest
 * network (every strategy, simulation and writing). From fresh processes, over the zoo and the
 * presets, {@code scripts/timeout-check.sh} measures the same promise.
 */
class SolveTimeoutTest {

    @Test
    void bertBaseOnCompassLWithinThreeSecondsPlusTwo(@TempDir Path dir) {
        Path out = dir.resolve("out");
        long start = System.nanoTime();
        CliTest.Result r = CliTest.run("solve", "--model", "bert-base", "--hw", "compass-l", "--timeout", "3s", "--out",
                out.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, r.code(), r.err());
        assertTrue(seconds <= 5.0, "took " + seconds + " s");
        assertTrue(Files.exists(out.resolve("plan.json")) && Files.exists(out.resolve("summary.json")));
    }
}
