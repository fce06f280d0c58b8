package org.pimopt.solve;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether an exact engine's model is worth building within the time left. Solver models grow with
 * units x partitions, and building and presolving them does not stop at the solver's time limit
 * (CP-SAT and SCIP check it only between phases), so an engine that starts on a model it cannot get
 * through would overrun the whole command's timeout. Each engine states its measured overhead per
 * unit-partition pair; a model whose overhead would take more than half of the time left is declined.
 * What happens after the search (reading the solution, freeing the native model) takes time too, and
 * is kept out of the search's limit.
 */
public record BuildBudget(double secondsPerPair, double teardownSecondsPerPair) {

    /** Time to keep for reading the solution and freeing the model after the search. */
    public long teardownNanos(int units, int partitions) {
        return (long) ((double) units * partitions * teardownSecondsPerPair * 1e9);
    }

    /** The reason to decline, or empty when the model fits the time left. */
    public Optional<String> decline(int units, int partitions, long nanosLeft) {
        double left = nanosLeft / 1e9;
        double overhead = (double) units * partitions * secondsPerPair;
        if (overhead <= left / 2) {
            return Optional.empty();
        }
        // The strategies before it may have used the whole budget: then no time is left, never a negative one.
        String time = left < 0.05 ? "no time was left for it" : String.format(Locale.ROOT, "more than half of the %.1f s left", left);
        return Optional.of(String.format(Locale.ROOT, "the model of %d units x %d partitions would take about %.1f s"
                + " to build and presolve, %s; a longer timeout or fewer partitions (solve --strategy cpsat-kN,"
                + " bench and export --max-partitions N) lets it run", units, partitions, overhead, time));
    }
}
