package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pimopt.check.PlanEnumerator;
import org.pimopt.check.RandomCases;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.choco.ChocoStrategy;
import org.pimopt.solve.cpsat.CpSatStrategy;
import org.pimopt.solve.mip.MipStrategy;
import org.pimopt.solve.registry.Strategies;

/**
 * The property behind every OPTIMAL claim, on 200 random instances (seeded): random small CNNs and
 * MLPs with branches and residual adds (3 to 6 units, few enough copy counts to enumerate), random chips and batches, every objective
 * the MILP states linearly and a lexicographic pair. cpsat and mip (SCIP) must both report OPTIMAL
 * at the objective exhaustive enumeration finds; no heuristic may beat it; the bound valid for
 * every plan must not exceed it. Tolerances as in {@link ExactEnginesTest}.
 */
public class RandomExactEnginesTest {
    private static final int K = 3;
    private static final int INSTANCES = 200;
    /** How many of the instances (a seeded sample) choco is checked on, to keep its test near 30 s. */
    private static final int CHOCO_INSTANCES = 100;
    private static final List<String> GOALS = List.of("latency", "energy", "writes", "dram", "latency,writes");

    public static List<Instance> instances() {
        Random rnd = new Random(20261123);
        List<Instance> out = new ArrayList<>();
        int id = 0;
        while (out.size() < INSTANCES) {
            Network net = RandomCases.network(rnd, id++);
            Chip chip = RandomCases.chip(rnd);
            Instance in;
            try {
                in = Instance.of(net, chip, 1 + rnd.nextInt(8), Goal.parse(GOALS.get(rnd.nextInt(GOALS.size()))));
            } catch (RuntimeException notPlaceable) {
                continue;
            }
            int units = in.units().size();
            if (units >= 3 && units <= 6 && in.tiling().minPartitions() <= K && replicationChoices(in) <= 40) {
                out.add(in);
            }
        }
        return out;
    }

    /** Copy-count vectors the enumeration tries per partition at most: the product of each op's most copies. */
    private static long replicationChoices(Instance in) {
        long product = 1;
        for (var op : in.ops()) {
            long most = Math.min(op.positions(), Math.max(1, in.chip().totalCrossbars() / Math.max(1, op.crossbars())));
            product = Math.multiplyExact(product, most);
            if (product > 1_000_000) {
                return product;
            }
        }
        return product;
    }

    @Test
    void cpsatAndMipProveTheOptimumThatEnumerationFinds() {
        int checked = 0;
        for (Instance in : instances()) {
            PlanEnumerator.Best best = PlanEnumerator.best(in, K);
            if (best.plan() == null) {
                continue;   // no plan of at most K partitions packs into the cores
            }
            checked++;
            String what = in.network().name() + " (" + in.units().size() + " units) on " + in.chip().cores() + "x"
                    + in.chip().crossbarsPerCore() + " B=" + in.batch() + " " + in.goal();
            Objective primary = in.goal().primary();
            double want = primary.of(best.metrics());
            assertTrue(LowerBound.of(in, primary) <= want * (1 + 1e-9), what + ": every-plan bound above the optimum");
            double rounded = 2.5 * ExactEnginesTest.roundingError(in) + 1e-9;
            for (Strategy engine : List.of(new CpSatStrategy(K), new MipStrategy("mip", "SCIP", K))) {
                SolveResult r = engine.solve(in, new SolveOptions(30_000, 1, 1, line -> {}));
                String who = engine.name() + " on " + what;
                assertEquals(Status.OPTIMAL, r.status(), who + ": " + r.note());
                assertEquals(List.of(), Validator.violations(in, r.plan()), who);
                double got = primary.of(r.plan().evaluate(in));
                double tolerance = engine instanceof MipStrategy ? 1e-6 : rounded;
                assertTrue(got >= want * (1 - 1e-9), who + ": " + got + " beats every plan's " + want);
                assertTrue(got <= want * (1 + tolerance), who + ": " + got + " vs the optimum " + want);
                assertNotNull(r.bound(), who);
                assertTrue(r.bound() <= want * (1 + tolerance), who + ": bound " + r.bound() + " above " + want);
            }
            for (String heuristic : List.of("layerwise", "greedy", "pimcomp-balance", "pimcomp-fill", "clsa-greedy", "dp")) {
                SolveResult h = Strategies.byName(heuristic).solve(in, new SolveOptions(2_000, 1, 1, line -> {}));
                if (h.plan().partitions().size() <= K) {
                    assertTrue(primary.of(h.metrics()) >= want * (1 - 1e-9), heuristic + " beats the optimum on " + what);
                }
            }
        }
        assertTrue(checked >= INSTANCES * 3 / 4, "only " + checked + " of " + INSTANCES + " instances had a plan");
    }

    /**
     * Choco on a seeded sample of the same instances. Its integers are 32-bit: where the scales that
     * fit are too coarse, or the bounds overflow even the coarsest, it must not claim OPTIMAL and
     * must say why in its note (naming the 32-bit limit), with a valid plan no better than the
     * optimum. Every OPTIMAL must equal the enumeration (tolerance as in {@link ExactEnginesTest}).
     */
    @Test
    void chocoProvesTheOptimumOrSaysWhyNot() {
        List<Instance> sample = new ArrayList<>(instances());
        java.util.Collections.shuffle(sample, new Random(7));
        sample = sample.subList(0, CHOCO_INSTANCES);
        int optimal = 0;
        int declined = 0;
        java.util.Map<String, Integer> declinedByGoal = new java.util.TreeMap<>();
        for (Instance in : sample) {
            PlanEnumerator.Best best = PlanEnumerator.best(in, K);
            if (best.plan() == null) {
                continue;
            }
            String who = "choco on " + in.network().name() + " (" + in.units().size() + " units) on " + in.chip().cores()
                    + "x" + in.chip().crossbarsPerCore() + " B=" + in.batch() + " " + in.goal();
            Objective primary = in.goal().primary();
            double want = primary.of(best.metrics());
            SolveResult r = new ChocoStrategy(K).solve(in, new SolveOptions(30_000, 1, 1, line -> {}));
            assertEquals(List.of(), Validator.violations(in, r.plan()), who);
            double got = primary.of(r.plan().evaluate(in));
            assertTrue(got >= want * (1 - 1e-9), who + ": " + got + " beats every plan's " + want);
            if (r.status() != Status.OPTIMAL) {
                assertTrue(r.note().contains("32-bit"), who + ": " + r.status() + " without saying why: " + r.note());
                // Cells written and DRAM bytes are exact integers: no time or energy scale limits them.
                assertTrue(primary != Objective.WRITES && primary != Objective.DRAM, who + " declined: " + r.note());
                declined++;
                declinedByGoal.merge(in.goal().toString(), 1, Integer::sum);
                continue;
            }
            optimal++;
            double tolerance = 2.5 * Math.max(ExactEnginesTest.roundingError(in), 0.005) + 1e-9;
            assertTrue(got <= want * (1 + tolerance), who + ": " + got + " vs the optimum " + want);
            if (r.bound() != null) {
                assertTrue(r.bound() <= want * (1 + tolerance), who + ": bound " + r.bound() + " above " + want);
            }
        }
        System.out.printf("RandomExactEnginesTest: choco OPTIMAL on %d, declined (32-bit) on %d %s of %d sampled%n",
                optimal, declined, declinedByGoal, CHOCO_INSTANCES);
        assertTrue(optimal >= CHOCO_INSTANCES / 2, "choco proved only " + optimal + " of " + CHOCO_INSTANCES);
    }
}
