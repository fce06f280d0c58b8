package org.pimopt.solve.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.pimopt.PimoptException;
import org.pimopt.check.ParetoEnumeration;
import org.pimopt.check.PlanEnumerator;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.RandomExactEnginesTest;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.cpsat.EdpModel;
import org.pimopt.solve.registry.Strategies;

/**
 * The sweep's front against brute force (formulations/pareto.md, "How it is checked"): on small
 * random instances, for each pair of goals, every point the sweep proves is on the front that
 * enumerating every plan gives, no plan at all dominates it, and every enumerated front point is
 * found or lies within the sweep's {@code eps} below a found point's {@code g}. Heuristics' plans
 * never dominate a proven point.
 */
public class ParetoSweepTest {
    private static final List<ParetoGoals> PAIRS = List.of(new ParetoGoals(Objective.LATENCY, Objective.ENERGY),
            new ParetoGoals(Objective.LATENCY, Objective.WRITES), new ParetoGoals(Objective.WRITES, Objective.DRAM),
            new ParetoGoals(Objective.ENERGY, Objective.DRAM));
    private static final int CASES = 8;

    /** A small instance and a pair of goals its plans trade (two front points or more), with that front. */
    private record Case(Instance instance, ParetoGoals goals, List<BatchMetrics> front) {}

    /**
     * Instances whose every plan is enumerated quickly, the pairs of goals in turn, kept when the
     * enumerated front has {@code minPoints} or more (most random instances have one plan best in both).
     */
    private static List<Case> cases(int count, int minPoints) {
        List<Case> out = new ArrayList<>();
        int pair = 0;
        for (Instance in : RandomExactEnginesTest.instances()) {
            if (out.size() == count) {
                break;
            }
            // A coarse rounding (random chips' coefficients) would blur the fronts the test compares.
            if (EdpModel.roundingError(in) > 1e-3 || PlanEnumerator.plansToTry(in, 20_000) < 0) {
                continue;
            }
            // Each pair in turn first, so that the cases cover them all.
            for (int j = 0; j < PAIRS.size(); j++) {
                ParetoGoals goals = PAIRS.get((pair + j) % PAIRS.size());
                List<BatchMetrics> front = ParetoEnumeration.front(in, goals);
                if (front.size() >= minPoints) {
                    out.add(new Case(in, goals, front));
                    pair = (pair + j + 1) % PAIRS.size();
                    break;
                }
            }
        }
        return out;
    }

    @Test
    void theFrontIsEnumerationsFrontEveryPointProven() {
        List<Case> cases = cases(CASES, 2);
        assertEquals(CASES, cases.size());
        int points = 0;
        int multi = 0;
        int exact = 0;
        com.google.ortools.Loader.loadNativeLibraries();   // not inside the first point's share
        for (int i = 0; i < cases.size(); i++) {
            Instance in = cases.get(i).instance();
            ParetoGoals goals = cases.get(i).goals();
            String what = in.network().name() + " (" + in.units().size() + " units, rounding " + EdpModel.roundingError(in) + ") on " + in.chip().cores() + "x"
                    + in.chip().crossbarsPerCore() + " B=" + in.batch() + " " + goals.label();
            List<Plan> heuristics = heuristics(in);
            // 30 runs in 150 s: 5 s a run at first, so that a busy machine still proves each (they take
            // 0.1-0.5 s alone); a front here needs at most about twice its points.
            ParetoFront front = new ParetoSweep(in, goals, 30, ParetoSweep.DEFAULT_EPS)
                    .run(options(), System.nanoTime() + 150_000_000_000L, heuristics);
            List<BatchMetrics> want = cases.get(i).front();
            double tolF = tolerance(in, goals.f());
            double tolG = tolerance(in, goals.g());
            String got = describe(goals, front) + " vs enumerated " + want.stream()
                    .map(m -> String.format(Locale.ROOT, "(%.6g, %.6g)", goals.f(m), goals.g(m))).toList();
            assertTrue(front.complete(), what + ": " + front.stopped() + " " + got);
            List<BatchMetrics> all = new ArrayList<>();
            PlanEnumerator.forEachPlan(in, in.units().size(), (plan, m) -> all.add(m));
            for (ParetoPoint p : front.points()) {
                assertTrue(p.proven(), what + ": unproven point " + p + " " + got);
                // No plan at all is better in f (beyond the engine's rounding) at no more g.
                for (BatchMetrics m : all) {
                    assertTrue(!(goals.f(m) < goals.f(p.metrics()) * (1 - tolF) && goals.g(m) <= goals.g(p.metrics()) * (1 + tolG)),
                            what + ": a plan (" + goals.f(m) + ", " + goals.g(m) + ") beats a proven point: " + got);
                }
                exact += want.stream().anyMatch(q -> goals.same(q, p.metrics())) ? 1 : 0;
            }
            for (BatchMetrics q : want) {
                // Found (or a point as good within rounding), or within eps below a listed point's g:
                // the one range the sweep leaves unsearched.
                boolean listed = front.points().stream().anyMatch(p -> goals.f(p.metrics()) <= goals.f(q) * (1 + tolF)
                        && goals.g(p.metrics()) <= goals.g(q) * (1 + tolG));
                boolean withinEps = front.points().stream().anyMatch(p -> goals.g(q) < goals.g(p.metrics())
                        && goals.g(q) >= goals.g(p.metrics()) * (1 - front.eps()) * (1 - tolG));
                assertTrue(listed || withinEps, what + ": enumerated front point (" + goals.f(q) + ", " + goals.g(q)
                        + ") missing: " + got);
            }
            if (tolF == 0 && tolG == 0) {
                // Cells and bytes are whole numbers in every engine: the fronts are equal.
                assertEquals(want.stream().map(m -> List.of(goals.f(m), goals.g(m))).toList(),
                        front.points().stream().map(p -> List.of(goals.f(p.metrics()), goals.g(p.metrics()))).toList(), what);
            }
            for (Plan h : heuristics) {
                assertEquals(List.of(), front.dominatedBy(h.evaluate(in)), what + ": a heuristic dominates a proven point");
            }
            points += front.points().size();
            multi += front.points().size() > 1 ? 1 : 0;
        }
        System.out.printf("ParetoSweepTest: %d instances, %d points (%d equal to an enumerated front point), %d fronts of two"
                + " points or more%n", cases.size(), points, exact, multi);
        assertTrue(multi >= 3, "the cases must have trade-offs: " + multi + " fronts of two points or more");
    }

