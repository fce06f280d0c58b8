package org.pimopt.solve.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pimopt.check.PlanEnumerator;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.RandomExactEnginesTest;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.registry.Strategies;

/**
 * dp-lattice against brute force on the 200 seeded random instances of {@link RandomExactEnginesTest}
 * (branches, residual adds, 3 to 6 units, every objective): its plan passes the Validator, its
 * bound never exceeds the optimum, and when it claims OPTIMAL its plan is the optimum that
 * enumeration finds. Enumeration covers every partition count on instances of up to 4 units, at
 * most 3 partitions above (there dp-lattice, which has no limit, may only do better).
 */
class LatticeDpTest {

    @Test
    void itsOptimumIsTheOptimumOfAllPlans() {
        int optimal = 0;
        int compared = 0;
        for (Instance in : RandomExactEnginesTest.instances()) {
            int n = in.units().size();
            int k = n <= 4 ? n : 3;
            PlanEnumerator.Best best = PlanEnumerator.best(in, k);
            SolveResult r = Strategies.byName("dp-lattice").solve(in, new SolveOptions(30_000, 1, 1, line -> {}));
            String what = in.network().name() + " (" + n + " units) on " + in.chip().cores() + "x"
                    + in.chip().crossbarsPerCore() + " B=" + in.batch() + " " + in.goal();
            assertEquals(List.of(), Validator.violations(in, r.plan()), what);
            Objective primary = in.goal().primary();
            double got = primary.of(r.plan().evaluate(in));
            assertEquals(got, r.objective(), 1e-9 * Math.abs(got), what);
            if (best.plan() == null) {
                continue;
            }
            compared++;
            double want = primary.of(best.metrics());
            if (k == n || r.plan().partitions().size() <= k) {
                assertTrue(got >= want * (1 - 1e-9), what + ": " + got + " beats every plan's " + want);
            }
            assertTrue(got <= want * (1 + 1e-9), what + ": " + got + " is worse than enumeration's " + want);
            if (r.bound() != null && k == n) {
                assertTrue(r.bound() <= want * (1 + 1e-9), what + ": bound " + r.bound() + " above the optimum " + want);
            }
            if (r.status() == Status.OPTIMAL) {
                optimal++;
                assertNotNull(r.bound(), what);
                if (k == n) {
                    assertEquals(want, got, 1e-9 * Math.abs(want), what);
                }
            }
        }
        assertTrue(compared >= 150, "only " + compared + " instances had a plan to compare");
        assertTrue(optimal >= compared * 9 / 10, "OPTIMAL on only " + optimal + " of " + compared);
    }

    /** On a real network it finds no worse than dp-exact, which searches a subset of its plans. */
    @Test
    @Tag("slow")   // up to two minutes (two searches of squeezenet1_1): CI runs it with scripts/test-slow.sh
    void neverWorseThanTheFixedOrderOptimum() {
        for (String goal : List.of("latency", "edp")) {
            Instance in = Instance.of(org.pimopt.imports.ModelCatalog.load("squeezenet1_1", java.util.Map.of()),
                    org.pimopt.hw.ChipLoader.load("compass-s"), 1, org.pimopt.cost.Goal.parse(goal));
            SolveResult lattice = Strategies.byName("dp-lattice").solve(in, new SolveOptions(120_000, 1, 1, line -> {}));
            SolveResult fixed = Strategies.byName("dp-exact").solve(in, new SolveOptions(120_000, 1, 1, line -> {}));
            assertEquals(List.of(), Validator.violations(in, lattice.plan()));
            assertTrue(lattice.objective() <= fixed.objective() * (1 + 1e-9), goal + ": " + lattice.objective() + " vs "
                    + fixed.objective());
            assertNotNull(lattice.bound(), goal);
            assertTrue(lattice.bound() <= lattice.objective() * (1 + 1e-9), goal);
        }
    }

    /**
     * The default portfolio, exact, runs dp-lattice first: on resnet18 (compass-s, batch 16)
     * dp-lattice proves its plan optimal over all plans, and exact returns that plan as OPTIMAL,
     * naming dp-lattice as its prover. cpsat alone (here held to 3 partitions) does not use it.
     */
    @Test
    void exactReturnsTheLatticeOptimumAndSaysSo() {
        Instance in = Instance.of(org.pimopt.imports.ModelCatalog.load("resnet18", java.util.Map.of()),
                org.pimopt.hw.ChipLoader.load("compass-s"), 16, org.pimopt.cost.Goal.parse("latency"));
        SolveResult lattice = Strategies.byName("dp-lattice").solve(in, new SolveOptions(60_000, 1, 1, line -> {}));
        assertEquals(Status.OPTIMAL, lattice.status(), lattice.note());
        SolveResult exact = Strategies.byName("exact").solve(in, new SolveOptions(60_000, 1, 1, line -> {}));
        assertEquals(Status.OPTIMAL, exact.status(), exact.note());
        assertEquals("dp-lattice", exact.provenBy());
        assertEquals(lattice.objective(), exact.objective(), 1e-9 * lattice.objective());
        assertEquals(List.of(), Validator.violations(in, exact.plan()));
        SolveResult limited = new org.pimopt.solve.cpsat.CpSatStrategy(3).solve(in, new SolveOptions(3_000, 1, 1, line -> {}));
        assertTrue(!"dp-lattice".equals(limited.stats().get("provenBy")), "cpsat-k3 used dp-lattice");
    }
}
