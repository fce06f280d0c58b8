package org.pimopt.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.bench.ResultsCsv;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;

/**
 * The cross-check with limits (issue 26): limits drawn from the seed in every regime, a judge that
 * catches wrong answers under limits (INFEASIBLE with a plan that meets them, OPTIMAL over them or
 * off the optimum among the plans that meet them) and counts the right ones, a short run through
 * every engine that posts limits with no finding, and the files (the limits column, older CSVs, the
 * section of crosscheck.md).
 */
class CrossCheckLimitsTest {
    /** Small instances (at most ~500 plans): seeds 10 and 27 no plan meets the limits, 39, 66 and 90 they bind, 1 they do not. */
    private static final List<Long> SEEDS = List.of(1L, 10L, 27L, 39L, 66L, 90L);

    @Test
    void limitsComeFromTheSeedAndCoverEveryRegime() {
        Set<String> regimes = new TreeSet<>();
        Set<String> outcomes = new TreeSet<>();
        for (long seed : SEEDS) {
            CrossCheckCases.Case base = CrossCheckCases.draw(seed);
            CrossCheckLimits.Limited a = CrossCheckLimits.draw(base);
            CrossCheckLimits.Limited b = CrossCheckLimits.draw(CrossCheckCases.draw(seed));
            assertEquals(a.limited().limits(), b.limited().limits(), "seed " + seed);
            // The instance is the unlimited run's: only the goal's limits are added.
            assertEquals(base.describe(), CrossCheckCases.draw(seed).describe());
            Instance in = a.limited().instance();
            assertEquals(base.instance().goal().objectives(), in.goal().objectives());
            int count = in.goal().limits().limits().size();
            assertTrue(count == 1 || count == 2, a.limited().limits());
            regimes.addAll(CrossCheckLimits.regimes(a.limited().limits()));
            String outcome = CrossCheckLimits.outcome(a.limited().limits());
            outcomes.add(outcome);
            // The outcome is the enumeration's: no plan meets the limits exactly when its best breaks them.
            PlanEnumerator.Best best = a.optima().best(Scope.ALL);
            assertEquals(outcome.equals("none meets"), !in.goal().meetsLimits(best.metrics()), a.limited().describe());
            assertEquals(outcome.equals("none meets"), a.optima().meeting(Scope.ALL).plan() == null);
        }
        assertEquals(new TreeSet<>(CrossCheckLimits.REGIMES), regimes);
        assertEquals(new TreeSet<>(CrossCheckLimits.OUTCOMES), outcomes);
    }

