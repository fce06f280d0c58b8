package org.pimopt.solve.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;

/**
 * Runs a list of strategies on one instance within one deadline, as {@code solve} does: heuristics
 * first in the listed order, each with what is left of the budget; then the exact engines
 * ({@link Strategies#isExact}), each warm-started from the best plan so far, sharing what is left
 * equally (so one engine cannot starve the next). A strategy that throws, or runs out of heap or
 * stack, becomes an {@link Status#ERROR} result with its one-line cause, and the others still run.
 */
public final class StrategyRun {
    private final Instance instance;
    private final Function<Long, SolveOptions> optionsFor;
    private final Consumer<String> warnings;

    /**
     * @param optionsFor the options of a run given its budget in milliseconds (seed, workers,
     *                   progress and the cancel flag are the caller's)
     * @param warnings   where a line goes when a strategy fails
     */
    public StrategyRun(Instance instance, Function<Long, SolveOptions> optionsFor, Consumer<String> warnings) {
        this.instance = instance;
        this.optionsFor = optionsFor;
        this.warnings = warnings;
    }

    /**
     * Runs them; {@code results} (one slot per strategy, in the given order) is filled as each
     * ends, so a caller interrupted midway can report what is there.
     */
    public void run(List<Strategy> strategies, long deadlineNanos, SolveResult[] results) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            if (!Strategies.isExact(strategies.get(i).name())) {
                order.add(i);
            }
        }
        int heuristics = order.size();
        for (int i = 0; i < strategies.size(); i++) {
            if (Strategies.isExact(strategies.get(i).name())) {
                order.add(i);
            }
        }
        for (int n = 0; n < order.size(); n++) {
            int i = order.get(n);
            Strategy s = strategies.get(i);
            long leftMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
            // Exact engines share what is left: the n-th of e gets 1/(e-n) of it.
            int enginesLeft = n < heuristics ? 1 : order.size() - n;
            SolveOptions options = optionsFor.apply(Math.max(1, leftMillis / enginesLeft));
            if (options.cancelled().get()) {
                results[i] = new SolveResult(s.name(), null, null, Status.UNKNOWN, Double.NaN, null, 0, Map.of(),
                        "not run: interrupted");
                continue;
            }
            SolveResult bestSoFar = SolveResult.best(instance, Arrays.stream(results).filter(Objects::nonNull).toList());
            if (bestSoFar != null) {
                options = options.withWarmStart(bestSoFar.plan());
            }
            results[i] = runOne(s, options);
        }
    }

    /** One strategy, its failure contained; a plan it returns must pass the validator. */
    private SolveResult runOne(Strategy s, SolveOptions options) {
        long start = System.nanoTime();
        try {
            SolveResult r = s.solve(instance, options);
            if (r.plan() != null) {
                List<String> violations = Validator.violations(instance, r.plan());
                if (!violations.isEmpty()) {
                    return failed(s, start, "invalid plan: " + String.join("; ", violations.subList(0, Math.min(3,
                            violations.size()))));
                }
                return overLimit(instance, r);
            }
            return r;
        } catch (OutOfMemoryError e) {
            // A search (a table, a model) outgrew the heap: the heap it held is garbage once the call
            // has unwound, and the others' plans stand.
            return failed(s, start, "out of memory (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB heap); raise it with PIMOPT_JAVA_OPTS=-Xmx...");
        } catch (StackOverflowError e) {
            return failed(s, start, "stack overflow (a bug: please report it with the model and flags)" + at(e));
        } catch (RuntimeException e) {
            return failed(s, start, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage().lines().findFirst().orElse("")) + at(e));
        }
    }

    /**
     * The result as it stands when its plan meets the goal's limits; else the same plan marked
     * {@link Status#OVER_LIMIT}, its note naming the limits it breaks (a heuristic does not look at
     * limits; an engine's plan breaks one only when it had no plan that meets them).
     */
    static SolveResult overLimit(Instance instance, SolveResult r) {
        if (r.plan() == null || r.metrics() == null || instance.goal().meetsLimits(r.metrics())) {
            return r;
        }
        String broken = instance.goal().limits().broken(r.metrics()).stream()
                .map(l -> String.format(java.util.Locale.ROOT, "%s (%s %.4g %s)", l.stated(), l.figure().label(),
                        l.figure().of(r.metrics()), l.figure().unit()))
                .distinct().collect(java.util.stream.Collectors.joining(", "));
        return new SolveResult(r.strategy(), r.plan(), r.metrics(), Status.OVER_LIMIT, r.objective(), r.bound(),
                r.wallMillis(), r.stats(), "breaks " + broken + (r.status() == Status.OPTIMAL ? " (optimal without the limits)" : "")
                + (r.note() == null || r.note().isEmpty() ? "" : "; " + r.note()));
    }

    private SolveResult failed(Strategy s, long start, String why) {
        warnings.accept("pimopt: warning: " + s.name() + " failed (" + why + "); the other strategies' results stand");
        return new SolveResult(s.name(), null, null, Status.ERROR, Double.NaN, null, (System.nanoTime() - start) / 1_000_000,
                Map.of(), why);
    }

    /** Where it was thrown, for a bug report: the first pimopt frame. */
    private static String at(Throwable e) {
        return Arrays.stream(e.getStackTrace()).filter(f -> f.getClassName().startsWith("org.pimopt")).findFirst()
                .map(f -> " at " + f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName()
                        + ":" + f.getLineNumber())
                .orElse("");
    }
}
