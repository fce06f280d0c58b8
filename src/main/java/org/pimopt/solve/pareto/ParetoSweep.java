package org.pimopt.solve.pareto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Limit;
import org.pimopt.cost.Limits;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.exact.ExactStrategy;

/**
 * The Pareto front of two goals {@code (f, g)} by the epsilon-constraint method
 * (formulations/pareto.md): every point is the lexicographic optimum of {@code (f, g)} under a limit
 * {@code g <= e}, solved by the {@code exact} portfolio, and such an optimum, when proven, is
 * Pareto-optimal. First the least-{@code f} point (no limit) and the least-{@code g} point
 * ({@code (g, f)}), and for latency and energy the least edp; then, between two neighbours {@code P}
 * (more {@code g}) and {@code Q}, the ranges of {@code g} in {@code (g(Q), g(P)(1-eps)]} not yet known
 * to hold no front point are searched, the widest first: a fresh one (nothing below its top searched)
 * wider than the front's span over the point budget at its middle (so that a small budget spreads its
 * points), any other at its top (which finds the next point below {@code P}, or shows there is none). A proven answer {@code R} under {@code g <= e} shows that no
 * front point has {@code g} in {@code (g(R), e]}; the front is complete when every range is so
 * covered and every point proven.
 */
public final class ParetoSweep {
    /** Sub-solves by default ({@code --pareto-points}): the least-f and least-g points and six between. */
    public static final int DEFAULT_SOLVES = 8;

    /**
     * How much below a point's {@code g} the next point's must be, relative: two plans closer than
     * that are one trade-off, and CP-SAT posts a limit with a slack of its rounding (about 1e-6
     * relative, formulations/limits.md), which a smaller step would fall inside.
     */
    public static final double DEFAULT_EPS = 1e-3;

    /** {@link ParetoFront#stopped} when no range is left to search (the front is complete if every answer was proven). */
    public static final String SEARCHED = "every range searched";

    /** Less time than this left, no sub-solve starts: the exact portfolio needs it to load and build. */
    static final long MIN_SOLVE_MILLIS = 250;

    private final Instance base;
    private final ParetoGoals goals;
    private final int maxSolves;
    private final double eps;
    private final Supplier<Strategy> engine;

    /** {@code base}: the instance (its goal's limits are kept at every point; its objectives are replaced). */
    public ParetoSweep(Instance base, ParetoGoals goals, int maxSolves, double eps) {
        this(base, goals, maxSolves, eps, ExactStrategy::new);
    }

    ParetoSweep(Instance base, ParetoGoals goals, int maxSolves, double eps, Supplier<Strategy> engine) {
        if (maxSolves < 2) {
            throw new org.pimopt.PimoptException("--pareto-points must be at least 2 (the least-" + goals.f().label()
                    + " and least-" + goals.g().label() + " points), got " + maxSolves);
        }
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.base = base;
        this.goals = goals;
        this.maxSolves = maxSolves;
        this.eps = eps;
        this.engine = engine;
    }

    /** A plan known before or during the sweep, priced: warm starts are drawn from these. */
    private record Known(Plan plan, BatchMetrics metrics) {}

    /** A range {@code (lo, hi]} of {@code g} known to hold no front point (or given up on). */
    private record Covered(double lo, double hi) {}

