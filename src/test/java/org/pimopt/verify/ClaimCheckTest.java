package org.pimopt.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategies;

/** solve --verify: a true claim is confirmed by every check; a false one is caught and named. */
class ClaimCheckTest {
    private static final SolveOptions OPTIONS = new SolveOptions(20_000, 1, 1, line -> {});

    @Test
    void aProvenOptimumIsConfirmedByEveryCheck() {
        for (String goal : new String[] {"latency", "energy", "edp"}) {
            Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 4, Goal.parse(goal));
            SolveResult exact = Strategies.byName("exact").solve(in, OPTIONS);
            assertEquals(Status.OPTIMAL, exact.status(), goal + ": " + exact.note());
            ClaimCheck.Report report = ClaimCheck.of(in, exact, 10);
            assertEquals(ClaimCheck.Verdict.CONFIRMED, report.verdict(), goal + ": " + report.line());
            assertEquals(4, report.checks().size());
        }
    }

    /** A plan claimed optimal with one copy of every op, where more copies are faster, fails on its copies. */
    @Test
    void aFalseClaimFailsAndNamesThePartition() {
        Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 4, Goal.parse("latency"));
        SolveResult exact = Strategies.byName("exact").solve(in, OPTIONS);
        Plan optimal = exact.plan();
        Plan bare = new Plan(optimal.partitions().stream().map(p -> new Partition(p.units(), Map.of())).toList());
        assertTrue(in.goal().primaryValue(bare.evaluate(in)) > exact.objective() * 1.01, "one copy each is slower");
        var m = bare.evaluate(in);
        SolveResult claim = new SolveResult("liar", bare, m, Status.OPTIMAL, in.goal().primaryValue(m), null, 0, Map.of(), "");
        ClaimCheck.Report report = ClaimCheck.of(in, claim, 10);
        assertEquals(ClaimCheck.Verdict.FAILED, report.verdict(), report.line());
        ClaimCheck.Check copies = report.checks().stream().filter(c -> c.name().equals("copies")).findFirst().orElseThrow();
        assertEquals(ClaimCheck.Verdict.FAILED, copies.verdict());
        assertTrue(copies.detail().contains("other copies in partition(s) "), copies.detail());
    }

    /** A figure that is not the plan's price fails the simulator's check. */
    @Test
    void aMisreportedFigureFailsTheSimulatorCheck() {
        Instance in = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 4, Goal.parse("latency"));
        SolveResult exact = Strategies.byName("exact").solve(in, OPTIONS);
        SolveResult claim = new SolveResult("liar", exact.plan(), exact.metrics(), Status.OPTIMAL, exact.objective() * 0.97,
                exact.objective() * 0.97, 0, Map.of(), "");
        ClaimCheck.Report report = ClaimCheck.of(in, claim, 10);
        assertEquals(ClaimCheck.Verdict.FAILED, report.checks().get(1).verdict(), report.line());
    }
}
