package org.pimopt.solve.mip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPSolver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.PimoptException;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.registry.Strategies;

/** The MILP's backends: which ones this OR-Tools build has, and that they agree. */
class MipStrategyTest {

    @Test
    void theBundledOrToolsHasScipCbcAndHighsButNoCommercialSolver() {
        Loader.loadNativeLibraries();
        for (String backend : List.of("SCIP", "CBC", "HIGHS")) {
            MPSolver solver = MPSolver.createSolver(backend);
            assertNotNull(solver, backend);
            solver.delete();
        }
        PimoptException e = assertThrows(PimoptException.class, () -> MipStrategy.createSolver("GUROBI"));
        assertEquals("solver GUROBI is not available in this OR-Tools build", e.getMessage());
    }

    @Test
    void scipCbcAndHighsProveTheSameOptimum() {
        for (String goal : List.of("latency", "energy", "dram")) {
            for (int batch : new int[] {1, 4}) {
                Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), batch, Goal.parse(goal));
                SolveResult scip = Strategies.byName("mip").solve(in, new SolveOptions(30_000, 1, 1, line -> {}));
                assertEquals(Status.OPTIMAL, scip.status(), scip.note());
                for (String name : List.of("mip-cbc", "mip-highs")) {
                    SolveResult r = Strategies.byName(name).solve(in, new SolveOptions(30_000, 1, 1, line -> {}));
                    String what = name + " " + goal + " B=" + batch;
                    assertEquals(Status.OPTIMAL, r.status(), what + ": " + r.note());
                    assertEquals(List.of(), Validator.violations(in, r.plan()), what);
                    assertEquals(scip.objective(), r.objective(), 1e-6 * Math.abs(scip.objective()), what);
                    // An OPTIMAL answer's bound is the optimum SCIP proved, not merely below its own objective.
                    assertEquals(scip.objective(), r.bound(), 1e-6 * Math.abs(scip.objective()), what);
                }
            }
        }
    }

    @Test
    void edpHasNoLinearModelAndIsReportedAsSuch() {
        Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 1, Goal.parse("edp"));
        SolveResult r = Strategies.byName("mip").solve(in, new SolveOptions(10_000, 1, 1, line -> {}));
        assertEquals(Status.FEASIBLE, r.status());
        assertTrue(r.note().contains("no linear model"), r.note());
        PimoptException e = assertThrows(PimoptException.class, () -> MipStrategy.export(in, 3, false));
        assertTrue(e.getMessage().contains("no linear model"), e.getMessage());
    }

    @Test
    void aModelTooLargeForMemoryIsDeclinedWithTheWarmStartAndSaysWhy() {
        org.pimopt.hw.Chip chip = org.pimopt.hw.ChipLoader.load("compass-s");
        Instance instance = Instance.of(org.pimopt.bench.SyntheticNetworks.chain(1000, 1, chip), chip, 16,
                Goal.parse("latency"));
        SolveResult r = Strategies.byName("mip").solve(instance, new SolveOptions(30_000, 1, 1, line -> {}));
        assertEquals(Status.FEASIBLE, r.status());
        assertTrue(Validator.violations(instance, r.plan()).isEmpty());
        assertTrue(r.note().contains("1000 units x") && r.note().contains("returned the warm start"), r.note());
        // Declining, it claims only the bound valid for every plan, recomputed here.
        assertEquals(org.pimopt.solve.LowerBound.of(instance, org.pimopt.cost.Objective.LATENCY), r.bound(),
                1e-9 * r.bound());
    }
}
