package org.pimopt.solve.cpsat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.dp.DpStrategy;

/** CP-SAT keeps the one deadline: it starts nothing it has no time for, and its margin grows with its model. */
class CpSatDeadlineTest {

    @Test
    void theSearchLogIsReadForItsTimesAndNeverPrinted() {
        com.google.ortools.Loader.loadNativeLibraries();
        com.google.ortools.sat.CpModel model = new com.google.ortools.sat.CpModel();
        model.maximize(model.newBoolVar("x"));
        com.google.ortools.sat.CpSolver solver = new com.google.ortools.sat.CpSolver();
        TimedSolve run = TimedSolve.run(solver, model, null, null);
        assertEquals(com.google.ortools.sat.CpSolverStatus.OPTIMAL, run.status());
        assertTrue(run.presolveMs() >= 0, "the end of presolve is read from the log");
        assertFalse(solver.getParameters().getLogToStdout(), "CP-SAT's log would go to the user's terminal");
    }

    @Test
    void withNoTimeLeftEveryObjectiveReturnsItsWarmStartAtOnce() {
        for (String goal : new String[] {"latency", "edp"}) {
            Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 4, Goal.parse(goal));
            SolveResult dp = new DpStrategy().solve(in, SolveOptions.defaults());
            SolveOptions expired = new SolveOptions(1, 1, 1, line -> {}).withWarmStart(dp.plan());
            SolveResult cp = new CpSatStrategy().solve(in, expired);
            assertEquals(dp.plan(), cp.plan(), goal + ": the warm start itself, never a lost plan");
            assertEquals(dp.objective(), cp.objective(), 1e-9 * dp.objective(), goal);
            assertTrue(cp.note().contains("no time was left"), goal + ": " + cp.note());
            assertTrue(cp.wallMillis() < 500, goal + ": " + cp.wallMillis() + " ms");
        }
    }

    @Test
    void theMarginGrowsWithTheModelNotWithTheTimeout() {
        SolveOptions minute = new SolveOptions(60_000, 1, 1, line -> {});
        long deadline = System.nanoTime() + 60_000_000_000L;
        // A small model keeps 4% of the timeout back, at most 3 s ...
        assertEquals(2.4, SearchTime.of(minute, deadline, 10_000, 1).marginSeconds(), 1e-9);
        assertEquals(0.4, SearchTime.of(new SolveOptions(10_000, 1, 1, line -> {}), deadline, 10_000, 1).marginSeconds(), 1e-9);
        // ... densenet121's on compass-s (252k variables, 341k constraints) ran 2.4 s in the handover
        // and 5.2 s past its limit in presolve at load average 4.5 on 2 cores, 14 s at 11.6.
        SearchTime large = SearchTime.of(minute, deadline, 593_000, 4.5 / 2);
        assertTrue(large.marginSeconds() > 7, large.toString());
        assertFalse(large.tooShort());
        assertTrue(SearchTime.of(minute, deadline, 593_000, 11.6 / 2).marginSeconds() > 14);
        // What is left after building is searched only when it is more than the margin.
        SearchTime late = SearchTime.of(minute, System.nanoTime() + 7_000_000_000L, 593_000, 4.5 / 2);
        assertTrue(late.tooShort(), late.toString());
        assertTrue(late.left() < 0);
    }
}
