package org.pimopt.imports.common;

import org.pimopt.PimoptException;

/** A model file pimopt cannot read; the message names the file and the node or field. */
public final class ImportException extends PimoptException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
