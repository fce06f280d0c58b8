package org.pimopt.solve.dp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.copies.ParetoFront;
import org.pimopt.solve.copies.SpanReplication;
import org.pimopt.solve.heuristic.SpanStrategy;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.ReplicationRule;

/**
 * Exact shortest path over contiguous partitions of the fixed topological unit order. Node
 * {@code b} is "units before b have run"; arc {@code a -> b} is the span {@code [a, b)} priced by
 * {@link IntervalScorer}. Latency, energy, writes and DRAM add up over spans, so one best label per
 * node is exact (lexicographic goals too); EDP does not, so its nodes keep the Pareto front of
 * (energy, latency) labels.
 *
 * <p>Its OPTIMAL covers this restricted model only: the fixed order, contiguous spans, and within a
 * span the best of the replication rules {@link ReplicationRule#PER_SPAN}.
 *
 * <p>{@link #exact()} ({@code dp-exact}) prices each span with its optimal copies per op instead
 * ({@link SpanReplication}: a branch and bound whose exactness is argued there; for EDP the span's
 * Pareto front of latency and energy). Its OPTIMAL is then the optimum over all plans whose
 * partitions are contiguous spans of the fixed order, the same set {@code cpsat-fixed} searches. A
 * span whose search hits its node limit or the deadline keeps the best copies found, and the
 * answer is FEASIBLE.
 */
public final class DpStrategy implements Strategy {

    private final boolean exactReplication;

    public DpStrategy() {
        this(false);
    }

    private DpStrategy(boolean exactReplication) {
        this.exactReplication = exactReplication;
    }

    /** {@code dp-exact}: every span with its optimal copies for the goal. */
    public static DpStrategy exact() {
        return new DpStrategy(true);
    }

    @Override
    public String name() {
        return exactReplication ? "dp-exact" : "dp";
    }

