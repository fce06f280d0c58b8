package org.pimopt.solve.heuristic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.ReplicationRule;

/**
 * The genetic algorithm of COMPASS (Park et al., DATE 2025, arXiv 2501.06780) over contiguous
 * partitions of the unit order; {@code formulations/baselines.md} ("COMPASS's genetic algorithm")
 * gives each rule with its source and says which could not be checked against the paper's text.
 * <ul>
 *   <li>A gene is a partition {@code [a, b)}, a chromosome a full partitioning (its cut points); a
 *       partition is valid when it fits the chip ({@link Spans#maxEnd}, COMPASS's validity map).
 *   <li>Fitness: the goal over the chromosome's partitions, each priced with its copies chosen as
 *       {@code dp} chooses them (the best of {@link ReplicationRule#PER_SPAN}). For latency and energy that
 *       is the sum of the partitions' f(P), as published; EDP is not a sum, so the whole plan's EDP
 *       is used (pimopt's objective), while R below uses each partition's own EDP as f(P).
 *   <li>Population {@link #POPULATION}; each generation keeps the best {@link #SELECTED} and adds
 *       {@code POPULATION - SELECTED} mutants of survivors drawn uniformly (with replacement). No
 *       crossover: COMPASS's operators are the four mutations.
 *   <li>A mutant changes the partition with the highest R = f(P) / F[a, b), where F sums over its
 *       units the population's mean share of fitness per unit ({@link #meanUnitShares}), by Merge
 *       (with the neighbour whose merged span has the lower R), Split (at a uniformly drawn
 *       interior point), Move (one boundary unit to a neighbour) or FixedRandom (keep the partition
 *       with the lowest R, redraw the rest), drawn with equal probability ({@link #apply}).
 *   <li>At most {@link #GENERATIONS} generations, fewer when the best has not improved for
 *       {@link #PATIENCE}.
 *   <li>pimopt's choices where the description is silent: the first chromosome is {@code greedy}'s
 *       partitioning and the other 99 are random; ties go to the earlier partition (the left
 *       neighbour for Merge); Move's direction is a fair coin when both neighbours can take the unit.
 * </ul>
 * Seeded: runs repeat exactly as long as the deadline does not cut the population or a generation short.
 */
public final class CompassGa implements Strategy {
    static final int POPULATION = 100;
    static final int SELECTED = 20;
    static final int GENERATIONS = 30;
    /** Generations without a better best before stopping early. */
    static final int PATIENCE = 5;

    private record Chromosome(List<Integer> cuts, BatchMetrics metrics) {}

    @Override
    public String name() {
        return "compass-ga";
    }

