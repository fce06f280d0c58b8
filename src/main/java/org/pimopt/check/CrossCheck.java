package org.pimopt.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.cpsat.EdpModel;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.solve.registry.StrategyRun;

/**
 * Checks what each engine says about one instance against the enumeration of all its plans. An
 * OPTIMAL claim is compared with the optimum of the engine's own scope ({@link #scopeOf}), within
 * the tolerance its model's rounding allows ({@link #tolerance}); any plan, claimed or not, must be
 * valid, priced as reported, and no better than every enumerated plan; a bound must not exceed the
 * optimum of the scope it is valid for. An engine that throws is a finding, not the end of the run.
 */
public final class CrossCheck {
    /** The engines checked, when registered ({@code exact} is the portfolio, once it exists). */
    public static final List<String> ENGINES = List.of("exact", "cpsat", "choco", "mip", "dp-lattice", "dp-exact", "cpsat-fixed");
    /** Engines whose plans are contiguous spans of the unit order. */
    static final List<String> CONTIGUOUS = List.of("dp", "dp-exact", "cpsat-fixed");
    /** Relative slack within which a plan is not "better": the cost model's own comparisons (Goal.compare). */
    static final double SAME = 1e-9;
    /** Absolute slack, for objectives at or near 0 (no cells written, ...). */
    static final double ABSOLUTE = 1e-6;

    private CrossCheck() {}

    /** The engines of {@link #ENGINES} that {@link Strategies} knows. */
    public static List<String> enginesPresent() {
        return ENGINES.stream().filter(Strategies.names()::contains).toList();
    }

    /**
     * Runs each engine on the case (its own budget, one worker thread, on {@code pool} so that a
     * hung engine is left behind after {@code 2 x timeout + 20 s}) and checks it.
     */
    public static List<CheckRow> check(CrossCheckCases.Case c, PlanEnumerator.Optima optima, List<String> engines,
                                       long timeoutMillis, ExecutorService pool) {
        return check(c, optima, engines, timeoutMillis, pool, Strategies::byName);
    }

    /** {@link #check} with the engines found by {@code byName} (a test passes one that throws). */
    static List<CheckRow> check(CrossCheckCases.Case c, PlanEnumerator.Optima optima, List<String> engines, long timeoutMillis,
                                ExecutorService pool, Function<String, Strategy> byName) {
        List<CheckRow> rows = new ArrayList<>();
        for (String engine : engines) {
            AtomicBoolean cancel = new AtomicBoolean();
            SolveOptions options = new SolveOptions(timeoutMillis, 1, 1, line -> {}).withCancel(cancel);
            long start = System.nanoTime();
            Future<SolveResult> run = pool.submit(() -> byName.apply(engine).solve(c.instance(), options));
            SolveResult r = null;
            String error = null;
            try {
                r = await(run, 2 * timeoutMillis + 20_000, cancel);
            } catch (ExecutionException e) {
                error = cause(e.getCause());
            } catch (TimeoutException e) {
                error = "did not return within " + (2 * timeoutMillis + 30_000) / 1000 + " s of a " + timeoutMillis
                        + " ms budget (cancelled, left running)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            try {
                rows.add(r == null ? errorRow(c, engine, millis, error) : row(c, optima, engine, r, millis));
            } catch (RuntimeException e) {
                rows.add(errorRow(c, engine, millis, "its answer could not be checked: " + cause(e)));
            }
        }
        return rows;
    }

