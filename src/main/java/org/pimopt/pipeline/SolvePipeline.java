package org.pimopt.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Limits;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.report.ConvergencePlot;
import org.pimopt.report.SolveReport;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.placement.JointPlacement;
import org.pimopt.solve.registry.StrategyRun;
import org.pimopt.verify.ClaimCheck;

/**
 * One solve, start to end: strategies (or the joint model) -> placement of the best plan -> plan
 * files -> verification -> simulation -> summary. {@code pimopt solve} and tests run it the same way.
 *
 * <p>Two promises shape the order. The answer is never lost: plan.json and plan.pb are written as
 * soon as the best plan is settled, before the stages that may run out of time or memory, and a
 * failing strategy or placement costs only its own part. The command ends within its budget: each
 * stage has a deadline from {@link Budget}. A run may be cut short by Ctrl-C: {@link #interrupted}
 * then writes what the strategies found so far, whichever of it and {@link #run} gets there first.
 */
public final class SolvePipeline {
    private final PipelineOptions options;
    /** The strategies' results as each ends, in the user's order, for an interrupt to find. */
    private final SolveResult[] byPosition;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    /** The joint model's answer, when it ran. */
    private JointPlacement.Solved jointSolved;
    private boolean finished;

    public SolvePipeline(PipelineOptions options) {
        this.options = options;
        this.byPosition = new SolveResult[options.strategies().size()];
    }

    /** The lowering: network and chip to the instance the strategies solve, the limits read against the chip. */
    public static Instance lower(Network network, Chip chip, int batch, Goal goal, List<String> limitStatements) {
        Limits limits = Limits.parse(limitStatements, chip, batch);
        return Instance.of(network, chip, batch, goal.withLimits(limits));
    }

    /** Runs every stage and writes the files; {@link PipelineResult.Kind#REPORTED_ELSEWHERE} if an interrupt already did. */
    public PipelineResult run() {
        if (options.joint()) {
            PipelineResult done = runJoint();
            if (done != null) {
                return done;
            }
        }
        // Heuristics first: they are quick; the exact engines then share what is left of the budget.
        // A strategy that fails is an ERROR row; the others' plans stand.
        StrategyRun runner = new StrategyRun(options.instance(), millis -> new SolveOptions(millis, options.seed(),
                options.workers(), options.log()).withCancel(options.cancel()).withConvergence(options.convergence()), this::warn);
        runner.run(options.strategies(), options.budget().strategiesDeadline(options.place(), options.verify()), byPosition);
        return finish(Arrays.asList(byPosition), false);
    }

    /**
     * After Ctrl-C, when the running strategy did not stop in time: the stages after the strategies
     * on what the others found (no placement, no verification). Null when {@link #run} has finished.
     */
    public PipelineResult interrupted() {
        PipelineResult r = finish(Arrays.asList(byPosition), true);
        return r.kind() == PipelineResult.Kind.REPORTED_ELSEWHERE ? null : r;
    }

    /**
     * The joint model on a small instance: its result is the only row, already placed. Returns null
     * (after a notice saying why) when the instance is outside the model, and the strategies run.
     */
    private PipelineResult runJoint() {
        SolveOptions joint = new SolveOptions(options.budget().jointMillis(), options.seed(), options.workers(), options.log())
                .withCancel(options.cancel());
        JointPlacement.Outcome outcome = JointPlacement.solve(options.instance(), joint);
        if (outcome instanceof JointPlacement.Solved solved) {
            jointSolved = solved;
            return finish(List.of(solved.result()), false);
        }
        options.notices().accept("joint: not used, running the strategies then placement instead: "
                + ((JointPlacement.Declined) outcome).why());
        return null;
    }