    /** Answers made wrong on purpose under limits: each must be caught; right ones count as right. */
    @Test
    void theJudgeCatchesWrongAnswersUnderLimits() {
        // Seed 10: no plan meets the limit. Its unlimited best plan breaks it.
        CrossCheckLimits.Limited none = limited(10, "none meets");
        Plan over = none.optima().best(Scope.ALL).plan();
        CheckRow infeasible = judge(none, "exact", over, Status.INFEASIBLE, false);
        assertEquals("", infeasible.findings(), infeasible.detail());
        assertTrue(infeasible.infeasible() && !infeasible.notProven());
        CheckRow claimOver = judge(none, "exact", over, Status.OPTIMAL, true);
        assertTrue(claimOver.has(CheckRow.Finding.DISAGREES), claimOver.detail());
        assertEquals(List.of("OPTIMAL with a plan over the limits"), CrossCheckReport.kinds(claimOver));
        CheckRow shown = judge(none, "exact", over, Status.FEASIBLE, true);
        assertEquals("OVER_LIMIT", shown.status());
        assertEquals("", shown.findings(), shown.detail());
        assertTrue(shown.notProven() && shown.detail().startsWith("breaks "), shown.detail());

        // Seed 39: the limit binds. The unlimited optimum breaks it; the best plan that meets it is another.
        CrossCheckLimits.Limited binds = limited(39, "binds");
        Instance in = binds.limited().instance();
        Plan meeting = binds.optima().meeting(Scope.ALL).plan();
        Plan unlimitedBest = PlanEnumerator.enumerate(in.withGoal(in.goal().unlimited()), in.units().size()).best(Scope.ALL).plan();
        assertFalse(in.goal().meetsLimits(unlimitedBest.evaluate(in)));
        CheckRow right = judge(binds, "dp-lattice", meeting, Status.OPTIMAL, true);
        assertEquals("", right.findings(), right.detail());
        assertTrue(right.claim());
        CheckRow wrongInfeasible = judge(binds, "dp-lattice", null, Status.INFEASIBLE, false);
        assertTrue(wrongInfeasible.has(CheckRow.Finding.DISAGREES), wrongInfeasible.detail());
        assertEquals(List.of("INFEASIBLE"), CrossCheckReport.kinds(wrongInfeasible));
        CheckRow overOptimum = judge(binds, "dp-lattice", unlimitedBest, Status.OPTIMAL, true);
        assertTrue(overOptimum.has(CheckRow.Finding.DISAGREES), overOptimum.detail());
        // A plan that meets the limits but is not their optimum, claimed OPTIMAL.
        Plan worse = worseMeeting(binds);
        assertNotNull(worse, "seed 39 needs a second plan that meets its limit");
        CheckRow offOptimum = judge(binds, "dp-lattice", worse, Status.OPTIMAL, true);
        assertEquals("DISAGREES", offOptimum.findings(), offOptimum.detail());
        assertTrue(CrossCheckReport.kinds(offOptimum).get(0).endsWith("off the optimum"), offOptimum.detail());
        // The engine's bound must not exceed the optimum among the plans that meet the limits.
        double want = in.goal().primaryValue(binds.optima().meeting(Scope.ALL).metrics());
        SolveResult high = new SolveResult("test", null, null, Status.UNKNOWN, Double.NaN, want * 1.5, 1, Map.of(), "made up");
        assertEquals("BOUND_ABOVE", CrossCheck.row(binds.limited(), binds.optima(), "dp-lattice", high, 1).findings());
    }

    /** exact's OPTIMAL proven by dp-lattice is held to dp-lattice's tolerance, not CP-SAT's rounding. */
    @Test
    void exactProvenByDpLatticeIsHeldToTheCostModelsTolerance() {
        Instance in = CrossCheckCases.draw(39).instance();
        SolveResult byLattice = new SolveResult("exact", null, null, Status.OPTIMAL, 1, 1.0, 1,
                Map.of(SolveResult.PROVEN_BY, "dp-lattice"), "");
        SolveResult byCpSat = new SolveResult("exact", null, null, Status.OPTIMAL, 1, 1.0, 1, Map.of(SolveResult.PROVEN_BY, "cpsat"), "");
        assertEquals(CrossCheck.SAME, CrossCheck.tolerance("exact", in, byLattice));
        assertTrue(CrossCheck.tolerance("exact", in, byCpSat) > 1e-6);
    }

