package org.pimopt.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.pimopt.check.CheckRow.Finding;

/**
 * The report of the limits run ({@code --limits}): {@code crosscheck-limits.md} in full, and its
 * summary as a section of {@code crosscheck.md}, between two marks, so that the unlimited run's
 * figures stay as they are and either run can write its part again without the other's.
 */
final class LimitsReport {
    static final String BEGIN = "<!-- limits run (scripts/crosscheck.sh N --limits): generated from crosscheck-limits.csv,"
            + " replaced by the next such run -->";
    static final String END = "<!-- end of the limits run -->";
    /** The file the limits run's summary is spliced into, and the one name of a full limits run's report. */
    static final String MAIN = "crosscheck.md";
    static final String FULL = "crosscheck-limits.md";

    private LimitsReport() {}

    /** Whether the rows are of a limits run. */
    static boolean limited(List<CheckRow> rows) {
        return rows.stream().anyMatch(r -> !r.limits().isEmpty());
    }

    /** crosscheck-limits.md: the summary, then per engine and goal, the instances, findings and notes. */
    static String markdown(CrossCheckReport.Contents c) {
        List<CheckRow> rows = c.rows();
        StringBuilder md = new StringBuilder("# Cross-check with limits: the exact engines against enumeration of the plans"
                + " that meet them\n\n");
        summary(md, c, "##");
        md.append("## Counts per engine and goal\n\n");
        table(md, "goal", rows, r -> r.goal(), CrossCheckCases.GOALS);
        CrossCheckReport.coverage(md, rows);
        CrossCheckReport.findings(md, rows, rows.stream().filter(r -> !r.findings().isEmpty()).count(), " --limits");
        CrossCheckReport.notProven(md, rows);
        md.append("## What is compared\n\n");
        md.append("- Limits: org.pimopt.check.CrossCheckLimits draws one or two of latency, energy, writes and DRAM bytes per"
                + " seed (its own generator: the instance is the unlimited run's), each placed from the figure's least value"
                + " over every plan and its value on the unlimited optimum (both enumerated): below the least, exactly at it,"
                + " between, exactly at the optimum's value, or above. Per limit, `below`: under the least (no plan meets it),"
                + " `binds`: from the least to under the optimum's value, `slack`: at or above it. Per instance: no plan meets"
                + " them together, they change the optimum, or not.\n");
        md.append("- Optimum of a scope: its best enumerated plan that meets the limits (formulations/limits.md: a figure within"
                + " a relative 1e-9 of its limit meets it). An OPTIMAL claim must meet the limits (within the engine's tolerance"
                + " below) and equal that optimum; INFEASIBLE is right exactly when the scope has no plan that meets them, its"
                + " scope being the engine's (cpsat, choco, mip and exact after CP-SAT: at most stat maxPartitions partitions;"
                + " exact proven by dp-lattice or solve/LowerBound, and dp-lattice: every plan; cpsat-fixed: contiguous spans)."
                + " OVER_LIMIT (a plan that breaks them, unclaimed, as solve marks it), FEASIBLE and UNKNOWN are not claims."
                + " A plan that meets the limits and beats every enumerated plan that does is a disagreement, claimed or not.\n");
        md.append("- Tolerances, scopes and the enumeration as in the unlimited run (crosscheck.md, \"What is compared\")."
                + " dp-exact is left out: the fixed-order dp does not look at limits.\n");
        return md.toString();
    }

    /** The section of crosscheck.md, between its marks. */
    static String section(CrossCheckReport.Contents c) {
        StringBuilder md = new StringBuilder(BEGIN).append("\n## With limits (issue 26)\n\n");
        summary(md, c, "###");
        md.append("Per engine and goal, the instances, every finding and the engines' notes: [crosscheck-limits.md]"
                + "(crosscheck-limits.md); rows: crosscheck-limits.csv.\n");
        return md.append(END).append('\n').toString();
    }