    /**
     * Runs the sweep until the front is complete, {@code maxSolves} sub-solves have run, the deadline
     * comes or the options' cancel flag is set; what was found is returned in every case.
     *
     * @param known plans to start from (the heuristics'), any goal
     */
    public ParetoFront run(SolveOptions options, long deadlineNanos, List<Plan> known) {
        long start = System.nanoTime();
        List<Known> plans = new ArrayList<>();
        for (Plan p : known) {
            if (p != null && Validator.violations(base, p).isEmpty()) {
                plans.add(new Known(p, p.evaluate(base)));
            }
        }
        List<ParetoPoint> found = new ArrayList<>();
        // The goal each point was asked with, to ask again with more time (step 4).
        java.util.Map<ParetoPoint, Goal> asked = new java.util.IdentityHashMap<>();
        List<Covered> covered = new ArrayList<>();
        boolean allCovered = true;   // every solve that covered a range proved it
        int solves = 0;
        String stopped = null;
        // 1. The least f, then 2. the least g: the front's two ends. They and the least edp get larger
        // shares than the runs between (each a share of what is left over the ends left plus one for all
        // the others): dp-lattice proves them over every plan when it has the time (squeezenet1_1 on
        // compass-s: not in an eighth of 60 s), while the runs between mostly go to CP-SAT, which
        // seldom closes them on real networks whatever its share.
        int ends = isLatencyEnergy() ? 3 : 2;
        for (Goal goal : List.of(goals.fThenG(), goals.gThenF())) {
            String why = stopReason(options, deadlineNanos, solves);
            if (why != null) {
                stopped = why;
                break;
            }
            Attempt a = solve(goal, Double.POSITIVE_INFINITY, plans, options, deadlineNanos,
                    Math.min(maxSolves - solves, ends - solves + 1));
            solves++;
            if (a.point() == null) {
                stopped = "the " + (goal.primary() == goals.f() ? "least-" + goals.f().label() : "least-" + goals.g().label())
                        + " sub-solve found no plan: " + a.why();
                break;
            }
            asked.put(a.point(), goal);
            add(found, a.point(), options);
            plans.add(new Known(a.point().plan(), a.point().metrics()));
        }
        // For latency and energy, the least edp too: a plan better in both would have a smaller
        // product, so a proven edp optimum is on the front, and dp-lattice proves it on networks
        // where CP-SAT under a limit does not (resnet18: a point between the ends).
        if (stopped == null && found.size() == 2 && isLatencyEnergy()) {
            String why = stopReason(options, deadlineNanos, solves);
            if (why != null) {
                stopped = why;
            } else {
                Attempt a = solve(Goal.of(Objective.EDP), Double.POSITIVE_INFINITY, plans, options, deadlineNanos,
                        Math.min(maxSolves - solves, 2));
                solves++;
                if (a.point() != null) {
                    asked.put(a.point(), Goal.of(Objective.EDP));
                    add(found, a.point(), options);
                    plans.add(new Known(a.point().plan(), a.point().metrics()));
                }
            }
        }
        // 3. The ranges between neighbours, the widest first.
        while (stopped == null && found.size() >= 1) {
            double[] range = widestOpen(found, covered);
            if (range == null) {
                stopped = SEARCHED;
                break;
            }
            String why = stopReason(options, deadlineNanos, solves);
            if (why != null) {
                stopped = why;
                break;
            }
            // A fresh range (nothing below its top searched yet) wider than the span over the budget is
            // cut at its middle, so that a small budget spreads its points; any other range is searched
            // at its top, which finds the next point below its upper neighbour or closes the range.
            double span = goals.g(found.get(0).metrics()) - goals.g(found.get(found.size() - 1).metrics());
            boolean wide = range[1] - range[0] > span / Math.max(1, maxSolves - 1);
            boolean fresh = found.stream().anyMatch(q -> goals.g(q.metrics()) == range[0]);
            double limit = wide && fresh ? (range[0] + range[1]) / 2 : range[1];
            Attempt a = solve(goals.fThenG(), limit, plans, options, deadlineNanos, maxSolves - solves);
            solves++;
            if (a.point() == null) {
                // Nothing known about the range: given up, so the front is not complete.
                covered.add(new Covered(range[0], limit));
                allCovered = false;
                options.progress().accept(String.format(Locale.ROOT, "pareto: no plan with %s <= %.6g in time (%s)",
                        goals.g().label(), limit, a.why()));
                continue;
            }
            // The answer under g <= limit is the least f there: no front point has g in (g(R), limit].
            covered.add(new Covered(goals.g(a.point().metrics()), limit));
            allCovered &= a.point().proven();
            asked.put(a.point(), goals.fThenG());
            add(found, a.point(), options);
            plans.add(new Known(a.point().plan(), a.point().metrics()));
        }
        // 4. Time left once every range is searched: the unproven points again, each with an equal
        // share of it (googlenet: a least-latency run a sixth of the budget left unproven, while the
        // sweep ended at half of it). Not counted in the point budget: it only uses time left over.
        if (SEARCHED.equals(stopped)) {
            refine(found, asked, plans, options, deadlineNanos);
        }
        boolean complete = SEARCHED.equals(stopped) && allCovered && found.stream().allMatch(ParetoPoint::proven);
        return new ParetoFront(goals, found, complete, stopped == null ? "no plan" : stopped, solves, eps,
                (System.nanoTime() - start) / 1_000_000);
    }

    private boolean isLatencyEnergy() {
        return java.util.Set.of(goals.f(), goals.g()).equals(java.util.Set.of(Objective.LATENCY, Objective.ENERGY));
    }