    /** Six instances with limits through every engine that posts them: no finding, claims of both kinds. */
    @Test
    void aRunOfSixSeedsWithLimitsHasNoFindingAndItsSummaryBecomesASectionOfTheReport(@TempDir Path dir) throws Exception {
        String seeds = String.join(",", SEEDS.stream().map(String::valueOf).toList());
        int status = CrossCheckMain.run(new String[] {"--seeds", seeds, "--limits", "--timeout", "3000", "--out", dir.toString()});
        Path csv = dir.resolve("crosscheck-limits-seeds.csv");
        assertEquals(0, status, Files.readString(csv));
        List<CheckRow> rows = CrossCheckReport.read(List.of(csv)).rows();
        List<String> engines = CrossCheck.enginesPresent().stream().filter(CrossCheckLimits.ENGINES::contains).toList();
        assertEquals(SEEDS.size() * engines.size(), rows.size());
        assertFalse(engines.contains("dp-exact"), "dp-exact does not look at limits");
        assertTrue(rows.stream().allMatch(r -> !r.limits().isEmpty() && r.findings().isEmpty()), rows.toString());
        assertTrue(rows.stream().filter(CheckRow::claim).count() >= 3L * engines.size(), "too few OPTIMAL claims");
        assertTrue(rows.stream().filter(CheckRow::infeasible).count() >= 2L * 3, "too few INFEASIBLE answers");

        // The full run's file name: its summary goes into crosscheck.md beside it, once, between marks.
        Files.copy(csv, dir.resolve("crosscheck-limits.csv"));
        Files.writeString(dir.resolve("crosscheck.md"), "# Cross-check\n\nthe unlimited run's figures\n");
        CrossCheckMain.run(new String[] {"report", dir.resolve("crosscheck-limits.csv").toString()});
        Files.writeString(dir.resolve("crosscheck.md"), "notes on the limits run\n", java.nio.file.StandardOpenOption.APPEND);
        CrossCheckMain.run(new String[] {"report", dir.resolve("crosscheck-limits.csv").toString()});
        String main = Files.readString(dir.resolve("crosscheck.md"));
        assertTrue(main.endsWith(LimitsReport.END + "\nnotes on the limits run\n"), main);
        assertTrue(main.startsWith("# Cross-check\n\nthe unlimited run's figures\n"), main);
        assertEquals(1, main.split("## With limits", -1).length - 1, main);
        assertTrue(main.contains("| **all engines** | **all** | " + rows.size() + " |"), main);
        String full = Files.readString(dir.resolve("crosscheck-limits.md"));
        assertTrue(full.contains("0 of them wrong") && full.contains("0 rows with a disagreement") && full.contains("INFEASIBLE right | of which only in its scope"), full);

        // An unlimited CSV of the layout before the limits column is read, and its report keeps the section.
        Path old = dir.resolve("crosscheck.csv");
        CheckRow any = rows.get(0);
        List<String> cells = new ArrayList<>(any.cells());
        cells.remove(CheckRow.COLUMNS.indexOf("limits"));
        Files.writeString(old, "# an older run\n" + ResultsCsv.line(CheckRow.COLUMNS_WITHOUT_LIMITS) + ResultsCsv.line(cells));
        CheckRow back = CrossCheckReport.read(List.of(old)).rows().get(0);
        assertEquals("", back.limits());
        assertEquals(any.engine(), back.engine());
        assertEquals(any.detail(), back.detail());
        CrossCheckMain.run(new String[] {"report", old.toString()});
        String again = Files.readString(dir.resolve("crosscheck.md"));
        assertTrue(again.startsWith("# Cross-check: the exact engines against enumeration"), again);
        assertTrue(again.endsWith(LimitsReport.END + "\nnotes on the limits run\n"), again);
        assertEquals(1, again.split("## With limits", -1).length - 1, again);
    }

    private static CrossCheckLimits.Limited limited(long seed, String outcome) {
        CrossCheckLimits.Limited l = CrossCheckLimits.draw(CrossCheckCases.draw(seed));
        assertEquals(outcome, CrossCheckLimits.outcome(l.limited().limits()), l.limited().describe());
        return l;
    }

    /** The row of a made-up answer: the plan (or none) with the status, its price reported as its objective. */
    private static CheckRow judge(CrossCheckLimits.Limited l, String engine, Plan plan, Status status, boolean withPlan) {
        Instance in = l.limited().instance();
        Plan p = withPlan ? plan : null;
        BatchMetrics m = p == null ? null : p.evaluate(in);
        double objective = m == null ? Double.NaN : in.goal().primaryValue(m);
        SolveResult r = new SolveResult("test", p, m, status, objective, null, 1, Map.of(), "made up");
        return CrossCheck.row(l.limited(), l.optima(), engine, r, 1);
    }

    /** A plan that meets the limits and is worse than their optimum by more than the cost model's tolerance, or null. */
    private static Plan worseMeeting(CrossCheckLimits.Limited l) {
        Instance in = l.limited().instance();
        double best = in.goal().primaryValue(l.optima().meeting(Scope.ALL).metrics());
        for (int k = 1; k <= l.optima().maxPartitions(); k++) {
            for (Plan p : new Plan[] {l.optima().anyPlan()[k], l.optima().spanPlan()[k]}) {
                if (p != null) {
                    BatchMetrics m = p.evaluate(in);
                    if (in.goal().meetsLimits(m) && in.goal().primaryValue(m) > best * (1 + 1e-6) + 1e-3) {
                        return p;
                    }
                }
            }
        }
        return null;
    }
}
