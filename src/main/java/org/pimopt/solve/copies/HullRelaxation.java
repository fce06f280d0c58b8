package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.problem.OpInfo;

/**
 * The fractional relaxation {@link StepFloor} prices: each op's cost against the crossbars its
 * copies take, as the lower convex hull of its useful copy counts ({@link Hull}), and the least
 * total over ops sharing a capacity when copies may be fractions, found by taking the hulls'
 * falling segments steepest first ({@link #relaxed}, {@link #descent}).
 */
final class HullRelaxation {
    private HullRelaxation() {}

    /**
     * An op's cost {@code ceil(N / r) t + rows r w} against the crossbars {@code crossbars r} its
     * copies take: the lower convex hull of its useful counts' points, crossbars rising.
     */
    record Hull(double[] crossbars, double[] costs, double[] slopes) {
        Hull(double[] crossbars, double[] costs) {
            this(crossbars, costs, new double[Math.max(0, crossbars.length - 1)]);
            for (int i = 0; i + 1 < crossbars.length; i++) {
                slopes[i] = (costs[i + 1] - costs[i]) / (crossbars[i + 1] - crossbars[i]);
            }
        }

        /**
         * The lower hull of {@code op}'s useful copy counts within {@code capacity}, a copy taking
         * {@code crossbars} and writing {@code rows} rows; {@code t} an MVM step's time and
         * {@code rowNs} a row's write time.
         */
        static Hull lowest(OpInfo op, long crossbars, long rows, long capacity, double t, double rowNs) {
            int[] counts = op.usefulCopies(Math.max(1, capacity / crossbars));
            List<double[]> points = new ArrayList<>();   // (crossbars, cost), rising crossbars
            for (int r : counts) {
                long steps = new PartitionProfile.Stage(op.index(), op.positions(), r).stepsPerReplica();
                double cost = steps * t + (double) rows * r * rowNs;
                double[] point = {(double) crossbars * r, cost};
                // Lower hull: drop the last point while it is not below the chord to the new one.
                while (points.size() >= 2) {
                    double[] a = points.get(points.size() - 2);
                    double[] b = points.get(points.size() - 1);
                    if ((b[1] - a[1]) * (point[0] - a[0]) >= (point[1] - a[1]) * (b[0] - a[0])) {
                        points.remove(points.size() - 1);
                    } else {
                        break;
                    }
                }
                points.add(point);
            }
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = points.get(i)[0];
                ys[i] = points.get(i)[1];
            }
            return new Hull(xs, ys);
        }

        double slope(int i) {
            return slopes[i];
        }

        /** The segment {@code x} lies on (its left end at or below {@code x}); the last point's index past the end. */
        int segmentAt(double x) {
            int i = java.util.Arrays.binarySearch(crossbars, x);
            int at = i >= 0 ? i : -i - 2;
            return Math.max(0, at);
        }

