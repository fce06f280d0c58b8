package org.pimopt.ir;

import java.util.Locale;
import java.util.Set;

/** The check of an op's kind argument ("max", "relu", "add", ...) shared by the vector ops. */
final class OpKinds {
    private OpKinds() {}

    /** {@code kind} in lower case, if it is one of {@code allowed}; {@code op} names the op in the error. */
    static String check(String kind, Set<String> allowed, String op) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if (!allowed.contains(k)) {
            throw new IrException(op + " kind '" + kind + "' is not one of " + allowed);
        }
        return k;
    }
}
