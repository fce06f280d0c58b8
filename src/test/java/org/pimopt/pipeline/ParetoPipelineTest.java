package org.pimopt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.PlanSource;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.pareto.ParetoGoals;
import org.pimopt.solve.registry.Strategies;

/** solve --pareto through the pipeline: the front's points first in the table, each in its own plan file, the first also plan.json. */
class ParetoPipelineTest {
    @Test
    void everyPointIsWrittenAndTheLeastFPointIsThePlan(@TempDir Path out) throws Exception {
        ParetoGoals goals = ParetoGoals.parse("latency,energy");
        Instance lenet = SolvePipeline.lower(ModelCatalog.load("lenet5", Map.of()), ChipLoader.load("compass-s"), 4,
                goals.fThenG(), List.of());
        PipelineOptions options = PipelineOptions.of(lenet, List.of(Strategies.byName("greedy"), Strategies.byName("exact")),
                new Budget(System.nanoTime(), 30_000)).withSeed(1, 1).withStages(false, false, false, false)
                .withOut(out, PlanSource.of("lenet5", Map.of(), Map.of(), false, false, "compass-s"));
        ParetoPipeline.Result r = ParetoPipeline.run(options, goals, 3);
        int points = r.front().points().size();
        assertTrue(points >= 1 && points <= 3, "at most the points asked for: " + points);
        assertEquals(List.of("greedy"), r.found().stream().map(SolveResult::strategy).toList(),
                "the exact engines' place is the sweep's");
        assertEquals("pareto-1", r.rows().get(0).strategy());
        assertEquals(points + 1, r.rows().size());
        assertEquals(r.planFiles().keySet().stream().map(n -> "plans/" + n + ".json").toList(), List.copyOf(r.planFiles().values()));
        for (String file : r.planFiles().values()) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        assertEquals(PlanIo.read(out.resolve("plans/pareto-1.json")), PlanIo.read(out.resolve("plan.json")));
        assertEquals(r.summaryJson(), Files.readString(out.resolve("summary.json")));
        assertEquals("latency,energy (pareto)", JsonParser.parseString(r.summaryJson()).getAsJsonObject().get("objective")
                .getAsString());
        assertTrue(Files.exists(out.resolve("pareto.csv")) && Files.exists(out.resolve("pareto.svg")));
        assertFalse(r.anyStrategyFailed());
    }
}
