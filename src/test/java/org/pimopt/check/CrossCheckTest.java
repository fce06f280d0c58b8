package org.pimopt.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.TestNetworks;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;

/**
 * The cross-check's parts: the enumeration on instances whose plans can be listed by hand, the
 * checks on answers made wrong on purpose (each must be caught), an engine that throws, the shard
 * split and merge, and a run of five instances through every engine with no finding.
 */
class CrossCheckTest {
    private static final Chip ONE_CORE = ChipLoader.parse("{\"name\": \"t\", \"cores\": 1, \"crossbars_per_core\": 4,"
            + " \"crossbar_rows\": 128, \"crossbar_cols\": 128}", "test chip");

    /** Three chained layers of one crossbar each, one MVM step each: exactly the 4 contiguous plans exist. */
    @Test
    void aChainOfThreeUnitsHasFourPlansAndTheBestOfThemIsFound() {
        for (String goal : List.of("latency", "energy", "writes", "latency,writes")) {
            Instance in = Instance.of(TestNetworks.mlp(100, 50, 20, 10), ONE_CORE, 4, Goal.parse(goal));
            assertEquals(3, in.units().size());
            List<Plan> byHand = List.of(plan(List.of(0, 1, 2)), plan(List.of(0), List.of(1, 2)), plan(List.of(0, 1), List.of(2)),
                    plan(List.of(0), List.of(1), List.of(2)));
            BatchMetrics best = byHand.stream().map(p -> p.evaluate(in)).min(in.goal().comparator()).orElseThrow();
            PlanEnumerator.Optima optima = PlanEnumerator.enumerate(in, 3);
            assertEquals(4, optima.plansPriced());
            assertEquals(4, PlanEnumerator.plansToTry(in, 100));
            assertEquals(0, in.goal().comparator().compare(best, optima.best(Scope.ALL).metrics()), goal);
            assertEquals(0, in.goal().comparator().compare(best, optima.best(Scope.CONTIGUOUS).metrics()), goal);
            // One partition keeps its weights across batches: the fewest cells written.
            BatchMetrics one = byHand.get(0).evaluate(in);
            assertEquals(0, in.goal().comparator().compare(one, optima.best(Scope.upTo(1)).metrics()), goal);
        }
    }

    /** Two layers reading the input (no order between them): 3 plans, of which 2 are contiguous; copies multiply them. */
    @Test
    void independentLayersRunInEitherOrderAndCopiesAreEnumerated() {
        var b = new NetworkBuilder("two-heads");
        String x = b.input("input", "1x2x2");
        b.conv("a", x, 4, 1, 1, 0, false);   // 1 crossbar, 4 MVM steps: 1 to 4 copies
        b.linear("b", b.flatten("flat", x), 3, false);   // 1 crossbar, 1 step
        Network net = Network.bind(b.build(), Map.of());
        Instance in = Instance.of(net, ONE_CORE, 2, Goal.parse("latency"));
        assertEquals(2, in.units().size());
        PlanEnumerator.Optima optima = PlanEnumerator.enumerate(in, 2);
        // {a,b} with 1-3 copies of a (4 and b need 5 crossbars), {a}{b} and {b}{a} with 1-4 copies.
        assertEquals(11, optima.plansPriced());
        List<BatchMetrics> contiguous = new ArrayList<>();
        List<BatchMetrics> all = new ArrayList<>();
        for (int r = 1; r <= 4; r++) {
            Map<Integer, Integer> copies = r == 1 ? Map.of() : Map.of(0, r);
            Plan together = new Plan(List.of(new Partition(List.of(0, 1), copies)));
            Plan aFirst = new Plan(List.of(new Partition(List.of(0), copies), new Partition(List.of(1), Map.of())));
            Plan bFirst = new Plan(List.of(new Partition(List.of(1), Map.of()), new Partition(List.of(0), copies)));
            contiguous.add(aFirst.evaluate(in));
            all.addAll(List.of(aFirst.evaluate(in), bFirst.evaluate(in)));
            if (r <= 3) {
                contiguous.add(together.evaluate(in));
                all.add(together.evaluate(in));
            }
        }
        var order = in.goal().comparator();
        assertEquals(0, order.compare(all.stream().min(order).orElseThrow(), optima.best(Scope.ALL).metrics()));
        assertEquals(0, order.compare(contiguous.stream().min(order).orElseThrow(), optima.best(Scope.CONTIGUOUS).metrics()));
    }