    /** The headline, the run, the limits drawn, and the counts per engine and per outcome. */
    private static void summary(StringBuilder md, CrossCheckReport.Contents c, String level) {
        List<CheckRow> rows = c.rows();
        Map<Long, CheckRow> first = new TreeMap<>();
        rows.forEach(r -> first.putIfAbsent(r.seed(), r));
        List<String> engines = engines(rows);
        long infeasible = rows.stream().filter(CheckRow::infeasible).count();
        long claims = rows.stream().filter(CheckRow::claim).count();
        long wrongClaims = rows.stream().filter(r -> r.claim() && r.has(Finding.DISAGREES)).count();
        md.append(String.format(Locale.ROOT, "%d seeded random instances (the unlimited run's, same seeds), each with random"
                + " limits on one or two of latency, energy, writes and DRAM bytes, solved by %s and judged against the best"
                + " enumerated plan that meets the limits. **%d OPTIMAL claims checked, %d of them wrong; %d INFEASIBLE"
                + " answers, %d right and %d wrong; %d rows with a disagreement in all; bounds above the optimum: %d, invalid"
                + " plans: %d, misreported objectives: %d, exceptions: %d.**\n\n", first.size(), String.join(", ", engines),
                claims, wrongClaims, infeasible, infeasibleRight(rows), infeasible - infeasibleRight(rows),
                CrossCheckReport.count(rows, Finding.DISAGREES), CrossCheckReport.count(rows, Finding.BOUND_ABOVE),
                CrossCheckReport.count(rows, Finding.INVALID_PLAN), CrossCheckReport.count(rows, Finding.MISREPORTED),
                CrossCheckReport.count(rows, Finding.ERROR)));
        md.append(level).append(" Run\n\n");
        c.comments().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append('\n').append(level).append(" Limits drawn\n\n");
        Map<String, Long> regimes = new TreeMap<>(Comparator.comparingInt(CrossCheckLimits.REGIMES::indexOf));
        first.values().forEach(r -> CrossCheckLimits.regimes(r.limits()).forEach(g -> regimes.merge(g, 1L, Long::sum)));
        Map<String, Long> outcomes = first.values().stream().collect(Collectors.groupingBy(r -> CrossCheckLimits.outcome(r.limits()),
                () -> new TreeMap<>(Comparator.comparingInt(CrossCheckLimits.OUTCOMES::indexOf)), Collectors.counting()));
        md.append("- limits: ").append(regimes.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "))).append(" (below: under the figure's least value over every plan; binds:"
                + " from it to under its value on the unlimited optimum; slack: at or above that)\n");
        md.append("- instances: ").append(outcomes.entrySet().stream().map(e -> e.getValue() + " " + (e.getKey().equals("none meets")
                ? "where no plan meets the limits" : e.getKey().equals("binds") ? "where they change the optimum"
                : "where the unlimited optimum meets them")).collect(Collectors.joining(", "))).append("\n\n");
        md.append(level).append(" Counts per engine\n\n");
        md.append("Claims: OPTIMAL with a plan, compared with the best enumerated plan of its scope that meets the limits."
                + " INFEASIBLE right: the scope has no plan that meets them; of which only in its scope: a plan outside it"
                + " (more partitions than the engine's model had, or not contiguous) does. Not proven: OVER_LIMIT (an unclaimed plan that"
                + " breaks them), FEASIBLE, UNKNOWN.\n\n");
        table(md, "limits leave", rows, r -> CrossCheckLimits.outcome(r.limits()), CrossCheckLimits.OUTCOMES);
    }

    /** Rows per engine, and per {@code key} (goal, outcome) within each, then all engines together. */
    private static void table(StringBuilder md, String keyName, List<CheckRow> rows, java.util.function.Function<CheckRow, String> key,
                              List<String> keys) {
        md.append("| engine | ").append(keyName).append(" | runs | claims checked | agree | disagreements | INFEASIBLE right"
                + " | of which only in its scope | INFEASIBLE wrong | not proven | of which OVER_LIMIT | bounds above"
                + " | invalid plans | misreported | exceptions | mean ms |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String engine : engines(rows)) {
            for (String k : keys) {
                countRow(md, engine, k, rows.stream().filter(r -> r.engine().equals(engine) && key.apply(r).equals(k)).toList());
            }
            countRow(md, "**" + engine + "**", "**all**", rows.stream().filter(r -> r.engine().equals(engine)).toList());
        }
        countRow(md, "**all engines**", "**all**", rows);
        md.append('\n');
    }

    private static void countRow(StringBuilder md, String engine, String key, List<CheckRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long infeasible = rows.stream().filter(CheckRow::infeasible).count();
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.0f |\n",
                engine, key, rows.size(), rows.stream().filter(CheckRow::claim).count(),
                rows.stream().filter(r -> r.claim() && r.findings().isEmpty()).count(), CrossCheckReport.count(rows, Finding.DISAGREES),
                infeasibleRight(rows), onlyInScope(rows), infeasible - infeasibleRight(rows), rows.stream().filter(CheckRow::notProven).count(),
                rows.stream().filter(r -> r.status().equals("OVER_LIMIT")).count(), CrossCheckReport.count(rows, Finding.BOUND_ABOVE),
                CrossCheckReport.count(rows, Finding.INVALID_PLAN), CrossCheckReport.count(rows, Finding.MISREPORTED),
                CrossCheckReport.count(rows, Finding.ERROR), rows.stream().mapToLong(CheckRow::millis).average().orElse(0)));
    }

    private static long infeasibleRight(List<CheckRow> rows) {
        return rows.stream().filter(r -> r.infeasible() && !r.has(Finding.DISAGREES)).count();
    }

    /**
     * Right INFEASIBLE answers of a scope narrower than every plan (at most K partitions, or
     * contiguous) where a plan outside it meets the limits: right as stated, but not "no plan
     * meets them".
     */
    private static long onlyInScope(List<CheckRow> rows) {
        return rows.stream().filter(r -> r.infeasible() && !r.has(Finding.DISAGREES) && !Double.isNaN(r.allOptimum())).count();
    }

    private static List<String> engines(List<CheckRow> rows) {
        return rows.stream().map(CheckRow::engine).distinct().sorted(Comparator.comparingInt(CrossCheck.ENGINES::indexOf)).toList();
    }

    /**
     * crosscheck.md with {@code section} in place of the one between the marks (what follows them,
     * notes on the run, stays), or after the rest; nothing when there is no crosscheck.md (a limits
     * run elsewhere than beside the unlimited one).
     */
    static boolean splice(Path main, String section) {
        if (!Files.isRegularFile(main)) {
            return false;
        }
        String text = read(main);
        int from = text.indexOf(BEGIN);
        int to = text.indexOf(END, Math.max(from, 0));
        if (from < 0 || to < 0) {
            write(main, text.stripTrailing() + "\n\n" + section);
        } else {
            String after = text.substring(to + END.length()).replaceFirst("^\n", "");
            write(main, text.substring(0, from) + section + after);
        }
        return true;
    }

    /**
     * The section a crosscheck.md holds, with its marks and what follows them (notes on the limits
     * run), or "": kept when the unlimited run writes the file again.
     */
    static String kept(Path main) {
        if (!Files.isRegularFile(main)) {
            return "";
        }
        String text = read(main);
        int from = text.indexOf(BEGIN);
        return from < 0 ? "" : "\n" + text.substring(from);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }
}
