package org.pimopt.solve.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.registry.Strategies;

/** The portfolio names the engine that proved its answer; each engine alone proves by itself. */
class ExactStrategyTest {
    private static final SolveOptions OPTIONS = new SolveOptions(30_000, 1, 1, line -> {});

    @Test
    void thePortfolioCreditsDpLatticeAndCpsatAloneNeverDoes() {
        for (String goal : new String[] {"latency", "energy", "latency,writes"}) {
            Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 4, Goal.parse(goal));
            SolveResult exact = Strategies.byName("exact").solve(in, OPTIONS);
            assertEquals("exact", exact.strategy());
            assertEquals(Status.OPTIMAL, exact.status(), goal + ": " + exact.note());
            assertEquals("dp-lattice", exact.provenBy(), goal);
            assertTrue(exact.note().contains("proven by dp-lattice"), exact.note());

            SolveResult cpsat = Strategies.byName("cpsat").solve(in, OPTIONS);
            assertEquals(Status.OPTIMAL, cpsat.status(), goal + ": " + cpsat.note());
            assertNotEquals("dp-lattice", cpsat.provenBy(), goal);
            assertTrue(cpsat.provenBy().equals("cpsat") || cpsat.provenBy().equals("bound"), cpsat.provenBy());
            assertTrue(!cpsat.stats().keySet().stream().anyMatch(k -> k.startsWith("lattice")), cpsat.stats().toString());
            assertEquals(exact.objective(), cpsat.objective(), 1e-6 * exact.objective(), goal);
        }
    }

    @Test
    void aResultThatIsNotOptimalNamesNoProver() {
        Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 4, Goal.parse("latency"));
        SolveResult greedy = Strategies.byName("greedy").solve(in, OPTIONS);
        if (greedy.status() != Status.OPTIMAL) {
            assertEquals("", greedy.provenBy());
        }
        assertTrue(Strategies.isExact("exact") && Strategies.isExact("cpsat-k3") && Strategies.isExact("mip-highs"));
        assertTrue(!Strategies.isExact("dp") && !Strategies.isExact("greedy"));
    }
}
