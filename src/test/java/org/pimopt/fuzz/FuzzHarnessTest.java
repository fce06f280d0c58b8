package org.pimopt.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.fuzz.Harness.Kind;
import org.pimopt.fuzz.Harness.Outcome;

/** The fuzzer itself: a short campaign finds nothing, and planted faults are classed as they must be. */
class FuzzHarnessTest {

    @Test
    void aShortCampaignOverEveryTargetFindsNoCrashOrHang(@TempDir Path dir) {
        List<Fuzz.Finding> found = new ArrayList<>();
        Fuzz.Summary s = Fuzz.campaign(Target.standard(Path.of(".")), 300, 7, 2, 10_000, 10, 0, dir, 2, found::add, line -> {});
        assertTrue(s.badSeeds().isEmpty(), s.badSeeds().toString());
        assertEquals(300, s.executions());
        assertEquals(0, s.count(Kind.CRASH) + s.count(Kind.HANG), found.toString());
        assertEquals(0, s.harnessErrors());
        assertTrue(s.count(Kind.OK) > 0 && s.count(Kind.REJECT) > 0, "both outcomes occur: " + s.count(Kind.OK) + " OK");
        for (Fuzz.Tally t : s.byTarget().values()) {
            assertEquals(60, t.total());
        }
    }

    @Test
    void anExecutionIsAFunctionOfTheSeedAndItsIndex() {
        List<Target> targets = Target.standard(Path.of("."));
        for (long i = 0; i < 50; i++) {
            Fuzz.Input a = Fuzz.input(targets, 11, i, 50);
            Fuzz.Input b = Fuzz.input(targets, 11, i, 50);
            assertArrayEquals(a.bytes(), b.bytes());
            assertEquals(a.seed().name(), b.seed().name());
            assertEquals(a.command().label(), b.command().label());
        }
    }

    /** A target over one seed whose only command does what {@code body} does. */
    static Target planted(Target.Run body) {
        Target.Command c = new Target.Command("planted", (in, out, a) -> null, body, "out.txt", true,
                p -> {
                    if (!Files.readString(p).equals("complete")) {
                        throw new IllegalStateException("incomplete");
                    }
                });
        Target.Entry never = (args, out, err) -> {
            throw new AssertionError("the planted command runs directly");
        };
        return new Target("planted", List.of(new Target.Seed("s.json", "{\"a\": 1}".getBytes(), List.of())), List.of(c), never);
    }

    static Outcome run(Path dir, long limitMillis, Target.Run body) {
        Target t = planted(body);
        try (Harness h = new Harness(dir, limitMillis, false)) {
            return h.run(t, t.commands().get(0), "in.json", "{}".getBytes(), List.of(), false);
        }
    }

    @Test
    void plantedFaultsAreClassed(@TempDir Path dir) {
        assertEquals(Kind.OK, run(dir, 5000, (in, out, a, o, err, v) -> 0).kind());
        assertEquals(Kind.REJECT, run(dir, 5000, (in, out, a, o, err, v) -> {
            err.println("pimopt: " + in + ": field 'a' is wrong");
            return 2;
        }).kind());
        // An exception out of the entry point, as a StackOverflowError would come out of picocli.
        Outcome thrown = run(dir, 5000, (in, out, a, o, err, v) -> {
            throw new NullPointerException("planted");
        });
        assertEquals(Kind.CRASH, thrown.kind());
        assertTrue(thrown.why().contains("NullPointerException"), thrown.why());
        // What Main prints for a bug.
        Outcome internal = run(dir, 5000, (in, out, a, o, err, v) -> Direct.guarded(err, false, () -> {
            throw new IllegalStateException("planted");
        }));
        assertEquals(Kind.CRASH, internal.kind());
        assertTrue(internal.why().startsWith("internal error"), internal.why());
        // Two lines, a trace, a line naming nothing, out of memory: not clean.
        assertEquals(Kind.CRASH, run(dir, 5000, (in, out, a, o, err, v) -> {
            err.println("pimopt: " + in + ": one");
            err.println("and another");
            return 2;
        }).kind());
        assertEquals(Kind.CRASH, run(dir, 5000, (in, out, a, o, err, v) -> {
            err.println("pimopt: " + in + ": bad");
            err.println("\tat org.pimopt.X.y(X.java:1)");
            return 2;
        }).kind());
        assertEquals(Kind.CRASH, run(dir, 5000, (in, out, a, o, err, v) -> {
            err.println("pimopt: something went wrong");
            return 2;
        }).kind());
        assertEquals(Kind.CRASH, run(dir, 5000, (in, out, a, o, err, v) -> Direct.guarded(err, false, () -> {
            throw new OutOfMemoryError("planted");
        })).kind());
        assertEquals(Kind.CRASH, run(dir, 5000, (in, out, a, o, err, v) -> 3).kind());
    }

