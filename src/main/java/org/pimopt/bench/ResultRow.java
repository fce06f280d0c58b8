package org.pimopt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of a results CSV: one strategy on one case. Figures ({@code latencyNs} ...) are the
 * {@code scorer}'s; {@code solverObjective}, {@code bound} and {@code gap} are what the strategy
 * itself reported in its own model. {@code status} is the strategy's ({@code OPTIMAL},
 * {@code FEASIBLE}, {@code INFEASIBLE}, {@code UNKNOWN}) or {@code ERROR} (it threw, or its plan failed
 * the validator: the note then starts with "invalid plan:"); {@code provenBy} names what proved an
 * OPTIMAL ({@link org.pimopt.solve.SolveResult#provenBy}), empty otherwise; {@code verified} is the verdict of
 * {@code bench --verify} on an exact engine's OPTIMAL ({@link org.pimopt.verify.ClaimCheck}: CONFIRMED,
 * UNCHECKED, FAILED), else empty; {@code note} says why.
 * {@code peakHeapMib} and {@code peakRssMib} are the JVM's peak heap in use and the process's peak
 * resident set while the strategy ran ({@link MemoryPeak}). Missing numbers are NaN / -1.
 *
 * <p>Older files are read too: {@link #LAYOUTS} lists every header this class has written, and a
 * row is read by the names of the layout with its number of cells, columns it lacks left empty.
 */
public record ResultRow(String suite, String caseKey, String model, String hardware, int batch, String goal,
                        String strategy, String scorer, String status, String provenBy, String verified, double objective,
                        double solverObjective, double bound, double gap, double latencyNs, double throughputPerS, double energyPerSamplePj,
                        double edpPjNs, long cellsWritten, long dramBytes, int partitions, int units, long wallMillis,
                        long peakHeapMib, long peakRssMib, long timeoutMillis, long seed, String note) {

    public static final List<String> COLUMNS = List.of("suite", "case", "model", "hardware", "batch", "goal",
            "strategy", "scorer", "status", "proven_by", "verified", "objective", "solver_objective", "bound", "gap", "latency_ns",
            "throughput_per_s", "energy_per_sample_pj", "edp_pj_ns", "cells_written", "dram_bytes", "partitions",
            "units", "wall_ms", "peak_heap_mib", "peak_rss_mib", "timeout_ms", "seed", "note");

    /** The columns before the verdict and peak memory were added (results files of earlier commits): read with them empty, -1. */
    static final List<String> COLUMNS_WITHOUT_PEAK_MEMORY = COLUMNS.stream()
            .filter(c -> !c.equals("peak_heap_mib") && !c.equals("peak_rss_mib") && !c.equals("verified")).toList();

    /** The columns before proven_by was added (older still): read with it empty. */
    static final List<String> COLUMNS_WITHOUT_PROVEN_BY = COLUMNS_WITHOUT_PEAK_MEMORY.stream()
            .filter(c -> !c.equals("proven_by")).toList();

    /** Every header written so far, newest first. */
    static final List<List<String>> LAYOUTS = List.of(COLUMNS, COLUMNS_WITHOUT_PEAK_MEMORY, COLUMNS_WITHOUT_PROVEN_BY);

    /** A row without a verdict or memory figures. */
    public ResultRow(String suite, String caseKey, String model, String hardware, int batch, String goal,
                     String strategy, String scorer, String status, String provenBy, double objective, double solverObjective,
                     double bound, double gap, double latencyNs, double throughputPerS, double energyPerSamplePj,
                     double edpPjNs, long cellsWritten, long dramBytes, int partitions, int units, long wallMillis,
                     long timeoutMillis, long seed, String note) {
        this(suite, caseKey, model, hardware, batch, goal, strategy, scorer, status, provenBy, "", objective, solverObjective,
                bound, gap, latencyNs, throughputPerS, energyPerSamplePj, edpPjNs, cellsWritten, dramBytes, partitions,
                units, wallMillis, -1, -1, timeoutMillis, seed, note);
    }

    /** The same row with the peaks of a measuring window. */
    public ResultRow withPeak(long heapMib, long rssMib) {
        return new ResultRow(suite, caseKey, model, hardware, batch, goal, strategy, scorer, status, provenBy, verified,
                objective, solverObjective, bound, gap, latencyNs, throughputPerS, energyPerSamplePj, edpPjNs, cellsWritten, dramBytes,
                partitions, units, wallMillis, heapMib, rssMib, timeoutMillis, seed, note);
    }

    /** The row's identity: a case runs each strategy once. */
    public String rowKey() {
        return caseKey + "#" + strategy;
    }

    public boolean hasPlan() {
        return status.equals("OPTIMAL") || status.equals("FEASIBLE");
    }

    public boolean optimal() {
        return status.equals("OPTIMAL");
    }

    public List<String> cells() {
        return List.of(suite, caseKey, model, hardware, Integer.toString(batch), goal, strategy, scorer, status, provenBy, verified,
                num(objective), num(solverObjective), num(bound), num(gap), num(latencyNs), num(throughputPerS),
                num(energyPerSamplePj), num(edpPjNs), Long.toString(cellsWritten), Long.toString(dramBytes),
                Integer.toString(partitions), Integer.toString(units), Long.toString(wallMillis),
                Long.toString(peakHeapMib), Long.toString(peakRssMib), Long.toString(timeoutMillis), Long.toString(seed), note.replaceAll("[\\r\\n]+", " "));
    }

    /** Reads the cells of {@link #cells()} back; throws IllegalArgumentException on a malformed row. */
    public static ResultRow parse(List<String> c) {
        return parse(c, COLUMNS);
    }

    /** Reads a row below the header {@code header} (one of {@link #LAYOUTS}), by its column names; it must have as many cells. */
    static ResultRow parse(List<String> c, List<String> header) {
        if (c.size() != header.size()) {
            throw new IllegalArgumentException(c.size() + " cells, expected " + header.size());
        }
        List<String> layout = header;
        java.util.function.Function<String, String> get = name -> {
            int i = layout.indexOf(name);
            return i < 0 ? "" : c.get(i);
        };
        return new ResultRow(get.apply("suite"), get.apply("case"), get.apply("model"), get.apply("hardware"),
                Integer.parseInt(get.apply("batch")), get.apply("goal"), get.apply("strategy"), get.apply("scorer"),
                get.apply("status"), get.apply("proven_by"), get.apply("verified"), dbl(get.apply("objective")),
                dbl(get.apply("solver_objective")), dbl(get.apply("bound")), dbl(get.apply("gap")),
                dbl(get.apply("latency_ns")), dbl(get.apply("throughput_per_s")), dbl(get.apply("energy_per_sample_pj")),
                dbl(get.apply("edp_pj_ns")), Long.parseLong(get.apply("cells_written")),
                Long.parseLong(get.apply("dram_bytes")), Integer.parseInt(get.apply("partitions")),
                Integer.parseInt(get.apply("units")), Long.parseLong(get.apply("wall_ms")),
                lng(get.apply("peak_heap_mib")), lng(get.apply("peak_rss_mib")), Long.parseLong(get.apply("timeout_ms")),
                Long.parseLong(get.apply("seed")), get.apply("note"));
    }

    private static long lng(String s) {
        return s.isEmpty() ? -1 : Long.parseLong(s);
    }

    /** Full precision, so a CSV round trip gives back the same doubles; NaN as an empty cell. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    static double dbl(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    static List<String> header() {
        return new ArrayList<>(COLUMNS);
    }
}
