package org.pimopt.solve.heuristic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.PimcompBalance;
import org.pimopt.solve.replication.ReplicationRule;

/**
 * The baselines of the literature: cut the fixed unit order into spans by a packing rule, then
 * replicate inside each span by a replication rule. {@code formulations/baselines.md} gives each
 * rule with its source and the readings that could not be checked against the papers.
 * <ul>
 *   <li>{@code layerwise} (COMPASS baseline): one weighted op per partition, an op too large for
 *       the chip spread over as few partitions as its units allow; PIMCOMP-NN's balance
 *       replication as its code does it ({@link PimcompBalance}), because COMPASS built its
 *       baselines on PIMCOMP-NN;
 *   <li>{@code greedy} (COMPASS baseline): as many consecutive units as fit, so an op may be cut
 *       at the chip's edge; PIMCOMP-NN's balance replication likewise. DESIGN §1 words it "as many
 *       consecutive layers as fit"; which reading COMPASS meant could not be checked, and the
 *       whole-layer one (the packing of {@code pimcomp-balance}) is 0-14% faster on COMPASS's
 *       networks (formulations/baselines.md);
 *   <li>{@code pimcomp-balance}: PIMCOMP maps whole layers, so whole ops are packed while they fit
 *       (an op larger than the chip is spread unit by unit); PIMCOMP-NN's balance replication,
 *       which leaves about half of the chip's crossbars unused;
 *   <li>{@code pimcomp-fill}: pimopt's improvement on {@code pimcomp-balance}, the same packing
 *       with PIMCOMP's priority spent until no copy fits ({@link ReplicationRule#BALANCE_FILL}):
 *       every crossbar may be used, copies are counted into cores, and small ops take what the
 *       large ones leave; the stronger baseline, kept beside the published one;
 *   <li>{@code clsa-greedy}: whole ops packed likewise; CLSA-CIM's duplication of the slowest op.
 * </ul>
 */
public final class SpanStrategy implements Strategy {

    /**
     * How a span's end is chosen: {@code ONE_OP} ends it at the end of the op it starts in,
     * {@code UNITS} at the last unit that fits (an op may be cut at the chip's edge), {@code
     * WHOLE_OPS} at the end of the last whole op that fits.
     */
    public enum Packing { ONE_OP, UNITS, WHOLE_OPS }

    private final String name;
    private final Packing packing;
    private final ReplicationRule replication;

    public SpanStrategy(String name, Packing packing, ReplicationRule replication) {
        this.name = name;
        this.packing = packing;
        this.replication = replication;
    }

    public static SpanStrategy layerwise() {
        return new SpanStrategy("layerwise", Packing.ONE_OP, ReplicationRule.PIMCOMP_BALANCE);
    }

    public static SpanStrategy greedy() {
        return new SpanStrategy("greedy", Packing.UNITS, ReplicationRule.PIMCOMP_BALANCE);
    }

    public static SpanStrategy pimcompBalance() {
        return new SpanStrategy("pimcomp-balance", Packing.WHOLE_OPS, ReplicationRule.PIMCOMP_BALANCE);
    }

    public static SpanStrategy pimcompFill() {
        return new SpanStrategy("pimcomp-fill", Packing.WHOLE_OPS, ReplicationRule.BALANCE_FILL);
    }

    public static SpanStrategy clsaGreedy() {
        return new SpanStrategy("clsa-greedy", Packing.WHOLE_OPS, ReplicationRule.CLSA_DUPLICATE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        IntervalScorer scorer = new IntervalScorer(instance, List.of(replication));
        List<Integer> cuts = cuts(instance, scorer, packing, options, deadline);
        if (cuts == null) {
            return noPlan(name, instance, start, "the deadline came before every unit was in a partition");
        }
        Plan plan = scorer.plan(cuts);
        BatchMetrics metrics = scorer.metrics(cuts);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new SolveResult(name, plan, metrics, Status.FEASIBLE, instance.goal().primaryValue(metrics), null, ms,
                Map.of("partitions", cuts.size() - 1), "heuristic");
    }

    /** A heuristic that stopped before it had a plan: UNKNOWN, with why. */
    public static SolveResult noPlan(String name, Instance instance, long start, String why) {
        return new SolveResult(name, null, null, Status.UNKNOWN, Double.NaN, null, (System.nanoTime() - start) / 1_000_000,
                Map.of("units", instance.units().size()), why);
    }

    /** Cut points {@code 0 = c0 < ... < ck = n} by a packing rule. */
    public static List<Integer> cuts(Instance instance, IntervalScorer scorer, Packing packing) {
        return cuts(instance, scorer, packing, SolveOptions.defaults(), Long.MAX_VALUE);
    }

    /**
     * The cut points, or null when the heuristic gives up at the deadline (a network of hundreds of
     * thousands of units takes minutes to pack; see {@link SolveOptions#shouldGiveUp}).
     */
    public static List<Integer> cuts(Instance instance, IntervalScorer scorer, Packing packing, SolveOptions options,
                                     long deadline) {
        int n = scorer.size();
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        int a = 0;
        while (a < n) {
            if (options.shouldGiveUp(deadline)) {
                return null;
            }
            int end = scorer.maxEnd(a);
            OpInfo op = instance.ops().get(instance.units().get(a).op());
            int opEnd = op.lastUnit() + 1;
            int b = switch (packing) {
                case UNITS -> end;
                case ONE_OP -> Math.min(end, opEnd);
                case WHOLE_OPS -> wholeOpsEnd(instance, a, end);
            };
            cuts.add(b);
            a = b;
        }
        return cuts;
    }

    /** The end of the last whole op that fits from {@code a}, or {@code end} if not even the first op does. */
    private static int wholeOpsEnd(Instance instance, int a, int end) {
        int b = a;
        while (b < instance.units().size()) {
            int opEnd = instance.ops().get(instance.units().get(b).op()).lastUnit() + 1;
            if (opEnd > end) {
                break;
            }
            b = opEnd;
        }
        return b == a ? end : b;
    }
}
