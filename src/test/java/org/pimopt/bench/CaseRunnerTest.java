package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;

class CaseRunnerTest {
    static final BenchCase CASE = new BenchCase("scaling", "scaling/x", "synthetic-chain-6-s1", "compass-s", 4, "latency",
            List.of("greedy", "drops-a-unit", "throws"));

    /** A strategy that "forgets" the last unit: the validator must catch it. */
    static final class DropsAUnit implements Strategy {
        public String name() {
            return "drops-a-unit";
        }

        public SolveResult solve(Instance instance, SolveOptions options) {
            List<Integer> units = new ArrayList<>();
            for (int u = 0; u < instance.units().size() - 1; u++) {
                units.add(u);
            }
            Plan plan = new Plan(List.of(new Partition(units, Map.of())));
            return new SolveResult(name(), plan, null, Status.FEASIBLE, 1, null, 0, Map.of(), "");
        }
    }

    /** Figures from somewhere other than the cost model, to see the seam carry its name. */
    static final class HalfLatencyScorer implements PlanScorer {
        public String name() {
            return "half";
        }

        public BatchMetrics score(Instance instance, Plan plan) {
            BatchMetrics m = plan.evaluate(instance);
            return new BatchMetrics(m.batch(), m.latencyNs() / 2, m.energy(), m.cellsWritten(), m.dramBytes(), m.partitions());
        }
    }

    private static Strategy resolve(String name) {
        return switch (name) {
            case "drops-a-unit" -> new DropsAUnit();
            case "throws" -> new Strategy() {
                public String name() {
                    return "throws";
                }

                public SolveResult solve(Instance instance, SolveOptions options) {
                    throw new IllegalStateException("boom");
                }
            };
            default -> org.pimopt.solve.registry.Strategies.byName(name);
        };
    }

    @Test
    void anInvalidPlanOrAThrowingStrategyIsRecordedAsAnErrorAndAnnounced() {
        List<String> alarms = new ArrayList<>();
        CaseRunner runner = new CaseRunner(new CaseRunner.Settings(5_000, 1, 1, new AnalyticScorer()), CaseRunnerTest::resolve);
        List<ResultRow> rows = runner.run(CASE, alarms::add);
        assertEquals(List.of("greedy", "drops-a-unit", "throws"), rows.stream().map(ResultRow::strategy).toList());
        assertEquals("FEASIBLE", rows.get(0).status());
        assertEquals("ERROR", rows.get(1).status());
        assertTrue(rows.get(1).note().startsWith("invalid plan:") && rows.get(1).note().contains("runs in no partition"),
                rows.get(1).note());
        assertTrue(Double.isNaN(rows.get(1).latencyNs()));
        assertEquals("ERROR", rows.get(2).status());
        assertTrue(rows.get(2).note().contains("boom"));
        assertEquals(2, alarms.size(), alarms.toString());
        assertTrue(alarms.get(0).contains("scaling/x drops-a-unit"), alarms.get(0));
    }

    @Test
    void everyRowNamesTheScorerWhoseFiguresItHolds() {
        BenchCase c = new BenchCase("scaling", "scaling/y", "synthetic-chain-6-s1", "compass-s", 4, "latency", List.of("greedy"));
        ResultRow analytic = new CaseRunner(new CaseRunner.Settings(5_000, 1, 1, new AnalyticScorer())).run(c, a -> {}).get(0);
        ResultRow half = new CaseRunner(new CaseRunner.Settings(5_000, 1, 1, new HalfLatencyScorer())).run(c, a -> {}).get(0);
        assertEquals("analytic", analytic.scorer());
        assertEquals("half", half.scorer());
        assertEquals(analytic.latencyNs() / 2, half.latencyNs(), 1e-9 * analytic.latencyNs());
        assertEquals(half.latencyNs(), half.objective());
    }

    @Test
    void anUnknownModelMakesEveryRowOfItsCaseAnError() {
        BenchCase c = new BenchCase("scaling", "scaling/z", "no-such-model", "compass-s", 1, "latency", List.of("greedy", "dp"));
        List<String> alarms = new ArrayList<>();
        List<ResultRow> rows = new CaseRunner(new CaseRunner.Settings(1_000, 1, 1, new AnalyticScorer())).run(c, alarms::add);
        assertTrue(rows.stream().allMatch(r -> r.status().equals("ERROR") && r.note().contains("no-such-model")));
        assertEquals(1, alarms.size());
    }
}
