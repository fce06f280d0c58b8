package org.pimopt.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTML table of escaped cells, wrapped so that a wide table scrolls on its own on a narrow
 * screen instead of widening the page. A figure may carry the exact value it shows
 * ({@code data-key}, {@code data-value}, on its cell or, for a second figure under the first, its
 * span): the visible text is rounded for reading, the attribute holds the number as summary.json
 * has it, so tools (and the tests) can read the page exactly.
 */
public final class HtmlTable {
    /** A column: its heading, whether its cells are figures (right-aligned), and a tooltip explaining it. */
    public record Column(String label, boolean numeric, String title) {
        public static Column text(String label) {
            return new Column(label, false, "");
        }

        public static Column num(String label, String title) {
            return new Column(label, true, title);
        }
    }

    /**
     * One cell: its visible text, and optionally the summary.json field it shows and that field's
     * exact value; {@code title} is a tooltip (empty for none); {@code second}, when not null, a
     * second figure shown under the first in smaller type (the simulator's beside the model's).
     */
    public record Cell(String text, String key, String value, String title, Cell second) {
        public static Cell of(String text) {
            return new Cell(text, "", "", "", null);
        }

        /** A figure: shown as {@code text}, {@code key}: {@code value} kept exactly. */
        public static Cell figure(String text, String key, Number value) {
            return new Cell(text, key, String.valueOf(value), "", null);
        }

        public Cell withTitle(String tooltip) {
            return new Cell(text, key, value, tooltip, second);
        }

        public Cell withSecond(Cell below) {
            return new Cell(text, key, value, title, below);
        }
    }

    private final String cssClass;
    private final List<Column> columns;
    private final StringBuilder body = new StringBuilder();
    private final StringBuilder foot = new StringBuilder();

    /** A table with the given CSS class (empty for none). */
    public HtmlTable(String cssClass, List<Column> columns) {
        this.cssClass = cssClass;
        this.columns = List.copyOf(columns);
    }

    /**
     * A body row; {@code data} become {@code data-*} attributes of the row (e.g. the strategy it
     * is about), {@code rowClass} its CSS class (empty for none).
     */
    public HtmlTable row(String rowClass, Map<String, String> data, List<Cell> cells) {
        append(body, rowClass, data, cells);
        return this;
    }

    /** A row under the body, in {@code <tfoot>} (totals). */
    public HtmlTable footer(List<Cell> cells) {
        append(foot, "", Map.of(), cells);
        return this;
    }

    private void append(StringBuilder to, String rowClass, Map<String, String> data, List<Cell> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + columns.size() + " columns");
        }
        to.append("<tr");
        if (!rowClass.isEmpty()) {
            to.append(" class=\"").append(Html.text(rowClass)).append('"');
        }
        data.forEach((k, v) -> to.append(" data-").append(Html.text(k)).append("=\"").append(Html.text(v)).append('"'));
        to.append('>');
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            List<String> attrs = new ArrayList<>();
            if (columns.get(i).numeric()) {
                attrs.add("class=\"n\"");
            }
            attrs.addAll(attributes(c));
            to.append("<td").append(attrs.isEmpty() ? "" : " " + String.join(" ", attrs)).append('>')
                    .append(Html.text(c.text()));
            if (c.second() != null) {
                List<String> second = new ArrayList<>(List.of("class=\"second\""));
                second.addAll(attributes(c.second()));
                to.append("<br><span ").append(String.join(" ", second)).append('>').append(Html.text(c.second().text()))
                        .append("</span>");
            }
            to.append("</td>");
        }
        to.append("</tr>\n");
    }

    private static List<String> attributes(Cell c) {
        List<String> attrs = new ArrayList<>();
        if (!c.key().isEmpty()) {
            attrs.add("data-key=\"" + Html.text(c.key()) + "\"");
            attrs.add("data-value=\"" + Html.text(c.value()) + "\"");
        }
        if (!c.title().isEmpty()) {
            attrs.add("title=\"" + Html.text(c.title()) + "\"");
        }
        return attrs;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("<div class=\"scroll\"><table");
        if (!cssClass.isEmpty()) {
            out.append(" class=\"").append(Html.text(cssClass)).append('"');
        }
        out.append(">\n<thead><tr>");
        for (Column c : columns) {
            out.append("<th").append(c.numeric() ? " class=\"n\"" : "")
                    .append(c.title().isEmpty() ? "" : " title=\"" + Html.text(c.title()) + "\"").append('>')
                    .append(Html.text(c.label())).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n").append(body).append("</tbody>\n");
        if (foot.length() > 0) {
            out.append("<tfoot>\n").append(foot).append("</tfoot>\n");
        }
        return out.append("</table></div>\n").toString();
    }
}