    @Override
    public SolveResult solve(Instance instance, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        Random random = new Random(options.seed());
        IntervalScorer scorer = new IntervalScorer(instance, ReplicationRule.PER_SPAN);
        Goal goal = instance.goal();
        Comparator<Chromosome> byFitness = (x, y) -> goal.comparator().compare(x.metrics(), y.metrics());

        List<Chromosome> population = new ArrayList<>();
        List<Integer> seed = SpanStrategy.cuts(instance, scorer, SpanStrategy.Packing.UNITS, options, deadline);
        if (seed == null) {
            return SpanStrategy.noPlan(name(), instance, start, "the deadline came before the first partitioning was priced");
        }
        population.add(chromosome(scorer, seed));
        Spans spans = Spans.of(scorer, goal);
        // Pricing a random partitioning of a large network takes long (bert-base: 100 took 2.7 s),
        // so the population stops growing at the deadline, and so does each generation below.
        while (population.size() < POPULATION && !options.shouldStop(deadline)) {
            population.add(chromosome(scorer, randomCuts(spans, random, 0, scorer.size())));
        }
        population.sort(byFitness);
        Chromosome best = population.get(0);
        int stale = 0;
        int generation = 0;
        long lastProgress = start;
        for (; generation < GENERATIONS && stale < PATIENCE && !options.shouldStop(deadline); generation++) {
            List<Chromosome> survivors = new ArrayList<>(population.subList(0, Math.min(SELECTED, population.size())));
            double[] meanShare = meanUnitShares(population.stream().map(Chromosome::cuts).toList(), spans);
            List<Chromosome> next = new ArrayList<>(survivors);
            while (next.size() < POPULATION && !options.shouldStop(deadline)) {
                Chromosome parent = survivors.get(random.nextInt(survivors.size()));
                next.add(chromosome(scorer, mutate(parent.cuts(), spans, meanShare, random)));
            }
            next.sort(byFitness);
            population = next;
            if (byFitness.compare(population.get(0), best) < 0) {
                best = population.get(0);
                stale = 0;
            } else {
                stale++;
            }
            long now = System.nanoTime();
            if (now - lastProgress > 1_000_000_000L) {
                lastProgress = now;
                options.progress().accept(String.format(java.util.Locale.ROOT, "compass-ga: %.1fs, generation %d, best %s %.6g",
                        (now - start) / 1e9, generation + 1, goal.primary().label(), goal.primaryValue(best.metrics())));
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new SolveResult(name(), scorer.plan(best.cuts()), best.metrics(), Status.FEASIBLE,
                goal.primaryValue(best.metrics()), null, ms,
                Map.of("generations", generation, "partitions", best.cuts().size() - 1, "spansPriced", scorer.cacheSize()),
                "heuristic (seed " + options.seed() + ")");
    }

    private static Chromosome chromosome(IntervalScorer scorer, List<Integer> cuts) {
        return new Chromosome(List.copyOf(cuts), scorer.metrics(cuts));
    }

    /**
     * What the GA's operators know of the problem: how far a partition may reach from a unit (COMPASS's
     * validity map: whether a span fits on the chip) and the fitness f(P) of one partition. Kept apart
     * from {@link IntervalScorer} so the operators can be pinned on a table of fitness worked out by hand.
     */
    interface Spans {
        int size();

        /** The largest {@code b} such that {@code [a, b)} fits on the chip. */
        int maxEnd(int a);

        /** f(P) of the partition {@code [a, b)}: the goal's value for it with its copies chosen. */
        double fitness(int a, int b);

        static Spans of(IntervalScorer scorer, Goal goal) {
            return new Spans() {
                @Override
                public int size() {
                    return scorer.size();
                }

                @Override
                public int maxEnd(int a) {
                    return scorer.maxEnd(a);
                }

                @Override
                public double fitness(int a, int b) {
                    return goal.primaryValue(scorer.score(a, b).metrics());
                }
            };
        }
    }

    /** COMPASS's four mutation operators, drawn with equal probability. */
    enum Operator { MERGE, SPLIT, MOVE, FIXED_RANDOM }

    /** A random partitioning of {@code [from, to)}: each span ends uniformly within what fits. */
    static List<Integer> randomCuts(Spans spans, Random random, int from, int to) {
        List<Integer> cuts = new ArrayList<>();
        cuts.add(from);
        int a = from;
        while (a < to) {
            int max = Math.min(spans.maxEnd(a), to);
            int b = a + 1 + random.nextInt(max - a);
            cuts.add(b);
            a = b;
        }
        return cuts;
    }

    /**
     * The population's mean share of fitness per unit: a partition's fitness spread evenly over its
     * units (m = f(P) / |P|), averaged over chromosomes. F[a, b) is then the sum of these over a..b-1.
     */
    static double[] meanUnitShares(List<List<Integer>> population, Spans spans) {
        double[] share = new double[spans.size()];
        for (List<Integer> cuts : population) {
            for (int i = 0; i + 1 < cuts.size(); i++) {
                int a = cuts.get(i);
                int b = cuts.get(i + 1);
                double m = spans.fitness(a, b) / (b - a);
                for (int u = a; u < b; u++) {
                    share[u] += m / population.size();
                }
            }
        }
        return share;
    }

    /** R = f(P) / F[a, b): how much worse the partition does than the population on its units. */
    static double relative(Spans spans, double[] share, int a, int b) {
        double f = 0;
        for (int u = a; u < b; u++) {
            f += share[u];
        }
        return f <= 0 ? 1 : spans.fitness(a, b) / f;
    }

    /** The index of the partition with the highest R (the first among equals). */
    static int worstPartition(List<Integer> cuts, Spans spans, double[] share) {
        int worst = 0;
        double worstR = Double.NEGATIVE_INFINITY;
        for (int i = 0; i + 1 < cuts.size(); i++) {
            double r = relative(spans, share, cuts.get(i), cuts.get(i + 1));
            if (r > worstR) {
                worstR = r;
                worst = i;
            }
        }
        return worst;
    }

    /** The index of the partition with the lowest R (the first among equals): what FixedRandom keeps. */
    static int bestPartition(List<Integer> cuts, Spans spans, double[] share) {
        int best = 0;
        double bestR = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < cuts.size(); i++) {
            double r = relative(spans, share, cuts.get(i), cuts.get(i + 1));
            if (r < bestR) {
                bestR = r;
                best = i;
            }
        }
        return best;
    }

    /** One mutant: the operator drawn with equal probability, applied to the worst partition. */
    static List<Integer> mutate(List<Integer> cuts, Spans spans, double[] share, Random random) {
        return apply(Operator.values()[random.nextInt(Operator.values().length)], cuts, spans, share, random);
    }

    /**
     * Applies an operator to the partition of {@code cuts} with the highest R. An operator that has
     * nothing valid to do (a one-unit partition to split or move, a merge that would not fit)
     * returns the parent's cuts: the mutant is a copy, as a mutation that the validity map forbids.
     */
    static List<Integer> apply(Operator op, List<Integer> cuts, Spans spans, double[] share, Random random) {
        int worst = worstPartition(cuts, spans, share);
        List<Integer> out = new ArrayList<>(cuts);
        int a = cuts.get(worst);
        int b = cuts.get(worst + 1);
        switch (op) {
            case MERGE -> merge(out, worst, spans, share);
            case SPLIT -> {
                if (b - a >= 2) {
                    out.add(worst + 1, a + 1 + random.nextInt(b - a - 1));
                }
            }
            case MOVE -> move(out, worst, spans, random);
            case FIXED_RANDOM -> {
                // Keep the best partition, redraw everything around it.
                int keep = bestPartition(cuts, spans, share);
                int keepA = cuts.get(keep);
                int keepB = cuts.get(keep + 1);
                out = new ArrayList<>(randomCuts(spans, random, 0, keepA));
                out.addAll(randomCuts(spans, random, keepB, spans.size()));
            }
        }
        return out;
    }

    /**
     * Merges partition {@code i} with the neighbour whose merged span has the lower R, among those
     * that fit (the left one among equals); with neither fitting it changes nothing.
     */
    private static void merge(List<Integer> cuts, int i, Spans spans, double[] share) {
        int a = cuts.get(i);
        int b = cuts.get(i + 1);
        double left = Double.POSITIVE_INFINITY;
        double right = Double.POSITIVE_INFINITY;
        if (i > 0 && spans.maxEnd(cuts.get(i - 1)) >= b) {
            left = relative(spans, share, cuts.get(i - 1), b);
        }
        if (i + 2 < cuts.size() && spans.maxEnd(a) >= cuts.get(i + 2)) {
            right = relative(spans, share, a, cuts.get(i + 2));
        }
        if (left == Double.POSITIVE_INFINITY && right == Double.POSITIVE_INFINITY) {
            return;
        }
        cuts.remove(left <= right ? i : i + 1);
    }

    /**
     * Moves one boundary unit of partition {@code i} into a neighbour that can take it: its first
     * unit to the left or its last to the right, a fair coin deciding when both can.
     */
    private static void move(List<Integer> cuts, int i, Spans spans, Random random) {
        int a = cuts.get(i);
        int b = cuts.get(i + 1);
        if (b - a < 2) {
            return;
        }
        boolean toLeft = i > 0 && spans.maxEnd(cuts.get(i - 1)) >= a + 1;
        boolean toRight = i + 2 < cuts.size() && spans.maxEnd(b - 1) >= cuts.get(i + 2);
        if (toLeft && (!toRight || random.nextBoolean())) {
            cuts.set(i, a + 1);
        } else if (toRight) {
            cuts.set(i + 1, b - 1);
        }
    }
}
