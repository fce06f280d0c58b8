package org.pimopt.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One engine on one instance of the cross-check, as a CSV row: the instance (seed and what it is),
 * the engine's status, the scope its OPTIMAL speaks of, the objective it reported and its plan's
 * price, the enumerated optima of that scope and of all plans, its bound, the tolerance applied,
 * and the findings. Objective values are of the goal's primary objective; NaN when absent. With
 * limits, the optima are of the plans that meet them (NaN when none does).
 *
 * <p>Older files are read too: {@link #LAYOUTS} lists every header written so far, and a row is
 * read by the column names of its file's header, a column it lacks left empty.
 *
 * @param limits   the instance's limits and where each lies ({@link CrossCheckLimits#draw}); empty without
 * @param findings what is wrong, from {@link Finding}, space-separated names; empty when nothing is
 * @param detail   a finding in words, or the engine's note (its cause, for an exception)
 */
public record CheckRow(long seed, String network, String goal, int units, int ops, int cores, int crossbarsPerCore,
                       int crossbarRows, int batch, String features, String limits, String engine, String status, String scope,
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
            "crossbarRows", "batch", "features", "limits", "engine", "status", "scope", "reported", "priced", "partitions",
            "scopeOptimum", "allOptimum", "bound", "tolerance", "millis", "findings", "detail");

    /** The columns before limits were added (the runs without them): read with limits empty. */
    static final List<String> COLUMNS_WITHOUT_LIMITS = COLUMNS.stream().filter(c -> !c.equals("limits")).toList();

    /** Every header written so far, newest first. */
    static final List<List<String>> LAYOUTS = List.of(COLUMNS, COLUMNS_WITHOUT_LIMITS);

    public boolean has(Finding f) {
        return Arrays.asList(findings.split(" ")).contains(f.name());
    }

    /** An OPTIMAL claim with a plan: what the cross-check compares with the enumeration. */
    public boolean claim() {
        return status.equals("OPTIMAL") && !Double.isNaN(priced);
    }

    /** An INFEASIBLE answer: a claim that no plan of its scope meets the limits (right when no finding). */
    public boolean infeasible() {
        return status.equals("INFEASIBLE");
    }

    /**
     * Neither a claim nor an exception: FEASIBLE, UNKNOWN, OVER_LIMIT (a plan that breaks the limits,
     * not claimed), or OPTIMAL without a plan.
     */
    public boolean notProven() {
        return !claim() && !infeasible() && !has(Finding.ERROR);
    }

    public List<String> cells() {
        return List.of(Long.toString(seed), network, goal, Integer.toString(units), Integer.toString(ops),
                Integer.toString(cores), Integer.toString(crossbarsPerCore), Integer.toString(crossbarRows),
                Integer.toString(batch), features, limits, engine, status, scope, number(reported), number(priced),
                Integer.toString(partitions), number(scopeOptimum), number(allOptimum), number(bound), number(tolerance),
                Long.toString(millis), findings, detail);
    }

    public static CheckRow parse(List<String> c) {
        return parse(c, COLUMNS);
    }

    /** Reads a row below {@code header} (one of {@link #LAYOUTS}) by its column names; it must have as many cells. */
    static CheckRow parse(List<String> c, List<String> header) {
        if (c.size() != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + c.size());
        }
        java.util.function.Function<String, String> get = name -> {
            int i = header.indexOf(name);
            return i < 0 ? "" : c.get(i);
        };
        try {
            return new CheckRow(Long.parseLong(get.apply("seed")), get.apply("network"), get.apply("goal"),
                    Integer.parseInt(get.apply("units")), Integer.parseInt(get.apply("ops")), Integer.parseInt(get.apply("cores")),
                    Integer.parseInt(get.apply("crossbarsPerCore")), Integer.parseInt(get.apply("crossbarRows")),
                    Integer.parseInt(get.apply("batch")), get.apply("features"), get.apply("limits"), get.apply("engine"),
                    get.apply("status"), get.apply("scope"), Double.parseDouble(get.apply("reported")),
                    Double.parseDouble(get.apply("priced")), Integer.parseInt(get.apply("partitions")),
                    Double.parseDouble(get.apply("scopeOptimum")), Double.parseDouble(get.apply("allOptimum")),
                    Double.parseDouble(get.apply("bound")), Double.parseDouble(get.apply("tolerance")),
                    Long.parseLong(get.apply("millis")), get.apply("findings"), get.apply("detail"));
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
