package org.pimopt.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.pimopt.PimoptException;
import org.pimopt.bench.ResultsCsv;
import org.pimopt.check.CheckRow.Finding;

/**
 * The cross-check's files: the CSV of rows (one per engine and instance, appended as instances
 * finish, {@code # } comment lines naming the run) and {@code crosscheck.md}, the counts per
 * engine and goal, the instances' coverage, and every finding in full.
 */
public final class CrossCheckReport {
    private CrossCheckReport() {}

    /** A CSV's comment lines (without '#') and rows; a later row of the same seed and engine wins. */
    public record Contents(List<String> comments, List<CheckRow> rows) {}

    public static void create(Path csv, List<String> comments) {
        StringBuilder text = new StringBuilder();
        comments.forEach(c -> text.append("# ").append(c).append('\n'));
        text.append(ResultsCsv.line(CheckRow.COLUMNS));
        write(csv, text.toString(), false);
    }

    public static synchronized void append(Path csv, List<String> comments, List<CheckRow> rows) {
        StringBuilder text = new StringBuilder();
        comments.forEach(c -> text.append("# ").append(c).append('\n'));
        rows.forEach(r -> text.append(ResultsCsv.line(r.cells())));
        write(csv, text.toString(), true);
    }

    private static void write(Path file, String text, boolean append) {
        try {
            if (append) {
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } else {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Contents read(List<Path> files) {
        List<String> comments = new ArrayList<>();
        Map<String, CheckRow> rows = new LinkedHashMap<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PimoptException("cannot read " + file + ": " + e.getMessage());
            }
            List<String> header = null;
            for (String line : lines) {
                if (line.startsWith("#")) {
                    String c = line.substring(1).strip();
                    if (!comments.contains(c)) {
                        comments.add(c);
                    }
                } else if (!line.isBlank()) {
                    List<String> cells = ResultsCsv.split(line);
                    if (header == null) {
                        if (!CheckRow.LAYOUTS.contains(cells)) {
                            throw new PimoptException(file + ": not a cross-check CSV (header " + line + ")");
                        }
                        header = cells;
                        continue;
                    }
                    try {
                        CheckRow r = CheckRow.parse(cells, header);
                        rows.put(r.seed() + "/" + r.engine(), r);
                    } catch (IllegalArgumentException cutShort) {
                        // a line an interrupted run left half-written: its instance runs again on resume
                    }
                }
            }
        }
        List<CheckRow> sorted = new ArrayList<>(rows.values());
        sorted.sort(Comparator.comparingLong(CheckRow::seed).thenComparing(r -> CrossCheck.ENGINES.indexOf(r.engine())));
        return new Contents(comments, sorted);
    }

    /**
     * Writes the merged CSV (sorted by seed and engine) and the markdown report. A claim that agrees
     * keeps no note (its scope column says what its OPTIMAL covers): the notes are alike on every
     * such row, and would make most of the file.
     */
    public static void writeAll(Contents c, Path csv, Path md) {
        StringBuilder text = new StringBuilder();
        c.comments().forEach(line -> text.append("# ").append(line).append('\n'));
        text.append(ResultsCsv.line(CheckRow.COLUMNS));
        c.rows().forEach(r -> text.append(ResultsCsv.line(compact(r).cells())));
        write(csv, text.toString(), false);
        if (LimitsReport.limited(c.rows())) {
            write(md, LimitsReport.markdown(c), false);
            // A full limits run beside the unlimited one: its summary becomes crosscheck.md's section.
            if (md.getFileName().toString().equals(LimitsReport.FULL)) {
                LimitsReport.splice(md.resolveSibling(LimitsReport.MAIN), LimitsReport.section(c));
            }
        } else {
            // The limits run's section, written by that run, stays.
            write(md, markdown(c) + (md.getFileName().toString().equals(LimitsReport.MAIN) ? LimitsReport.kept(md) : ""), false);
        }
    }

    static CheckRow compact(CheckRow r) {
        if (!r.claim() || !r.findings().isEmpty()) {
            return r;
        }
        return new CheckRow(r.seed(), r.network(), r.goal(), r.units(), r.ops(), r.cores(), r.crossbarsPerCore(),
                r.crossbarRows(), r.batch(), r.features(), r.limits(), r.engine(), r.status(), r.scope(), r.reported(), r.priced(),
                r.partitions(), r.scopeOptimum(), r.allOptimum(), r.bound(), r.tolerance(), r.millis(), r.findings(),
                "");
    }

    /** The report. */
    static String markdown(Contents c) {
        List<CheckRow> rows = c.rows();
        StringBuilder md = new StringBuilder();
        long instances = rows.stream().mapToLong(CheckRow::seed).distinct().count();
        List<String> engines = rows.stream().map(CheckRow::engine).distinct()
                .sorted(Comparator.comparingInt(CrossCheck.ENGINES::indexOf)).toList();
        long findings = rows.stream().filter(r -> !r.findings().isEmpty()).count();
        md.append("# Cross-check: the exact engines against enumeration of every plan\n\n");
        md.append(String.format(Locale.ROOT, "%d seeded random instances, each solved by %s and every plan enumerated"
                + " (org.pimopt.check: CrossCheckCases draws them, PlanEnumerator enumerates, CrossCheck compares). "
                + "**%d OPTIMAL claims checked, %d disagreements, bounds above the optimum: %d, invalid plans: %d, "
                + "misreported objectives: %d, exceptions: %d.**\n\n", instances, String.join(", ", engines),
                rows.stream().filter(CheckRow::claim).count(), count(rows, Finding.DISAGREES), count(rows, Finding.BOUND_ABOVE),
                count(rows, Finding.INVALID_PLAN), count(rows, Finding.MISREPORTED), count(rows, Finding.ERROR)));
        md.append("## Run\n\n");
        for (String line : c.comments()) {
            md.append("- ").append(line).append('\n');
        }
        md.append('\n');
        md.append("## Counts per engine and goal\n\n");
        md.append("Claims: OPTIMAL answers with a plan, each compared with the enumerated optimum of the engine's scope."
                + " Not proven: FEASIBLE or UNKNOWN (a time limit, a model that declines the goal, Choco's 32-bit scales)."
                + " Bound above: a bound above the optimum of the scope it is valid for.\n\n");
        md.append("| engine | goal | runs | claims checked | agree | not proven | disagreements | bounds above | invalid plans"
                + " | misreported | exceptions | mean ms |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        List<String> goals = CrossCheckCases.GOALS.stream().filter(g -> rows.stream().anyMatch(r -> r.goal().equals(g))).toList();
        for (String engine : engines) {
            for (String goal : goals) {
                countRow(md, engine, goal, rows.stream().filter(r -> r.engine().equals(engine) && r.goal().equals(goal)).toList());
            }
            countRow(md, "**" + engine + "**", "**all**", rows.stream().filter(r -> r.engine().equals(engine)).toList());
        }
        countRow(md, "**all engines**", "**all**", rows);
        md.append('\n');
        coverage(md, rows);
        findings(md, rows, findings);
        notProven(md, rows);
        md.append("## What is compared\n\n");
        md.append("- Scope of an OPTIMAL claim: dp-lattice and exact, every plan; cpsat, choco and mip, plans of at most"
                + " the partitions their model had (stat maxPartitions; absent when the claim rests on dp-lattice or on the"
                + " every-plan bound of solve/LowerBound, then every plan); dp-exact and cpsat-fixed, contiguous spans of the"
                + " unit order (cpsat-fixed at most maxPartitions of them). A plan outside its engine's scope is held to every plan.\n");
        md.append("- Tolerance (relative): dp-lattice, dp-exact 1e-9; mip 1e-6; cpsat, cpsat-fixed and exact 2.5 d"
                + " (d: the largest rounding of CP-SAT's coefficients at 1 ps and 1 fJ, solve/cpsat/EdpModel.roundingError),"
                + " on edp 4.5 d plus the coarse units of the product (stat edpCoarseError); choco the same with its own"
                + " rounding (stat roundingError). No plan may beat the enumeration by more than 1e-9; every plan must pass"
                + " the Validator and be priced (Plan.evaluate) as the engine reports it.\n");
        md.append("- Enumeration: every assignment of units to partitions that respects dependencies and crossbar capacity,"
                + " times every copy count 1..MVM steps per (partition, op) within the chip's crossbars, kept when the"
                + " Validator accepts the plan; the best of each partition count over all plans and over contiguous ones.\n");
        return md.toString();
    }

    /**
     * A note without the clauses every answer of its engine shares (what its gap is against, its
     * model's scales): what is left says why it is not proven.
     */
    static String shortened(String note) {
        String s = note.replace("; gap against the larger of the solver's bound and solve/LowerBound", "")
                .replace("; gap against the larger of the solver's bound and a bound valid for every plan (solve/LowerBound)", "")
                .replace(" (any order that respects dependencies)", "")
                .replaceAll("; model times in [^;]*, coefficients rounded by at most #%", "")
                .replaceAll("; MILP through (\\w+), relative gap limit #", " ($1)");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static long count(List<CheckRow> rows, Finding f) {
        return rows.stream().filter(r -> r.has(f)).count();
    }

    private static void countRow(StringBuilder md, String engine, String goal, List<CheckRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long claims = rows.stream().filter(CheckRow::claim).count();
        long agree = rows.stream().filter(r -> r.claim() && r.findings().isEmpty()).count();
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.0f |\n", engine, goal,
                rows.size(), claims, agree, rows.stream().filter(CheckRow::notProven).count(), count(rows, Finding.DISAGREES),
                count(rows, Finding.BOUND_ABOVE), count(rows, Finding.INVALID_PLAN), count(rows, Finding.MISREPORTED),
                count(rows, Finding.ERROR), rows.stream().mapToLong(CheckRow::millis).average().orElse(0)));
    }

    /** What the instances hold: units, cores, batch, goals and shapes, counted per instance. */
    static void coverage(StringBuilder md, List<CheckRow> rows) {
        Map<Long, CheckRow> first = new TreeMap<>();
        rows.forEach(r -> first.putIfAbsent(r.seed(), r));
        List<CheckRow> inst = List.copyOf(first.values());
        md.append("## Instances\n\n");
        md.append("- units: ").append(histogram(inst, r -> Integer.toString(r.units()))).append('\n');
        md.append("- cores: ").append(histogram(inst, r -> Integer.toString(r.cores()))).append('\n');
        md.append("- batch: ").append(histogram(inst, r -> r.batch() <= 4 ? "1-4" : r.batch() <= 8 ? "5-8" : "9-16")).append('\n');
        md.append("- goals: ").append(histogram(inst, CheckRow::goal)).append('\n');
        Map<String, Long> shapes = new TreeMap<>();
        for (CheckRow r : inst) {
            for (String f : r.features().split(" ")) {
                if (!f.isEmpty()) {
                    shapes.merge(f, 1L, Long::sum);
                }
            }
        }
        md.append("- shapes (instances holding each): ").append(shapes.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append("\n\n");
    }

    private static String histogram(List<CheckRow> inst, java.util.function.Function<CheckRow, String> key) {
        Map<String, Long> h = inst.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
        return h.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparingInt(CrossCheckReport::numericFirst)
                .thenComparing(Comparator.naturalOrder()))).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static int numericFirst(String s) {
        String digits = s.replaceAll("[^0-9].*", "");
        return digits.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    /** Every row with a finding, in full, with the command that reruns its seed. */
    static void findings(StringBuilder md, List<CheckRow> rows, long findings) {
        findings(md, rows, findings, "");
    }

    /** {@link #findings}, the rerun command with {@code flag} ({@code " --limits"} for the limits run). */
    static void findings(StringBuilder md, List<CheckRow> rows, long findings, String flag) {
        md.append("## Findings\n\n");
        if (findings == 0) {
            md.append("None: every OPTIMAL claim equals the enumerated optimum of its scope within its tolerance, no plan"
                    + " beats the enumeration, every bound is at or below the optimum, every plan is valid and priced as"
                    + " reported, and no engine threw.\n\n");
            return;
        }
        md.append("By engine and kind (a row may have several):\n\n| engine | kind | rows | seeds (first ten) |\n|---|---|--:|---|\n");
        Map<String, List<Long>> kinds = new TreeMap<>(Comparator.comparingInt((String k) -> CrossCheck.ENGINES.indexOf(k.split("\t")[0]))
                .thenComparing(Comparator.naturalOrder()));
        for (CheckRow r : rows) {
            for (String kind : kinds(r)) {
                kinds.computeIfAbsent(r.engine() + "\t" + kind, k -> new ArrayList<>()).add(r.seed());
            }
        }
        kinds.forEach((k, seeds) -> md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s |\n", k.split("\t")[0],
                k.split("\t")[1], seeds.size(), seeds.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", ")))));
        md.append("\nRerun one seed with `scripts/crosscheck.sh --seeds SEED" + flag + "` (all engines) or `--seeds SEED" + flag
                + " --engines NAME`.\n\n");
        md.append("| seed | engine | findings | status | scope | claimed | enumerated (scope) | enumerated (all) | bound |"
                + " instance | detail |\n|--:|---|---|---|---|--:|--:|--:|--:|---|---|\n");
        Predicate<CheckRow> found = r -> !r.findings().isEmpty();
        for (CheckRow r : rows.stream().filter(found).toList()) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s: %d units, %d ops, %dx%d"
                            + " crossbars of %d rows, B=%d, %s [%s] | %s |\n", r.seed(), r.engine(), r.findings(), r.status(),
                    r.scope(), CheckRow.brief(r.priced()), CheckRow.brief(r.scopeOptimum()), CheckRow.brief(r.allOptimum()),
                    CheckRow.brief(r.bound()), r.network(), r.units(), r.ops(), r.cores(), r.crossbarsPerCore(),
                    r.crossbarRows(), r.batch(), r.goal() + (r.limits().isEmpty() ? "" : " with " + r.limits()), r.features(),
                    r.detail().replace("|", "\\|")));
        }
        md.append('\n');
    }

    /**
     * What a row's findings are about: the primary objective of an OPTIMAL claim off the optimum, a
     * later objective of a lexicographic goal off it (the primary equal), a plan better than every
     * plan, INFEASIBLE with plans, a bound above, an invalid plan, a misreported objective, an exception.
     */
    static List<String> kinds(CheckRow r) {
        List<String> out = new ArrayList<>();
        for (String part : r.detail().split("; ")) {
            String primary = r.goal().split(",")[0];
            if (r.has(Finding.DISAGREES) && part.startsWith("OPTIMAL with a plan over the limits (")) {
                out.add("OPTIMAL with a plan over the limits");
            } else if (r.has(Finding.DISAGREES) && part.startsWith("OPTIMAL, but the enumeration finds no plan")) {
                out.add("OPTIMAL, but no plan of its scope" + (r.limits().isEmpty() ? "" : " meets the limits"));
            } else if (r.has(Finding.DISAGREES) && part.startsWith("OPTIMAL " + primary + " ")) {
                out.add("OPTIMAL, " + primary + " (the goal's first objective) off the optimum");
            } else if (r.has(Finding.DISAGREES) && part.startsWith("OPTIMAL ")) {
                out.add("OPTIMAL, first objective right, " + part.split(" ")[1] + " (a later one) off the optimum");
            } else if (r.has(Finding.DISAGREES) && part.contains("beats every enumerated plan")) {
                out.add("a plan better than every enumerated plan");
            } else if (r.has(Finding.DISAGREES) && (part.startsWith("INFEASIBLE") || part.startsWith("OPTIMAL without"))) {
                out.add(part.split(",")[0]);
            }
        }
        for (Finding f : List.of(Finding.BOUND_ABOVE, Finding.INVALID_PLAN, Finding.MISREPORTED, Finding.ERROR)) {
            if (r.has(f)) {
                out.add(f == Finding.ERROR ? "exception: " + r.detail().split("[: ]")[0] : f.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        return out;
    }

    /** Why claims were not made, per engine: the commonest notes (numbers blanked so that alike notes group). */
    static void notProven(StringBuilder md, List<CheckRow> rows) {
        md.append("## Not proven\n\nThe engines' notes on the answers without a claim, grouped (figures replaced by #),"
                + " most frequent first, up to five per engine.\n\n");
        for (String engine : rows.stream().map(CheckRow::engine).distinct().sorted(Comparator.comparingInt(CrossCheck.ENGINES::indexOf)).toList()) {
            Map<String, Long> notes = rows.stream().filter(r -> r.engine().equals(engine) && r.notProven())
                    .collect(Collectors.groupingBy(r -> r.status() + ": " + shortened(r.detail().replaceAll("[0-9]+([.][0-9]+)?(e-?[0-9]+)?", "#")),
                            Collectors.counting()));
            if (notes.isEmpty()) {
                continue;
            }
            md.append("- ").append(engine).append(": ");
            md.append(notes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .map(e -> e.getValue() + " x \"" + e.getKey().replace("|", "\\|") + "\"").collect(Collectors.joining("; ")));
            md.append('\n');
        }
        md.append('\n');
    }
}
