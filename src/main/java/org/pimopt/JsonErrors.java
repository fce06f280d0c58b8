package org.pimopt;

import java.util.regex.Pattern;

/**
 * The reason a JSON reader gave, as one line a user can act on. Protobuf's JsonFormat passes gson's
 * exceptions through, whose messages start with the exception's class name and end with a link to
 * gson's troubleshooting page; neither tells the user anything about their file.
 */
public final class JsonErrors {
    private static final Pattern CLASS_PREFIX = Pattern.compile("(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error):\\s*");
    private static final Pattern SEE_LINK = Pattern.compile("\\s*See https?://\\S+");

    private JsonErrors() {}

    /** The reason, without class names or links; says when the text ends early (a truncated file). */
    public static String reason(Throwable e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        m = SEE_LINK.matcher(m).replaceAll("");
        m = CLASS_PREFIX.matcher(m).replaceAll("");
        m = m.replaceAll("\\s+", " ").trim();
        boolean ended = m.contains("End of input") || m.startsWith("Unterminated") || hasCause(e, java.io.EOFException.class);
        if (m.isEmpty()) {
            m = "malformed JSON";
        }
        return ended ? "the JSON ends early (a truncated file?): " + m : m;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
