package org.pimopt.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table, and the CSV of the same rows. */
final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    void row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
    }

    String table() {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (String h : header) {
            b.append(h.startsWith("network") || h.startsWith("preset") ? " --- |" : " ---: |");
        }
        b.append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return b.toString();
    }

    String csv() {
        StringBuilder b = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> r : rows) {
            b.append(String.join(",", r)).append('\n');
        }
        return b.toString();
    }
}
