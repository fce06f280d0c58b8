package org.pimopt.solve.mip;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/** The copy counts an exact model needs to consider for an op (shared by the MILP and Choco models). */
public final class CopyCounts {
    private CopyCounts() {}

    /** Most copies of an op worth having: no more than its MVM steps, nor than the chip holds. */
    public static int max(Instance instance, OpInfo op) {
        int smallest = Integer.MAX_VALUE;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            smallest = Math.min(smallest, instance.units().get(u).crossbars());
        }
        return (int) Math.max(1, Math.min(op.positions(), instance.chip().totalCrossbars() / smallest));
    }

    /**
     * The copy counts {@code r <= max} at which {@code ceil(N / r)} drops. Any other count costs
     * more crossbars, rows and cells than the smallest count with the same steps and saves nothing,
     * so leaving it out loses no optimum for any objective.
     */
    public static int[] useful(long positions, int max) {
        List<Integer> out = new ArrayList<>();
        long previous = Long.MAX_VALUE;
        for (int r = 1; r <= max; r++) {
            long steps = (positions + r - 1) / r;
            if (steps < previous) {
                out.add(r);
                previous = steps;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The most rows, cells and weight bytes any unit programs per crossbar it occupies: times the
     * crossbars on chip, they bound what one partition can program (big-M terms of both models).
     */
    public record Density(double rowsPerCrossbar, double cellsPerCrossbar, double bytesPerCrossbar) {
        public static Density of(List<UnitRef> units) {
            double rows = 0;
            double cells = 0;
            double bytes = 0;
            for (UnitRef ref : units) {
                rows = Math.max(rows, (double) ref.unit().rowsProgrammed() / ref.crossbars());
                cells = Math.max(cells, (double) ref.unit().cellsWritten() / ref.crossbars());
                bytes = Math.max(bytes, (double) ref.unit().weightBytes() / ref.crossbars());
            }
            return new Density(rows, cells, bytes);
        }
    }
}
