package org.pimopt.solve.cpsat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.dp.DpStrategy;

/** CP-SAT's OPTIMAL checked against every plan of a small instance. */
class CpSatStrategyTest {
    private static final int K = 3;

    private static List<Instance> tinyInstances() {
        List<Instance> out = new ArrayList<>();
        for (String goal : List.of("latency", "energy", "writes", "dram", "latency,writes")) {
            for (int batch : new int[] {1, 8}) {
                out.add(Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), batch, Goal.parse(goal)));
            }
        }
        out.add(Instance.of(TestNetworks.mlp(512, 300, 200, 10), TestNetworks.chip(2, 4), 4, Goal.parse("latency")));
        return out;
    }

    /** The best of every valid plan of at most K partitions, every copy count included. */
    private static BatchMetrics exhaustive(Instance in) {
        int n = in.units().size();
        BatchMetrics[] best = {null};
        int[] part = new int[n];
        enumerate(in, part, 0, 0, best);
        return best[0];
    }

    private static void enumerate(Instance in, int[] part, int u, int usedSoFar, BatchMetrics[] best) {
        if (u == part.length) {
            int k = usedSoFar;
            List<List<Integer>> units = new ArrayList<>();
            for (int p = 0; p < k; p++) {
                units.add(new ArrayList<>());
            }
            for (int i = 0; i < part.length; i++) {
                units.get(part[i]).add(i);
            }
            copies(in, units, 0, new ArrayList<>(), best);
            return;
        }
        // Partitions are numbered in order of first use, so each set of plans is seen once per order.
        for (int p = 0; p <= Math.min(usedSoFar, K - 1); p++) {
            part[u] = p;
            enumerate(in, part, u + 1, Math.max(usedSoFar, p + 1), best);
        }
    }

    private static void copies(Instance in, List<List<Integer>> units, int p, List<Partition> done, BatchMetrics[] best) {
        if (p == units.size()) {
            Plan plan = new Plan(done);
            if (Validator.violations(in, plan).isEmpty()) {
                BatchMetrics m = plan.evaluate(in);
                if (best[0] == null || in.goal().comparator().compare(m, best[0]) < 0) {
                    best[0] = m;
                }
            }
            return;
        }
        List<Integer> ops = units.get(p).stream().map(u -> in.units().get(u).op()).distinct().toList();
        replicas(in, units, p, ops, 0, new HashMap<>(), done, best);
    }

    private static void replicas(Instance in, List<List<Integer>> units, int p, List<Integer> ops, int i,
                                 Map<Integer, Integer> rep, List<Partition> done, BatchMetrics[] best) {
        if (i == ops.size()) {
            List<Partition> next = new ArrayList<>(done);
            next.add(new Partition(units.get(p), rep));
            copies(in, units, p + 1, next, best);
            return;
        }
        OpInfo op = in.ops().get(ops.get(i));
        long crossbars = units.get(p).stream().filter(u -> in.units().get(u).op() == op.index())
                .mapToLong(u -> in.units().get(u).crossbars()).sum();
        for (int r = 1; r <= op.positions() && r * crossbars <= in.chip().totalCrossbars(); r++) {
            Map<Integer, Integer> with = new HashMap<>(rep);
            if (r > 1) {
                with.put(op.index(), r);
            }
            replicas(in, units, p, ops, i + 1, with, done, best);
        }
    }

    @Test
    void optimalEqualsTheBestOfEveryPlan() {
        for (Instance in : tinyInstances()) {
            SolveResult cp = new CpSatStrategy(K).solve(in, new SolveOptions(60_000, 1, 2, line -> {}));
            assertEquals(Status.OPTIMAL, cp.status(), in.goal() + " B=" + in.batch());
            assertEquals(List.of(), Validator.violations(in, cp.plan()));
            BatchMetrics best = exhaustive(in);
            for (var o : in.goal().objectives()) {
                double want = o.of(best);
                double got = o.of(cp.metrics());
                // The model rounds coefficients to 1 ps and 1 fJ; nothing may beat the true optimum.
                assertTrue(got >= want * (1 - 1e-9) - 1e-6, o + ": cpsat " + got + " beats every plan's " + want);
                assertEquals(want, got, 1e-4 * Math.abs(want) + 1e-6,
                        in.network().name() + " " + in.goal() + " B=" + in.batch() + " " + o);
                if (o != in.goal().primary()) {
                    break;
                }
            }
            // The proven bound holds for every plan: at most the enumerated optimum, and equal to it.
            double optimum = in.goal().primary().of(best);
            assertTrue(cp.bound() <= optimum * (1 + 1e-9) + 1e-6, "bound " + cp.bound() + " above the optimum " + optimum);
            assertEquals(optimum, cp.bound(), 1e-4 * Math.abs(optimum) + 1e-6);
        }
    }

    @Test
    void neverWorseThanTheDpItStartsFrom() {
        for (Instance in : tinyInstances()) {
            SolveResult dp = new DpStrategy().solve(in, SolveOptions.defaults());
            SolveResult cp = new CpSatStrategy().solve(in, new SolveOptions(30_000, 1, 2, line -> {}));
            assertTrue(in.goal().comparator().compare(cp.metrics(), dp.metrics()) <= 0
                    || Math.abs(cp.objective() - dp.objective()) <= 1e-4 * Math.abs(dp.objective()),
                    in.goal() + ": cpsat " + cp.objective() + " vs dp " + dp.objective());
        }
    }
}
