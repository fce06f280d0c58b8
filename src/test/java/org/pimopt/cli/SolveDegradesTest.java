package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.plan.PlanIo;
import org.pimopt.proto.PlanFile;

/**
 * {@code solve} never loses the partitioning it found: a stage after the strategies that runs out
 * of time or memory degrades, says so in one line, and the plan and summary are written.
 */
class SolveDegradesTest {

    /**
     * Greedy's partitions of ResNet-18 fill compass-m; with a second in all, placement has no time
     * to search and keeps first-fit or snake layouts, naming the partitions, and the placed plan
     * is written.
     */
    @Test
    void placementWithNoTimeKeepsAFallbackLayoutAndWritesThePlacedPlan(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "resnet18", "--hw", "compass-m", "--batch", "8", "--strategy",
                "greedy", "--timeout", "1s", "--place", "--no-simulate", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("no placement found within the time limit for partition 0 ("), r.out());
        assertTrue(r.out().contains("which keep that layout"), r.out());
        PlanFile plan = PlanIo.read(out.resolve("plan.json"));
        assertTrue(plan.hasLayout(), "the written plan carries the layout");
        assertTrue(Files.exists(out.resolve("plan.pb")));
        assertTrue(Files.exists(out.resolve("summary.json")));
    }

    /**
     * A batch of a billion samples: the cost model prices it, the simulator would need far more
     * memory than there is, so the plan is not simulated, the table and summary say why, and
     * every file is written.
     */
    @Test
    void aSimulationTooLargeForMemoryIsSkippedWithItsReason(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "lenet5", "--batch", "1000000000", "--strategy", "greedy",
                "--timeout", "10s", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("sim: greedy: not simulated: about"), r.out());
        assertTrue(r.err().startsWith("pimopt: warning: greedy: not simulated"), r.err());
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        JsonObject row = summary.getAsJsonArray("results").get(0).getAsJsonObject();
        assertTrue(row.get("notSimulated").getAsString().contains("memory"), row.toString());
        assertTrue(Files.exists(out.resolve("plan.json")) && Files.exists(out.resolve("plan.pb")));
    }
}
