package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan carries how its network and chip were read (plan.json {@code source}), so that
 * {@code simulate} and {@code place} re-create, from the plan alone, the instance it was solved
 * for: an ONNX model's named dimensions and input shapes, and networks and chips given as files.
 */
class PlanSourceTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path chip;

    @BeforeAll
    static void copyInputs() throws Exception {
        model = dir.resolve("tiny.onnx");
        Files.copy(Path.of("src/test/resources/fuzz/seeds/onnx/tinybert.onnx"), model);
        chip = dir.resolve("my-chip.json");
        Files.writeString(chip, org.pimopt.BuiltIn.resource("models/hardware/compass-s.json").orElseThrow());
    }

    private static Path solve(String name, String... binding) {
        Path out = dir.resolve(name);
        String[] args = {"solve", "--model", model.toString(), "--hw", chip.toString(), "-s", "greedy", "--timeout", "20s",
            "--no-simulate", "--out", out.toString()};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(binding))
                .toArray(String[]::new);
        CliTest.Result r = CliTest.run(all);
        assertEquals(0, r.code(), r.err());
        return out.resolve("plan.json");
    }

    /** The model's latency as simulate's table prints it, and that the simulator in the model's form agrees. */
    private static String analyticLatency(CliTest.Result r) {
        assertEquals(0, r.code(), r.err());
        String line = r.out().lines().filter(l -> l.startsWith("latency/batch")).findFirst().orElseThrow();
        assertTrue(line.trim().endsWith("+0.00%") || line.trim().endsWith("-0.00%"), line);
        return line.trim().split("\\s+")[1];
    }

    @Test
    void aPlanRecordsItsModelFileDimensionsAndChipFile() throws Exception {
        Path plan = solve("dims", "--dim", "sequence=64");
        JsonObject source = JsonParser.parseString(Files.readString(plan)).getAsJsonObject().getAsJsonObject("source");
        assertEquals(model.toAbsolutePath().normalize().toString(), source.get("model").getAsString());
        assertEquals(64, source.getAsJsonObject("dims").get("sequence").getAsInt());
        assertEquals(chip.toAbsolutePath().normalize().toString(), source.get("hardware").getAsString());
    }

    @Test
    void simulateReadsTheInstanceFromThePlanAlone() {
        Path at64 = solve("sim64", "--dim", "sequence=64");
        Path at16 = solve("sim16", "--input-shape", "input_ids=1x16", "--input-shape", "attention_mask=1x16",
                "--input-shape", "token_type_ids=1x16");
        String latency64 = analyticLatency(CliTest.run("simulate", "--plan", at64.toString(), "--analytic"));
        String latency16 = analyticLatency(CliTest.run("simulate", "--plan", at16.toString(), "--analytic"));
        // Two bindings, two networks: had simulate read either one differently, a figure would differ
        // from the plan's or its units would not be found.
        assertFalse(latency64.equals(latency16), latency64 + " " + latency16);
        String binary = analyticLatency(CliTest.run("simulate", "--plan", at64.resolveSibling("plan.pb").toString(), "--analytic"));
        assertEquals(latency64, binary);
    }

    @Test
    void placeReadsThePlanAloneAndItsPlacedPlanKeepsTheSource() throws Exception {
        Path plan = solve("place", "--dim", "sequence=64");
        Path placed = dir.resolve("placed.json");
        CliTest.Result r = CliTest.run("place", "--plan", plan.toString(), "-o", placed.toString(), "--timeout", "10s");
        assertEquals(0, r.code(), r.err());
        JsonObject source = JsonParser.parseString(Files.readString(placed)).getAsJsonObject().getAsJsonObject("source");
        assertEquals(64, source.getAsJsonObject("dims").get("sequence").getAsInt());
        CliTest.Result sim = CliTest.run("simulate", "--plan", placed.toString());
        assertEquals(0, sim.code(), sim.err());
        assertTrue(sim.out().contains("layout executed"), sim.out());
    }

    @Test
    void aPlanWithoutSourceIsReadWithFlagsThatSimulateHas() throws Exception {
        Path plan = solve("old", "--dim", "sequence=64");
        JsonObject root = JsonParser.parseString(Files.readString(plan)).getAsJsonObject();
        root.remove("source");
        Path old = dir.resolve("old-plan.json");
        Files.writeString(old, root.toString());

        CliTest.Result bare = CliTest.run("simulate", "--plan", old.toString());
        assertEquals(2, bare.code(), bare.err());
        assertEquals(1, bare.err().strip().lines().count(), bare.err());
        assertTrue(bare.err().contains(old.toString()) && bare.err().contains("'network'"), bare.err());

        CliTest.Result withFlags = CliTest.run("simulate", "--plan", old.toString(), "-m", model.toString(), "--dim",
                "sequence=64", "--hw", chip.toString(), "--analytic");
        analyticLatency(withFlags);
    }

    @Test
    void aMissingModelFileNamesThePlanAndTheField() throws Exception {
        Path elsewhere = dir.resolve("gone.onnx");
        Files.copy(model, elsewhere);
        Path out = dir.resolve("gone");
        CliTest.Result r = CliTest.run("solve", "--model", elsewhere.toString(), "--dim", "sequence=64", "-s", "greedy",
                "--no-simulate", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Files.delete(elsewhere);
        CliTest.Result sim = CliTest.run("simulate", "--plan", out.resolve("plan.json").toString());
        assertEquals(2, sim.code(), sim.err());
        assertTrue(sim.err().contains("field 'network'") && sim.err().contains("gone.onnx"), sim.err());
    }
}
