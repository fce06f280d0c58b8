package org.pimopt.solve;

import java.util.ArrayList;
import java.util.List;

/**
 * How an exact engine's search went: each time its best objective or its proven bound moved, the
 * time, the engine, and both figures (in the goal's primary objective, cost-model units). Engines
 * record here from their own threads; {@code solve} writes it as {@code convergence.csv} and a plot.
 */
public final class Convergence {
    /**
     * @param atNanos   {@link System#nanoTime()} when it was recorded
     * @param objective the best plan's objective so far (NaN before the first plan)
     * @param bound     the best bound proven so far (NaN when none)
     */
    public record Point(String engine, long atNanos, double objective, double bound) {}

    private final List<Point> points = new ArrayList<>();

    /** Records a point, unless it repeats the engine's last one. */
    public synchronized void record(String engine, double objective, double bound) {
        for (int i = points.size() - 1; i >= 0; i--) {
            Point p = points.get(i);
            if (p.engine().equals(engine)) {
                if (same(p.objective(), objective) && same(p.bound(), bound)) {
                    return;
                }
                break;
            }
        }
        points.add(new Point(engine, System.nanoTime(), objective, bound));
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0;
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }
}
