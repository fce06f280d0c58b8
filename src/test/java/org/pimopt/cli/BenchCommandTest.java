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
}
