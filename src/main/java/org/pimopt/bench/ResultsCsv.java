package org.pimopt.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.PimoptException;
import org.pimopt.plan.PlanIo;

/**
 * A results CSV: comment lines starting with {@code #} (what produced the file: machine, versions,
 * command, date), one header line, then one {@link ResultRow} per line (RFC 4180 quoting). Rows are
 * appended as cases finish, so a run can be interrupted and resumed; a later row with the same
 * {@link ResultRow#rowKey()} replaces an earlier one. A file started by an older build has an older
 * header ({@link ResultRow#LAYOUTS}); a newer build resuming it writes the current header again
 * before its rows, and each row is read by the last header above it, so a row must have exactly that
 * header's cells (a line cut short is never read as another layout).
 */
public final class ResultsCsv {
    private ResultsCsv() {}

    /** What a file holds: its comment lines (without '#') and its rows, later duplicates winning. */
    public record Contents(List<String> comments, List<ResultRow> rows, int malformedLines, List<String> lastHeader) {}

    public static Contents read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PimoptException("cannot read " + file + ": " + e.getMessage());
        }
        List<String> comments = new ArrayList<>();
        Map<String, ResultRow> rows = new LinkedHashMap<>();
        int malformed = 0;
        boolean headerSeen = false;
        List<String> header = ResultRow.COLUMNS;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
                continue;
            }
            List<String> cells;
            try {
                cells = split(line);
            } catch (IllegalArgumentException e) {
                malformed++;
                continue;
            }
            if (ResultRow.LAYOUTS.contains(cells)) {
                headerSeen = true;
                header = cells;
                continue;
            }
            if (!headerSeen) {
                throw new PimoptException(file + ": not a pimopt bench results file (its header is not "
                        + String.join(",", ResultRow.COLUMNS) + ")");
            }
            try {
                ResultRow row = ResultRow.parse(cells, header);
                rows.remove(row.rowKey());
                rows.put(row.rowKey(), row);
            } catch (IllegalArgumentException e) {
                // A line cut short by an interrupted run: its case is re-run on resume.
                malformed++;
            }
        }
        return new Contents(comments, List.copyOf(rows.values()), malformed, header);
    }

    /** Creates the file with its comments and header when it does not exist yet. */
    public static void create(Path file, List<String> comments) {
        if (Files.exists(file)) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String c : comments) {
            text.append("# ").append(c).append('\n');
        }
        text.append(line(ResultRow.COLUMNS));
        PlanIo.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Before a resumed run appends rows: writes the current header when the file's last one is older. */
    public static void resumeHeader(Path file) {
        if (!read(file).lastHeader().equals(ResultRow.COLUMNS)) {
            try {
                Files.writeString(file, line(ResultRow.COLUMNS), StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                        StandardOpenOption.SYNC);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to " + file, e);
            }
        }
    }

    /** Appends comment lines and rows in one write (all rows of a case land together). */
    public static synchronized void append(Path file, List<String> comments, Collection<ResultRow> rows) {
        StringBuilder text = new StringBuilder();
        for (String c : comments) {
            text.append("# ").append(c).append('\n');
        }
        for (ResultRow r : rows) {
            text.append(line(r.cells()));
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Writes a whole file (merged results), through a temporary file. */
    public static void write(Path file, List<String> comments, List<ResultRow> rows) {
        StringBuilder text = new StringBuilder();
        for (String c : comments) {
            text.append("# ").append(c).append('\n');
        }
        text.append(line(ResultRow.COLUMNS));
        for (ResultRow r : rows) {
            text.append(line(r.cells()));
        }
        PlanIo.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String line(List<String> cells) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                out.append(',');
            }
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                out.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                out.append(c);
            }
        }
        return out.append('\n').toString();
    }

    public static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote");
        }
        cells.add(cell.toString());
        return cells;
    }
}
