package org.pimopt.solve;

import java.util.function.Consumer;

/**
 * How to run a strategy: a wall-clock budget, a seed for anything random, worker threads, and where
 * progress lines go (at most about one a second).
 */
public record SolveOptions(long timeoutMillis, long seed, int workers, Consumer<String> progress) {
    public static SolveOptions defaults() {
        return new SolveOptions(60_000, 1, 2, line -> {});
    }

    public long deadlineNanos(long startNanos) {
        return startNanos + timeoutMillis * 1_000_000L;
    }
}
