package org.pimopt.solve;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.pimopt.plan.Plan;

/**
 * How to run a strategy: a wall-clock budget, a seed for anything random, worker threads, where
 * progress lines go (at most about one a second), optionally a plan to start from (exact engines
 * use it as a hint; it must be valid for the instance), and a flag that asks a running strategy to
 * stop early and return its best plan (set on Ctrl-C), and where exact engines record how their
 * objective and bound moved ({@link Convergence}).
 */
public record SolveOptions(long timeoutMillis, long seed, int workers, Consumer<String> progress, Plan warmStart,
                           AtomicBoolean cancelled, Convergence convergence) {

    public SolveOptions(long timeoutMillis, long seed, int workers, Consumer<String> progress) {
        this(timeoutMillis, seed, workers, progress, null, new AtomicBoolean(), new Convergence());
    }

    public static SolveOptions defaults() {
        return new SolveOptions(60_000, 1, 2, line -> {});
    }

    public SolveOptions withWarmStart(Plan plan) {
        return new SolveOptions(timeoutMillis, seed, workers, progress, plan, cancelled, convergence);
    }

    public SolveOptions withTimeoutMillis(long millis) {
        return new SolveOptions(millis, seed, workers, progress, warmStart, cancelled, convergence);
    }

    public SolveOptions withCancel(AtomicBoolean flag) {
        return new SolveOptions(timeoutMillis, seed, workers, progress, warmStart, flag, convergence);
    }

    /** The same options recording into {@code log} (one log for every strategy of a solve). */
    public SolveOptions withConvergence(Convergence log) {
        return new SolveOptions(timeoutMillis, seed, workers, progress, warmStart, cancelled, log);
    }

    public long deadlineNanos(long startNanos) {
        return startNanos + timeoutMillis * 1_000_000L;
    }

    /**
     * Whether a heuristic should give up before it has a plan: cancelled, or past its deadline
     * while the caller holds a plan to fall back on (the warm start). Without one, the first plan
     * of a solve is worth running past the deadline for: a late plan beats none.
     */
    public boolean shouldGiveUp(long deadlineNanos) {
        return cancelled.get() || (warmStart != null && System.nanoTime() > deadlineNanos);
    }

    /** Whether a strategy should stop now: past its deadline or cancelled. */
    public boolean shouldStop(long deadlineNanos) {
        return cancelled.get() || System.nanoTime() > deadlineNanos;
    }
}
