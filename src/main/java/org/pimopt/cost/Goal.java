package org.pimopt.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.pimopt.PimoptException;

/**
 * A lexicographic list of objectives ({@code latency,writes}: latency first, writes to break
 * ties), and the {@link Limits} a plan must meet. Comparisons treat values within a relative 1e-9
 * as equal, so rounding does not decide; with limits, a plan that meets them comes before every
 * plan that does not.
 */
public record Goal(List<Objective> objectives, Limits limits) {

    public Goal(List<Objective> objectives) {
        this(objectives, Limits.NONE);
    }

    public Goal {
        objectives = List.copyOf(objectives);
        limits = limits == null ? Limits.NONE : limits;
        if (objectives.isEmpty()) {
            throw new PimoptException("no objective given");
        }
        if (objectives.stream().distinct().count() != objectives.size()) {
            throw new PimoptException("objective list " + objectives + " names one objective twice");
        }
    }

    public static Goal of(Objective... objectives) {
        return new Goal(List.of(objectives));
    }

    /** Parses {@code latency} or {@code latency,writes}. */
    public static Goal parse(String text) {
        if (text == null || text.isBlank()) {
            throw new PimoptException("empty objective (use latency, energy, edp, writes or dram)");
        }
        List<Objective> list = new ArrayList<>();
        for (String part : text.split(",")) {
            list.add(Objective.parse(part));
        }
        return new Goal(list);
    }

    /** The same objectives held to {@code limits}. */
    public Goal withLimits(Limits newLimits) {
        return new Goal(objectives, newLimits);
    }

    /** The same objectives without limits: what floors and bounds are ordered by (every plan's). */
    public Goal unlimited() {
        return limits.isEmpty() ? this : new Goal(objectives);
    }

    /** Whether the figures meet every limit (true without limits). */
    public boolean meetsLimits(BatchMetrics m) {
        return limits.meets(m);
    }

    public Objective primary() {
        return objectives.get(0);
    }

    public double primaryValue(BatchMetrics m) {
        return primary().of(m);
    }

    /** Orders metrics best first. */
    public Comparator<BatchMetrics> comparator() {
        return (a, b) -> {
            if (!limits.isEmpty()) {
                int c = Boolean.compare(!limits.meets(a), !limits.meets(b));
                if (c != 0) {
                    return c;
                }
            }
            for (Objective o : objectives) {
                int c = compare(o.of(a), o.of(b));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    public static int compare(double x, double y) {
        double tolerance = 1e-9 * Math.max(Math.abs(x), Math.abs(y));
        if (Math.abs(x - y) <= tolerance) {
            return 0;
        }
        return x < y ? -1 : 1;
    }

    @Override
    public String toString() {
        // The objective list alone: plan files store it and read it back with parse.
        return objectives.stream().map(Objective::label).collect(Collectors.joining(","));
    }
}
