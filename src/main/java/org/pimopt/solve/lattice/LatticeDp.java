package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.copies.SpanReplication;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.lattice.ClosedSets.ClosedSet;
import org.pimopt.solve.lattice.ClosedSets.Step;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.ReplicationRule;

/**
 * {@code dp-lattice}: the optimum over every plan, by a shortest path over the dependency-closed
 * sets of units. Why it is exact (formulations/partitioning.md, "Exact search over dependency-closed
 * sets"):
 *
 * <ol>
 *   <li>In any plan, the units of partitions {@code 0..k} form a dependency-closed set: a unit may
 *       run only once every unit of the ops it reads has run, in an earlier partition or the same
 *       one. A plan is therefore a chain {@code {} = D0 < D1 < ... < Dm = all units}, partition
 *       {@code k} being {@code Dk \ Dk-1}.
 *   <li>A partition's price depends only on the units before it and its own
 *       ({@link IntervalScorer.Block}), and on its copies, which no other partition sees. So the
 *       plan's latency, energy, writes and DRAM bytes add up along the chain, and with the optimal
 *       copies of each step ({@link SpanReplication}, exact) a shortest path over the sets is the
 *       optimum; EDP keeps the Pareto front of (energy, latency) at each set, as {@code dp-exact} does.
 *   <li>Units of one op that agree in every figure the cost model and the Validator read
 *       (crossbars, rows, cells, weight bytes, output columns) are interchangeable: a set is known
 *       by how many of each such class it holds, and takes the lowest-numbered units of each class.
 *       Networks have few sets then (resnet18 on compass-s: 98; googlenet: 1,000).
 * </ol>
 *
 * Only the one-partition plan keeps its weights across batches; every longer chain is programmed
 * each batch, like the cost model prices it. Its OPTIMAL is the optimum over all plans, with no
 * limit on partitions; it is FEASIBLE when a step's copy search ran out of its share of the time
 * and its floors do not close the gap, EDP hit its label limit, or the deadline came first (then it
 * returns no plan of its own: see {@link #solve}). Steps are taken only as far as needed: a cheap
 * floor ({@link org.pimopt.solve.copies.StepFloor}) for all, then knapsack floors, a plan from the
 * rules and a copy search (no node limit, only a time share) while some chain through the step could
 * still beat the best plan (formulations/partitioning.md, "All orders").
 *
 * <p>The rooms: {@link ClosedSets} lists the sets and the steps between them, {@link StepTiers}
 * takes a step one tier further, {@link StepWorkers} runs that work on several threads,
 * {@link ChainFloors} holds the floors of chains that say which steps are worth it, and
 * {@link PathSearch} finds the best path and its bound over the steps' answers. This class is the
 * strategy and its rounds.
 */
