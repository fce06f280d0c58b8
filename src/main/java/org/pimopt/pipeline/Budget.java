package org.pimopt.pipeline;

/**
 * How a solve's wall-clock budget is shared between its stages. The whole command must end within
 * {@code timeoutMillis} of {@code startNanos} plus two seconds, so every stage is given a deadline
 * that leaves room for the ones after it, and the answer found so far is never lost to a late stage.
 *
 * @param startNanos    when the command began, on {@link System#nanoTime}'s clock (JVM start-up counts)
 * @param timeoutMillis the user's {@code --timeout}
 */
public record Budget(long startNanos, long timeoutMillis) {
    /** Milliseconds kept for simulating and writing: a tenth of the timeout, at most 3 s. */
    public long reserveMillis() {
        return Math.min(3_000, timeoutMillis / 10);
    }

    /** Milliseconds kept for {@code --verify}: a quarter of the timeout. */
    public long verifyMillis(boolean verify) {
        return verify ? timeoutMillis / 4 : 0;
    }

    /**
     * When the strategies must end. With placement they leave it the last quarter of the budget;
     * without, the reserve for simulating and writing (placement keeps that reserve for itself).
     * Verification's quarter comes off either.
     */
    public long strategiesDeadline(boolean place, boolean verify) {
        return startNanos + (place ? timeoutMillis * 3 / 4 : timeoutMillis - reserveMillis()) * 1_000_000L
                - verifyMillis(verify) * 1_000_000L;
    }

    /** The joint model's time: what is left of nine tenths of the budget (a tenth stays for simulating and writing). */
    public long jointMillis() {
        return Math.max(1, timeoutMillis * 9 / 10 - elapsedMillis());
    }

    /**
     * Placement's time: what is left of the budget, less the reserve for simulating and writing
     * (half of it goes to placement and half to the write schedule; each keeps a fallback if it runs out).
     */
    public long placementMillis() {
        return Math.max(1, timeoutMillis - elapsedMillis() - reserveMillis());
    }

    /**
     * Simulations start until the budget's end (the last one and writing may use some of the two
     * seconds over that are promised).
     */
    public long simulateUntilNanos() {
        return startNanos + timeoutMillis * 1_000_000L;
    }

    /** {@code --pareto}'s reserve for simulating and writing: a sixth of the timeout, at most 4 s (more plans than solve's). */
    public long paretoReserveMillis() {
        return Math.min(4_000, timeoutMillis / 6);
    }

    /** When the heuristics and the front's sweep of {@code --pareto} must end. */
    public long paretoDeadline() {
        return startNanos + (timeoutMillis - paretoReserveMillis()) * 1_000_000L;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }
}
