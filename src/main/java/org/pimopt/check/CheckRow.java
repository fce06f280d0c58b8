package org.pimopt.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One engine on one instance of the cross-check, as a CSV row: the instance (seed and what it is),
 * the engine's status, the scope its OPTIMAL speaks of, the objective it reported and its plan's
 * price, the enumerated optima of that scope and of all plans, its bound, the tolerance applied,
 * and the findings. Objective values are of the goal's primary objective; NaN when absent.
 *
 * @param findings what is wrong, from {@link Finding}, space-separated names; empty when nothing is
 * @param detail   a finding in words, or the engine's note (its cause, for an exception)
 */
public record CheckRow(long seed, String network, String goal, int units, int ops, int cores, int crossbarsPerCore,
                       int crossbarRows, int batch, String features, String engine, String status, String scope,
                       double reported, double priced, int partitions, double scopeOptimum, double allOptimum, double bound,
                       double tolerance, long millis, String findings, String detail) {

    /** What a row can find wrong. */
    public enum Finding {
        /** An OPTIMAL claim off the enumerated optimum of its scope, a plan better than every plan, or INFEASIBLE with plans. */
        DISAGREES,
        /** A bound above the enumerated optimum of the engine's scope. */
        BOUND_ABOVE,
        /** A plan the Validator rejects. */
        INVALID_PLAN,
        /** A reported objective that is not the returned plan's price. */
        MISREPORTED,
        /** The engine threw (or did not return); the detail names the cause. */
        ERROR
    }

    public static final List<String> COLUMNS = List.of("seed", "network", "goal", "units", "ops", "cores", "crossbarsPerCore",
            "crossbarRows", "batch", "features", "engine", "status", "scope", "reported", "priced", "partitions",
            "scopeOptimum", "allOptimum", "bound", "tolerance", "millis", "findings", "detail");

    public boolean has(Finding f) {
        return Arrays.asList(findings.split(" ")).contains(f.name());
    }

    /** An OPTIMAL claim with a plan: what the cross-check compares with the enumeration. */
    public boolean claim() {
        return status.equals("OPTIMAL") && !Double.isNaN(priced);
    }

    /** Neither a claim nor an exception: FEASIBLE, UNKNOWN, or OPTIMAL without a plan. */
    public boolean notProven() {
        return !claim() && !has(Finding.ERROR);
    }

    public List<String> cells() {
        return List.of(Long.toString(seed), network, goal, Integer.toString(units), Integer.toString(ops),
                Integer.toString(cores), Integer.toString(crossbarsPerCore), Integer.toString(crossbarRows),
                Integer.toString(batch), features, engine, status, scope, number(reported), number(priced),
                Integer.toString(partitions), number(scopeOptimum), number(allOptimum), number(bound), number(tolerance),
                Long.toString(millis), findings, detail);
    }

    public static CheckRow parse(List<String> c) {
        if (c.size() != COLUMNS.size()) {
            throw new IllegalArgumentException("expected " + COLUMNS.size() + " cells, got " + c.size());
        }
        try {
            return new CheckRow(Long.parseLong(c.get(0)), c.get(1), c.get(2), Integer.parseInt(c.get(3)),
                    Integer.parseInt(c.get(4)), Integer.parseInt(c.get(5)), Integer.parseInt(c.get(6)),
                    Integer.parseInt(c.get(7)), Integer.parseInt(c.get(8)), c.get(9), c.get(10), c.get(11), c.get(12),
                    Double.parseDouble(c.get(13)), Double.parseDouble(c.get(14)), Integer.parseInt(c.get(15)),
                    Double.parseDouble(c.get(16)), Double.parseDouble(c.get(17)), Double.parseDouble(c.get(18)),
                    Double.parseDouble(c.get(19)), Long.parseLong(c.get(20)), c.get(21), c.get(22));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Full precision, so that a merged report reads the figures the run computed. */
    static String number(double v) {
        return Double.isNaN(v) ? "NaN" : Double.toString(v);
    }

    /** "1.2346e+05": for the report. */
    static String brief(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String joinFindings(List<Finding> fs) {
        List<String> names = new ArrayList<>();
        for (Finding f : fs) {
            if (!names.contains(f.name())) {
                names.add(f.name());
            }
        }
        return String.join(" ", names);
    }
}