    /** The stages after the strategies, once, whoever gets here first (the run or Ctrl-C). */
    private synchronized PipelineResult finish(List<SolveResult> all, boolean interrupted) {
        Instance instance = options.instance();
        List<SolveResult> results = all.stream().filter(Objects::nonNull).toList();
        if (finished) {
            return PipelineResult.unwritten(PipelineResult.Kind.REPORTED_ELSEWHERE, instance, results, interrupted, warnings());
        }
        finished = true;
        SolveResult best = SolveResult.best(instance, results);
        String placedLine = null;
        if (jointSolved != null) {
            placedLine = jointLine(best);
        } else if (best != null && options.place() && !interrupted) {
            SolveOptions half = new SolveOptions(Math.max(1, options.budget().placementMillis() / 2), options.seed(),
                    options.workers(), line -> {});
            PlaceStep.Outcome placing = PlaceStep.run(instance, best, half);
            placedLine = placing.line();
            if (placing.placed()) {
                best = placing.best();
                // The best strategy's row is simulated with its layout, as the plan written carries it.
                SolveResult placedBest = best;
                results = results.stream().map(r -> r == null || !r.strategy().equals(placedBest.strategy()) ? r : placedBest).toList();
            }
        }
        if (best == null && instance.goal().limits().isEmpty()) {
            return PipelineResult.unwritten(PipelineResult.Kind.NO_PLAN, instance, results, interrupted, warnings());
        }
        if (best == null || !instance.goal().meetsLimits(best.metrics())) {
            return PipelineResult.unwritten(PipelineResult.Kind.NO_PLAN_MEETS_LIMITS, instance, results, interrupted, warnings());
        }
        if (options.out() != null) {
            PlanFile file = PlanIo.toProto(instance, best.plan(), best.strategy(), options.planSource());
            PlanIo.writeJson(options.out().resolve("plan.json"), file);
            PlanIo.writeBinary(options.out().resolve("plan.pb"), file);
        }
        // The best plan is simulated first, so the others' simulations are the ones the deadline cuts.
        List<SolveResult> bestFirst = new ArrayList<>(results);
        SolveResult first = best;
        bestFirst.sort(Comparator.comparing(r -> r != null && r.strategy().equals(first.strategy()) ? 0 : 1));
        Map<String, ClaimCheck.Report> verdicts = options.verify() && !interrupted ? Verification.everyOptimal(instance, results,
                options.budget().verifyMillis(true), options.workers()) : Map.of();
        PlanSimulations.Simulations sims = !options.simulate() ? PlanSimulations.Simulations.NONE
                : PlanSimulations.simulate(instance, bestFirst, options.budget().simulateUntilNanos(), this::warn);
        Map<String, String> verification = new LinkedHashMap<>();
        verdicts.forEach((strategy, report) -> verification.put(strategy, report.line()));
        String summary = SolveReport.json(instance, results, sims.results(), sims.skipped(), verification);
        boolean converged = false;
        if (options.out() != null) {
            PlanIo.writeAtomically(options.out().resolve("summary.json"), summary.getBytes(StandardCharsets.UTF_8));
            converged = ConvergencePlot.write(options.convergence(), instance.goal().primary(), options.budget().startNanos(),
                    options.out());
        }
        return new PipelineResult(PipelineResult.Kind.SOLVED, instance, results, best, placedLine, sims, verdicts, summary,
                converged, interrupted, warnings());
    }

    /** How the joint model placed its plan, in the words of {@code solve --place}'s line. */
    private String jointLine(SolveResult best) {
        Map<String, String> m = PlacementFigures.of(options.instance(), jointSolved.placed(), jointSolved.replacement());
        return "placed by the joint model (" + best.status() + " among plans of at most " + jointSolved.partitions()
                + " partitions with their placements): NoC byte-hops " + m.get("byte_hops") + " (first-fit "
                + m.get("byte_hops_first_fit") + ", snake " + m.get("byte_hops_snake") + "); batch latency with the write schedule "
                + m.get("latency_ns") + " ns; the joint row is simulated with this layout";
    }

    private void warn(String line) {
        warnings.add(line);
        options.log().accept(line);
    }

    private List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }
}
