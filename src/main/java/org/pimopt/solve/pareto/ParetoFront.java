package org.pimopt.solve.pareto;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.BatchMetrics;

/**
 * A front as the sweep left it: its points by increasing {@code f} (decreasing {@code g}), none
 * dominated by another; whether it is complete (every point proven over every plan and every range of
 * {@code g} between two neighbours searched, so that a front point not listed lies within a relative
 * {@code eps} below a listed point's {@code g}), why the sweep stopped, and how many sub-solves ran.
 */
public record ParetoFront(ParetoGoals goals, List<ParetoPoint> points, boolean complete, String stopped, int solves,
                          double eps, long millis) {

    public ParetoFront {
        points = List.copyOf(points);
    }

    /** Points proven on the exact front over every plan. */
    public long proven() {
        return points.stream().filter(ParetoPoint::proven).count();
    }

    /**
     * How far a plan (a heuristic's) is from the front: among the front's points that dominate it
     * (or equal it), the nearest one, by the larger of its two relative excesses; null when no point
     * found dominates it (it lies in a range the sweep did not search, or beside an unproven point).
     */
    public Distance distance(BatchMetrics m) {
        Distance best = null;
        for (int i = 0; i < points.size(); i++) {
            BatchMetrics p = points.get(i).metrics();
            if (!goals.dominates(p, m) && !goals.same(p, m)) {
                continue;
            }
            double df = excess(goals.f(m), goals.f(p));
            double dg = excess(goals.g(m), goals.g(p));
            Distance d = new Distance(i + 1, df, dg);
            if (best == null || Math.max(df, dg) < Math.max(best.f(), best.g())) {
                best = d;
            }
        }
        return best;
    }

    /** Indices (1-based) of proven points the plan dominates: never any, if the proofs hold. */
    public List<Integer> dominatedBy(BatchMetrics m) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).proven() && goals.dominates(m, points.get(i).metrics())) {
                out.add(i + 1);
            }
        }
        return out;
    }

    private static double excess(double value, double front) {
        return front == 0 ? (value == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.max(0, value / front - 1);
    }

    /** The nearest dominating point (1-based) and how much worse the plan is in each goal, relative (0.1 = 10%). */
    public record Distance(int point, double f, double g) {}
}
