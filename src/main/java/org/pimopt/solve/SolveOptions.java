package org.pimopt.solve;

import java.util.function.Consumer;
import org.pimopt.plan.Plan;

/**
 * How to run a strategy: a wall-clock budget, a seed for anything random, worker threads, where
 * progress lines go (at most about one a second), and optionally a plan to start from (exact
 * engines use it as a hint; it must be valid for the instance).
 */
public record SolveOptions(long timeoutMillis, long seed, int workers, Consumer<String> progress, Plan warmStart) {

    public SolveOptions(long timeoutMillis, long seed, int workers, Consumer<String> progress) {
        this(timeoutMillis, seed, workers, progress, null);
    }

    public static SolveOptions defaults() {
        return new SolveOptions(60_000, 1, 2, line -> {});
    }

    public SolveOptions withWarmStart(Plan plan) {
        return new SolveOptions(timeoutMillis, seed, workers, progress, plan);
    }

    public long deadlineNanos(long startNanos) {
        return startNanos + timeoutMillis * 1_000_000L;
    }
}