    /**
     * The unproven points asked again, least f first, each in an equal share of the time left, from
     * the best plan known; a better or proven answer takes the point's place.
     */
    private void refine(List<ParetoPoint> found, java.util.Map<ParetoPoint, Goal> asked, List<Known> plans,
                        SolveOptions options, long deadlineNanos) {
        List<ParetoPoint> unproven = found.stream().filter(p -> !p.proven() && asked.containsKey(p)).toList();
        for (int i = 0; i < unproven.size(); i++) {
            ParetoPoint old = unproven.get(i);
            if (options.cancelled().get() || (deadlineNanos - System.nanoTime()) / 1_000_000 < 4 * MIN_SOLVE_MILLIS) {
                return;
            }
            Attempt a = solve(asked.get(old), old.limit(), plans, options, deadlineNanos, unproven.size() - i);
            if (a.point() == null) {
                continue;
            }
            Goal goal = asked.get(old);
            boolean better = a.point().proven() || goal.comparator().compare(a.point().metrics(), old.metrics()) < 0;
            // An answer another point dominates or equals would leave the old point's place empty.
            boolean beaten = found.stream().anyMatch(q -> q != old && (goals.dominates(q.metrics(), a.point().metrics())
                    || goals.same(q.metrics(), a.point().metrics())));
            if (better && !beaten && found.remove(old)) {
                options.progress().accept("pareto: asked again with the time left: " + old.how());
                add(found, a.point(), options);
                plans.add(new Known(a.point().plan(), a.point().metrics()));
            }
        }
    }

    /** Why no further sub-solve starts, or null. */
    private String stopReason(SolveOptions options, long deadlineNanos, int solves) {
        if (options.cancelled().get()) {
            return "interrupted (Ctrl-C)";
        }
        if (solves >= maxSolves) {
            return "point budget (" + maxSolves + " sub-solves, --pareto-points)";
        }
        if ((deadlineNanos - System.nanoTime()) / 1_000_000 < MIN_SOLVE_MILLIS) {
            return "time";
        }
        return null;
    }

    /**
     * The widest range {@code (lo, hi]} of {@code g} between two neighbours not yet covered, or null
     * when none is left. Between {@code P} and {@code Q} (less {@code g}) the range is
     * {@code (g(Q), g(P)(1-eps)]} less what earlier sub-solves covered.
     */
    private double[] widestOpen(List<ParetoPoint> found, List<Covered> covered) {
        double[] best = null;
        for (int i = 0; i + 1 < found.size(); i++) {
            double lo = goals.g(found.get(i + 1).metrics());
            double hi = goals.g(found.get(i).metrics()) * (1 - eps);
            for (double[] piece : uncovered(lo, hi, covered)) {
                if (best == null || piece[1] - piece[0] > best[1] - best[0]) {
                    best = piece;
                }
            }
        }
        return best;
    }

    /** {@code (lo, hi]} less the covered ranges, as pieces; none when what is left is within rounding. */
    static List<double[]> uncovered(double lo, double hi, List<Covered> covered) {
        List<Covered> sorted = covered.stream().sorted(Comparator.comparingDouble(Covered::lo)).toList();
        List<double[]> out = new ArrayList<>();
        double from = lo;
        for (Covered c : sorted) {
            if (c.hi() <= from || c.lo() >= hi) {
                continue;
            }
            if (c.lo() > from) {
                out.add(new double[] {from, c.lo()});
            }
            from = Math.max(from, c.hi());
        }
        if (from < hi) {
            out.add(new double[] {from, hi});
        }
        out.removeIf(p -> Goal.compare(p[0], p[1]) >= 0);
        return out;
    }

    /** A sub-solve's point, or null and why not. */
    private record Attempt(ParetoPoint point, String why) {}

