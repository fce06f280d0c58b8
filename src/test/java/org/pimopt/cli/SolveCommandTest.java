package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;

/** {@code pimopt solve} on bad input: no plan exists, impossible hardware, a timeout far too short. */
class SolveCommandTest {

    private static List<String> filesIn(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * ResNet-18 needs at least 6 partitions of compass-s; CP-SAT held to one proves that no plan
     * exists. One line says so and why, the exit code is 2, and nothing is written.
     */
    @Test
    void anInstanceWithNoPlanGivesOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "resnet18", "--hw", "compass-s", "--strategy", "cpsat-k1",
                "--timeout", "20s", "--no-simulate", "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("pimopt: no plan found, nothing written to " + out), r.err());
        assertTrue(r.err().contains("cpsat INFEASIBLE (no plan of at most 1 partitions)"), r.err());
        assertEquals(List.of(), filesIn(out));
    }

    /** A crossbar too narrow for one weight: one line naming the file and field, exit 2, nothing written. */
    @Test
    void hardwareThatCannotHoldAWeightIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        String preset = Files.readString(Path.of("models/hardware/compass-s.json"));
        Path hw = dir.resolve("narrow.json");
        Files.writeString(hw, preset.replace("\"crossbarCols\": 256", "\"crossbarCols\": 2"));
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "lenet5", "--hw", hw.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("pimopt: " + hw), r.err());
        assertTrue(r.err().contains("'crossbarCols'"), r.err());
        assertEquals(List.of(), filesIn(out));
    }

    /**
     * A 1 ms budget is too short to search, but never leaves an empty file: every strategy falls
     * back to a quick heuristic plan, which is written whole, valid, and not claimed optimal.
     */
    @Test
    void aTimeoutTooShortToSearchStillWritesAValidPlanNotClaimedOptimal(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "resnet18", "--hw", "compass-s", "--strategy", "cpsat,dp",
                "--timeout", "1ms", "--no-simulate", "--json", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(List.of("plan.json", "plan.pb", "summary.json"), filesIn(out));
        Instance in = Instance.of(ModelCatalog.load("resnet18", Map.of()), ChipLoader.load("compass-s"), 16, Goal.parse("latency"));
        Plan plan = PlanIo.fromProto(in, PlanIo.read(out.resolve("plan.json")), "plan.json");
        assertEquals(List.of(), Validator.violations(in, plan));
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertFalse(summary.toString().contains("\"OPTIMAL\""), summary.toString());
        assertTrue(summary.toString().contains("\"FEASIBLE\""), summary.toString());
    }

    /** --verify re-checks the OPTIMAL by other means and writes the verdict beside the result. */
    @Test
    void verifyConfirmsTheProvenOptimumAndRecordsIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "lenet5", "--strategy", "exact,greedy", "--timeout", "20s",
                "--no-simulate", "--verify", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("verify exact: confirmed: plan confirmed"), r.out());
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"verification\": \"confirmed: "), summary);
        assertTrue(summary.contains("\"provenBy\": \"dp-lattice\""), summary);
        // The exact engine's progress: dp-lattice's proven optimum, objective equal to its bound.
        List<String> convergence = Files.readAllLines(out.resolve("convergence.csv"));
        assertEquals("engine,seconds,latency,bound,gap", convergence.get(0));
        assertTrue(convergence.stream().anyMatch(l -> l.startsWith("dp-lattice,") && l.endsWith(",0.00000000")), convergence.toString());
        assertTrue(Files.readString(out.resolve("convergence.svg")).startsWith("<?xml"), "an SVG document");
    }

    /**
     * A placed plan carries a layout whose transfers run between the cores placement chose; the
     * claim is the model's, at the mean hop distance, and is checked as such (cnn_mnist's EDP
     * optimum on compass-m failed the simulator check by 0.04% when the layout was executed).
     */
    @Test
    void verifyChecksAPlacedOptimumAsTheModelPricesIt(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("solve", "--model", "src/test/resources/fuzz/seeds/onnx/cnn_mnist.onnx", "--hw",
                "compass-m", "--batch", "4", "--objective", "edp", "--strategy", "exact", "--timeout", "20s", "--verify",
                "--place", "--no-simulate", "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("verify exact: confirmed: plan confirmed"), r.out());
    }
}
