package org.pimopt.report;

import java.util.Locale;
import org.pimopt.solve.Convergence;

/** The exact engines' progress as CSV: one line per point, seconds from the command's start. */
public final class ConvergenceCsv {
    private ConvergenceCsv() {}

    public static String of(Convergence log, String objective, long startNanos) {
        StringBuilder csv = new StringBuilder("engine,seconds," + objective + ",bound,gap\n");
        for (Convergence.Point p : log.points()) {
            double gap = Double.isNaN(p.objective()) || Double.isNaN(p.bound()) || p.objective() == 0 ? Double.NaN
                    : Math.max(0, (p.objective() - p.bound()) / Math.abs(p.objective()));
            csv.append(p.engine()).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", (p.atNanos() - startNanos) / 1e9)).append(',')
                    .append(num(p.objective())).append(',').append(num(p.bound())).append(',').append(num(gap)).append('\n');
        }
        return csv.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
    }
}
