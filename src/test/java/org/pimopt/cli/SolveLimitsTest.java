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
import org.pimopt.cost.Limits;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;

/** solve --limit as a user meets it: plans held to the limits, and one clear line when none can meet them. */
class SolveLimitsTest {

    /**
     * ResNet-18 needs at least 6 partitions of compass-s, so every plan writes all its weights each
     * batch: a write budget below that is proven impossible at once, with the least value named.
     */
    @Test
    void aLimitNoPlanCanMeetIsProvenAndNamesTheLeastValue(@TempDir Path dir) {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "resnet18", "--limit", "writes=1e6", "--strategy", "exact,greedy",
                "--timeout", "20s", "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        // Progress lines aside, one line says it.
        List<String> said = r.err().lines().filter(l -> l.startsWith("pimopt:")).toList();
        assertEquals(1, said.size(), r.err());
        assertTrue(said.get(0).startsWith("pimopt: no plan meets the limits (writes=1e6), nothing written to " + out), r.err());
        assertTrue(r.err().contains("exact INFEASIBLE"), r.err());
        assertTrue(r.err().contains("writes any plan reaches is") || r.err().contains("every plan's writes is at least"), r.err());
        assertTrue(r.out().contains("OVER_LIMIT"), r.out());   // greedy's plan, shown beside
        assertFalse(Files.exists(out.resolve("plan.json")));
    }

    /** A deadline between the fastest plan and greedy's: the plan written meets it, and the summary states it. */
    @Test
    void theWrittenPlanMeetsTheLimitsAndTheSummaryStatesThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("solve", "--model", "squeezenet1_1", "--objective", "energy", "--limit", "latency=3ms",
                "--strategy", "exact,greedy,layerwise", "--timeout", "30s", "--no-simulate", "--json", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertEquals("latency=3ms", summary.getAsJsonArray("limits").get(0).getAsJsonObject().get("stated").getAsString());
        var chip = ChipLoader.load("compass-s");
        Instance in = Instance.of(ModelCatalog.load("squeezenet1_1", Map.of()), chip, 16,
                Goal.parse("energy").withLimits(Limits.parse(List.of("latency=3ms"), chip, 16)));
        Plan plan = PlanIo.fromProto(in, PlanIo.read(out.resolve("plan.json")), "plan.json");
        assertTrue(plan.evaluate(in).latencyNs() <= 3e6, "the plan written is " + plan.evaluate(in).latencyNs() + " ns");
    }
}
