package org.pimopt.report;

/**
 * Escaping for the HTML report. Every piece of text that reaches the page goes through
 * {@link #text}: layer, network and file names come from users' ONNX and JSON files and may hold
 * markup, quotes or control characters.
 */
public final class Html {
    private Html() {}

    /**
     * Text safe in element content and in quoted attribute values: the five markup characters as
     * references, and characters HTML does not allow in a document (C0/C1 controls other than tab,
     * line feed and carriage return, lone surrogates, non-characters) as U+FFFD, so that a name
     * read from a binary file cannot make the page invalid.
     */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> allowed(s, i) ? null : "\uFFFD";
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /** Whether the char at i may stand in an HTML document as it is (a valid pair's halves may). */
    private static boolean allowed(String s, int i) {
        char c = s.charAt(i);
        if (c == '\t' || c == '\n' || c == '\r') {
            return true;
        }
        if (Character.isISOControl(c) || c == '\uFFFE' || c == '\uFFFF' || (c >= '\uFDD0' && c <= '\uFDEF')) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        return true;
    }

    /** An element with escaped text content: {@code el("td", "a<b")} is {@code <td>a&lt;b</td>}. */
    public static String el(String tag, String text) {
        return "<" + tag + ">" + text(text) + "</" + tag + ">";
    }
}
