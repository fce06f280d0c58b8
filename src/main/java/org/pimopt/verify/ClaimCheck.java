package org.pimopt.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.solve.LowerBound;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.cpsat.FixedPartitions;

/**
 * A claim of OPTIMAL re-checked by means other than the search that made it ({@code solve
 * --verify}): the plan passes the validator; the simulator, in the model's form, prices it as the
 * cost model does; CP-SAT, given the plan's unit sets and free to choose every op's copies (and so
 * the core packing) again, finds nothing better; and the bound valid for every plan, recomputed, is
 * not above it. A check that fails names what failed (for the copies, the partitions whose copies
 * do better); one that cannot finish in its time says so, and the claim is then not confirmed.
 * Better copies leave a claim that speaks only of rule-chosen copies ({@link #RULED_COPIES})
 * unchecked, not failed.
 */
public final class ClaimCheck {
    /** Relative difference below which two prices of one plan agree. */
    static final double AGREE = 1e-6;
    /**
     * Strategies whose OPTIMAL speaks of copies chosen by replication rules, not of every choice
     * of copies (dp: the best of its rules per partition): better copies do not fail their claim.
     */
    static final java.util.Set<String> RULED_COPIES = java.util.Set.of("dp");

    public enum Verdict { CONFIRMED, FAILED, UNCHECKED }

    public record Check(String name, Verdict verdict, String detail) {}

    public record Report(String strategy, List<Check> checks) {
        /** FAILED if any check failed, CONFIRMED if all confirmed, else UNCHECKED. */
        public Verdict verdict() {
            if (checks.stream().anyMatch(c -> c.verdict() == Verdict.FAILED)) {
                return Verdict.FAILED;
            }
            return checks.stream().allMatch(c -> c.verdict() == Verdict.CONFIRMED) ? Verdict.CONFIRMED : Verdict.UNCHECKED;
        }

        /** One line: the verdict, then each check. */
        public String line() {
            return verdict().name().toLowerCase(Locale.ROOT) + ": " + checks.stream()
                    .map(c -> c.name() + " " + c.verdict().name().toLowerCase(Locale.ROOT) + " (" + c.detail() + ")")
                    .collect(Collectors.joining("; "));
        }
    }

    private ClaimCheck() {}

    /** Re-checks an OPTIMAL result within about {@code seconds}; a result that claims nothing is not checked. */
    public static Report of(Instance instance, SolveResult result, double seconds) {
        return of(instance, result, seconds, 1);
    }

    /** {@link #of(Instance, SolveResult, double)} with CP-SAT on {@code workers} threads. */
    public static Report of(Instance instance, SolveResult result, double seconds, int workers) {
        if (result.status() != Status.OPTIMAL || result.plan() == null) {
            throw new IllegalArgumentException(result.strategy() + " claims no optimum to verify");
        }
        Plan plan = result.plan();
        Goal goal = instance.goal();
        Objective primary = goal.primary();
        double claimed = result.objective();
        List<Check> checks = new ArrayList<>();
        List<String> violations = Validator.violations(instance, plan);
        checks.add(new Check("plan", violations.isEmpty() ? Verdict.CONFIRMED : Verdict.FAILED,
                violations.isEmpty() ? "valid" : String.join("; ", violations.subList(0, Math.min(3, violations.size())))));
        if (!violations.isEmpty()) {
            return new Report(result.strategy(), checks);
        }
        checks.add(simulator(instance, plan, primary, claimed));
        checks.add(copies(instance, result.strategy(), plan, goal, claimed, seconds, workers));
        checks.add(bound(instance, result, primary, claimed));
        return new Report(result.strategy(), checks);
    }

    /** The simulator in the model's form prices the plan as claimed. */
    private static Check simulator(Instance instance, Plan plan, Objective primary, double claimed) {
        // Without the plan's layout (solve --place attaches one): the claim is the model's, which
        // prices transfers at the mean hop distance, not between the cores the layout chose.
        SimResult sim = Simulator.run(instance, plan, SimConfig.analytic(Schedule.PIPELINE).withLayout(false));
        BatchMetrics m = new BatchMetrics(sim.batch(), sim.latencyNs(), sim.energy(), sim.cellsWritten(), sim.dramBytes(),
                List.of());
        double priced = primary.of(m);
        boolean agree = Math.abs(priced - claimed) <= AGREE * Math.abs(claimed);
        return new Check("simulator", agree ? Verdict.CONFIRMED : Verdict.FAILED, String.format(Locale.ROOT,
                "the simulator in the model's form prices %s %.6g, the claim %.6g", primary.label(), priced, claimed));
    }

    /** CP-SAT with the plan's unit sets fixed finds no better copies. */
    private static Check copies(Instance instance, String strategy, Plan plan, Goal goal, double claimed, double seconds,
                                int workers) {
        Objective primary = goal.primary();
        FixedPartitions.Outcome out = FixedPartitions.resolve(instance, plan, primary, goal.limits().figures(), seconds,
                workers);
        double found = primary.of(out.metrics());
        int parts = plan.partitions().size();
        if (found < claimed * (1 - AGREE)) {
            String better = String.format(Locale.ROOT,
                    "CP-SAT with the %d unit sets fixed finds %s %.6g below the claimed %.6g with other copies in partition(s) %s",
                    parts, primary.label(), found, claimed, list(out.changed()));
            return RULED_COPIES.contains(strategy)
                    ? new Check("copies", Verdict.UNCHECKED, better + "; " + strategy + "'s copies are its replication"
                            + " rules', which its claim speaks of")
                    : new Check("copies", Verdict.FAILED, better);
        }
        String scope = primary == Objective.EDP ? "least latency at no more energy, and least energy at no more latency,"
                + " partition by partition," : "every op's copies, partition by partition,";
        String nothing = out.noChoice().isEmpty() ? "" : String.format(Locale.ROOT,
                "; %d partition(s) have one possible copy count for every op, nothing to search", out.noChoice().size());
        if (!out.proven()) {
            return new Check("copies", Verdict.UNCHECKED, String.format(Locale.ROOT,
                    "CP-SAT with the %d unit sets fixed found nothing better in %d ms, unproven for partition(s) %s%s", parts,
                    out.millis(), list(out.unfinished()), nothing));
        }
        if (!goal.limits().isEmpty()) {
            return new Check("copies", Verdict.UNCHECKED, String.format(Locale.ROOT,
                    "CP-SAT with the %d unit sets fixed and each partition's %s held found nothing better in %d ms; limits"
                            + " couple the partitions, so this proves nothing for the whole%s", parts,
                    goal.limits().figures().stream().map(Objective::label).collect(Collectors.joining(", ")), out.millis(),
                    nothing));
        }
        return new Check("copies", Verdict.CONFIRMED, String.format(Locale.ROOT,
                "CP-SAT with the %d unit sets fixed re-chose %s and found nothing better, proven in %d ms%s", parts, scope,
                out.millis(), nothing));
    }

    private static String list(List<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The bound valid for every plan, and the result's own, are not above the claim. */
    private static Check bound(Instance instance, SolveResult result, Objective primary, double claimed) {
        double everyPlan = LowerBound.of(instance, primary);
        double own = result.bound() == null ? everyPlan : result.bound();
        boolean below = everyPlan <= claimed * (1 + AGREE) && own <= claimed * (1 + AGREE);
        return new Check("bound", below ? Verdict.CONFIRMED : Verdict.FAILED, String.format(Locale.ROOT,
                "recomputed bound for every plan %.6g, the result's %.6g, the claim %.6g", everyPlan, own, claimed));
    }
}
