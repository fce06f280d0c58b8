package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pimopt.check.PlanEnumerator;
import org.pimopt.check.Scope;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Limit;
import org.pimopt.cost.Limits;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.choco.ChocoStrategy;
import org.pimopt.solve.cpsat.CpSatStrategy;
import org.pimopt.solve.exact.ExactStrategy;
import org.pimopt.solve.mip.MipStrategy;
import org.pimopt.solve.lattice.LatticeDp;

/**
 * The limits' property (formulations/limits.md): on random small instances (those of
 * {@link RandomExactEnginesTest}) with random limits on one or two figures, every exact engine's
 * OPTIMAL is the optimum exhaustive enumeration finds among the plans that meet the limits, its plan
 * meets them, and it says INFEASIBLE exactly when the enumeration finds no such plan. Limits are drawn
 * between the least value of the figure and its value on the unlimited optimum, and below the least
 * (none can be met) and above (they do not bind). cpsat, mip and choco are held to {@link #K}
 * partitions and compared with the enumeration of that scope; exact and dp-lattice (its search under
 * the limits) are over every plan, and compared with the enumeration of every partition count.
 */
public class LimitsPropertyTest {
    private static final int K = 3;
    private static final int INSTANCES = 70;
    private static final List<Objective> FIGURES = List.of(Objective.LATENCY, Objective.ENERGY, Objective.WRITES, Objective.DRAM);

    /** Instances with random limits, and the enumerations that judge them. */
    private record Case(Instance instance, PlanEnumerator.Optima upToK, PlanEnumerator.Optima all, String what) {}

    private static List<Case> cases() {
        Random rnd = new Random(20261207);
        List<Case> out = new ArrayList<>();
        for (Instance base : RandomExactEnginesTest.instances()) {
            if (out.size() == INSTANCES) {
                break;
            }
            if (base.units().size() > 5) {
                continue;   // every partition count is enumerated for exact
            }
            Instance unlimited = base.withGoal(base.goal().unlimited());
            PlanEnumerator.Optima free = PlanEnumerator.enumerate(unlimited, base.units().size());
            PlanEnumerator.Best optimum = free.best(Scope.upTo(base.units().size()));
            if (optimum.plan() == null) {
                continue;
            }
            List<Limit> limits = new ArrayList<>();
            int count = 1 + rnd.nextInt(2);
            List<Objective> figures = new ArrayList<>(FIGURES);
            java.util.Collections.shuffle(figures, rnd);
            for (Objective figure : figures.subList(0, count)) {
                Instance alone = base.withGoal(Goal.of(figure));
                double least = figure.of(PlanEnumerator.enumerate(alone, base.units().size()).best(Scope.upTo(base.units().size()))
                        .metrics());
                double atOptimum = figure.of(optimum.metrics());
                double u = switch (rnd.nextInt(5)) {
                    case 0 -> -0.3;                        // below the least: none can be met
                    case 1 -> 1.2;                         // above the optimum's: does not bind
                    default -> 0.1 + 0.8 * rnd.nextDouble();
                };
                double max = least + u * Math.max(atOptimum - least, 0.05 * Math.abs(least) + 1);
                limits.add(new Limit(figure, Math.max(0, max), String.format(Locale.ROOT, "%s=%.6g", figure.label(), max)));
            }
            Instance limited = base.withGoal(base.goal().withLimits(new Limits(limits)));
            String what = base.network().name() + " (" + base.units().size() + " units) on " + base.chip().cores() + "x"
                    + base.chip().crossbarsPerCore() + " B=" + base.batch() + " " + base.goal() + " with "
                    + limited.goal().limits().stated();
            out.add(new Case(limited, PlanEnumerator.enumerate(limited, K), PlanEnumerator.enumerate(limited,
                    base.units().size()), what));
        }
        return out;
    }

