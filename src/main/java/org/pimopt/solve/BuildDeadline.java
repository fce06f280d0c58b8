package org.pimopt.solve;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The time an engine may spend building its model, checked between the model's families and
 * inside their loops. Building runs before the solver's own clock and no solver limit stops it: the
 * Choco model of the 1000-unit synthetic DAG on compass-s (285 partitions) was still being built
 * after 300 s of a 30 s limit, its heap full. {@link BuildBudget} declines models whose measured
 * overhead would not fit; this catches the build that runs long anyway (a loaded machine, a heap
 * near full, a model the estimate misjudges), so the engine returns the plan it has instead of
 * running on.
 */
public final class BuildDeadline {
    private final long deadlineNanos;
    private final AtomicBoolean cancelled;
    private final long startNanos = System.nanoTime();
    private int checks;

    public BuildDeadline(long deadlineNanos, AtomicBoolean cancelled) {
        this.deadlineNanos = deadlineNanos;
        this.cancelled = cancelled == null ? new AtomicBoolean() : cancelled;
    }

    /** A deadline that never passes: for callers without a limit (export, tests of the model). */
    public static BuildDeadline none() {
        return new BuildDeadline(Long.MAX_VALUE, null);
    }

    /**
     * Throws {@link Passed} when the deadline has passed or the user cancelled, naming {@code step},
     * the part of the model being built (for the engine's note).
     */
    public void check(String step) {
        checks++;
        if (cancelled.get() || System.nanoTime() - deadlineNanos > 0) {
            throw new Passed(step, (System.nanoTime() - startNanos) / 1e9, cancelled.get());
        }
    }

    /** How many times the build looked at the deadline (a test sees that it did). */
    public int checks() {
        return checks;
    }

    /**
     * The build stopped: the engine drops its half-built model and answers with what it had. Not
     * an error (no stack trace is filled in; it is caught by the engine, never shown).
     */
    public static final class Passed extends RuntimeException {
        private final boolean cancelled;

        Passed(String step, double seconds, boolean cancelled) {
            super(String.format(Locale.ROOT, "%s while building the model (%s) after %.1f s",
                    cancelled ? "cancelled" : "timed out", step, seconds), null, false, false);
            this.cancelled = cancelled;
        }

        public boolean cancelled() {
            return cancelled;
        }
    }
}