    /** Answers made wrong on purpose: each check must say what is wrong. */
    @Test
    void wrongClaimsBoundsAndPlansAreCaught() {
        CrossCheckCases.Case c = new CrossCheckCases.Case(-1, Instance.of(TestNetworks.mlp(100, 50, 20, 10), ONE_CORE, 4,
                Goal.parse("latency")), List.of());
        Instance in = c.instance();
        PlanEnumerator.Optima optima = PlanEnumerator.enumerate(in, 3);
        PlanEnumerator.Best best = optima.best(Scope.ALL);
        Plan worst = plan(List.of(0), List.of(1), List.of(2));
        double bestLatency = best.metrics().latencyNs();
        double worstLatency = worst.evaluate(in).latencyNs();
        assertTrue(worstLatency > bestLatency * 1.01, "the test needs plans of different latency");

        CheckRow right = CrossCheck.row(c, optima, "dp-lattice", answer(best.plan(), in, Status.OPTIMAL, bestLatency, bestLatency), 1);
        assertEquals("", right.findings(), right.detail());
        assertTrue(right.claim());

        CheckRow wrong = CrossCheck.row(c, optima, "dp-lattice", answer(worst, in, Status.OPTIMAL, worstLatency, worstLatency), 1);
        assertTrue(wrong.has(CheckRow.Finding.DISAGREES), wrong.detail());
        assertEquals(List.of("OPTIMAL, latency (the goal's first objective) off the optimum", "bound above"), CrossCheckReport.kinds(wrong));
        // Not claimed: a worse plan is no finding, a bound above the optimum is.
        CheckRow high = CrossCheck.row(c, optima, "dp-lattice", answer(worst, in, Status.FEASIBLE, worstLatency, worstLatency), 1);
        assertEquals("BOUND_ABOVE", high.findings(), high.detail());
        assertTrue(high.notProven());
        CheckRow misreported = CrossCheck.row(c, optima, "dp-lattice", answer(best.plan(), in, Status.FEASIBLE, bestLatency / 2, null), 1);
        assertEquals("MISREPORTED", misreported.findings());
        Plan overfull = new Plan(List.of(new Partition(List.of(0, 1, 2), Map.of(0, 2))));   // 2 copies of a 1-step layer
        CheckRow invalid = CrossCheck.row(c, optima, "dp-lattice", answer(overfull, in, Status.FEASIBLE, 0, null), 1);
        assertEquals("INVALID_PLAN", invalid.findings());
        // cpsat-fixed with a limit of 1 partition: its scope is the one-partition plan, whatever the others.
        double onePartition = plan(List.of(0, 1, 2)).evaluate(in).latencyNs();
        SolveResult limited = new SolveResult("cpsat-fixed", plan(List.of(0, 1, 2)), plan(List.of(0, 1, 2)).evaluate(in),
                Status.OPTIMAL, onePartition, onePartition, 1, Map.of("maxPartitions", 1), "");
        CheckRow fixed = CrossCheck.row(c, optima, "cpsat-fixed", limited, 1);
        assertEquals("contiguous <=1", fixed.scope());
        assertEquals("", fixed.findings(), fixed.detail());
    }

