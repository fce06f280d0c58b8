package org.pimopt.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Limit;
import org.pimopt.cost.Limits;
import org.pimopt.cost.Objective;
import org.pimopt.problem.Instance;

/**
 * The limits of the cross-check's limits run ({@code --limits}; formulations/limits.md, issue 26):
 * each seed's instance ({@link CrossCheckCases#draw}, the same as without limits) gets limits on one
 * or two of latency, energy, writes and DRAM bytes, drawn from the seed by a generator of its own
 * (so the instance is the unlimited run's). Each is placed by the enumeration, as
 * LimitsPropertyTest does: from the figure's least value over every plan and its value on the
 * unlimited optimum, below the least (no plan meets it), exactly at the least, between the two
 * (it binds), exactly at the optimum's value, or above (it does not bind). The values at the ends
 * try the tolerances: a plan that meets a limit exactly must not be cut off by a model's rounding.
 */
public final class CrossCheckLimits {
    /** The figures a limit is drawn on (edp cannot be limited). */
    static final List<Objective> FIGURES = List.of(Objective.LATENCY, Objective.ENERGY, Objective.WRITES, Objective.DRAM);
    /**
     * The engines that post the limits (formulations/limits.md, "How each engine posts them"):
     * dp-exact, the fixed-order dp, does not look at them, so its OPTIMAL would break them by design.
     */
    public static final List<String> ENGINES = List.of("exact", "cpsat", "choco", "mip", "dp-lattice", "cpsat-fixed");
    /** Where a limit lies against its figure over the plans. */
    public static final List<String> REGIMES = List.of("below", "binds", "slack");
    /** Where the limits together leave the instance: no plan meets them, they change the optimum, or not. */
    public static final List<String> OUTCOMES = List.of("none meets", "binds", "slack");

    private static final Pattern REGIME = Pattern.compile("\\((below|binds|slack)\\)");
    private static final String ARROW = " -> ";

    private CrossCheckLimits() {}

    /** A case with limits, and the enumeration of its plans in the limited goal's order (which judges it). */
    public record Limited(CrossCheckCases.Case limited, PlanEnumerator.Optima optima) {}

    /**
     * The seed's case with limits drawn on it. One pass of the enumeration prices every plan for the
     * goal and for each figure alone (the unlimited optimum, least values); a second orders them
     * with the limits, for the judge.
     */
    public static Limited draw(CrossCheckCases.Case c) {
        Instance base = c.instance();
        int n = base.units().size();
        Random rnd = new Random(c.seed() * 0x2545F4914F6CDD1DL + 26);
        List<Goal> goals = new ArrayList<>();
        goals.add(base.goal());
        FIGURES.forEach(f -> goals.add(Goal.of(f)));
        List<PlanEnumerator.Optima> first = PlanEnumerator.enumerate(base, n, goals);
        BatchMetrics optimum = first.get(0).best(Scope.ALL).metrics();
        if (optimum == null) {
            throw new IllegalStateException("seed " + c.seed() + ": no valid plan to place limits by");
        }
        double[] least = new double[FIGURES.size()];
        for (int i = 0; i < least.length; i++) {
            least[i] = FIGURES.get(i).of(first.get(i + 1).best(Scope.ALL).metrics());
        }
        List<Objective> figures = new ArrayList<>(FIGURES);
        Collections.shuffle(figures, rnd);
        // A figure the unlimited optimum already holds at its least leaves no room for a limit that
        // binds; three seeds in four put the figures with room first, so that binding limits are common.
        if (rnd.nextInt(4) != 0) {
            figures.sort(Comparator.comparing((Objective f) -> !room(f, optimum, least[FIGURES.indexOf(f)])));
        }
        figures = figures.subList(0, 1 + rnd.nextInt(2));
        List<Limit> limits = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < figures.size(); i++) {
            Objective f = figures.get(i);
            double leastOf = least[FIGURES.indexOf(f)];
            double atOptimum = f.of(optimum);
            // Where between the least value (0) and the optimum's (1) the limit lies.
            double u = switch (rnd.nextInt(8)) {
                case 0 -> -0.05 - 0.45 * rnd.nextDouble();   // below the least: none can be met
                case 1 -> 0;                                 // exactly the least: only the plans that reach it
                case 6 -> 1;                                 // exactly the optimum's value
                case 7 -> 1 + 0.5 * rnd.nextDouble();        // above: does not bind
                default -> 0.05 + 0.9 * rnd.nextDouble();    // binds (when the figure has room)
            };
            // A figure every plan's optimum already minimizes has no room between: a span of its own.
            double span = Math.max(atOptimum - leastOf, 0.05 * Math.abs(leastOf) + 1);
            double max = u == 0 ? leastOf : u == 1 ? atOptimum : Math.max(0, leastOf + u * span);
            limits.add(new Limit(f, max, f.label() + "=" + max));
            String regime = Goal.compare(max, leastOf) < 0 ? "below" : Goal.compare(max, atOptimum) < 0 ? "binds" : "slack";
            words.add(f.label() + "=" + max + " (" + regime + ")");
        }
        Instance limited = base.withGoal(base.goal().withLimits(new Limits(limits)));
        PlanEnumerator.Optima judged = PlanEnumerator.enumerate(limited, n);
        String outcome = judged.meeting(Scope.ALL).plan() == null ? "none meets"
                : limited.goal().meetsLimits(optimum) ? "slack" : "binds";
        String text = String.join(" & ", words) + ARROW + outcome;
        return new Limited(new CrossCheckCases.Case(c.seed(), limited, c.features(), text), judged);
    }

    /** Whether the unlimited optimum's figure is above its least value: a limit between binds. */
    private static boolean room(Objective f, BatchMetrics optimum, double least) {
        return Goal.compare(f.of(optimum), least) > 0;
    }

    /** The regime of each limit in a row's {@code limits} cell. */
    static List<String> regimes(String limits) {
        List<String> out = new ArrayList<>();
        Matcher m = REGIME.matcher(limits);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** What the limits leave of the instance, from a row's {@code limits} cell; empty without limits. */
    static String outcome(String limits) {
        int at = limits.lastIndexOf(ARROW);
        return at < 0 ? "" : limits.substring(at + ARROW.length());
    }
}