    @Test
    void aFileWrittenHalfWayOrLeftBehindIsACrash(@TempDir Path dir) {
        assertEquals(Kind.OK, run(dir, 5000, (in, out, a, o, err, v) -> {
            Files.writeString(out.resolve("out.txt"), "complete");
            return 0;
        }).kind());
        Outcome half = run(dir, 5000, (in, out, a, o, err, v) -> {
            Files.writeString(out.resolve("out.txt"), "compl");
            return 0;
        });
        assertEquals(Kind.CRASH, half.kind());
        assertTrue(half.why().contains("not complete"), half.why());
        Outcome left = run(dir, 5000, (in, out, a, o, err, v) -> {
            Files.writeString(out.resolve(".out.txt.123.tmp"), "com");
            err.println("pimopt: " + in + ": cannot write");
            return 2;
        });
        assertEquals(Kind.CRASH, left.kind());
        assertTrue(left.why().contains("left"), left.why());
    }

    @Test
    void anExecutionOverTheLimitIsAHangAndTheHarnessGoesOn(@TempDir Path dir) {
        Target t = planted((in, out, a, o, err, v) -> {
            Thread.sleep(60_000);
            return 0;
        });
        Target ok = planted((in, out, a, o, err, v) -> 0);
        try (Harness h = new Harness(dir, 200, false)) {
            Outcome o = h.run(t, t.commands().get(0), "in.json", "{}".getBytes(), List.of(), false);
            assertEquals(Kind.HANG, o.kind());
            assertTrue(o.millis() < 5000, o.millis() + " ms");
            assertEquals(Kind.OK, h.run(ok, ok.commands().get(0), "in.json", "{}".getBytes(), List.of(), false).kind());
        }
    }

    @Test
    void aCampaignOverAPlantedCrashReportsAndKeepsIt(@TempDir Path dir) {
        Target t = planted((in, out, a, o, err, v) -> Direct.guarded(err, false, () -> {
            if (Files.size(in) % 3 == 0) {
                throw new ArrayIndexOutOfBoundsException("planted");
            }
            throw new org.pimopt.PimoptException(in + ": refused");
        }));
        List<Fuzz.Finding> found = new ArrayList<>();
        Fuzz.Summary s = Fuzz.campaign(List.of(t), 200, 3, 2, 5000, 50, 0, dir, 2, found::add, line -> {});
        assertEquals(200, s.executions());
        assertTrue(s.count(Kind.CRASH) > 0, "some inputs have a size divisible by 3");
        assertEquals(200, s.count(Kind.CRASH) + s.count(Kind.REJECT) + s.count(Kind.OK));
        assertTrue(!found.isEmpty() && found.size() <= 2, found.size() + " kept");
        assertTrue(found.get(0).reproduced());
        assertTrue(found.get(0).err().contains("ArrayIndexOutOfBoundsException"), found.get(0).err());
        Path saved = Fuzz.save(found.get(0), dir.resolve("findings"));
        assertTrue(Files.exists(saved));
        assertTrue(Files.exists(saved.resolveSibling(saved.getFileName().toString().replace(".json", ".txt"))));
    }
}
