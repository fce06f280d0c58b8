package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs a user gets wrong, each answered with one line that names the flag, file or field,
 * exit status 2 and no stack trace (issue 22's list).
 */
class BadInputTest {

    /** The answer must be one line on stderr, naming {@code what}, with status 2 and no trace. */
    static void oneLine(CliTest.Result r, String... what) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("pimopt: "), r.err());
        for (String w : what) {
            assertTrue(r.err().contains(w), "'" + w + "' in: " + r.err());
        }
        assertFalse(r.err().contains("Exception") || r.err().contains("internal error"), r.err());
    }

    @Test
    void cpsatHeldToZeroPartitionsIsRefused() {
        oneLine(CliTest.run("solve", "--model", "lenet5", "--strategy", "cpsat-k0"), "cpsat-k0", "K in cpsat-kN");
    }

    @Test
    void cpsatWithAPartitionLimitBeyondAnIntIsRefused() {
        oneLine(CliTest.run("solve", "--model", "lenet5", "--strategy", "cpsat-k99999999999"), "cpsat-k99999999999");
    }

    @Test
    void aTimeoutShorterThanAMillisecondIsRefusedNotRoundedToZero() {
        oneLine(CliTest.run("solve", "--model", "lenet5", "--timeout", "0.0001ms"), "--timeout", "shorter than a millisecond");
    }

    @Test
    void aTimeoutBeyondTheClockIsRefused() {
        oneLine(CliTest.run("solve", "--model", "lenet5", "--timeout", "1e300h"), "--timeout");
    }

    /** Each --limit statement a user can get wrong: one line naming the statement and why, before anything is solved. */
    @Test
    void badLimitsAreRefusedInOneLine() {
        String[][] cases = {
            {"bogus", "write FIGURE=VALUE"}, {"edp=3", "cannot be limited"}, {"speed=3", "unknown figure 'speed'"},
            {"latency=3parsecs", "not a number"}, {"lifetime=5y@-3/s", "at least 0"}, {"lifetime=5@10/s", "needs a unit"},
            {"writes=", "write FIGURE=VALUE"}, {"dram=NaNGB", "not a number"}, {"energy=1e400J", "at least 0"}};
        for (String[] c : cases) {
            oneLine(CliTest.run("solve", "--model", "lenet5", "--strategy", "greedy", "--no-simulate", "--limit", c[0]),
                    "--limit '" + c[0] + "'", c[1]);
        }
    }

    /** simulate refuses a plan of batch -16; place does too, instead of running it as batch 1. */
    @Test
    void placeRefusesAPlanWithANegativeBatch(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result solved = CliTest.run("solve", "--model", "lenet5", "--strategy", "greedy", "--no-simulate", "--out",
                out.toString());
        assertEquals(0, solved.code(), solved.err());
        Path plan = out.resolve("plan.json");
        String text = Files.readString(plan);
        assertTrue(text.contains("\"batch\": 16"), text.substring(0, 300));
        Files.writeString(plan, text.replace("\"batch\": 16", "\"batch\": -16"));
        CliTest.Result r = CliTest.run("place", "--plan", plan.toString(), "-o", dir.resolve("placed.json").toString());
        oneLine(r, plan.toString(), "batch -16");
        assertFalse(Files.exists(dir.resolve("placed.json")));
    }

    /** Files cut short answer with where they end, not with a JSON library's class name and web address. */
    @Test
    void truncatedJsonFilesNameTheFileAndNotTheLibrary(@TempDir Path dir) throws Exception {
        Path net = dir.resolve("net.json");
        Files.writeString(net, "{\"name\": \"cut\", \"inputs\": [{\"name\": \"x\", \"shape\": [3, 8");
        Path hw = dir.resolve("hw.json");
        Files.writeString(hw, Files.readString(Path.of("models/hardware/compass-s.json")).substring(0, 200));
        Path out = dir.resolve("out");
        assertEquals(0, CliTest.run("solve", "--model", "lenet5", "--strategy", "greedy", "--no-simulate", "--out",
                out.toString()).code());
        Path plan = out.resolve("plan.json");
        Files.writeString(plan, Files.readString(plan).substring(0, 150));
        for (CliTest.Result r : new CliTest.Result[] {CliTest.run("inspect", "--model", net.toString()),
                CliTest.run("inspect", "--hw", hw.toString()), CliTest.run("simulate", "--plan", plan.toString())}) {
            oneLine(r, "ends early");
            assertFalse(r.err().contains("gson") || r.err().contains("http"), r.err());
        }
    }
}