    /** A throwing engine is a row with its cause, and the engines after it still run. */
    @Test
    void anEngineThatThrowsIsAFindingAndTheOthersStillRun() {
        CrossCheckCases.Case c = CrossCheckCases.draw(0);
        PlanEnumerator.Optima optima = PlanEnumerator.enumerate(c.instance(), c.instance().units().size());
        Strategy broken = new Strategy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public SolveResult solve(Instance instance, org.pimopt.solve.SolveOptions options) {
                return recurse(0);
            }

            private SolveResult recurse(int depth) {
                return depth < 0 ? null : recurse(depth + 1);   // StackOverflowError
            }
        };
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<CheckRow> rows = CrossCheck.check(c, optima, List.of("broken", "dp-lattice"), 5_000, pool,
                    name -> name.equals("broken") ? broken : org.pimopt.solve.registry.Strategies.byName(name));
            assertEquals(2, rows.size());
            assertEquals("ERROR", rows.get(0).status());
            assertTrue(rows.get(0).detail().startsWith("StackOverflowError"), rows.get(0).detail());
            assertEquals("dp-lattice", rows.get(1).engine());
            assertEquals("", rows.get(1).findings(), rows.get(1).detail());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Seeds name instances: the same seed draws the same instance, sizes in range, goals in turn. */
    @Test
    void aSeedAlwaysDrawsTheSameEnumerableInstance() {
        for (long seed = 0; seed < 12; seed++) {
            CrossCheckCases.Case a = CrossCheckCases.draw(seed);
            CrossCheckCases.Case b = CrossCheckCases.draw(seed);
            assertEquals(a.describe(), b.describe());
            int n = a.instance().units().size();
            assertTrue(n >= 3 && n <= 10, a.describe());
            assertEquals(CrossCheckCases.GOALS.get((int) (seed % CrossCheckCases.GOALS.size())), a.instance().goal().toString());
            long plans = PlanEnumerator.plansToTry(a.instance(), CrossCheckCases.MAX_PLANS);
            assertTrue(plans > 0, a.describe());
        }
    }

    /**
     * Five instances (latency, energy, writes, dram, edp) through every engine in two shards, merged:
     * every seed once, every engine on each, no finding; a shard's file holds only its seeds.
     */
    @Test
    void twoShardsOfFiveInstancesMergeIntoOneReportWithoutFindings(@TempDir Path dir) throws Exception {
        for (String shard : List.of("0/2", "1/2")) {
            int status = CrossCheckMain.run(new String[] {"5", "--shard", shard, "--jobs", "2", "--timeout", "3000", "--out",
                dir.toString()});
            assertEquals(0, status, Files.readString(dir.resolve("crosscheck.shard-" + shard.charAt(0) + "-of-2.csv")));
        }
        List<CheckRow> first = CrossCheckReport.read(List.of(dir.resolve("crosscheck.shard-0-of-2.csv"))).rows();
        assertEquals(List.of(0L, 2L, 4L), first.stream().map(CheckRow::seed).distinct().toList());
        assertEquals(0, CrossCheckMain.run(new String[] {"merge", dir.toString(), "--out", dir.toString()}));
        List<CheckRow> merged = CrossCheckReport.read(List.of(dir.resolve("crosscheck.csv"))).rows();
        List<String> engines = CrossCheck.enginesPresent();
        assertEquals(5 * engines.size(), merged.size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), merged.stream().map(CheckRow::seed).distinct().toList());
        assertTrue(merged.stream().allMatch(r -> r.findings().isEmpty()), merged.toString());
        assertTrue(merged.stream().filter(CheckRow::claim).count() >= 3L * engines.size(), "too few claims to check");
        String md = Files.readString(dir.resolve("crosscheck.md"));
        assertTrue(md.contains("0 disagreements"), md);
        assertTrue(md.contains("| **all engines** | **all** | " + merged.size() + " |"), md);
    }

    @SafeVarargs
    private static Plan plan(List<Integer>... partitions) {
        List<Partition> parts = new ArrayList<>();
        for (List<Integer> units : partitions) {
            parts.add(new Partition(units, Map.of()));
        }
        return new Plan(parts);
    }

    private static SolveResult answer(Plan plan, Instance in, Status status, double objective, Double bound) {
        return new SolveResult("test", plan, null, status, objective, bound, 1, Map.of(), "made up");
    }
}