public final class LatticeDp implements Strategy {
    @Override
    public String name() {
        return "dp-lattice";
    }

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        Outcome out = search(instance, options, deadline, start);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (out.noneMeets()) {
            return new SolveResult(name(), null, null, Status.INFEASIBLE, Double.NaN, null, ms, out.stats,
                    "no plan meets the limits, over all plans: " + out.why);
        }
        if (out.best == null) {
            // dp over the fixed order is quick (the best replication rule per span): a plan however late.
            SolveResult fallback = new DpStrategy().solve(instance, options.withTimeoutMillis(
                    Math.max(1_000, (deadline - System.nanoTime()) / 1_000_000)));
            return new SolveResult(name(), fallback.plan(), fallback.metrics(), Status.FEASIBLE, fallback.objective(),
                    null, (System.nanoTime() - start) / 1_000_000, out.stats, out.why + "; returned dp's plan");
        }
        BatchMetrics metrics = out.best.plan().evaluate(instance);
        double objective = instance.goal().primaryValue(metrics);
        // Under limits the search keeps to plans that meet them (a lexicographic goal's search does
        // not: its plan is then returned over them, and so marked, with the bound valid for all).
        boolean meets = instance.goal().meetsLimits(metrics);
        boolean optimal = meets && out.optimal(instance.goal().unlimited());
        Double bound = optimal ? Double.valueOf(objective) : out.bound;
        if (!meets) {
            return new SolveResult(name(), out.best.plan(), metrics, Status.FEASIBLE, objective, bound, ms, out.stats,
                    "dp-lattice searches a lexicographic goal without its limits, and its best plan breaks them");
        }
        options.convergence().record(name(), objective, bound == null ? Double.NaN : bound);
        return new SolveResult(name(), out.best.plan(), metrics, optimal ? Status.OPTIMAL : Status.FEASIBLE,
                objective, bound, ms, out.stats, optimal
                        ? "optimal over all plans (every chain of dependency-closed unit sets, optimal copies per step)"
                        : "best found over all chains of dependency-closed unit sets, bound from the copy searches' floors: "
                        + out.why);
    }

    /**
     * Whether a plan of these metrics is optimal: every step searched to the end, or it meets the
     * bound. The bound is on the first objective, so for a lexicographic goal the plan must meet the
     * floor path's metrics in the goal's order ({@code floor}: every plan is at or above it in every
     * figure, hence at or after it in that order); meeting the first objective's bound alone settles
     * nothing about the later ones (the cross-check's writes,latency cases).
     */
    private static boolean optimal(Goal goal, BatchMetrics best, boolean proven, Double bound, BatchMetrics floor) {
        if (proven) {
            return true;
        }
        if (goal.objectives().size() > 1) {
            return floor != null && goal.comparator().compare(best, floor) <= 0;
        }
        return bound != null && goal.primaryValue(best) <= bound * (1 + 1e-9);
    }

    /** A plan and whether it is proven optimal over all plans. */
    public record Found(Plan plan, BatchMetrics metrics) {}

    /**
     * The search's answer: the best plan (null when it did not finish), whether proven, and why not;
     * under limits the best plan meets them, and {@code noneMeets} says the floors proved no plan can.
     */
    public record Outcome(Found best, boolean proven, Double bound, BatchMetrics floor, boolean noneMeets, String why,
                          Map<String, Object> stats) {
        Outcome(Found best, boolean proven, String why, Map<String, Object> stats) {
            this(best, proven, null, null, false, why, stats);
        }

        Outcome(Found best, boolean proven, Double bound, BatchMetrics floor, String why, Map<String, Object> stats) {
            this(best, proven, bound, floor, false, why, stats);
        }

        /** Whether the plan is optimal over all plans: every step searched to the end, or the plan meets the bound. */
        public boolean optimal(Goal goal) {
            return best != null && LatticeDp.optimal(goal, best.metrics(), proven, bound, floor);
        }
    }

    /**
     * The optimum over all plans by the shortest path, or a null plan when the sets are too many
     * or the deadline comes first.
     */
    public Outcome search(Instance given, SolveOptions options, long deadline, long start) {
        // Limits shape the labels and prunes (SearchMode); orders and floors are the goal's alone.
        SearchMode mode = SearchMode.of(given.goal());
        Instance instance = given.withGoal(mode.goal());
        Map<String, Object> stats = new LinkedHashMap<>();
        List<ClosedSet> sets = ClosedSets.sets(instance, ClosedSets.classes(instance));
        stats.put("sets", sets == null ? ">" + ClosedSets.MAX_STATES : sets.size());
        if (sets == null) {
            return new Outcome(null, false, "more than " + ClosedSets.MAX_STATES + " dependency-closed unit sets", stats);
        }
        IntervalScorer scorer = new IntervalScorer(mode.stepInstance(instance), ReplicationRule.PER_SPAN);
        SpanReplication copies = new SpanReplication(scorer, Long.MAX_VALUE, mode.stepFrontFigures());
        List<List<Step>> stepsFrom = ClosedSets.steps(instance, sets, copies, deadline);
        if (stepsFrom == null) {
            return new Outcome(null, false, "the deadline came while listing the steps between sets", stats);
        }
        long stepCount = stepsFrom.stream().mapToLong(List::size).sum();
        StepTiers tiers = new StepTiers(copies, scorer, sets, mode);
        stats.put("steps", stepCount);
        // A step's copies depend on its block alone, not on the path to it: steps are bounded,
        // priced and searched apart, and the path is found over their answers. Each step climbs
        // tiers only while some chain through it could still beat the best plan: a cheap floor
        // (StepFloor), the knapsacks' floors, the best rule's copies as a plan, a copy search.
        // Rounds leave room for their measured overhead; 5% more is kept for the plan and the stats.
        long softDeadline = start + (long) ((deadline - start) * 0.95);
        ProgressLine progress = new ProgressLine(options, start);
        BatchMetrics[][] cheapFloors = new BatchMetrics[sets.size()][];
        SpanReplication.Choices[][] choices = new SpanReplication.Choices[sets.size()][];
        List<Candidate> all = new ArrayList<>();
        for (ClosedSet from : sets) {
            List<Step> mine = stepsFrom.get(from.index());
            cheapFloors[from.index()] = new BatchMetrics[mine.size()];
            choices[from.index()] = new SpanReplication.Choices[mine.size()];
            for (int k = 0; k < mine.size(); k++) {
                all.add(new Candidate(from.index(), k, 0));
            }
        }
        int workers = Math.max(1, options.workers());
        long bounded = StepWorkers.inParallel(all, workers, deadline, options, (at, left) -> {
            cheapFloors[at.from()][at.k()] = tiers.cheapFloor(sets.get(at.from()), stepsFrom.get(at.from()).get(at.k()));
            progress.step("bounding", stepCount - left, stepCount);
        });
        if (bounded < stepCount) {
            return new Outcome(null, false, "the deadline came after bounding " + bounded + " of " + stepCount + " steps", stats);
        }
        long[][] searchedFor = new long[sets.size()][];   // the time share of each step's last search
        for (ClosedSet from : sets) {
            searchedFor[from.index()] = new long[stepsFrom.get(from.index()).size()];
        }
        PathSearch.Path path = null;
        int rounds = 0;
        long overhead;   // of the last field, favoured chain and path: a round leaves room for the next ones
        while (true) {
            long roundStart = System.nanoTime();
            ChainFloors field = ChainFloors.of(instance, mode, sets, stepsFrom, choices, cheapFloors);
            if (!field.connected()) {
                return new Outcome(null, false, "no chain of sets packs into the cores", stats);
            }
            // The chain the floors favour, priced with the rules where it is not yet: a plan to beat.
            for (Candidate at : field.favoured()) {
                if (options.shouldStop(deadline)) {
                    break;
                }
                if (StepTiers.tier(choices[at.from()][at.k()]) < StepTiers.PLANNED) {
                    choices[at.from()][at.k()] = tiers.price(sets.get(at.from()), stepsFrom.get(at.from()).get(at.k()),
                            cheapFloors[at.from()][at.k()]);
                }
            }
            path = PathSearch.find(instance, mode, sets, stepsFrom, choices, cheapFloors, field,
                    path == null || path.best() == null ? Double.POSITIVE_INFINITY : instance.goal().primaryValue(path.best().metrics()));
            overhead = System.nanoTime() - roundStart;
            if (System.nanoTime() + overhead >= softDeadline || options.shouldStop(deadline)
                    || (path.best() != null && optimal(instance.goal(), path.best().metrics(), path.proven(), path.bound(), path.floor()))
                    || path.noneMeets()) {
                break;
            }
            List<Candidate> retry = field.promising(path.best() == null ? Double.POSITIVE_INFINITY
                    : instance.goal().primaryValue(path.best().metrics()));
            if (retry.isEmpty()) {
                break;
            }
            rounds++;
            long[] byTier = new long[3];
            for (Candidate c : retry) {
                SpanReplication.Choices ch = choices[c.from()][c.k()];
                byTier[StepTiers.tier(ch)]++;
            }
            options.convergence().record(name(), path.best() == null ? Double.NaN : instance.goal().primaryValue(path.best().metrics()),
                    path.bound() == null ? Double.NaN : path.bound());
            options.progress().accept(String.format(java.util.Locale.ROOT,
                    "dp-lattice: %.1fs, round %d: best %s, bound %.6g; steps in play: %d with a cheap floor, %d with"
                            + " knapsack floors, %d with a plan", (System.nanoTime() - start) / 1e9, rounds,
                    path.best() == null ? "none" : String.format(java.util.Locale.ROOT, "%.6g",
                            instance.goal().primaryValue(path.best().metrics())),
                    path.bound() == null ? Double.NaN : path.bound(), byTier[0], byTier[1], byTier[2]));
            // A round ends early so that the plan and the floors it climbs against stay fresh.
            long now = System.nanoTime();
            long roundEnd = Math.min(softDeadline - overhead, now + Math.max(1_000_000_000L, (softDeadline - now) / 4));
            int round = rounds;
            long lastStart = softDeadline - overhead;   // no search runs past it
            StepWorkers.inParallel(retry, workers, roundEnd, options, (at, left) -> {
                long at0 = System.nanoTime();
                // Up to twice its share of the time left to 95% (the workers sharing the steps left),
                // and at least twice what its last search had: a step searched again and again (the
                // floor path's) goes deeper each time, for at most twice the time in all.
                long time = Math.max(2 * workers * (softDeadline - at0) / left, 2 * searchedFor[at.from()][at.k()]);
                long share = Math.min(lastStart, at0 + Math.max(0, time));
                SpanReplication.Choices had = choices[at.from()][at.k()];
                choices[at.from()][at.k()] = tiers.advance(sets.get(at.from()), stepsFrom.get(at.from()).get(at.k()), had,
                        cheapFloors[at.from()][at.k()], share);
                if (StepTiers.tier(had) == StepTiers.PLANNED) {
                    searchedFor[at.from()][at.k()] = share - at0;
                }
                progress.step("round " + round, retry.size() - left, retry.size());
            });
        }
        stats.put("rounds", rounds);
        stats.put("stepsBounded", tiers.bounded.get());
        stats.put("stepsPriced", tiers.priced.get());
        stats.put("stepsSearched", tiers.searched.get());
        if (path.best() == null && path.noneMeets()) {
            return new Outcome(null, false, null, null, true, "no chain of sets meets the limits (" + mode.limits().stated()
                    + "): every chain's floors exceed one", stats);
        }
        if (path.best() == null) {
            return new Outcome(null, false, path.bound(), null, "the deadline came before any chain of steps was priced"
                    + (mode.limited() ? ", or none priced meets the limits" : ""), stats);
        }

        Plan plan = planOf(instance, path.best());
        stats.put("partitions", plan.partitions().size());
        return new Outcome(new Found(plan, plan.evaluate(instance)), path.proven(), path.bound(), path.floor(), false, path.proven() ? ""
                : "the copy search of some step ran out of its share of the time, or the labels hit their limit", stats);
    }

    /** The plan a path's labels spell out, one partition per step; checked by the Validator. */
    private static Plan planOf(Instance instance, PathSearch.Label best) {
        List<Partition> parts = new ArrayList<>();
        for (PathSearch.Label l = best; l != null && l.step() != null; l = l.previous()) {
            parts.add(new Partition(l.step().units(), l.step().replication()));
        }
        Collections.reverse(parts);
        Plan plan = new Plan(parts);
        List<String> violations = Validator.violations(instance, plan);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("dp-lattice produced an invalid plan: " + violations);
        }
        return plan;
    }
}
