package org.pimopt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pimopt.PimoptException;

/**
 * Merges results CSVs (the shards of a run, or runs resumed elsewhere) into one CSV per suite and
 * regenerates each suite's report. Rows are identified by case and strategy; when two files hold
 * the same row the one read last wins. Merged rows are sorted by case key and strategy, so the
 * merged file does not depend on which shard finished first.
 */
public final class Merge {
    private Merge() {}

    /** The CSV files of the given folders (or files), in name order. */
    public static List<Path> inputs(List<Path> dirsOrFiles) {
        List<Path> out = new ArrayList<>();
        for (Path p : dirsOrFiles) {
            if (Files.isRegularFile(p)) {
                out.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new PimoptException("cannot list " + p + ": " + e.getMessage());
                }
            } else {
                throw new PimoptException(p + ": no such file or folder");
            }
        }
        return out;
    }

    /** Merges and writes {@code SUITE.csv} and the suite reports into {@code out}; returns rows per suite. */
    public static Map<String, Integer> run(List<Path> dirsOrFiles, Path out) {
        Map<String, Map<String, ResultRow>> rows = new LinkedHashMap<>();
        Map<String, List<String>> comments = new LinkedHashMap<>();
        for (Path file : inputs(dirsOrFiles)) {
            ResultsCsv.Contents c = ResultsCsv.read(file);
            for (ResultRow r : c.rows()) {
                rows.computeIfAbsent(r.suite(), k -> new LinkedHashMap<>()).put(r.rowKey(), r);
            }
            for (String suite : c.rows().stream().map(ResultRow::suite).distinct().toList()) {
                List<String> lines = comments.computeIfAbsent(suite, k -> new ArrayList<>());
                for (String line : c.comments()) {
                    if (!lines.contains(line)) {
                        lines.add(line);
                    }
                }
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (var e : rows.entrySet()) {
            List<ResultRow> merged = sorted(e.getValue().values());
            List<String> header = new ArrayList<>(List.of("merged by pimopt bench merge from " + dirsOrFiles));
            header.addAll(compact(comments.getOrDefault(e.getKey(), List.of())));
            ResultsCsv.write(out.resolve(e.getKey() + ".csv"), header, merged);
            Suites.byName(e.getKey()).report(merged, header, out);
            counts.put(e.getKey(), merged.size());
        }
        return counts;
    }

    /** Lines of one kind ({@code date:}, {@code command:} ...) beyond which only the first and last are kept. */
    static final int MAX_LINES_OF_A_KIND = 6;

    /**
     * The distinct comment lines, in order; a kind (the text before the first ':') with more than
     * {@link #MAX_LINES_OF_A_KIND} lines, as when every case ran in its own JVM (scripts/bench-zoo.sh),
     * keeps its first and last line and a line saying how many there were.
     */
    static List<String> compact(List<String> lines) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            byKind.computeIfAbsent(colon < 0 ? line : line.substring(0, colon), k -> new ArrayList<>()).add(line);
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            List<String> kind = byKind.get(colon < 0 ? line : line.substring(0, colon));
            if (kind.size() <= MAX_LINES_OF_A_KIND) {
                out.add(line);
            } else if (line.equals(kind.get(0))) {
                out.add(line);
                out.add(line.substring(0, colon + 1) + " ... " + (kind.size() - 2) + " more lines of this kind, from as many "
                        + "runs, left out ...");
                out.add(kind.get(kind.size() - 1));
            }
        }
        return out;
    }

    static List<ResultRow> sorted(java.util.Collection<ResultRow> rows) {
        List<ResultRow> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(ResultRow::caseKey).thenComparing(ResultRow::strategy));
        return out;
    }
}
