package org.pimopt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.PlanSource;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.registry.Strategies;

/** What one solve through the pipeline gives: the strategies' answers, the best of them, its files, and no lost answer. */
class SolvePipelineTest {
    private static final Chip CHIP = ChipLoader.load("compass-s");
    private static final Instance LENET = SolvePipeline.lower(ModelCatalog.load("lenet5", Map.of()), CHIP, 4,
            Goal.parse("latency"), List.of());
    private static final PlanSource SOURCE = PlanSource.of("lenet5", Map.of(), Map.of(), false, false, "compass-s");

    /** A strategy that fails as a bug deep in an engine would. */
    private static Strategy throwing(String name) {
        return new Strategy() {
            public String name() {
                return name;
            }

            public SolveResult solve(Instance instance, SolveOptions options) {
                throw new IllegalStateException("model invalid");
            }
        };
    }

    /** A strategy that gives up without a plan. */
    private static Strategy planless(String name) {
        return new Strategy() {
            public String name() {
                return name;
            }

            public SolveResult solve(Instance instance, SolveOptions options) {
                return new SolveResult(name, null, null, Status.UNKNOWN, Double.NaN, null, 0, Map.of(), "gave up");
            }
        };
    }

    private static List<Strategy> byName(String... names) {
        List<Strategy> out = new ArrayList<>();
        for (String n : names) {
            out.add(Strategies.byName(n));
        }
        return out;
    }

    private static PipelineOptions options(Instance instance, List<Strategy> strategies) {
        return PipelineOptions.of(instance, strategies, new Budget(System.nanoTime(), 20_000)).withSeed(1, 1)
                .withStages(false, false, false, false);
    }

    @Test
    void theBestPlanIsTheLeastObjectiveAmongThePlansTheStrategiesReturned() {
        PipelineResult r = new SolvePipeline(options(LENET, byName("layerwise", "greedy", "dp"))).run();
        assertEquals(PipelineResult.Kind.SOLVED, r.kind());
        assertEquals(List.of("layerwise", "greedy", "dp"), r.results().stream().map(SolveResult::strategy).toList());
        // Independently: latency is the one objective, so the best is the row of least model latency.
        SolveResult least = r.results().stream().filter(x -> x.plan() != null)
                .min(Comparator.comparingDouble(x -> x.plan().evaluate(LENET).latencyNs())).orElseThrow();
        assertEquals(least.plan().evaluate(LENET).latencyNs(), r.best().plan().evaluate(LENET).latencyNs());
        assertTrue(r.results().contains(r.best()), "the best is one of the rows, unchanged without placement");
        assertNull(r.placedLine());
        assertFalse(r.anyStrategyFailed());
    }

    @Test
    void aDeterministicHeuristicGivesThePipelineThePlanItGivesAlone() {
        PipelineResult r = new SolvePipeline(options(LENET, byName("layerwise"))).run();
        SolveResult alone = Strategies.byName("layerwise").solve(LENET, new SolveOptions(20_000, 1, 1, line -> {}));
        assertEquals(alone.plan().partitions(), r.best().plan().partitions());
    }

    @Test
    void theFilesHoldTheBestPlanAndTheSummaryOfEveryRow(@TempDir Path out) throws Exception {
        PipelineResult r = new SolvePipeline(options(LENET, byName("greedy", "dp")).withOut(out, SOURCE)).run();
        PlanFile written = PlanIo.read(out.resolve("plan.json"));
        assertEquals(r.best().strategy(), written.getStrategy());
        Plan read = PlanIo.fromProto(LENET, written, "plan.json");
        assertEquals(r.best().plan().partitions(), read.partitions());
        assertEquals(written, PlanIo.read(out.resolve("plan.pb")), "plan.pb holds the same plan as plan.json");
        assertEquals(r.summaryJson(), Files.readString(out.resolve("summary.json")));
        JsonObject summary = JsonParser.parseString(r.summaryJson()).getAsJsonObject();
        String rows = summary.toString();
        assertTrue(rows.contains("\"greedy\"") && rows.contains("\"dp\""), rows);
    }

