package org.pimopt.plan;

import org.pimopt.PimoptException;

/** A plan that does not fit its instance, or a plan file that cannot be read. */
public final class PlanException extends PimoptException {
    public PlanException(String message) {
        super(message);
    }
}
