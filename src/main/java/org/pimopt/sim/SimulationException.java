package org.pimopt.sim;

import org.pimopt.PimoptException;

/** A plan that breaks a rule while it runs; the message names the unit or layer and the time. */
public final class SimulationException extends PimoptException {
    public SimulationException(String message) {
        super(message);
    }
}
