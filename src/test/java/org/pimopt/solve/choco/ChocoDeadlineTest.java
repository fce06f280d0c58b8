package org.pimopt.solve.choco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solver;
import org.chocosolver.solver.search.SearchState;
import org.chocosolver.solver.variables.IVariableMonitor;
import org.chocosolver.solver.variables.IntVar;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.bench.SyntheticNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.hw.ChipLoader;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.BuildDeadline;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.registry.Strategies;

/**
 * Choco keeps its deadline: a model is not built when it would not fit the time or the heap, its
 * building stops at the deadline, and so does its propagation. Each case returns the plan it
 * started from, FEASIBLE, with a note saying why. No case here depends on how fast the machine is.
 */
class ChocoDeadlineTest {
    private static final Instance SMALL = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 4,
            Goal.parse("latency"));

    private static SolveOptions withWarmStart(Instance in, long timeoutMillis) {
        return new SolveOptions(timeoutMillis, 1, 1, line -> {})
                .withWarmStart(Strategies.byName("layerwise").solve(in, SolveOptions.defaults()).plan());
    }

    @Test
    void aDeadlineAlreadyPastReturnsTheWarmStartWithoutBuilding() {
        SolveOptions spent = withWarmStart(SMALL, 0);
        SolveResult r = new ChocoStrategy().solve(SMALL, spent);
        assertSame(spent.warmStart(), r.plan());
        assertEquals(Status.FEASIBLE, r.status());
        assertTrue(r.note().contains("no time was left"), r.note());
        assertFalse(r.stats().containsKey("buildMs"), r.stats().toString());
    }

    /** The scaling suite's 1000-unit DAG: its model (about 10 GB) filled a 6 GB heap for 316-341 s. */
    @Test
    void aModelBeyondTheHeapsShareIsDeclinedWithOneLine() {
        var chip = ChipLoader.load("compass-s");
        Instance dag = Instance.of(SyntheticNetworks.byName("synthetic-dag-1000-s1", chip), chip, 16, Goal.parse("latency"));
        SolveOptions options = withWarmStart(dag, 600_000);
        SolveResult r = new ChocoStrategy().solve(dag, options);
        assertSame(options.warmStart(), r.plan());
        assertEquals(Status.FEASIBLE, r.status());
        assertTrue(r.note().contains("of Java heap, more than 40% of the"), r.note());
        assertFalse(r.note().contains("\n"), r.note());
    }

    @Test
    void buildingStopsAtItsDeadline() {
        BuildDeadline passed = new BuildDeadline(System.nanoTime() - 1, null);
        BuildDeadline.Passed e = assertThrows(BuildDeadline.Passed.class, () -> new ChocoModel(SMALL, 3,
                EnumSet.of(Objective.LATENCY), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, passed));
        assertTrue(e.getMessage().startsWith("timed out while building the model (placement) after"), e.getMessage());
        assertEquals(1, passed.checks());
    }

    @Test
    void buildingStopsWhenCancelled() {
        BuildDeadline cancelled = new BuildDeadline(Long.MAX_VALUE, new AtomicBoolean(true));
        BuildDeadline.Passed e = assertThrows(BuildDeadline.Passed.class, () -> new ChocoModel(SMALL, 3,
                EnumSet.of(Objective.LATENCY), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, cancelled));
        assertTrue(e.cancelled());
    }

    /**
     * The deadline passes at the first domain change of the root propagation (before it, Choco's
     * own check of its stop criteria sees time left): the clock raises a contradiction there, which
     * ends the propagation; the search loop then finds the criterion met and stops (STOPPED, not
     * TERMINATED: not read as a proof that no plan exists).
     */
    @Test
    void theClockStopsTheRootPropagationAndTheSearchIsNotComplete() {
        ChocoModel cm = new ChocoModel(SMALL, 3, EnumSet.of(Objective.LATENCY), Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, BuildDeadline.none());
        Solver solver = cm.model.getSolver();
        AtomicBoolean propagating = new AtomicBoolean();
        ChocoClock clock = new ChocoClock(0, new AtomicBoolean(), () -> propagating.get() ? 1 : -1);
        solver.addStopCriterion(clock);
        for (IntVar v : cm.decisions) {
            v.addMonitor(clock);
            // Monitors run last added first: this one marks the moment before the clock looks.
            v.addMonitor((IVariableMonitor<IntVar>) (var, evt) -> propagating.set(true));
        }
        cm.model.setObjective(Model.MINIMIZE, cm.objective(Objective.LATENCY));
        assertFalse(solver.solve());
        assertTrue(propagating.get());
        assertTrue(clock.fired());
        assertEquals(SearchState.STOPPED, solver.getSearchState());
    }

    /** Past the deadline before the search starts, Choco's own check of its criteria stops it. */
    @Test
    void aClockPastItsDeadlineStopsTheSearchBeforeItStarts() {
        ChocoModel cm = new ChocoModel(SMALL, 3, EnumSet.of(Objective.LATENCY), Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, BuildDeadline.none());
        Solver solver = cm.model.getSolver();
        ChocoClock clock = new ChocoClock(System.nanoTime() - 1, new AtomicBoolean());
        solver.addStopCriterion(clock);
        cm.model.setObjective(Model.MINIMIZE, cm.objective(Objective.LATENCY));
        assertFalse(solver.solve());
        assertTrue(clock.fired());
        assertEquals(SearchState.STOPPED, solver.getSearchState());
    }

    /** With time, the same small instance is solved to optimality: the clock does not cut a search short. */
    @Test
    void withTimeTheSearchStillCompletes() {
        SolveResult r = new ChocoStrategy().solve(SMALL, new SolveOptions(60_000, 1, 1, line -> {}));
        assertEquals(Status.OPTIMAL, r.status(), r.note());
        assertEquals(List.of(), Validator.violations(SMALL, r.plan()));
        assertTrue(r.stats().containsKey("buildMs"), r.stats().toString());
    }

    @Test
    void edpPastItsDeadlineReturnsTheWarmStart() {
        Instance edp = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), 4, Goal.parse("edp"));
        SolveOptions spent = withWarmStart(edp, 0);
        SolveResult r = new ChocoStrategy().solve(edp, spent);
        assertSame(spent.warmStart(), r.plan());
        assertTrue(r.note().contains("no time was left"), r.note());
    }
}
