package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.cost.Unit;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.solve.IntervalScorer;
import org.pimopt.solve.IntervalScorer.Block;
import org.pimopt.solve.IntervalScorer.Scored;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.copies.SpanReplication;
import org.pimopt.solve.copies.StepFloor;
import org.pimopt.solve.copies.FloorMetrics;
import org.pimopt.solve.copies.ParetoFront;
import org.pimopt.solve.dp.DpStrategy;

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
 * floor ({@link StepFloor}) for all, then knapsack floors, a plan from the rules and a copy search
 * (no node limit, only a time share) while some chain through the step could still beat the best
 * plan (formulations/partitioning.md, "All orders").
 */
public final class LatticeDp implements Strategy {
    /** Most dependency-closed sets it enumerates; beyond, it gives up at once. */
    static final int MAX_STATES = 20_000;

    @Override
    public String name() {
        return "dp-lattice";
    }

    /** Units of one op that are interchangeable, lowest id first. */
    private record UnitClass(int op, int[] units) {}

    /** A dependency-closed set: how many units of each class it holds, and the units themselves. */
    private record State(int index, int[] counts, BitSet units, int size) {}

    /** A path to a state: its metrics so far, the state it came from, and the step that led here. */
    private record Label(BatchMetrics metrics, Label previous, Scored step) {}

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
        List<UnitClass> classes = classes(instance);
        List<State> states = states(instance, classes);
        stats.put("sets", states == null ? ">" + MAX_STATES : states.size());
        if (states == null) {
            return new Outcome(null, false, "more than " + MAX_STATES + " dependency-closed unit sets", stats);
        }
        IntervalScorer scorer = new IntervalScorer(mode.stepInstance(instance), DpStrategy.RULES);
        SpanReplication steps = new SpanReplication(scorer, Long.MAX_VALUE, mode.stepFrontFigures());
        List<List<Arc>> arcsFrom = arcs(instance, states, steps, deadline);
        if (arcsFrom == null) {
            return new Outcome(null, false, "the deadline came while listing the steps between sets", stats);
        }
        long arcs = arcsFrom.stream().mapToLong(List::size).sum();
        stats.put("steps", arcs);
        // A step's copies depend on its block alone, not on the path to it: steps are bounded,
        // priced and searched apart, and the path is found over their answers. Each step climbs
        // tiers only while some chain through it could still beat the best plan: a cheap floor
        // (StepFloor), the knapsacks' floors, the best rule's copies as a plan, a copy search.
        // Rounds leave room for their measured overhead; 5% more is kept for the plan and the stats.
        long softDeadline = start + (long) ((deadline - start) * 0.95);
        Progress progress = new Progress(options, start);
        BatchMetrics[][] cheapFloors = new BatchMetrics[states.size()][];
        SpanReplication.Choices[][] choices = new SpanReplication.Choices[states.size()][];
        List<Candidate> all = new ArrayList<>();
        for (State from : states) {
            List<Arc> mine = arcsFrom.get(from.index());
            cheapFloors[from.index()] = new BatchMetrics[mine.size()];
            choices[from.index()] = new SpanReplication.Choices[mine.size()];
            for (int k = 0; k < mine.size(); k++) {
                all.add(new Candidate(from.index(), k, 0));
            }
        }
        int workers = Math.max(1, options.workers());
        long bounded = inParallel(all, workers, deadline, options, (at, left) -> {
            Block block = block(states, states.get(at.from()), arcsFrom.get(at.from()).get(at.k()));
            cheapFloors[at.from()][at.k()] = steps.cheapFloor(block);
            progress.step("bounding", arcs - left, arcs);
        });
        if (bounded < arcs) {
            return new Outcome(null, false, "the deadline came after bounding " + bounded + " of " + arcs + " steps", stats);
        }
        Tiers tiers = new Tiers();
        long[][] searchedFor = new long[states.size()][];   // the time share of each step's last search
        for (State from : states) {
            searchedFor[from.index()] = new long[arcsFrom.get(from.index()).size()];
        }
        Path path = null;
        int rounds = 0;
        long overhead;   // of the last field, favoured chain and path: a round leaves room for the next ones
        while (true) {
            long roundStart = System.nanoTime();
            PricedLattice field = field(instance, mode, states, arcsFrom, choices, cheapFloors);
            if (!field.connected()) {
                return new Outcome(null, false, "no chain of sets packs into the cores", stats);
            }
            // The chain the floors favour, priced with the rules where it is not yet: a plan to beat.
            for (Candidate at : field.favoured()) {
                if (options.shouldStop(deadline)) {
                    break;
                }
                if (tier(choices[at.from()][at.k()]) < PLANNED) {
                    choices[at.from()][at.k()] = choose(steps, scorer, states, states.get(at.from()),
                            arcsFrom.get(at.from()).get(at.k()), Long.MIN_VALUE, cheapFloors[at.from()][at.k()]);
                    tiers.priced.incrementAndGet();
                }
            }
            path = path(instance, mode, states, arcsFrom, choices, cheapFloors, field,
                    path == null || path.best == null ? Double.POSITIVE_INFINITY : instance.goal().primaryValue(path.best.metrics()));
            overhead = System.nanoTime() - roundStart;
            if (System.nanoTime() + overhead >= softDeadline || options.shouldStop(deadline)
                    || (path.best != null && optimal(instance.goal(), path.best.metrics(), path.proven, path.bound, path.floor))
                    || path.noneMeets) {
                break;
            }
            List<Candidate> retry = field.promising(path.best == null ? Double.POSITIVE_INFINITY
                    : instance.goal().primaryValue(path.best.metrics()));
            if (retry.isEmpty()) {
                break;
            }
            rounds++;
            long[] byTier = new long[3];
            for (Candidate c : retry) {
                SpanReplication.Choices ch = choices[c.from()][c.k()];
                byTier[tier(ch)]++;
            }
            options.convergence().record(name(), path.best == null ? Double.NaN : instance.goal().primaryValue(path.best.metrics()),
                    path.bound == null ? Double.NaN : path.bound);
            options.progress().accept(String.format(java.util.Locale.ROOT,
                    "dp-lattice: %.1fs, round %d: best %s, bound %.6g; steps in play: %d with a cheap floor, %d with"
                            + " knapsack floors, %d with a plan", (System.nanoTime() - start) / 1e9, rounds,
                    path.best == null ? "none" : String.format(java.util.Locale.ROOT, "%.6g",
                            instance.goal().primaryValue(path.best.metrics())),
                    path.bound == null ? Double.NaN : path.bound, byTier[0], byTier[1], byTier[2]));
            // A round ends early so that the plan and the floors it climbs against stay fresh.
            long now = System.nanoTime();
            long roundEnd = Math.min(softDeadline - overhead, now + Math.max(1_000_000_000L, (softDeadline - now) / 4));
            int round = rounds;
            long lastStart = softDeadline - overhead;   // no search runs past it
            inParallel(retry, workers, roundEnd, options, (at, left) -> {
                long at0 = System.nanoTime();
                // Up to twice its share of the time left to 95% (the workers sharing the steps left),
                // and at least twice what its last search had: a step searched again and again (the
                // floor path's) goes deeper each time, for at most twice the time in all.
                long time = Math.max(2 * workers * (softDeadline - at0) / left, 2 * searchedFor[at.from()][at.k()]);
                long share = Math.min(lastStart, at0 + Math.max(0, time));
                SpanReplication.Choices had = choices[at.from()][at.k()];
                choices[at.from()][at.k()] = tiers.climb(steps, scorer, states, states.get(at.from()),
                        arcsFrom.get(at.from()).get(at.k()), had, cheapFloors[at.from()][at.k()], share, mode);
                if (tier(had) == PLANNED) {
                    searchedFor[at.from()][at.k()] = share - at0;
                }
                progress.step("round " + round, retry.size() - left, retry.size());
            });
        }
        stats.put("rounds", rounds);
        stats.put("stepsBounded", tiers.bounded.get());
        stats.put("stepsPriced", tiers.priced.get());
        stats.put("stepsSearched", tiers.searched.get());
        if (path.best == null && path.noneMeets) {
            return new Outcome(null, false, null, null, true, "no chain of sets meets the limits (" + mode.limits().stated()
                    + "): every chain's floors exceed one", stats);
        }
        if (path.best == null) {
            return new Outcome(null, false, path.bound, null, "the deadline came before any chain of steps was priced"
                    + (mode.limited() ? ", or none priced meets the limits" : ""), stats);
        }

