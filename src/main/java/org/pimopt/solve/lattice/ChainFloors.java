package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.problem.Instance;
import org.pimopt.solve.copies.SpanReplication;
import org.pimopt.solve.lattice.ClosedSets.ClosedSet;
import org.pimopt.solve.lattice.ClosedSets.Step;

/**
 * Floors of the chains of steps, figure by figure: the least floor path to every set, from every
 * set to the end, and each step's own least floor (its choices' floors when it has them, else its
 * cheap floor). Every figure (latency, energy, cells written, DRAM bytes) adds up along a chain, so
 * the sum through a step is below every chain through it; the objective is read off the sums (EDP:
 * the product of latency and energy, a bound on the chain's). This is what decides which steps are
 * worth more work and which labels the path search may drop.
 */
record ChainFloors(Instance instance, SearchMode mode, List<List<Step>> stepsFrom,
                   SpanReplication.Choices[][] choices, double[][] toSet, double[][] toEnd, double[][][] stepFloor) {

    /** The floors of the lattice with the steps' choices (null: none yet) and cheap floors as they stand. */
    static ChainFloors of(Instance instance, SearchMode mode, List<ClosedSet> sets, List<List<Step>> stepsFrom,
                          SpanReplication.Choices[][] choices, BatchMetrics[][] cheapFloors) {
        int n = sets.size();
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
            List<Step> mine = stepsFrom.get(from);
            stepFloor[from] = new double[mine.size()][];
            for (int k = 0; k < mine.size(); k++) {
                double[] least = new double[dims];
                Arrays.fill(least, Double.POSITIVE_INFINITY);
                for (BatchMetrics f : StepTiers.floorsOf(choices[from][k], cheapFloors[from][k])) {
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
            List<Step> mine = stepsFrom.get(from);
            for (int k = 0; k < mine.size(); k++) {
                int to = mine.get(k).to();
                for (int d = 0; d < dims; d++) {
                    toEnd[from][d] = Math.min(toEnd[from][d], stepFloor[from][k][d] + toEnd[to][d]);
                }
            }
        }
        return new ChainFloors(instance, mode, stepsFrom, choices, toSet, toEnd, stepFloor);
    }

    /** The objective's floor of chains that reach the step's first set at {@code so} and go through it to the end. */
    private double through(double[] so, int from, int k) {
        int to = stepsFrom.get(from).get(k).to();
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
        for (int from = 0; from < stepsFrom.size(); from++) {
            for (int k = 0; k < stepsFrom.get(from).size(); k++) {
                if (choices[from][k] != null && choices[from][k].proven()) {
                    continue;
                }
                double floor = through(toSet[from], from, k);
                // A lexicographic goal's later objectives decide among plans tied in the first: a
                // step whose chains can only tie it may still hold a better plan.
                boolean tie = mode.goal().objectives().size() > 1 && floor <= target * (1 + 1e-9);
                if (floor < target * (1 - 1e-9) || tie) {
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
        int last = stepsFrom.size() - 1;
        while (at != last && connected()) {
            int best = -1;
            double bestFloor = Double.POSITIVE_INFINITY;
            for (int k = 0; k < stepsFrom.get(at).size(); k++) {
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
            at = stepsFrom.get(at).get(best).to();
        }
        return out;
    }
}
