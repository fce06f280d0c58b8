package org.pimopt;

/**
 * A problem with what the user gave pimopt (a file, a name, a flag), as opposed to a bug. Its
 * message is one line that names the file, node or field at fault; the command line prints it
 * without a stack trace unless asked to be verbose.
 */
public class PimoptException extends RuntimeException {
    public PimoptException(String message) {
        super(message);
    }

    public PimoptException(String message, Throwable cause) {
        super(message, cause);
    }
}