    @Test
    void everyExactEngineIsTheOptimumAmongPlansThatMeetTheLimitsAndInfeasibleExactlyWhenNoneDoes() {
        int infeasible = 0;
        int binding = 0;
        List<Case> cases = cases();
        for (Case c : cases) {
            Instance in = c.instance();
            PlanEnumerator.Best inK = c.upToK().best(Scope.upTo(K));
            PlanEnumerator.Best any = c.all().best(Scope.upTo(in.units().size()));
            boolean noneInK = inK.plan() == null || !in.goal().meetsLimits(inK.metrics());
            boolean none = any.plan() == null || !in.goal().meetsLimits(any.metrics());
            infeasible += none ? 1 : 0;
            PlanEnumerator.Best unlimited = PlanEnumerator.enumerate(in.withGoal(in.goal().unlimited()), in.units().size())
                    .best(Scope.upTo(in.units().size()));
            binding += !none && !in.goal().meetsLimits(unlimited.metrics()) ? 1 : 0;
            double rounded = 2.5 * ExactEnginesTest.roundingError(in) + 1e-6;
            check(c, new CpSatStrategy(K), inK, noneInK, rounded);
            check(c, new MipStrategy("mip", "SCIP", K), inK, noneInK, 1e-6);
            check(c, new ExactStrategy(), any, none, rounded);
            check(c, new LatticeDp(), any, none, 1e-9);
        }
        System.out.printf("LimitsPropertyTest: %d cases, %d with no plan meeting the limits, %d where they bind%n",
                cases.size(), infeasible, binding);
        assertTrue(infeasible >= 5 && binding >= 6, "the random limits must cover both: " + infeasible + " infeasible, "
                + binding + " binding");
    }

    /** Choco on the same cases: its OPTIMAL and INFEASIBLE must be right; it may decline on 32-bit scales, saying so. */
    @Test
    void chocoIsRightWhenItClaims() {
        for (Case c : cases()) {
            Instance in = c.instance();
            PlanEnumerator.Best inK = c.upToK().best(Scope.upTo(K));
            boolean noneInK = inK.plan() == null || !in.goal().meetsLimits(inK.metrics());
            SolveResult r = new ChocoStrategy(K).solve(in, new SolveOptions(30_000, 1, 1, line -> {}));
            if (r.status() == Status.OPTIMAL || r.status() == Status.INFEASIBLE) {
                judge(c, "choco", r, inK, noneInK, 2.5 * Math.max(ExactEnginesTest.roundingError(in), 0.005) + 1e-6);
            } else {
                assertTrue(noneInK || r.note().contains("32-bit") || r.plan() != null, "choco on " + c.what() + ": " + r.note());
            }
        }
    }

    private static void check(Case c, Strategy engine, PlanEnumerator.Best want, boolean none, double tolerance) {
        SolveResult r = engine.solve(c.instance(), new SolveOptions(30_000, 1, 1, line -> {}));
        judge(c, engine.name(), r, want, none, tolerance);
    }

    private static void judge(Case c, String engine, SolveResult r, PlanEnumerator.Best want, boolean none, double tolerance) {
        Instance in = c.instance();
        String who = engine + " on " + c.what() + ": " + r.status() + ", " + r.note();
        if (none) {
            assertEquals(Status.INFEASIBLE, r.status(), who);
            assertNull(r.plan(), who);
            return;
        }
        assertNotEquals(Status.INFEASIBLE, r.status(), who);
        assertEquals(Status.OPTIMAL, r.status(), who);
        assertEquals(List.of(), Validator.violations(in, r.plan()), who);
        var got = r.plan().evaluate(in);
        for (Limit l : in.goal().limits().limits()) {
            assertTrue(l.figure().of(got) <= l.max() * (1 + tolerance) + 1e-9, who + ": breaks " + l.stated() + " with "
                    + l.figure().of(got));
        }
        Objective primary = in.goal().primary();
        double best = primary.of(want.metrics());
        assertTrue(primary.of(got) >= best * (1 - tolerance), who + ": " + primary.of(got) + " beats the enumerated " + best);
        assertTrue(primary.of(got) <= best * (1 + tolerance), who + ": " + primary.of(got) + " vs the enumerated " + best);
    }
}
