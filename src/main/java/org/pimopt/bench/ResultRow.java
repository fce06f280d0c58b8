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
 * {@code bench --verify} on an OPTIMAL ({@link org.pimopt.verify.ClaimCheck}: CONFIRMED, UNCHECKED, FAILED), else
 * empty; {@code note} says why.
 * Missing numbers are NaN / -1.
 */
public record ResultRow(String suite, String caseKey, String model, String hardware, int batch, String goal,
                        String strategy, String scorer, String status, String provenBy, String verified, double objective, double solverObjective,
                        double bound, double gap, double latencyNs, double throughputPerS, double energyPerSamplePj,
                        double edpPjNs, long cellsWritten, long dramBytes, int partitions, int units, long wallMillis,
                        long timeoutMillis, long seed, String note) {

    public static final List<String> COLUMNS = List.of("suite", "case", "model", "hardware", "batch", "goal",
            "strategy", "scorer", "status", "proven_by", "verified", "objective", "solver_objective", "bound", "gap", "latency_ns",
            "throughput_per_s", "energy_per_sample_pj", "edp_pj_ns", "cells_written", "dram_bytes", "partitions",
            "units", "wall_ms", "timeout_ms", "seed", "note");

    /** The columns before proven_by and verified were added (results files of earlier commits): read with them empty. */
    static final List<String> LEGACY_COLUMNS = COLUMNS.stream().filter(c -> !c.equals("proven_by") && !c.equals("verified"))
            .toList();

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
                Long.toString(timeoutMillis), Long.toString(seed), note.replaceAll("[\\r\\n]+", " "));
    }

    /** Reads the cells of {@link #cells()} back; throws IllegalArgumentException on a malformed row. */
    public static ResultRow parse(List<String> c) {
        boolean legacy = c.size() == LEGACY_COLUMNS.size();
        if (c.size() != COLUMNS.size() && !legacy) {
            throw new IllegalArgumentException(c.size() + " cells, expected " + COLUMNS.size());
        }
        int i = 0;
        return new ResultRow(c.get(i++), c.get(i++), c.get(i++), c.get(i++), Integer.parseInt(c.get(i++)), c.get(i++),
                c.get(i++), c.get(i++), c.get(i++), legacy ? "" : c.get(i++), legacy ? "" : c.get(i++), dbl(c.get(i++)), dbl(c.get(i++)), dbl(c.get(i++)), dbl(c.get(i++)),
                dbl(c.get(i++)), dbl(c.get(i++)), dbl(c.get(i++)), dbl(c.get(i++)), Long.parseLong(c.get(i++)),
                Long.parseLong(c.get(i++)), Integer.parseInt(c.get(i++)), Integer.parseInt(c.get(i++)),
                Long.parseLong(c.get(i++)), Long.parseLong(c.get(i++)), Long.parseLong(c.get(i++)), c.get(i));
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