        /** The hull's cost at {@code x} crossbars, within its range. */
        double at(double x) {
            int i = segmentAt(x);
            return i + 1 < crossbars.length ? costs[i] + slope(i) * (x - crossbars[i]) : costs[i];
        }
    }

    /**
     * The least total cost of the ops, op {@code o} from {@code from[o]} crossbars on, all within
     * {@code capacity}, copies taken fractionally along their hulls (the linear relaxation of
     * choosing one count per op, solved by taking the falling segments steepest first): no integer
     * choice with at least those crossbars per op costs less. Infinite when the starts do not fit.
     * {@code at}: filled with the crossbars each op ends at.
     */
    static double relaxed(List<Hull> ops, double[] from, long capacity, double[] at) {
        double total = 0;
        double left = capacity;
        System.arraycopy(from, 0, at, 0, from.length);
        // Each hull's segments come steepest first: merge them through a heap of the ops' next ones.
        SegmentHeap next = new SegmentHeap(ops.size());
        for (int o = 0; o < ops.size(); o++) {
            Hull h = ops.get(o);
            total += h.at(at[o]);
            left -= at[o];
            int i = h.segmentAt(at[o]);
            if (i + 1 < h.crossbars().length && h.slope(i) < 0) {
                next.add(o, i, h.slope(i));
            }
        }
        if (left < 0) {
            return Double.POSITIVE_INFINITY;
        }
        while (!next.isEmpty() && left > 0) {
            int o = next.op();
            int i = next.segment();
            next.pop();
            Hull h = ops.get(o);
            double dx = h.crossbars()[i + 1] - at[o];
            if (dx > left) {
                at[o] += left;
                return total + h.slope(i) * left;
            }
            total += h.slope(i) * dx;
            left -= dx;
            at[o] = h.crossbars()[i + 1];
            if (i + 2 < h.crossbars().length && h.slope(i + 1) < 0) {
                next.add(o, i + 1, h.slope(i + 1));
            }
        }
        return total;
    }

    /** A binary heap of (op, segment) by slope, least first: at most one entry per op. */
    private static final class SegmentHeap {
        private final int[] ops;
        private final int[] segments;
        private final double[] slopes;
        private int size;

        SegmentHeap(int capacity) {
            ops = new int[capacity];
            segments = new int[capacity];
            slopes = new double[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int op() {
            return ops[0];
        }

        int segment() {
            return segments[0];
        }

        void add(int op, int segment, double slope) {
            int i = size++;
            while (i > 0 && slopes[(i - 1) / 2] > slope) {
                move((i - 1) / 2, i);
                i = (i - 1) / 2;
            }
            set(i, op, segment, slope);
        }

        void pop() {
            size--;
            int op = ops[size];
            int segment = segments[size];
            double slope = slopes[size];
            int i = 0;
            while (2 * i + 1 < size) {
                int child = 2 * i + 1;
                if (child + 1 < size && slopes[child + 1] < slopes[child]) {
                    child++;
                }
                if (slopes[child] >= slope) {
                    break;
                }
                move(child, i);
                i = child;
            }
            if (size > 0) {
                set(i, op, segment, slope);
            }
        }

        private void move(int from, int to) {
            set(to, ops[from], segments[from], slopes[from]);
        }

        private void set(int i, int op, int segment, double slope) {
            ops[i] = op;
            segments[i] = segment;
            slopes[i] = slope;
        }
    }

    /**
     * The steepest-first descent of the ops' summed cost from {@code from}: breakpoints
     * {@code {costs, crossbars}}, cost falling and crossbars rising; each point is the least
     * crossbars at which the fractional relaxation reaches that cost.
     */
    static double[][] descent(List<Hull> ops, double[] from) {
        List<double[]> points = new ArrayList<>();
        double[] at = from.clone();
        double cost = 0;
        double used = 0;
        SegmentHeap next = new SegmentHeap(ops.size());
        for (int o = 0; o < ops.size(); o++) {
            Hull h = ops.get(o);
            cost += h.at(at[o]);
            used += at[o];
            int i = h.segmentAt(at[o]);
            if (i + 1 < h.crossbars().length && h.slope(i) < 0) {
                next.add(o, i, h.slope(i));
            }
        }
        points.add(new double[] {cost, used});
        while (!next.isEmpty()) {
            int o = next.op();
            int i = next.segment();
            next.pop();
            Hull h = ops.get(o);
            double dx = h.crossbars()[i + 1] - at[o];
            cost += h.slope(i) * dx;
            used += dx;
            at[o] = h.crossbars()[i + 1];
            points.add(new double[] {cost, used});
            if (i + 2 < h.crossbars().length && h.slope(i + 1) < 0) {
                next.add(o, i + 1, h.slope(i + 1));
            }
        }
        double[][] out = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
        }
        return out;
    }

    /** The least crossbars at which a descent's cost is at most {@code target} (infinite if never). */
    static double crossbarsAt(double[][] descent, double target) {
        double[] costs = descent[0];
        double[] crossbars = descent[1];
        if (target >= costs[0]) {
            return crossbars[0];
        }
        for (int i = 1; i < costs.length; i++) {
            if (costs[i] <= target) {
                double share = (costs[i - 1] - target) / (costs[i - 1] - costs[i]);
                return crossbars[i - 1] + share * (crossbars[i] - crossbars[i - 1]);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
