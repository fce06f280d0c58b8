package org.pimopt.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.verify.ClaimCheck;

/**
 * What a solve came to: every strategy's result (in the user's order, those that ran), the best
 * plan (with its layout when placed), the simulations, the verdicts of re-checked OPTIMALs, and
 * the warnings given on the way.
 *
 * @param results     the strategies' results; a failed strategy is an {@link Status#ERROR} row
 * @param best        the best plan meeting the goal ({@link SolveResult#best}), laid out when placement succeeded;
 *                    null when there is none
 * @param placedLine  how placement went, one line (two with fallbacks), or null without placement
 * @param verdicts    by strategy, each OPTIMAL's re-check with --verify
 * @param summaryJson summary.json's text, null when no plan was written
 * @param converged   whether the convergence files were written
 * @param interrupted whether Ctrl-C cut the run short (the files hold the results so far)
 */
public record PipelineResult(Kind kind, Instance instance, List<SolveResult> results, SolveResult best, String placedLine,
                             PlanSimulations.Simulations simulations, Map<String, ClaimCheck.Report> verdicts, String summaryJson,
                             boolean converged, boolean interrupted, List<String> warnings) {
    /** How the run ended, which decides what the user is told and the exit code. */
    public enum Kind {
        /** A plan meets the goal: plan and summary written. */
        SOLVED,
        /** No strategy found a plan: nothing written. */
        NO_PLAN,
        /** Plans were found, none meets the limits: nothing written. */
        NO_PLAN_MEETS_LIMITS,
        /** Another thread (Ctrl-C's) already wrote and reported the results. */
        REPORTED_ELSEWHERE
    }

    static PipelineResult unwritten(Kind kind, Instance instance, List<SolveResult> results, boolean interrupted,
                                    List<String> warnings) {
        return new PipelineResult(kind, instance, results, null, null, PlanSimulations.Simulations.NONE, Map.of(), null, false,
                interrupted, warnings);
    }

    /** Whether a strategy failed (an ERROR row): the files stand, the command still reports the failure. */
    public boolean anyStrategyFailed() {
        return results.stream().anyMatch(r -> r != null && r.status() == Status.ERROR);
    }

    /** Whether an OPTIMAL did not survive its re-check. */
    public boolean verifyFailed() {
        return verdicts.values().stream().anyMatch(r -> r.verdict() == ClaimCheck.Verdict.FAILED);
    }

    /** Each verdict as its one line, by strategy (summary.json's "verification"). */
    public Map<String, String> verificationLines() {
        Map<String, String> lines = new LinkedHashMap<>();
        verdicts.forEach((strategy, report) -> lines.put(strategy, report.line()));
        return lines;
    }

    /** Why no plan was found: each strategy's status and note, or that none ran. */
    public String whyNoPlan() {
        StringBuilder why = new StringBuilder();
        for (SolveResult r : results) {
            why.append(why.length() == 0 ? "" : "; ").append(r.strategy()).append(' ').append(r.status());
            if (r.note() != null && !r.note().isEmpty()) {
                why.append(" (").append(r.note()).append(')');
            }
        }
        return why.length() == 0 ? "no strategy ran" : why.toString();
    }

    /** How near any plan comes to the limits: the exact portfolio's proof, or an infeasibility, when one ran. */
    public String whyNoPlanMeetsLimits() {
        return results.stream().filter(r -> r.status() == Status.INFEASIBLE || r.strategy().equals("exact"))
                .map(r -> r.strategy() + " " + r.status() + ": " + r.note())
                .findFirst().orElse("no exact engine ran, so nothing is proven; run with --strategy exact to learn whether any plan can");
    }
}