    /** The result, or after the wait a cancel request and 10 s more. */
    private static SolveResult await(Future<SolveResult> run, long millis, AtomicBoolean cancel)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return run.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            cancel.set(true);
            return run.get(10_000, TimeUnit.MILLISECONDS);
        }
    }

    /** "StackOverflowError at org.pimopt.solve.mip.MipTraffic.ready(MipTraffic.java:84)": the cause in one line. */
    static String cause(Throwable t) {
        String where = "";
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("org.pimopt.")) {
                where = " at " + e;
                break;
            }
        }
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return t.getClass().getSimpleName() + message + where;
    }

    /**
     * The plans an engine's answer speaks of: contiguous spans for dp-exact and cpsat-fixed, at most
     * the partitions its model had when it states them (stat {@code maxPartitions}: cpsat, choco,
     * mip; absent when the answer came from an every-plan argument, dp-lattice's search or the
     * bound of solve/LowerBound, which speak of every plan).
     */
    public static Scope scopeOf(String engine, SolveResult r) {
        Scope s = CONTIGUOUS.contains(engine) ? Scope.CONTIGUOUS : Scope.ALL;
        // An INFEASIBLE proven over every plan (exact's floors: dp-lattice or solve/LowerBound) speaks
        // of every plan, though the answer keeps the stats of the CP-SAT run it followed.
        Object by = r.stats().get(SolveResult.PROVEN_BY);
        if (r.status() == Status.INFEASIBLE && ("dp-lattice".equals(by) || "bound".equals(by))) {
            return s;
        }
        Object k = r.stats().get("maxPartitions");
        return k instanceof Number n ? s.limitedTo(n.intValue()) : s;
    }

    /**
     * Relative tolerance of an engine's OPTIMAL on this instance (as the unit tests state them):
     * the searches that price with the cost model itself (and exact when dp-lattice proved it), 1e-9; the MILP, its solver tolerances
     * (1e-6); CP-SAT, whose model rounds every time and energy coefficient (relative error d,
     * solve/cpsat/EdpModel.roundingError): 2.5 d, and for EDP 4.5 d plus the coarse units of its
     * product (stat edpCoarseError); Choco likewise with its own rounding (stat roundingError,
     * else d but at least 0.5%, the most at which it claims OPTIMAL).
     */
    public static double tolerance(String engine, Instance in, SolveResult r) {
        if (engine.equals("dp-lattice") || engine.equals("dp-exact") || engine.equals("dp")) {
            return SAME;
        }
        // exact's answer proven by dp-lattice is dp-lattice's plan and proof, with no rounding: its
        // tolerance (CP-SAT's would hide an optimum off by up to 2.5 d, as the limits run found).
        if (engine.equals("exact") && "dp-lattice".equals(r.stats().get(SolveResult.PROVEN_BY))) {
            return SAME;
        }
        if (engine.startsWith("mip")) {
            return 1e-6;
        }
        double d = EdpModel.roundingError(in);
        if (engine.equals("choco")) {
            d = r.stats().get("roundingError") instanceof Number n ? n.doubleValue() : Math.max(d, 0.005);
        }
        boolean edp = in.goal().primary() == Objective.EDP;
        double coarse = r.stats().get("edpCoarseError") instanceof Number n ? n.doubleValue() : 0;
        return edp ? 4.5 * d + coarse + SAME : 2.5 * d + SAME;
    }

    /**
     * The checks of one answer. With limits (formulations/limits.md) the optimum of a scope is its
     * best plan that meets them ({@link PlanEnumerator.Optima#meeting}; none: INFEASIBLE is right
     * there), an OPTIMAL plan must meet them (within the engine's tolerance), and a plan that breaks
     * them without a claim is shown {@code OVER_LIMIT}, as solve marks it (StrategyRun.overLimit).
     */
    static CheckRow row(CrossCheckCases.Case c, PlanEnumerator.Optima optima, String engine, SolveResult r, long millis) {
        Instance in = c.instance();
        Goal goal = in.goal();
        Objective primary = goal.primary();
        Scope scope = scopeOf(engine, r);
        double tol = tolerance(engine, in, r);
        // In the goal's order, plans that meet the limits first: the best breaks them only when all do.
        PlanEnumerator.Best every = optima.best(Scope.ALL);
        PlanEnumerator.Best all = optima.meeting(Scope.ALL);
        PlanEnumerator.Best inScope = optima.meeting(scope);
        List<CheckRow.Finding> findings = new ArrayList<>();
        List<String> details = new ArrayList<>();
        Plan plan = r.plan();
        String status = r.status().name();
        String broken = "";
        double priced = Double.NaN;
        if (plan != null) {
            List<String> violations = Validator.violations(in, plan);
            if (!violations.isEmpty()) {
                findings.add(CheckRow.Finding.INVALID_PLAN);
                details.add("invalid plan: " + violations.get(0) + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""));
            } else {
                BatchMetrics m = plan.evaluate(in);
                priced = primary.of(m);
                boolean meets = goal.meetsLimits(m);
                if (!near(r.objective(), priced, SAME)) {
                    findings.add(CheckRow.Finding.MISREPORTED);
                    details.add("reports " + r.objective() + ", its plan prices at " + priced);
                }
                if (every.metrics() != null && goal.comparator().compare(m, every.metrics()) < 0) {
                    findings.add(CheckRow.Finding.DISAGREES);
                    details.add(meets && !goal.meetsLimits(every.metrics())
                            ? "its plan (" + priced + ") meets the limits and beats every enumerated plan (none meets them)"
                            : "its plan (" + priced + ") beats every enumerated plan (" + primary.of(every.metrics()) + ")");
                }
                if (!inScope(plan, scope, in.units().size())) {
                    // The claim then speaks of plans its scope leaves out; hold it to every plan instead.
                    details.add("plan outside its scope " + scope + ": checked against every plan");
                    scope = Scope.ALL;
                    inScope = all;
                }
                if (!meets && r.status() != Status.OPTIMAL) {
                    status = "OVER_LIMIT";
                    broken = "breaks " + goal.limits().broken(m).stream().map(l -> String.format(Locale.ROOT, "%s (%s)",
                            l.stated(), l.figure().of(m))).collect(java.util.stream.Collectors.joining(", ")) + "; ";
                }
                if (r.status() == Status.OPTIMAL) {
                    limitedClaimCheck(goal, m, meets, inScope, scope, tol, findings, details);
                }
            }
        }
        double want = inScope.metrics() == null ? Double.NaN : primary.of(inScope.metrics());
        if (r.status() == Status.OPTIMAL && plan == null) {
            findings.add(CheckRow.Finding.DISAGREES);
            details.add("OPTIMAL without a plan");
        }
        if (r.status() == Status.INFEASIBLE && inScope.plan() != null) {
            findings.add(CheckRow.Finding.DISAGREES);
            details.add("INFEASIBLE, but the enumeration finds plans" + (goal.limits().isEmpty() ? "" : " that meet the limits")
                    + " in scope " + scope + " (best " + want + ")");
        }
        if (r.bound() != null && !Double.isNaN(want) && r.bound() > want * (1 + tol) + ABSOLUTE) {
            findings.add(CheckRow.Finding.BOUND_ABOVE);
            details.add(String.format(Locale.ROOT, "bound %s above the optimum %s of scope %s (+%.3g%%, tolerance %.3g%%)",
                    r.bound(), want, scope, 100 * (r.bound() / want - 1), 100 * tol));
        }
        String detail = details.isEmpty() ? broken + oneLine(r.note()) : String.join("; ", details);
        return new CheckRow(c.seed(), in.network().name(), goal.toString(), in.units().size(), in.ops().size(),
                in.chip().cores(), in.chip().crossbarsPerCore(), in.chip().crossbarRows(), in.batch(),
                String.join(" ", c.features()), c.limits(), engine, status, scope.toString(), r.objective(), priced,
                plan == null ? 0 : plan.partitions().size(), want, all.metrics() == null ? Double.NaN : primary.of(all.metrics()),
                r.bound() == null ? Double.NaN : r.bound(), tol, millis, CheckRow.joinFindings(findings), detail);
    }

    /**
     * An OPTIMAL plan of metrics {@code m} under the goal's limits: it must meet them (an engine
     * whose model rounds may overstep one by its tolerance), the scope must have a plan that meets
     * them, and it must be that plan's equal ({@link #claimCheck}). A plan over a limit within the
     * tolerance is only held to be no worse than the optimum: being over, it may be better.
     */
    private static void limitedClaimCheck(Goal goal, BatchMetrics m, boolean meets, PlanEnumerator.Best inScope, Scope scope,
                                          double tol, List<CheckRow.Finding> findings, List<String> details) {
        List<String> over = new ArrayList<>();
        for (org.pimopt.cost.Limit l : goal.limits().limits()) {
            double v = l.figure().of(m);
            if (v > l.max() * (1 + tol) + ABSOLUTE) {
                over.add(String.format(Locale.ROOT, "%s %s > %s", l.figure().label(), v, l.max()));
            }
        }
        if (!over.isEmpty()) {
            findings.add(CheckRow.Finding.DISAGREES);
            details.add("OPTIMAL with a plan over the limits (" + String.join(", ", over) + ", tolerance "
                    + String.format(Locale.ROOT, "%.3g%%", 100 * tol) + ")");
        } else if (inScope.metrics() == null) {
            if (meets) {
                findings.add(CheckRow.Finding.DISAGREES);
                details.add("OPTIMAL, but the enumeration finds no plan" + (goal.limits().isEmpty() ? "" : " that meets the limits")
                        + " in scope " + scope);
            } else {
                details.add("OPTIMAL with a plan over the limits within the tolerance; no plan of scope " + scope + " meets them");
            }
        } else {
            if (!meets) {
                details.add("OPTIMAL with a plan over the limits within the tolerance: held only to be no worse than the optimum");
            }
            claimCheck(goal, m, inScope.metrics(), tol, meets ? SAME : Double.POSITIVE_INFINITY, findings, details);
        }
    }

    /**
     * An OPTIMAL plan of metrics {@code m} against the scope's optimum {@code best}: the primary
     * objective within the tolerance either way (better means the enumeration missed a plan of the
     * scope: it may differ by {@code below} only, the cost model's own 1e-9), and when the primaries are equal,
     * each later objective of a lexicographic goal within the tolerance too. Later objectives are
     * checked only where the engine's model states the earlier ones exactly (tolerance 1e-6 or less,
     * or cells written and DRAM bytes, integers in every model): a model that rounds latency or
     * energy can hold two plans of equal price apart at the next level, and may then rightly return
     * the one whose later objective is worse.
     */
    private static void claimCheck(Goal goal, BatchMetrics m, BatchMetrics best, double tol, double below,
                                   List<CheckRow.Finding> findings, List<String> details) {
        for (int level = 0; level < goal.objectives().size(); level++) {
            if (level > 0) {
                Objective earlier = goal.objectives().get(level - 1);
                if (tol > 1e-6 && earlier != Objective.WRITES && earlier != Objective.DRAM) {
                    return;
                }
            }
            Objective o = goal.objectives().get(level);
            double got = o.of(m);
            double want = o.of(best);
            if (got > want * (1 + tol) + ABSOLUTE || got < want * (1 - below) - ABSOLUTE) {
                findings.add(CheckRow.Finding.DISAGREES);
                details.add(String.format(Locale.ROOT, "OPTIMAL %s %s, the enumerated optimum of its scope %s (%+.4g%%, tolerance %.3g%%)",
                        o.label(), got, want, want == 0 ? Double.NaN : 100 * (got / want - 1), 100 * tol));
                return;
            }
            if (Goal.compare(got, want) != 0) {
                return;   // within the tolerance but not equal: later objectives break no tie
            }
        }
    }

    private static boolean near(double a, double b, double rel) {
        return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + ABSOLUTE;
    }

    private static boolean inScope(Plan plan, Scope scope, int units) {
        if (plan.partitions().size() > scope.maxPartitions()) {
            return false;
        }
        if (!scope.contiguous()) {
            return true;
        }
        int[] partOf = plan.partitionOfUnits(units);
        for (int u = 1; u < units; u++) {
            if (partOf[u] < partOf[u - 1]) {
                return false;
            }
        }
        return true;
    }

    private static CheckRow errorRow(CrossCheckCases.Case c, String engine, long millis, String error) {
        Instance in = c.instance();
        return new CheckRow(c.seed(), in.network().name(), in.goal().toString(), in.units().size(), in.ops().size(),
                in.chip().cores(), in.chip().crossbarsPerCore(), in.chip().crossbarRows(), in.batch(),
                String.join(" ", c.features()), c.limits(), engine, "ERROR", "", Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, millis, CheckRow.Finding.ERROR.name(), error);
    }

    private static String oneLine(String note) {
        String s = note == null ? "" : note.replace('\n', ' ');
        return s.length() > 1000 ? s.substring(0, 1000) + "..." : s;
    }
}
