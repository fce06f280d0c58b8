package org.pimopt.hw;

import org.pimopt.PimoptException;

/** A hardware description pimopt cannot use; the message names the file and the field. */
public final class HardwareException extends PimoptException {
    public HardwareException(String message) {
        super(message);
    }
}
