package org.pimopt.solve.heuristic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.problem.Instance;
import org.pimopt.solve.IntervalScorer;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.dp.DpStrategy;

/**
 * The genetic algorithm of COMPASS (DATE 2025) over contiguous partitions of the unit order. A
 * gene is a partition {@code [a, b)}, a chromosome a full partitioning (its cut points), and a
 * chromosome's fitness the goal over its partitions, each priced with its replication optimized
 * (as {@code dp} prices spans). Each generation keeps the best {@link #SELECTED} and fills the rest
 * of the population with mutants of randomly picked survivors. A mutant changes the partition whose
 * fitness is worst relative to what the population spends on the same units (score R below) by
 * Merge, Split, Move or FixedRandom, with equal probability. Seeded, so runs repeat exactly.
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
        IntervalScorer scorer = new IntervalScorer(instance, DpStrategy.RULES);
        Goal goal = instance.goal();
        Comparator<Chromosome> byFitness = (x, y) -> goal.comparator().compare(x.metrics(), y.metrics());

        List<Chromosome> population = new ArrayList<>();
        List<Integer> seed = SpanStrategy.cuts(instance, scorer, SpanStrategy.Packing.UNITS, options, deadline);
        if (seed == null) {
            return SpanStrategy.noPlan(name(), instance, start, "the deadline came before the first partitioning was priced");
        }
        population.add(chromosome(scorer, seed));
        // Pricing a random partitioning of a large network takes long (bert-base: 100 took 2.7 s),
        // so the population stops growing at the deadline, and so does each generation below.
        while (population.size() < POPULATION && !options.shouldStop(deadline)) {
            population.add(chromosome(scorer, randomCuts(scorer, random, 0, scorer.size())));
        }
        population.sort(byFitness);
        Chromosome best = population.get(0);
        int stale = 0;
        int generation = 0;
        long lastProgress = start;
        for (; generation < GENERATIONS && stale < PATIENCE && !options.shouldStop(deadline); generation++) {
            List<Chromosome> survivors = new ArrayList<>(population.subList(0, Math.min(SELECTED, population.size())));
            double[] meanShare = meanUnitShares(population, scorer, goal);
            List<Chromosome> next = new ArrayList<>(survivors);
            while (next.size() < POPULATION && !options.shouldStop(deadline)) {
                Chromosome parent = survivors.get(random.nextInt(survivors.size()));
                next.add(chromosome(scorer, mutate(parent.cuts(), scorer, goal, meanShare, random)));
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

    /** A random partitioning of {@code [from, to)}: each span ends uniformly within what fits. */
    static List<Integer> randomCuts(IntervalScorer scorer, Random random, int from, int to) {
        List<Integer> cuts = new ArrayList<>();
        cuts.add(from);
        int a = from;
        while (a < to) {
            int max = Math.min(scorer.maxEnd(a), to);
            int b = a + 1 + random.nextInt(max - a);
            cuts.add(b);
            a = b;
        }
        return cuts;
    }

    private static double fitness(IntervalScorer scorer, Goal goal, int a, int b) {
        return goal.primaryValue(scorer.score(a, b).metrics());
    }

    /**
     * The population's mean share of fitness per unit: a partition's fitness spread evenly over its
     * units, averaged over chromosomes. F[a, b) is then the sum of these over a..b-1.
     */
    private static double[] meanUnitShares(List<Chromosome> population, IntervalScorer scorer, Goal goal) {
        double[] share = new double[scorer.size()];
        for (Chromosome c : population) {
            for (int i = 0; i + 1 < c.cuts().size(); i++) {
                int a = c.cuts().get(i);
                int b = c.cuts().get(i + 1);
                double m = fitness(scorer, goal, a, b) / (b - a);
                for (int u = a; u < b; u++) {
                    share[u] += m / population.size();
                }
            }
        }
        return share;
    }

    /** R = f(P) / F[a, b): how much worse the partition does than the population on its units. */
    private static double relative(IntervalScorer scorer, Goal goal, double[] share, int a, int b) {
        double f = 0;
        for (int u = a; u < b; u++) {
            f += share[u];
        }
        return f <= 0 ? 1 : fitness(scorer, goal, a, b) / f;
    }

    private static List<Integer> mutate(List<Integer> cuts, IntervalScorer scorer, Goal goal, double[] share, Random random) {
        int parts = cuts.size() - 1;
        int worst = 0;
        int bestPart = 0;
        double worstR = Double.NEGATIVE_INFINITY;
        double bestR = Double.POSITIVE_INFINITY;
        for (int i = 0; i < parts; i++) {
            double r = relative(scorer, goal, share, cuts.get(i), cuts.get(i + 1));
            if (r > worstR) {
                worstR = r;
                worst = i;
            }
            if (r < bestR) {
                bestR = r;
                bestPart = i;
            }
        }
        List<Integer> out = new ArrayList<>(cuts);
        int a = cuts.get(worst);
        int b = cuts.get(worst + 1);
        switch (random.nextInt(4)) {
            case 0 -> merge(out, worst, scorer, goal, share);
            case 1 -> {
                if (b - a >= 2) {
                    out.add(worst + 1, a + 1 + random.nextInt(b - a - 1));
                }
            }
            case 2 -> move(out, worst, scorer, random);
            default -> {
                // FixedRandom: keep the best partition, redraw everything around it.
                int keepA = cuts.get(bestPart);
                int keepB = cuts.get(bestPart + 1);
                List<Integer> redrawn = new ArrayList<>(randomCuts(scorer, random, 0, keepA));
                redrawn.addAll(randomCuts(scorer, random, keepB, scorer.size()));
                out = redrawn;
            }
        }
        return out;
    }

    /** Merges partition {@code i} with the neighbour whose merged span scores better, if any fits. */
    private static void merge(List<Integer> cuts, int i, IntervalScorer scorer, Goal goal, double[] share) {
        int a = cuts.get(i);
        int b = cuts.get(i + 1);
        double left = Double.POSITIVE_INFINITY;
        double right = Double.POSITIVE_INFINITY;
        if (i > 0 && scorer.maxEnd(cuts.get(i - 1)) >= b) {
            left = relative(scorer, goal, share, cuts.get(i - 1), b);
        }
        if (i + 2 < cuts.size() && scorer.maxEnd(a) >= cuts.get(i + 2)) {
            right = relative(scorer, goal, share, a, cuts.get(i + 2));
        }
        if (left == Double.POSITIVE_INFINITY && right == Double.POSITIVE_INFINITY) {
            return;
        }
        cuts.remove(left <= right ? i : i + 1);
    }

    /** Moves one boundary unit of partition {@code i} into a neighbour, where it fits. */
    private static void move(List<Integer> cuts, int i, IntervalScorer scorer, Random random) {
        int a = cuts.get(i);
        int b = cuts.get(i + 1);
        if (b - a < 2) {
            return;
        }
        boolean toLeft = i > 0 && scorer.maxEnd(cuts.get(i - 1)) >= a + 1;
        boolean toRight = i + 2 < cuts.size() && scorer.maxEnd(b - 1) >= cuts.get(i + 2);
        if (toLeft && (!toRight || random.nextBoolean())) {
            cuts.set(i, a + 1);
        } else if (toRight) {
            cuts.set(i + 1, b - 1);
        }
    }
}
