package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pimopt simulate} end to end, and what {@code solve} shows of the simulation. */
class SimulateCommandTest {
    @TempDir
    static Path dir;
    static CliTest.Result solved;

    @BeforeAll
    static void solveLenet() {
        solved = CliTest.run("solve", "--model", "alexnet", "--hw", "compass-s", "-b", "2", "-s", "greedy,layerwise",
                "--out", dir.toString());
        assertEquals(0, solved.code(), solved.err());
    }

    @Test
    void simulatesAPlanFileAndWritesTraceAndCsv() throws Exception {
        Path trace = dir.resolve("trace.json");
        Path csv = dir.resolve("layers.csv");
        Path svg = dir.resolve("plan.svg");
        CliTest.Result r = CliTest.run("simulate", "--plan", dir.resolve("plan.json").toString(), "--trace", trace.toString(),
                "--csv", csv.toString(), "--svg", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("latency/batch"), r.out());
        assertTrue(r.out().contains("pipeline schedule"), r.out());
        JsonObject root = JsonParser.parseString(Files.readString(trace)).getAsJsonObject();
        assertTrue(root.getAsJsonArray("traceEvents").size() > 10);
        assertTrue(Files.readAllLines(csv).get(0).startsWith("layer,kind,partitions,mvms"));
        assertTrue(Files.readString(csv).contains("features.0"), Files.readString(csv));
        String picture = Files.readString(svg);
        assertTrue(picture.startsWith("<?xml") && picture.contains("<svg") && picture.contains("<rect"), picture.substring(0, 200));
    }

    @Test
    void analyticModeAgreesWithTheModel() {
        CliTest.Result r = CliTest.run("simulate", "--plan", dir.resolve("plan.pb").toString(), "--analytic");
        assertEquals(0, r.code(), r.err());
        String latency = r.out().lines().filter(l -> l.startsWith("latency/batch")).findFirst().orElseThrow();
        assertTrue(latency.trim().endsWith("+0.00%") || latency.trim().endsWith("-0.00%"), latency);
    }

    @Test
    void everyScheduleRuns() {
        for (String s : new String[] {"layer", "cross-layer"}) {
            CliTest.Result r = CliTest.run("simulate", "--plan", dir.resolve("plan.json").toString(), "--schedule", s);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(s + " schedule"), r.out());
        }
    }

    @Test
    void solveShowsSimulatedFiguresBesideTheModel() {
        assertTrue(solved.out().contains("sim latency"), solved.out());
        CliTest.Result quiet = CliTest.run("solve", "--model", "lenet5", "--hw", "compass-s", "-b", "2", "-s", "greedy",
                "--no-simulate", "--out", dir.resolve("quiet").toString());
        assertEquals(0, quiet.code(), quiet.err());
        assertTrue(!quiet.out().contains("sim latency"), quiet.out());
    }

    @Test
    void userErrorsAreOneLine() throws Exception {
        CliTest.Result missing = CliTest.run("simulate", "--plan", dir.resolve("nope.json").toString());
        assertEquals(Main.USER_ERROR, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().contains("nope.json: no such file"), missing.err());

        String text = Files.readString(dir.resolve("plan.json"));
        Path wrongUnit = dir.resolve("wrong-unit.json");
        Files.writeString(wrongUnit, text.replaceFirst("\"features.0#0\"", "\"features.0#99\""));
        CliTest.Result bad = CliTest.run("simulate", "--plan", wrongUnit.toString());
        assertEquals(Main.USER_ERROR, bad.code());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().contains("features.0#99"), bad.err());

        Path otherChip = dir.resolve("other-chip.json");
        Files.writeString(otherChip, text.replaceFirst("\"compass-s\"", "\"puma\""));
        CliTest.Result chip = CliTest.run("simulate", "--plan", otherChip.toString());
        assertEquals(Main.USER_ERROR, chip.code());
        assertEquals(1, chip.err().lines().count(), chip.err());

        Path dropped = dir.resolve("dropped.json");
        Files.writeString(dropped, text.replaceFirst("\"features.0#0\",?", ""));
        CliTest.Result broken = CliTest.run("simulate", "--plan", dropped.toString());
        assertEquals(Main.USER_ERROR, broken.code(), broken.out());
        assertEquals(1, broken.err().lines().count(), broken.err());
        assertTrue(broken.err().contains("features.0#0"), broken.err());
    }
}
