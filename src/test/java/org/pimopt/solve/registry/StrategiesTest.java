package org.pimopt.solve.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.ReplicationRule;

class StrategiesTest {
    /**
     * Exact engines checked against enumeration of every plan in ExactEnginesTest and
     * MipStrategyTest (validity, optimality, never worse than any plan), kept out of this
     * loop so that it stays fast.
     */
    private static final java.util.Set<String> CROSS_CHECKED_ELSEWHERE = java.util.Set.of("choco", "mip", "mip-cbc", "mip-highs", "cpsat-fixed");

    private static List<Instance> smallInstances() {
        List<Instance> out = new ArrayList<>();
        for (String goal : List.of("latency", "energy", "edp", "writes", "dram", "latency,writes")) {
            for (int batch : new int[] {1, 16}) {
                out.add(Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), batch, Goal.parse(goal)));
                out.add(Instance.of(TestNetworks.mlp(512, 300, 200, 300, 100, 10), TestNetworks.chip(2, 4), batch, Goal.parse(goal)));
                out.add(Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(3, 8), batch, Goal.parse(goal)));
            }
        }
        return out;
    }

    /** Every way to cut {@code n} units into contiguous spans that fit. */
    private static List<List<Integer>> allCuts(IntervalScorer scorer) {
        List<List<Integer>> out = new ArrayList<>();
        extend(scorer, new ArrayList<>(List.of(0)), out);
        return out;
    }

    private static void extend(IntervalScorer scorer, List<Integer> prefix, List<List<Integer>> out) {
        int a = prefix.get(prefix.size() - 1);
        if (a == scorer.size()) {
            out.add(List.copyOf(prefix));
            return;
        }
        for (int b = a + 1; b <= scorer.maxEnd(a); b++) {
            prefix.add(b);
            extend(scorer, prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    @Test
    void dpEqualsExhaustiveEnumerationOfContiguousPartitions() {
        for (Instance in : smallInstances()) {
            SolveResult dp = new DpStrategy().solve(in, SolveOptions.defaults());
            assertEquals(Status.OPTIMAL, dp.status());
            IntervalScorer scorer = new IntervalScorer(in, ReplicationRule.PER_SPAN);
            BatchMetrics best = null;
            for (List<Integer> cuts : allCuts(scorer)) {
                BatchMetrics m = scorer.metrics(cuts);
                if (best == null || in.goal().comparator().compare(m, best) < 0) {
                    best = m;
                }
            }
            assertNotNull(best);
            assertEquals(0, in.goal().comparator().compare(best, dp.metrics()),
                    in.network().name() + " " + in.goal() + " B=" + in.batch() + ": exhaustive " + in.goal().primaryValue(best)
                            + " vs dp " + dp.objective());
            // The plan the DP returns is priced the same when evaluated whole.
            assertEquals(dp.objective(), in.goal().primaryValue(dp.plan().evaluate(in)), 1e-9 * Math.abs(dp.objective()));
        }
    }

    /**
     * Every strategy reports its plan's price by the cost model, also when a layer runs in the
     * first partition without being read (a side output on the input), which block searches once
     * left out of every block's price (dp and greedy 0.4% under, and cpsat returned that as OPTIMAL).
     */
    @Test
    void everyStrategyReportsItsPlansPriceWithASideOutputOnTheInput() {
        for (int batch : new int[] {1, 16}) {
            Instance in = Instance.of(org.pimopt.TestNetworks.sideOutputOnInput(), org.pimopt.TestNetworks.chip(1, 4), batch,
                    org.pimopt.cost.Goal.parse("latency"));
            for (String name : List.of("dp", "dp-exact", "greedy", "layerwise", "compass-ga", "dp-lattice", "cpsat", "exact")) {
                SolveResult r = Strategies.byName(name).solve(in, new SolveOptions(10_000, 1, 1, line -> {}));
                double priced = in.goal().primaryValue(r.plan().evaluate(in));
                assertEquals(priced, r.objective(), 1e-9 * priced, name + " B=" + batch + ": reported objective is not the plan's price");
            }
        }
    }

    @Test
    void everyStrategyGivesValidPlansAndNoneBeatsTheDp() {
        for (Instance in : smallInstances()) {
            SolveResult dp = new DpStrategy().solve(in, SolveOptions.defaults());
            for (String name : Strategies.names()) {
                if (CROSS_CHECKED_ELSEWHERE.contains(name)) {
                    continue;
                }
                SolveResult r = Strategies.byName(name).solve(in, SolveOptions.defaults());
                assertEquals(List.of(), Validator.violations(in, r.plan()), name);
                assertEquals(r.objective(), in.goal().primaryValue(r.plan().evaluate(in)), 1e-9 * Math.abs(r.objective()), name);
                if (Strategies.isExact(name) || name.equals("dp-exact") || name.equals("dp-lattice")) {
                    // Exact over any order that respects dependencies, or over the DP's spans with
                    // optimal copies: never worse than the DP.
                    assertTrue(in.goal().comparator().compare(r.metrics(), dp.metrics()) <= 0
                            || Math.abs(r.objective() - dp.objective()) <= 1e-4 * Math.abs(dp.objective()),
                            "dp beats " + name + " on " + in.network().name() + " " + in.goal() + " B=" + in.batch());
                } else {
                    // Every baseline cuts the same fixed order into contiguous spans and replicates by
                    // one of the DP's rules or by PIMCOMP-NN's, which spends fewer copies in nearly the
                    // order of the DP's fill rule; none may beat it.
                    assertTrue(in.goal().comparator().compare(dp.metrics(), r.metrics()) <= 0,
                            name + " beats dp on " + in.network().name() + " " + in.goal() + " B=" + in.batch());
                }
            }
        }
    }

    @Test
    void compassGaIsReproducibleForASeed() {
        Instance in = Instance.of(TestNetworks.mlp(512, 300, 200, 300, 100, 10), TestNetworks.chip(2, 4), 16, Goal.parse("latency"));
        SolveOptions seeded = new SolveOptions(60_000, 42, 1, line -> {});
        SolveResult a = Strategies.byName("compass-ga").solve(in, seeded);
        SolveResult b = Strategies.byName("compass-ga").solve(in, seeded);
        assertEquals(a.plan(), b.plan());
        assertEquals(a.objective(), b.objective());
    }
}
