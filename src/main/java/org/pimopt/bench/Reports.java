package org.pimopt.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.plan.PlanIo;

/** What every suite report shares: indexing rows, the provenance header, errors, plots that may fail. */
final class Reports {
    private Reports() {}

    /** case key -> strategy -> row, cases in first-seen order. */
    static Map<String, Map<String, ResultRow>> byCase(List<ResultRow> rows) {
        Map<String, Map<String, ResultRow>> out = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            out.computeIfAbsent(r.caseKey(), k -> new LinkedHashMap<>()).put(r.strategy(), r);
        }
        return out;
    }

    /** Whether the producing run was the quick variant (from the settings line). */
    static boolean quick(List<String> comments) {
        return comments.stream().anyMatch(c -> c.startsWith("settings:") && c.contains("variant quick"));
    }

    static String header(String title, String suite, List<String> comments, List<ResultRow> rows) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        if (quick(comments)) {
            String script = switch (suite) {
                case "exact" -> "scripts/bench-exact.sh";
                case "zoo" -> "scripts/bench-zoo.sh";
                default -> "scripts/bench.sh";
            };
            md.append("**Quick variant** (`--quick`): fewer cases and short time limits; the full suite is `" + script
                    + "`.\n\n");
        }
        String scorers = String.join(", ", rows.stream().map(ResultRow::scorer).distinct().toList());
        md.append("Data: `").append(suite).append(".csv` (one row per case and strategy). Figures scored by: **")
                .append(scorers.isEmpty() ? "-" : scorers).append("** (")
                .append("`analytic` = pimopt's analytic cost model, DESIGN.md section 5). Every plan passed the validator before it was scored.\n\n");
        md.append("Produced by:\n\n").append(Markdown.provenance(comments)).append('\n');
        return md.toString();
    }

    /** One line for under a plot: variant, date, versions and machine of the producing run. */
    static String footnote(List<String> comments) {
        List<String> parts = new ArrayList<>();
        parts.add(quick(comments) ? "quick variant" : "full suite");
        for (String key : List.of("date:", "versions:", "machine:")) {
            comments.stream().filter(c -> c.startsWith(key)).reduce((a, b) -> b)
                    .ifPresent(c -> parts.add(c.substring(key.length()).strip()));
        }
        return "pimopt bench, " + String.join("; ", parts);
    }

    /** A loud list of rows that failed, or nothing. */
    static String errors(List<ResultRow> rows) {
        List<List<String>> bad = new ArrayList<>();
        for (ResultRow r : rows) {
            if (r.status().equals("ERROR")) {
                bad.add(List.of(r.caseKey(), r.strategy(), r.note().length() > 200 ? r.note().substring(0, 200) + "..." : r.note()));
            }
        }
        if (bad.isEmpty()) {
            return "";
        }
        return "## ERRORS (" + bad.size() + " rows)\n\nThese strategy runs threw or returned a plan the validator "
                + "rejected; they are left out of every table below.\n\n"
                + Markdown.table(List.of("case", "strategy", "error"), bad) + "\n";
    }

    /** Draws a plot; a failure (no fonts on a bare machine, ...) becomes a line in the report, not a crash. */
    static String plot(Path dir, String file, String caption, Runnable draw) {
        try {
            draw.run();
            return "![" + caption + "](" + file + ")\n\n";
        } catch (RuntimeException | Error e) {
            return "(plot " + file + " not drawn: " + e + ")\n\n";
        }
    }

    static void write(Path dir, String file, String text) {
        PlanIo.writeAtomically(dir.resolve(file), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The row of the best plan of a case (lowest objective), or null. */
    static ResultRow best(Map<String, ResultRow> byStrategy) {
        ResultRow best = null;
        for (ResultRow r : byStrategy.values()) {
            if (r.hasPlan() && (best == null || r.objective() < best.objective())) {
                best = r;
            }
        }
        return best;
    }

    static double value(Map<String, ResultRow> byStrategy, String strategy, java.util.function.ToDoubleFunction<ResultRow> f) {
        ResultRow r = byStrategy.get(strategy);
        return r == null || !r.hasPlan() ? Double.NaN : f.applyAsDouble(r);
    }
}
