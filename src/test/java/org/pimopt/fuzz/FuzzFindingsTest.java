package org.pimopt.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pimopt.fuzz.Harness.Kind;
import org.pimopt.fuzz.Harness.Outcome;

/**
 * The fuzzer's seeds and findings as regression tests. Every seed, unmutated, reads well under
 * every command of its target; every input the fuzzer once saw crash or hang
 * (src/test/resources/fuzz/findings, each with a .txt saying what it did and how it was made) is
 * now read or refused cleanly: exit 0, or exit 2 with one line naming the file or a field and
 * nothing written; through the command line and through the direct calls alike.
 */
class FuzzFindingsTest {
    static final Path FINDINGS = Path.of("src/test/resources/fuzz/findings");

    static List<Target> targets() {
        return Target.standard(Path.of("."));
    }

    static Target target(String name) {
        return targets().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no fuzz target " + name));
    }

    static Stream<Arguments> findings() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(FINDINGS)) {
            for (Path meta : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                out.add(Arguments.of(meta.getFileName().toString().replace(".txt", ""), meta));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> seeds() {
        List<Arguments> out = new ArrayList<>();
        for (Target t : targets()) {
            for (Target.Seed s : t.seeds()) {
                for (Target.Command c : t.commands()) {
                    out.add(Arguments.of(t.name() + " " + c.label() + " " + s.name(), t, c, s));
                }
            }
        }
        return out.stream();
    }

    /** The key=value lines at the head of a finding's .txt (up to the first empty line). */
    static Map<String, String> meta(Path txt) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(txt)) {
            if (line.isEmpty()) {
                break;
            }
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void findingIsReadOrRefusedCleanly(String name, Path txt, @TempDir Path dir) throws IOException {
        Map<String, String> m = meta(txt);
        Target t = target(m.get("target"));
        Target.Command c = t.commands().stream().filter(x -> x.label().equals(m.get("command"))).findFirst().orElseThrow();
        String ext = m.get("seed-file").substring(m.get("seed-file").lastIndexOf('.'));
        byte[] input = Files.readAllBytes(txt.resolveSibling(name + ext));
        List<String> args = m.get("args").isBlank() ? List.of() : Arrays.asList(m.get("args").trim().split("\\s+"));
        try (Harness h = new Harness(dir, 30_000, false)) {
            for (boolean cli : new boolean[] {false, true}) {
                Outcome o = h.run(t, c, "in" + ext, input, args, cli);
                assertTrue(o.kind() == Kind.OK || o.kind() == Kind.REJECT, (cli ? "command line: " : "direct: ") + o.kind()
                        + " " + o.why() + "\n" + o.err());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void seedIsRead(String name, Target t, Target.Command c, Target.Seed s, @TempDir Path dir) {
        try (Harness h = new Harness(dir, 30_000, false)) {
            for (boolean cli : new boolean[] {false, true}) {
                Outcome o = h.run(t, c, s.inputName(), s.bytes(), s.args(), cli);
                if (!c.seedsRead() && o.kind() == Kind.REJECT) {
                    continue; // (a plan for compass-s on another chip)
                }
                assertEquals(Kind.OK, o.kind(), (cli ? "command line: " : "direct: ") + o.why() + "\n" + o.err());
            }
        }
    }
}