    /** A path to a node: its metrics so far, the cut before it and the span that led here. */
    private record Label(BatchMetrics metrics, int from, Label previous, IntervalScorer.Scored span) {}

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        IntervalScorer scorer = new IntervalScorer(instance, ReplicationRule.PER_SPAN);
        SpanReplication spans = exactReplication ? new SpanReplication(scorer) : null;
        int n = scorer.size();
        Goal goal = instance.goal();
        boolean pareto = goal.primary() == Objective.EDP;
        List<List<Label>> labels = new ArrayList<>(n + 1);
        labels.add(List.of(new Label(BatchMetrics.concat(instance.batch(), List.of()), -1, null, null)));
        boolean exact = true;
        boolean spansProven = true;
        long lastProgress = start;
        for (int b = 1; b <= n; b++) {
            List<Label> here = new ArrayList<>();
            for (int a = b - 1; a >= 0 && (exactReplication ? spans.fits(a, b) : scorer.maxEnd(a) >= b); a--) {
                List<IntervalScorer.Scored> choices;
                if (exactReplication) {
                    SpanReplication.Choices c = spans.choose(a, b, deadline);
                    spansProven &= c.proven();
                    choices = c.options();
                } else {
                    choices = List.of(scorer.score(a, b));
                }
                for (IntervalScorer.Scored span : choices) {
                    for (Label l : labels.get(a)) {
                        BatchMetrics m = BatchMetrics.concat(instance.batch(), List.of(l.metrics(), span.metrics()));
                        here.add(new Label(m, a, l, span));
                    }
                }
                if (options.shouldStop(deadline)) {
                    return timedOut(instance, options, start, deadline, b, n);
                }
            }
            if (pareto) {
                List<Label> front = paretoFront(here, goal);
                if (front.size() > ParetoFront.MAX_LABELS) {
                    exact = false;
                    front = front.subList(0, ParetoFront.MAX_LABELS);
                }
                labels.add(front);
            } else {
                labels.add(List.of(Collections.min(here, (x, y) -> goal.comparator().compare(x.metrics(), y.metrics()))));
            }
            long now = System.nanoTime();
            if (now - lastProgress > 1_000_000_000L) {
                lastProgress = now;
                options.progress().accept(String.format(java.util.Locale.ROOT, "dp: %.1fs, %d of %d units", (now - start) / 1e9, b, n));
            }
        }
        Label best = Collections.min(labels.get(n), (x, y) -> goal.comparator().compare(x.metrics(), y.metrics()));
        List<Integer> cuts = new ArrayList<>();
        cuts.add(n);
        for (Label l = best; l != null && l.from() >= 0; l = l.previous()) {
            cuts.add(l.from());
        }
        Collections.reverse(cuts);
        if (exactReplication) {
            return exactResult(instance, best, cuts, exact && spansProven, start);
        }
        Plan plan = scorer.plan(cuts);
        BatchMetrics metrics = scorer.metrics(cuts);
        double objective = goal.primaryValue(metrics);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new SolveResult(name(), plan, metrics, exact ? Status.OPTIMAL : Status.FEASIBLE, objective,
                exact ? objective : null, ms, Map.of("spansPriced", scorer.cacheSize(), "partitions", cuts.size() - 1),
                "optimal over contiguous partitions of the fixed topological unit order, replication per partition "
                        + "the best of " + ReplicationRule.PER_SPAN.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                        .collect(java.util.stream.Collectors.joining("/")));
    }

    /** dp-exact's answer: the spans along the best path, each with the copies its label chose. */
    private SolveResult exactResult(Instance instance, Label best, List<Integer> cuts, boolean proven, long start) {
        List<IntervalScorer.Scored> path = new ArrayList<>();
        for (Label l = best; l != null && l.span() != null; l = l.previous()) {
            path.add(l.span());
        }
        Collections.reverse(path);
        List<org.pimopt.plan.Partition> parts = new ArrayList<>();
        List<BatchMetrics> priced = new ArrayList<>();
        for (IntervalScorer.Scored s : path) {
            parts.add(new org.pimopt.plan.Partition(s.units(), s.replication()));
            priced.add(s.metrics());
        }
        BatchMetrics metrics = BatchMetrics.concat(instance.batch(), priced);
        double objective = instance.goal().primaryValue(metrics);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new SolveResult(name(), new Plan(parts), metrics, proven ? Status.OPTIMAL : Status.FEASIBLE, objective,
                proven ? objective : null, ms, Map.of("partitions", cuts.size() - 1),
                proven ? "optimal over contiguous partitions of the fixed topological unit order, with the optimal"
                        + " copies per op in each partition"
                        : "best found over contiguous partitions of the fixed topological unit order: the exact copy"
                        + " search of some span hit its node limit or the deadline (or EDP its label limit), and such"
                        + " spans keep the best copies found, never worse than the replication rules");
    }

    /** Non-dominated labels in (energy, latency), best EDP first. */
    private static List<Label> paretoFront(List<Label> labels, Goal goal) {
        List<Label> front = ParetoFront.of(labels, Label::metrics);
        front.sort((x, y) -> goal.comparator().compare(x.metrics(), y.metrics()));
        return front;
    }

    private SolveResult timedOut(Instance instance, SolveOptions options, long start, long deadline, int reached, int n) {
        // Greedy within what is left of dp's own budget, not a fresh one: on a huge network it takes
        // seconds, and gives up when the caller already holds a plan.
        long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);   // 0: already past, not a fresh millisecond
        SolveResult fallback = SpanStrategy.greedy().solve(instance, options.withTimeoutMillis(left));
        long ms = (System.nanoTime() - start) / 1_000_000;
        String why = "timed out after " + reached + " of " + n + " units; ";
        if (fallback.plan() == null) {
            return new SolveResult(name(), null, null, Status.UNKNOWN, Double.NaN, null, ms,
                    Map.of("reachedUnit", reached, "units", n), why + "no time was left for the greedy plan");
        }
        return new SolveResult(name(), fallback.plan(), fallback.metrics(), Status.FEASIBLE, fallback.objective(), null,
                ms, Map.of("reachedUnit", reached, "units", n), why + "returned the greedy plan");
    }
}