    /** One sub-solve: the exact engine on the goal under {@code g <= limit}, in a share of what is left: 1 / {@code runsLeft}. */
    private Attempt solve(Goal goal, double limit, List<Known> plans, SolveOptions options, long deadlineNanos, int runsLeft) {
        List<Limit> limits = new ArrayList<>(base.goal().limits().limits());
        if (Double.isFinite(limit)) {
            limits.add(new Limit(goals.g(), limit, String.format(Locale.ROOT, "%s=%.9g (pareto)", goals.g().label(), limit)));
        }
        Instance in = base.withGoal(goal.withLimits(new Limits(limits)));
        // The best plan known that meets the limits: the sub-solve starts from it (and CP-SAT's partition
        // limit follows from its partitions); a plan that breaks them only when none meets them.
        Known warm = plans.stream().min((a, b) -> in.goal().comparator().compare(a.metrics(), b.metrics())).orElse(null);
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        long share = Math.max(1, left / Math.max(1, runsLeft));
        SolveOptions sub = options.withTimeoutMillis(share).withWarmStart(warm == null ? null : warm.plan())
                .withConvergence(new Convergence());
        long t0 = System.nanoTime();
        SolveResult r;
        try {
            r = engine.get().solve(in, sub);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // A failed sub-solve costs its range, not the points already found.
            return new Attempt(null, "the sub-solve failed: " + e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (r.plan() == null) {
            return new Attempt(null, r.status() + (r.note() == null || r.note().isEmpty() ? "" : ": " + r.note()));
        }
        List<String> violations = Validator.violations(in, r.plan());
        if (!violations.isEmpty()) {
            return new Attempt(null, "invalid plan: " + violations.get(0));
        }
        BatchMetrics m = r.plan().evaluate(in);
        if (!in.goal().meetsLimits(m)) {
            return new Attempt(null, "its plan breaks " + in.goal().limits().broken(m).stream().map(Limit::stated).toList());
        }
        boolean optimal = r.status() == Status.OPTIMAL;
        String how = "least " + goal.primary().label() + (Double.isFinite(limit) ? String.format(Locale.ROOT, " with %s <= %.6g",
                goals.g().label(), limit) : "");
        return new Attempt(new ParetoPoint(r.plan(), m, optimal ? Status.OPTIMAL : Status.FEASIBLE, scope(r, in),
                r.provenBy(), optimal ? Double.valueOf(0) : r.gap(), limit, how, ms, r.note()), null);
    }

    /**
     * 0 when the result's status and bound speak of every plan, else the partitions CP-SAT's model
     * was held to. dp-lattice's OPTIMAL covers every plan. Whatever CP-SAT touched covers plans of at
     * most its {@code maxPartitions}, all of them only when that reaches the units (a partition holds
     * a unit at least): also an OPTIMAL by {@code bound}, whose bound settles the first goal only, the
     * second being CP-SAT's. A bound alone (no CP-SAT) covers every plan.
     */
    private static int scope(SolveResult r, Instance in) {
        if (r.status() == Status.OPTIMAL && r.provenBy().equals("dp-lattice")) {
            return 0;
        }
        Object k = r.stats().get("maxPartitions");
        if (k == null) {
            return 0;
        }
        int max = Integer.parseInt(k.toString());
        return max >= in.units().size() ? 0 : max;
    }

    /**
     * Adds a point unless a point found dominates or equals it; drops the points it dominates (only
     * unproven ones can be: a proven point has none better in both). Keeps them by decreasing g.
     */
    private void add(List<ParetoPoint> found, ParetoPoint p, SolveOptions options) {
        for (ParetoPoint q : found) {
            if (goals.dominates(q.metrics(), p.metrics()) || goals.same(q.metrics(), p.metrics())) {
                options.progress().accept(String.format(Locale.ROOT, "pareto: %s: %s %.6g, %s %.6g (%s%s), %s a point"
                        + " found, in %.2f s", p.how(), goals.f().label(), goals.f(p.metrics()),
                        goals.g().label(), goals.g(p.metrics()), p.status(), p.gap() == null ? "" : String.format(Locale.ROOT,
                        ", gap %.2f%%", 100 * p.gap()), goals.same(q.metrics(), p.metrics()) ? "the same as" : "dominated by",
                        p.millis() / 1000.0));
                return;
            }
        }
        found.removeIf(q -> goals.dominates(p.metrics(), q.metrics()));
        found.add(p);
        found.sort(Comparator.comparingDouble((ParetoPoint q) -> goals.g(q.metrics())).reversed());
        options.progress().accept(String.format(Locale.ROOT, "pareto: %s: %s %.6g, %s %.6g: %s%s in %.2f s", p.how(), goals.f().label(),
                goals.f(p.metrics()), goals.g().label(), goals.g(p.metrics()), p.status(),
                p.proven() ? " (" + p.provenBy() + ")" : p.status() == Status.OPTIMAL ? " among " + p.scope()
                        : p.gap() == null ? "" : String.format(Locale.ROOT, ", gap %.2f%%", 100 * p.gap()), p.millis() / 1000.0));
    }
}
