package org.pimopt.solve.cpsat;

import com.google.ortools.sat.CpModel;
import java.util.Locale;
import org.pimopt.solve.SolveOptions;

/**
 * CP-SAT's share of one deadline, once its model is built: what is left, less a margin for what
 * CP-SAT's own clock does not see or cannot stop, both growing with the model. Handing the model
 * over comes before its clock starts (densenet121 on compass-s, 252k variables and 341k
 * constraints, one worker, load average 4.5: 2.4 s), and its time limit is looked at only between
 * presolve steps (the same model: 3.5 s past a 28 s limit, 5.2 s past 38 s; vit-b16 on
 * compass-s, 226k and 345k: 2.2 s past 44 s; densenet121 on compass-l, 52k and 67k: 1.3 s past
 * 4 s), and both grow with the machine's load (densenet121 on compass-s at load average 11.6: 14 s
 * past a 33 s limit). Every CP-SAT call of a strategy (completing the hint, pricing the warm start, the search)
 * takes its limit from here, after the calls before it, so one that runs long shortens the next
 * instead of the deadline moving.
 *
 * @param marginSeconds kept back from every call's limit
 * @param stepSeconds   the part of it for the model's size: how far one presolve step may run past a limit
 */
record SearchTime(long deadlineNanos, double marginSeconds, double stepSeconds) {

    /**
     * Margin per variable and constraint of the model and per unit of {@link #loadFactor}: the
     * overruns above (handover and presolve step together) are 1.6e-6 to 1.1e-5 s each, per unit,
     * the most on densenet121 on compass-l at load average 10.7 (7.1 s past a 2.8 s limit).
     */
    static final double MARGIN_SECONDS_PER_ELEMENT = 1e-5;

    /**
     * Least search time worth a call: loading, building and hinting come before it and do not stop
     * at the deadline (squeezenet1_0 on compass-m at 5 s: dp-lattice left 0.3 s, and loading,
     * building and hinting took 0.8 s past it).
     */
    static final double MIN_SEARCH_SECONDS = 0.5;

    /**
     * The margin for {@code model} under {@code options}: its size's, or the least CP-SAT overruns
     * any limit by, when more. CP-SAT stops a little after its limit, and more when other
     * processes share the cores (2.0-4.4 s past 60 s in 8 of 60 runs of scripts/bench-exact.sh
     * while tests ran beside it; resnet50 at 30 s beside two busy loops: 1.1 s past its limit in
     * the search and 1.7 s in completing the hint): 4% of the timeout, at most 3 s.
     */
    static SearchTime of(SolveOptions options, long deadlineNanos, CpModel model) {
        return of(options, deadlineNanos, (long) model.getBuilder().getVariablesCount() + model.getBuilder().getConstraintsCount(),
                loadFactor());
    }

    /**
     * {@link #of(SolveOptions, long, CpModel)} for a model of {@code elements} variables and
     * constraints on a machine with {@code load} runnable processes per core (at least 1).
     */
    static SearchTime of(SolveOptions options, long deadlineNanos, long elements, double load) {
        double step = elements * MARGIN_SECONDS_PER_ELEMENT * Math.max(1, load);
        return new SearchTime(deadlineNanos, Math.max(baseMargin(options), step), step);
    }

    /**
     * How many processes want each core: the last minute's load average over the cores, at least 1
     * (1 where the system does not say). A presolve step takes that many times longer.
     */
    static double loadFactor() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? 1 : Math.max(1, load / Runtime.getRuntime().availableProcessors());
    }

    /** The margin before a model exists: 4% of the timeout, at most 3 s. */
    static double baseMargin(SolveOptions options) {
        return Math.min(3.0, 0.04 * options.timeoutMillis() / 1000.0);
    }

    /** Seconds a call started now may be given (negative when the deadline, less the margin, has passed). */
    double left() {
        return (deadlineNanos - System.nanoTime()) / 1e9 - marginSeconds;
    }

    /** Whether too little is left to start a search. */
    boolean tooShort() {
        return left() < MIN_SEARCH_SECONDS;
    }

    /**
     * Whether completing the warm start's hint (a solve with a tenth of what is left) can end
     * near its limit: its presolve, like any, may run a step past it, and then the search pays
     * (densenet121 on compass-l after dp-lattice: a 0.1 s limit took 2.1 s, and no search was left).
     */
    boolean hintFits() {
        return left() / 10 >= stepSeconds;
    }

    /** Why no search was started, for the result's note. */
    String tooShortWhy(String after) {
        double left = left() + marginSeconds;
        return String.format(Locale.ROOT, "%s, %s left for the CP-SAT search, less than the %.1f s its model needs kept"
                + " back from the solver's limit plus %.1f s; a longer timeout lets it run", after,
                left <= 0.05 ? "no time was" : String.format(Locale.ROOT, "%.2f s was", left), marginSeconds,
                MIN_SEARCH_SECONDS);
    }
}