    /** A small point budget spreads: both ends and points between, each on the enumerated front. */
    @Test
    void aSmallBudgetKeepsBothEndsAndStopsAtIt() {
        com.google.ortools.Loader.loadNativeLibraries();
        Case c = cases(1, 4).get(0);
        Instance in = c.instance();
        ParetoGoals goals = c.goals();
        List<BatchMetrics> want = c.front();
        ParetoFront front = new ParetoSweep(in, goals, 3, ParetoSweep.DEFAULT_EPS)
                .run(options(), System.nanoTime() + 60_000_000_000L, List.of());
        assertEquals(3, front.solves());
        assertTrue(front.stopped().startsWith("point budget") && !front.complete(), front.stopped());
        assertTrue(near(goals.f(want.get(0)), goals.f(front.points().get(0).metrics()), tolerance(in, goals.f())), "least f");
        assertTrue(near(goals.g(want.get(want.size() - 1)), goals.g(front.points().get(front.points().size() - 1).metrics()),
                tolerance(in, goals.g())),
                "least g");
        assertEquals(3, front.points().size(), "a point between, as the front has " + want.size());
    }

    @Test
    void badPairsAreOneClearLine() {
        assertEquals(new ParetoGoals(Objective.LATENCY, Objective.DRAM), ParetoGoals.parse("latency,dram"));
        for (String bad : List.of("latency", "edp,energy", "latency,latency", "latency,energy,writes", "latency,", "speed,energy")) {
            PimoptException e = assertThrows(PimoptException.class, () -> ParetoGoals.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--pareto") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private static List<Plan> heuristics(Instance in) {
        List<Plan> out = new ArrayList<>();
        for (String name : List.of("layerwise", "greedy", "dp")) {
            SolveResult r = Strategies.byName(name).solve(in, options());
            if (r.plan() != null) {
                out.add(r.plan());
            }
        }
        return out;
    }

    private static SolveOptions options() {
        return new SolveOptions(30_000, 1, 1, line -> {});
    }

    /**
     * How far a proof of a goal may be off, relative: CP-SAT rounds times to 1 ps and energies to
     * 1 fJ (2.5 times that error, as the cross-checks allow); cells and bytes are exact.
     */
    private static double tolerance(Instance in, Objective goal) {
        return goal == Objective.WRITES || goal == Objective.DRAM ? 0 : 2.5 * EdpModel.roundingError(in) + 1e-6;
    }

    private static boolean near(double a, double b, double tol) {
        return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;
    }

    private static String describe(ParetoGoals goals, ParetoFront front) {
        return front.points().stream().map(p -> String.format(Locale.ROOT, "(%.6g, %.6g %s/%s)", goals.f(p.metrics()),
                goals.g(p.metrics()), p.status(), p.scope() + (p.proven() ? "" : ": " + p.note()))).toList().toString();
    }
}
