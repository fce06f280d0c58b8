package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.List;

/**
 * A lower point of what some ops' copies take: fill and slowest stage in MVM steps, rows, cells,
 * and the half-cores their pieces claim ({@link org.pimopt.cost.CorePacking#halfCores}). Every
 * choice of the ops' copies takes at least as much as one of a set of such points in each figure,
 * and the cost model grows with each, so pricing the points bounds a subtree of the copy search
 * without searching it.
 */
record LowerPoint(long fillSteps, long slowestSteps, long rows, long cells, long halfCores) {
    boolean below(LowerPoint o) {
        return fillSteps <= o.fillSteps && slowestSteps <= o.slowestSteps && rows <= o.rows && cells <= o.cells
                && halfCores <= o.halfCores;
    }

    /** Fill, then rows, slowest and cells: the order {@link #lowerFront} merges neighbours in. */
    int compareTo(LowerPoint o) {
        int c = Long.compare(fillSteps, o.fillSteps);
        if (c == 0) {
            c = Long.compare(rows, o.rows);
        }
        if (c == 0) {
            c = Long.compare(slowestSteps, o.slowestSteps);
        }
        return c != 0 ? c : Long.compare(cells, o.cells);
    }

    LowerPoint min(LowerPoint o) {
        return new LowerPoint(Math.min(fillSteps, o.fillSteps), Math.min(slowestSteps, o.slowestSteps),
                Math.min(rows, o.rows), Math.min(cells, o.cells), Math.min(halfCores, o.halfCores));
    }

    /** The points not above another, at most {@code most} of them (neighbours in fill order merged). */
    static List<LowerPoint> lowerFront(List<LowerPoint> points, int most) {
        List<LowerPoint> sorted = new ArrayList<>(points);
        sorted.sort(LowerPoint::compareTo);
        List<LowerPoint> front = new ArrayList<>();
        for (LowerPoint p : sorted) {
            boolean covered = false;
            for (LowerPoint q : front) {
                if (q.below(p)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                front.add(p);
            }
        }
        while (front.size() > most) {
            List<LowerPoint> merged = new ArrayList<>();
            for (int k = 0; k < front.size(); k += 2) {
                merged.add(k + 1 < front.size() ? front.get(k).min(front.get(k + 1)) : front.get(k));
            }
            front = merged;
        }
        return List.copyOf(front);
    }
}
