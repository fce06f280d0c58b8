package org.pimopt.solve.copies;

import java.util.List;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/** Bounds shared by the MILP and Choco models. */
public final class CopyCounts {
    private CopyCounts() {}

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
