package org.pimopt.ir;

import org.pimopt.PimoptException;

/** An inconsistent network: unknown tensor, cycle, impossible shape. The message names the node. */
public final class IrException extends PimoptException {
    public IrException(String message) {
        super(message);
    }
}
