package org.pimopt.cost;

import org.pimopt.PimoptException;

/**
 * An upper limit on one figure of a plan, per batch, in the unit of its {@link Objective}: ns of
 * latency, pJ of energy, cells written, DRAM bytes. A plan meets it when its figure is at most
 * {@code max} (within a relative 1e-9, the tolerance {@link Goal} compares with). {@code stated}
 * is what the user wrote ({@code latency=2ms}, {@code lifetime=5y@1000/s}): a lifetime becomes two
 * limits with the same statement ({@link Lifetime}).
 */
public record Limit(Objective figure, double max, String stated) {

    public Limit {
        if (figure == Objective.EDP) {
            throw new PimoptException("edp cannot be limited (a product of latency and energy); limit latency and energy");
        }
        if (!(max >= 0) || Double.isInfinite(max)) {
            throw new PimoptException("limit '" + stated + "' must be a finite number at least 0");
        }
    }

    /** Whether a figure of {@code value} meets the limit. */
    public boolean meets(double value) {
        return Goal.compare(value, max) <= 0;
    }

    public boolean meets(BatchMetrics m) {
        return meets(figure.of(m));
    }
}