    @Test
    void aFailingStrategyCostsOnlyItsOwnRowAndTheOthersPlanIsWritten(@TempDir Path out) {
        List<Strategy> strategies = new ArrayList<>(byName("greedy"));
        strategies.add(0, throwing("cpsat"));
        List<String> err = new ArrayList<>();
        PipelineResult r = new SolvePipeline(options(LENET, strategies).withOut(out, SOURCE).withLines(err::add, line -> {}))
                .run();
        assertEquals(PipelineResult.Kind.SOLVED, r.kind());
        SolveResult failed = r.results().stream().filter(x -> x.strategy().equals("cpsat")).findFirst().orElseThrow();
        assertEquals(Status.ERROR, failed.status());
        assertTrue(failed.note().contains("IllegalStateException: model invalid"), failed.note());
        assertEquals("greedy", r.best().strategy());
        assertTrue(r.anyStrategyFailed());
        assertTrue(Files.exists(out.resolve("plan.json")) && Files.exists(out.resolve("summary.json")));
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith("pimopt: warning: cpsat failed ("), r.warnings().get(0));
        assertEquals(r.warnings(), err, "a warning is also told as it happens");
    }

    @Test
    void withoutAnyPlanNothingIsWritten(@TempDir Path out) {
        PipelineResult r = new SolvePipeline(options(LENET, List.of(planless("a"), planless("b"))).withOut(out, SOURCE)).run();
        assertEquals(PipelineResult.Kind.NO_PLAN, r.kind());
        assertNull(r.best());
        assertEquals("a UNKNOWN (gave up); b UNKNOWN (gave up)", r.whyNoPlan());
        assertFalse(Files.exists(out.resolve("plan.json")));
        assertFalse(Files.exists(out.resolve("summary.json")));
    }

    @Test
    void whenNoPlanMeetsTheLimitsNothingIsWrittenAndEveryRowIsOverTheLimit(@TempDir Path out) {
        Instance limited = SolvePipeline.lower(ModelCatalog.load("lenet5", Map.of()), CHIP, 4, Goal.parse("latency"),
                List.of("latency=1ns"));
        PipelineResult r = new SolvePipeline(options(limited, byName("greedy", "layerwise")).withOut(out, SOURCE)).run();
        assertEquals(PipelineResult.Kind.NO_PLAN_MEETS_LIMITS, r.kind());
        assertTrue(r.results().stream().allMatch(x -> x.status() == Status.OVER_LIMIT), r.results().toString());
        assertTrue(r.whyNoPlanMeetsLimits().startsWith("no exact engine ran"), r.whyNoPlanMeetsLimits());
        assertFalse(Files.exists(out.resolve("plan.json")));
    }

    @Test
    void placementLaysOutTheBestPlanWithoutChangingItsPartitions(@TempDir Path out) throws Exception {
        PipelineResult unplaced = new SolvePipeline(options(LENET, byName("greedy"))).run();
        PipelineResult placed = new SolvePipeline(options(LENET, byName("greedy")).withStages(true, false, false, false)
                .withOut(out, SOURCE)).run();
        assertEquals(unplaced.best().plan().partitions(), placed.best().plan().partitions());
        assertNull(unplaced.best().plan().layout());
        assertNotNull(placed.best().plan().layout());
        assertTrue(placed.placedLine().startsWith("placed: NoC byte-hops "), placed.placedLine());
        assertTrue(PlanIo.read(out.resolve("plan.json")).hasLayout(), "the written plan carries the layout");
        assertTrue(placed.results().contains(placed.best()), "the best row is the placed plan, so it is simulated with its layout");
    }

    @Test
    void simulationCoversEveryPlanAndVerificationEveryOptimal() {
        PipelineResult r = new SolvePipeline(options(LENET, byName("greedy", "dp")).withStages(false, false, true, true)).run();
        List<String> withPlans = r.results().stream().filter(x -> x.plan() != null).map(SolveResult::strategy).toList();
        assertEquals(withPlans.stream().sorted().toList(), r.simulations().results().keySet().stream().sorted().toList());
        assertTrue(r.simulations().skipped().isEmpty(), r.simulations().skipped().toString());
        List<String> optimal = r.results().stream().filter(x -> x.status() == Status.OPTIMAL).map(SolveResult::strategy).toList();
        assertEquals(optimal, List.copyOf(r.verdicts().keySet()));
        assertEquals(r.verdicts().keySet(), r.verificationLines().keySet());
    }

    @Test
    void anInterruptAfterTheRunHasReportedFindsNothingLeftToWrite() {
        SolvePipeline pipeline = new SolvePipeline(options(LENET, byName("greedy")));
        assertEquals(PipelineResult.Kind.SOLVED, pipeline.run().kind());
        assertNull(pipeline.interrupted());
    }

    @Test
    void anInterruptBeforeTheRunEndsWritesWhatWasFoundAndTheRunThenReportsNothing(@TempDir Path out) {
        SolvePipeline pipeline = new SolvePipeline(options(LENET, byName("greedy")).withOut(out, SOURCE));
        PipelineResult early = pipeline.interrupted();
        assertEquals(PipelineResult.Kind.NO_PLAN, early.kind(), "nothing had run yet");
        assertTrue(early.interrupted());
        assertEquals(PipelineResult.Kind.REPORTED_ELSEWHERE, pipeline.run().kind());
        assertFalse(Files.exists(out.resolve("plan.json")));
    }
}
