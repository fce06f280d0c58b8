package org.pimopt.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.pimopt.PimoptException;
import org.pimopt.hw.Chip;

/**
 * The limits a plan must meet, all at once ({@code --limit}, formulations/limits.md). One
 * vocabulary with the objectives: {@code FIGURE=VALUE[UNIT][/sample]}, where a value per sample is
 * multiplied by the batch, and {@code lifetime=DURATION@RATE/s}.
 *
 * <pre>
 *   latency=2ms        ns, us, ms, s                      per batch (or /sample)
 *   energy=40mJ        pJ, nJ, uJ, mJ, J                  per batch (or /sample)
 *   writes=5e7         cells                              per batch (or /sample)
 *   dram=1GB           B, kB, MB, GB, KiB, MiB, GiB        per batch (or /sample)
 *   lifetime=5y@1000/s s, min, h, d, w, mo, y at inferences per second (see {@link Lifetime})
 * </pre>
 */
public record Limits(List<Limit> limits) {
    public static final Limits NONE = new Limits(List.of());

    /** What {@code --help} shows. */
    public static final String SYNTAX = "latency=2ms, energy=40mJ (or 2.5mJ/sample), writes=5e7, dram=1GB,"
            + " lifetime=5y@1000/s";

    public Limits {
        limits = List.copyOf(limits);
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }

    /** Whether the figures meet every limit. */
    public boolean meets(BatchMetrics m) {
        return limits.stream().allMatch(l -> l.meets(m));
    }

    /** The limits the figures break, in the order given. */
    public List<Limit> broken(BatchMetrics m) {
        return limits.stream().filter(l -> !l.meets(m)).toList();
    }

    /** The lowest limit on {@code figure}, or infinity. */
    public double max(Objective figure) {
        return limits.stream().filter(l -> l.figure() == figure).mapToDouble(Limit::max).min()
                .orElse(Double.POSITIVE_INFINITY);
    }

    /** The figures limited, each once, in the order given. */
    public List<Objective> figures() {
        return limits.stream().map(Limit::figure).distinct().toList();
    }

    /** The statements, each once: {@code latency=2ms, lifetime=5y@1000/s}. */
    public String stated() {
        return limits.stream().map(Limit::stated).distinct().collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return stated();
    }

    /** Reads every {@code --limit} statement for a chip and a batch; one clear line on a bad one. */
    public static Limits parse(List<String> statements, Chip chip, int batch) {
        List<Limit> out = new ArrayList<>();
        for (String s : statements == null ? List.<String>of() : statements) {
            out.addAll(parseOne(s, chip, batch));
        }
        return new Limits(out);
    }

    private static List<Limit> parseOne(String statement, Chip chip, int batch) {
        String s = statement.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        int eq = s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1) {
            throw bad(statement, "write FIGURE=VALUE, e.g. " + SYNTAX);
        }
        String figure = s.substring(0, eq);
        String value = s.substring(eq + 1);
        if (figure.equals("lifetime")) {
            return lifetime(statement, value, chip, batch);
        }
        Objective o;
        try {
            o = Objective.parse(figure);
        } catch (PimoptException e) {
            throw bad(statement, "unknown figure '" + figure + "' (use latency, energy, writes, dram or lifetime)");
        }
        if (o == Objective.EDP) {
            throw bad(statement, "edp is a product of latency and energy and cannot be limited; limit latency and energy");
        }
        double factor = 1;
        if (value.endsWith("/sample")) {
            factor = batch;
            value = value.substring(0, value.length() - "/sample".length());
        }
        double v = switch (o) {
            case LATENCY -> quantity(statement, value, UNITS_NS, "ns");
            case ENERGY -> quantity(statement, value, UNITS_PJ, "pJ");
            case WRITES -> quantity(statement, value, Map.of("", 1.0, "cells", 1.0), "cells");
            case DRAM -> quantity(statement, value, UNITS_BYTES, "B");
            case EDP -> throw new IllegalStateException();
        };
        return List.of(new Limit(o, v * factor, statement.trim()));
    }

    private static final Map<String, Double> UNITS_NS = Map.of("ns", 1.0, "us", 1e3, "ms", 1e6, "s", 1e9);
    private static final Map<String, Double> UNITS_PJ = Map.of("pj", 1.0, "nj", 1e3, "uj", 1e6, "mj", 1e9, "j", 1e12);
    private static final Map<String, Double> UNITS_BYTES = Map.of("", 1.0, "b", 1.0, "kb", 1e3, "mb", 1e6, "gb", 1e9,
            "kib", 1024.0, "mib", 1024.0 * 1024, "gib", 1024.0 * 1024 * 1024);
    private static final Map<String, Double> UNITS_SECONDS = Map.of("s", 1.0, "min", 60.0, "h", 3600.0, "d", 86400.0,
            "w", 7 * 86400.0, "mo", 365.25 / 12 * 86400, "y", 365.25 * 86400);

    /** {@code 5y@1000/s}: writes and latency limits, each stated as the lifetime. */
    private static List<Limit> lifetime(String statement, String value, Chip chip, int batch) {
        int at = value.indexOf('@');
        if (at <= 0 || !value.endsWith("/s")) {
            throw bad(statement, "write lifetime=DURATION@RATE/s, e.g. lifetime=5y@1000/s (inferences per second)");
        }
        double seconds = quantity(statement, value.substring(0, at), UNITS_SECONDS, null);
        double rate = number(statement, value.substring(at + 1, value.length() - 2));
        if (seconds <= 0 || rate <= 0) {
            throw bad(statement, "the duration and the rate must be above 0");
        }
        String stated = statement.trim();
        return List.of(new Limit(Objective.WRITES, Lifetime.cellsPerBatch(chip, batch, seconds, rate), stated),
                new Limit(Objective.LATENCY, Lifetime.batchNs(batch, rate), stated));
    }

    /** A number with one of {@code units} (longest suffix first); {@code plain}: the unit a bare number is in, or null when one is required. */
    private static double quantity(String statement, String text, Map<String, Double> units, String plain) {
        String unit = units.keySet().stream().filter(u -> !u.isEmpty() && text.endsWith(u) && startsNumber(text, u))
                .max((a, b) -> Integer.compare(a.length(), b.length())).orElse("");
        if (unit.isEmpty() && plain == null) {
            throw bad(statement, "'" + text + "' needs a unit (" + String.join(", ", units.keySet().stream().sorted().toList()) + ")");
        }
        double factor = unit.isEmpty() ? units.getOrDefault("", 1.0) : units.get(unit);
        return number(statement, text.substring(0, text.length() - unit.length())) * factor;
    }

    /** Whether what is left once {@code unit} is cut off ends in a digit or a point (so "ms" is not read as "s"). */
    private static boolean startsNumber(String text, String unit) {
        String rest = text.substring(0, text.length() - unit.length());
        return !rest.isEmpty() && (Character.isDigit(rest.charAt(rest.length() - 1)) || rest.endsWith("."));
    }

    private static double number(String statement, String text) {
        try {
            double v = Double.parseDouble(text);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw bad(statement, "'" + text + "' must be a finite number at least 0");
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(statement, "'" + text + "' is not a number");
        }
    }

    private static PimoptException bad(String statement, String why) {
        return new PimoptException("--limit '" + statement + "': " + why);
    }
}
