package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anUnknownSuiteIsAUserErrorNamingTheKnownOnes() {
        Run r = run("bench", "--suite", "nope");
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().contains("unknown suite 'nope'") && r.err().contains("compass"), r.err());
    }

    @Test
    void aBadShardIsAUserError() {
        Run r = run("bench", "--suite", "scaling", "--shard", "4/4");
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().contains("shard"), r.err());
    }

    @Test
    void mergingAFolderWithoutResultsIsAUserError(@TempDir Path dir) {
        Run r = run("bench", "merge", dir.toString(), "--out", dir.resolve("out").toString());
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().contains("no result rows"), r.err());
    }
    @Test
    void listPrintsTheCaseKeysOfTheShardAndRunsNothing(@TempDir Path dir) {
        Run all = run("bench", "--suite", "zoo", "--list", "--out", dir.toString());
        assertEquals(0, all.code(), all.err());
        assertEquals(360, all.out().strip().lines().count(), all.out());
        assertTrue(all.out().startsWith("zoo/lenet5/compass-s/b1/latency"), all.out());
        Run shard = run("bench", "--suite", "zoo", "--quick", "--list", "--shard", "1/3", "--out", dir.toString());
        assertEquals(0, shard.code(), shard.err());
        assertEquals(3, shard.out().strip().lines().count(), shard.out());
        assertEquals(0, dir.toFile().list().length, "nothing written");
    }
}