        Label best = path.best;
        List<Partition> parts = new ArrayList<>();
        for (Label l = best; l != null && l.step() != null; l = l.previous()) {
            parts.add(new Partition(l.step().units(), l.step().replication()));
        }
        Collections.reverse(parts);
        Plan plan = new Plan(parts);
        List<String> violations = Validator.violations(instance, plan);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("dp-lattice produced an invalid plan: " + violations);
        }
        stats.put("partitions", parts.size());
        return new Outcome(new Found(plan, plan.evaluate(instance)), path.proven, path.bound, path.floor, false, path.proven ? ""
                : "the copy search of some step ran out of its share of the time, or the labels hit their limit", stats);
    }

    /** The block of a step: the units it adds to {@code from}, programmed unless it is the whole network. */
    private static Block block(List<State> states, State from, Arc arc) {
        boolean whole = from.index() == 0 && arc.to() == states.size() - 1;
        return new Block(from.units(), arc.units(), !whole);
    }

    /** One step's copy search: the block from {@code from} to the arc's set; {@code cheap}: its cheap floor. */
    private static SpanReplication.Choices choose(SpanReplication steps, IntervalScorer scorer, List<State> states,
                                                  State from, Arc arc, long stepDeadline, BatchMetrics cheap) {
        Block block = block(states, from, arc);
        return steps.choose(block, List.of(scorer.bestOfRules(block)), stepDeadline, cheap);
    }

    /** Tiers of a step: only its cheap floor, the knapsacks' floors, a plan (searched or not). */
    private static final int CHEAP = 0;
    private static final int BOUNDED = 1;
    private static final int PLANNED = 2;

    private static int tier(SpanReplication.Choices step) {
        return step == null ? CHEAP : step.options().isEmpty() ? BOUNDED : PLANNED;
    }

    /** A step's floors: its choices' once it has them (which hold its cheap floor), else its cheap floor. */
    private static List<BatchMetrics> floorsOf(SpanReplication.Choices step, BatchMetrics cheap) {
        return step == null ? List.of(cheap) : step.floors();
    }

    /** Work on one step; {@code left}: the steps not yet taken, this one included. */
    private interface StepWork {
        void run(Candidate at, long left);
    }

    /**
     * Runs {@code work} on the steps in their order on {@code workers} threads (steps are
     * independent: each writes only its own cells), until all are done or {@code until} or a
     * stop; the number done.
     */
    private static long inParallel(List<Candidate> steps, int workers, long until, SolveOptions options, StepWork work) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable loop = () -> {
            try {
                for (int i = next.getAndIncrement(); i < steps.size(); i = next.getAndIncrement()) {
                    if (failure.get() != null || System.nanoTime() >= until || options.shouldStop(until)) {
                        return;
                    }
                    work.run(steps.get(i), steps.size() - i);
                    done.incrementAndGet();
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            Thread t = new Thread(loop, "dp-lattice-" + w);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        loop.run();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return done.get();
    }

    /**
     * How far each step has been taken, and the next tier: a step with only its cheap floor gets
     * the knapsacks' floors; one with floors only, the best rule's copies (a plan); one with a
     * plan, a copy search from its options until {@code share}, its answer merged with what it had.
     */
    private static final class Tiers {
        final java.util.concurrent.atomic.AtomicLong bounded = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong priced = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong searched = new java.util.concurrent.atomic.AtomicLong();

        SpanReplication.Choices climb(SpanReplication steps, IntervalScorer scorer, List<State> states, State from, Arc arc,
                                      SpanReplication.Choices now, BatchMetrics cheap, long share, SearchMode mode) {
            if (tier(now) == CHEAP) {
                bounded.incrementAndGet();
                // No plan and no search: the knapsacks' floors, as a search started past its deadline has them.
                return steps.choose(block(states, from, arc), List.of(), Long.MIN_VALUE, cheap);
            }
            if (tier(now) == BOUNDED) {
                priced.incrementAndGet();
                return choose(steps, scorer, states, from, arc, Long.MIN_VALUE, cheap);
            }
            searched.incrementAndGet();
            Block block = block(states, from, arc);
            return better(steps.choose(block, now.options(), share, cheap), now, mode);
        }
    }

    /** A step searched again: its answer, keeping the first search's options where they are better. */
    private static SpanReplication.Choices better(SpanReplication.Choices again, SpanReplication.Choices first, SearchMode mode) {
        if (again.proven()) {
            return again;
        }
        List<Scored> options = new ArrayList<>(again.options());
        options.addAll(first.options());
        options = mode.merge(options, Scored::metrics);
        Goal goal = mode.stepGoal();
        // Both floors are valid; keep the higher.
        double floorAgain = again.floors().stream().mapToDouble(goal::primaryValue).min().orElse(0);
        double floorFirst = first.floors().stream().mapToDouble(goal::primaryValue).min().orElse(0);
        return new SpanReplication.Choices(options, false, floorAgain >= floorFirst ? again.floors() : first.floors());
    }

    /** Progress lines, at most one a second. */
    private static final class Progress {
        private final SolveOptions options;
        private final long start;
        private long last = System.nanoTime();

        Progress(SolveOptions options, long start) {
            this.options = options;
            this.start = start;
        }

        synchronized void step(String pass, long done, long of) {
            long now = System.nanoTime();
            if (now - last > 1_000_000_000L) {
                last = now;
                options.progress().accept(String.format(java.util.Locale.ROOT, "dp-lattice: %.1fs, %s, step %d of %d",
                        (now - start) / 1e9, pass, done, of));
            }
        }
    }

    /** The best path over the steps' answers, the floor path's bound, and whether every step was proven. */
    private record Path(Label best, Double bound, BatchMetrics floor, boolean proven, boolean noneMeets) {}

    /**
     * The shortest path (EDP, or under limits: Pareto labels, {@link SearchMode}) over the steps'
     * plans, beside the same over their floors (a step with no plan yet only adds its floors); the
     * best is null when no chain of steps with plans reaches the end (under limits: none that meets them).
     */
    private static Path path(Instance instance, SearchMode mode, List<State> states, List<List<Arc>> arcsFrom,
                             SpanReplication.Choices[][] choices, BatchMetrics[][] cheapFloors, PricedLattice field,
                             double incumbent) {
        Goal goal = instance.goal();
        boolean pareto = mode.pareto();
        int n = states.size();
        // What reaches each set, pruned to its front only when it has doubled since the last
        // pruning (and once more when the set is left): a set has thousands of incoming steps.
        List<List<Label>> labels = new ArrayList<>(n);
        // Beside the plans, prices no path to each set beats: steps priced at their floors.
        List<List<BatchMetrics>> floors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels.add(new ArrayList<>());
            floors.add(new ArrayList<>());
        }
        labels.get(0).add(new Label(BatchMetrics.concat(instance.batch(), List.of()), null, null));
        floors.get(0).add(BatchMetrics.concat(instance.batch(), List.of()));
        int[] labelsKept = new int[n];
        int[] floorsKept = new int[n];
        boolean proven = true;
        for (State from : states) {
            List<Label> here = mode.front(labels.get(from.index()), Label::metrics);
            if (here.size() > DpStrategy.MAX_LABELS) {
                proven = false;
                here = here.subList(0, DpStrategy.MAX_LABELS);
            }
            labels.set(from.index(), here);
            List<BatchMetrics> floorsHere = mode.lowest(floors.get(from.index()));
            floors.set(from.index(), floorsHere);
            if (floorsHere.isEmpty()) {
                continue;   // no chain reaches this set (or, pruned, none worth following)
            }
            List<Arc> mine = arcsFrom.get(from.index());
            for (int k = 0; k < mine.size(); k++) {
                int to = mine.get(k).to();
                SpanReplication.Choices step = choices[from.index()][k];
                proven &= step != null && step.proven();
                if (step != null && !here.isEmpty()) {
                    List<Label> into = labels.get(to);
                    for (Scored s : step.options()) {
                        for (Label l : here) {
                            BatchMetrics m = BatchMetrics.totals(instance.batch(), l.metrics(), s.metrics());
                            if (!mode.prunes() || !field.beyond(m, to, incumbent)) {
                                into.add(new Label(m, l, s));
                            }
                        }
                    }
                    if (into.size() > Math.max(64, 2 * labelsKept[to])) {
                        List<Label> kept = mode.front(into, Label::metrics);
                        into.clear();
                        into.addAll(kept);
                        labelsKept[to] = into.size();
                    }
                }
                List<BatchMetrics> lower = floors.get(to);
                for (BatchMetrics f : floorsOf(step, cheapFloors[from.index()][k])) {
                    for (BatchMetrics m : floorsHere) {
                        BatchMetrics sum = BatchMetrics.totals(instance.batch(), m, f);
                        if (!mode.prunes() || !field.beyond(sum, to, incumbent)) {
                            lower.add(sum);
                        }
                    }
                }
                if (lower.size() > Math.max(64, 2 * floorsKept[to])) {
                    List<BatchMetrics> kept = mode.lowest(lower);
                    lower.clear();
                    lower.addAll(kept);
                    floorsKept[to] = lower.size();
                }
            }
        }
        // Under limits the labels that reach the end met them on the way (pruned otherwise); checked again here.
        List<Label> last = labels.get(n - 1).stream().filter(l -> mode.limits().meets(l.metrics())).toList();
        Label best = last.isEmpty() ? null
                : Collections.min(last, (x, y) -> goal.comparator().compare(x.metrics(), y.metrics()));
        // EDP and limits drop floors whose chains cannot come below the plan in hand (or meet the
        // limits): the bound is the lower of that plan and the floors left (none left: nothing beats
        // that plan; and with no plan in hand under limits, no plan meets them).
        List<BatchMetrics> endFloors = mode.lowest(floors.get(n - 1));
        double lowestFloor = endFloors.stream().mapToDouble(goal::primaryValue).min().orElse(Double.POSITIVE_INFINITY);
        double boundValue = mode.prunes() ? Math.min(incumbent, lowestFloor) : lowestFloor;
        Double bound = Double.isInfinite(boundValue) ? null : boundValue;
        boolean noneMeets = mode.limited() && best == null && endFloors.isEmpty() && Double.isInfinite(incumbent);
        // The least floor path in the goal's order (not when floors are pruned against the plan).
        BatchMetrics floor = pareto || mode.prunes() || endFloors.isEmpty() ? null
                : Collections.min(endFloors, (x, y) -> goal.comparator().compare(x, y));
        return new Path(best, bound, floor, proven && best != null, noneMeets);
    }

    /**
     * Per step, the least floor of chains through it: the least floor path to its first set, its
     * own least floor and the least floor path from its last set to the end, figure by figure
     * (latency, energy, cells written, DRAM bytes: every figure adds up along a chain), the
     * objective then read off them (EDP: the product of latency and energy, a bound on the chain's).
     * A step's floor is its choices' when it has them, else its cheap floor.
     */
    private static PricedLattice field(Instance instance, SearchMode mode, List<State> states, List<List<Arc>> arcsFrom,
                               SpanReplication.Choices[][] choices, BatchMetrics[][] cheapFloors) {
        int n = states.size();
        int dims = SearchMode.FIGURES.length;
        double[][] toSet = new double[n][dims];
        double[][] toEnd = new double[n][dims];
        for (int i = 0; i < n; i++) {
            Arrays.fill(toSet[i], Double.POSITIVE_INFINITY);
            Arrays.fill(toEnd[i], Double.POSITIVE_INFINITY);
        }
        Arrays.fill(toSet[0], 0);
        Arrays.fill(toEnd[n - 1], 0);
        double[][][] stepFloor = new double[n][][];
        for (int from = 0; from < n; from++) {
            List<Arc> mine = arcsFrom.get(from);
            stepFloor[from] = new double[mine.size()][];
            for (int k = 0; k < mine.size(); k++) {
                double[] least = new double[dims];
                Arrays.fill(least, Double.POSITIVE_INFINITY);
                for (BatchMetrics f : floorsOf(choices[from][k], cheapFloors[from][k])) {
                    double[] v = SearchMode.figures(f);
                    for (int d = 0; d < dims; d++) {
                        least[d] = Math.min(least[d], v[d]);
                    }
                }
                stepFloor[from][k] = least;
                int to = mine.get(k).to();
                for (int d = 0; d < dims; d++) {
                    toSet[to][d] = Math.min(toSet[to][d], toSet[from][d] + least[d]);
                }
            }
        }
        for (int from = n - 1; from >= 0; from--) {
            List<Arc> mine = arcsFrom.get(from);
            for (int k = 0; k < mine.size(); k++) {
                int to = mine.get(k).to();
                for (int d = 0; d < dims; d++) {
                    toEnd[from][d] = Math.min(toEnd[from][d], stepFloor[from][k][d] + toEnd[to][d]);
                }
            }
        }
        return new PricedLattice(instance, mode, arcsFrom, choices, toSet, toEnd, stepFloor);
    }

    /** Floors to and from every set, and of every step, figure by figure ({@link #field}). */
    private record PricedLattice(Instance instance, SearchMode mode, List<List<Arc>> arcsFrom,
                                 SpanReplication.Choices[][] choices, double[][] toSet, double[][] toEnd,
                                 double[][][] stepFloor) {

        /** The objective's floor of chains that reach the step's first set at {@code so} and go through it to the end. */
        private double through(double[] so, int from, int k) {
            int to = arcsFrom.get(from).get(k).to();
            double[] sum = new double[so.length];
            for (int d = 0; d < so.length; d++) {
                sum[d] = so[d] + stepFloor[from][k][d] + toEnd[to][d];
            }
            return mode.primary(instance.batch(), sum);
        }

        /**
         * Whether every chain that reaches set {@code at} with these metrics ends above
         * {@code incumbent} (or, under limits, over one), by the least floors from there to the end.
         */
        boolean beyond(BatchMetrics m, int at, double incumbent) {
            return mode.beyond(m, toEnd[at], incumbent);
        }

        /** Whether some chain of steps goes from the empty set to the full one. */
        boolean connected() {
            return toEnd[0][0] < Double.POSITIVE_INFINITY;
        }

        /** Unfinished steps through which some chain's floor comes below {@code target}, lowest floor first. */
        List<Candidate> promising(double target) {
            List<Candidate> out = new ArrayList<>();
            for (int from = 0; from < arcsFrom.size(); from++) {
                for (int k = 0; k < arcsFrom.get(from).size(); k++) {
                    if (choices[from][k] != null && choices[from][k].proven()) {
                        continue;
                    }
                    double floor = through(toSet[from], from, k);
                    if (floor < target * (1 - 1e-9)) {
                        out.add(new Candidate(from, k, floor));
                    }
                }
            }
            out.sort(Comparator.comparingDouble(Candidate::floor));
            return out;
        }

        /**
         * The chain the floors favour: from the empty set, each time the step whose chains on have
         * the least floor (for additive goals the floor path itself); empty when none reaches the end.
         */
        List<Candidate> favoured() {
            List<Candidate> out = new ArrayList<>();
            int at = 0;
            double[] so = new double[SearchMode.FIGURES.length];
            int last = arcsFrom.size() - 1;
            while (at != last && connected()) {
                int best = -1;
                double bestFloor = Double.POSITIVE_INFINITY;
                for (int k = 0; k < arcsFrom.get(at).size(); k++) {
                    double floor = through(so, at, k);
                    if (floor < bestFloor) {
                        bestFloor = floor;
                        best = k;
                    }
                }
                if (best < 0) {
                    return List.of();
                }
                out.add(new Candidate(at, best, bestFloor));
                for (int d = 0; d < so.length; d++) {
                    so[d] += stepFloor[at][best][d];
                }
                at = arcsFrom.get(at).get(best).to();
            }
            return out;
        }
    }

    /** A step worth searching: the {@code k}-th step from set {@code from}, and the floor of chains through it. */
    private record Candidate(int from, int k, double floor) {}

    /** A step from one set to a larger one: the larger set's index and the units it adds. */
    private record Arc(int to, List<Integer> units) {}

    /**
     * Per set, the steps to every larger set whose added units fit the chip with one copy each
     * (capacity, then the Validator's packing, remembered per count of each class); null when the
     * deadline comes first.
     */
    private static List<List<Arc>> arcs(Instance instance, List<State> states, SpanReplication steps, long deadline) {
        long capacity = instance.chip().totalCrossbars();
        Map<List<Integer>, Boolean> packs = new HashMap<>();
        List<List<Arc>> out = new ArrayList<>();
        for (State from : states) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            List<Arc> mine = new ArrayList<>();
            for (State to : states) {
                if (to.size() <= from.size() || !contains(to, from)) {
                    continue;
                }
                BitSet step = (BitSet) to.units().clone();
                step.andNot(from.units());
                List<Integer> units = step.stream().boxed().toList();
                if (crossbars(instance, units) <= capacity
                        && packs.computeIfAbsent(difference(to, from), d -> steps.fits(units))) {
                    mine.add(new Arc(to.index(), units));
                }
            }
            out.add(mine);
        }
        return out;
    }

    /** Each op's units grouped by every figure the cost model and the Validator read. */
    private static List<UnitClass> classes(Instance instance) {
        List<UnitClass> out = new ArrayList<>();
        for (OpInfo op : instance.ops()) {
            Map<List<Long>, List<Integer>> byKind = new LinkedHashMap<>();
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                Unit x = instance.units().get(u).unit();
                List<Long> kind = List.of((long) x.crossbars(), x.rowsProgrammed(), x.cellsWritten(), x.weightBytes(),
                        (long) x.outputColumns(), (long) x.stripes());
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(u);
            }
            for (List<Integer> ids : byKind.values()) {
                out.add(new UnitClass(op.index(), ids.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        return out;
    }

    /**
     * Every dependency-closed set, the empty one first and the full one last, ordered by size (a
     * set comes after every set it contains); null when there are more than {@link #MAX_STATES}.
     */
    private static List<State> states(Instance instance, List<UnitClass> classes) {
        int ops = instance.ops().size();
        List<List<Integer>> classesOf = new ArrayList<>();
        for (int o = 0; o < ops; o++) {
            classesOf.add(new ArrayList<>());
        }
        for (int c = 0; c < classes.size(); c++) {
            classesOf.get(classes.get(c).op()).add(c);
        }
        List<int[]> found = new ArrayList<>();
        if (!enumerate(instance, classes, classesOf, 0, 0, new int[classes.size()], found)) {
            return null;
        }
        List<State> out = new ArrayList<>();
        for (int[] counts : found) {
            BitSet units = new BitSet(instance.units().size());
            for (int c = 0; c < counts.length; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    units.set(classes.get(c).units()[i]);
                }
            }
            out.add(new State(0, counts, units, units.cardinality()));
        }
        out.sort(Comparator.comparingInt(State::size));
        List<State> indexed = new ArrayList<>(out.size());
        for (State s : out) {
            indexed.add(new State(indexed.size(), s.counts(), s.units(), s.size()));
        }
        return indexed;
    }

    /**
     * Chooses the counts of op {@code op}'s classes from class position {@code i} on, then of the
     * next ops (ops are in topological order): an op holds units only when every op it reads is
     * complete. False when the sets exceed {@link #MAX_STATES}.
     */
    private static boolean enumerate(Instance instance, List<UnitClass> classes, List<List<Integer>> classesOf, int op,
                                     int i, int[] counts, List<int[]> found) {
        if (op == classesOf.size()) {
            found.add(counts.clone());
            return found.size() <= MAX_STATES;
        }
        List<Integer> mine = classesOf.get(op);
        if (i == mine.size()) {
            return enumerate(instance, classes, classesOf, op + 1, 0, counts, found);
        }
        boolean ready = true;
        for (int pred : instance.ops().get(op).predecessors()) {
            for (int c : classesOf.get(pred)) {
                ready &= counts[c] == classes.get(c).units().length;
            }
        }
        int c = mine.get(i);
        int most = ready ? classes.get(c).units().length : 0;
        for (int k = 0; k <= most; k++) {
            counts[c] = k;
            if (!enumerate(instance, classes, classesOf, op, i + 1, counts, found)) {
                return false;
            }
        }
        counts[c] = 0;
        return true;
    }

    private static boolean contains(State big, State small) {
        for (int c = 0; c < big.counts().length; c++) {
            if (big.counts()[c] < small.counts()[c]) {
                return false;
            }
        }
        return true;
    }

    /** Units per class of {@code to} not in {@code from}: what a step's packing depends on. */
    private static List<Integer> difference(State to, State from) {
        Integer[] d = new Integer[to.counts().length];
        for (int c = 0; c < d.length; c++) {
            d[c] = to.counts()[c] - from.counts()[c];
        }
        return Arrays.asList(d);
    }

    private static long crossbars(Instance instance, List<Integer> units) {
        long total = 0;
        for (int u : units) {
            total += instance.units().get(u).crossbars();
        }
        return total;
    }
}
