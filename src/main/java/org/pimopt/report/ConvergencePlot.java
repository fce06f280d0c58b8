package org.pimopt.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pimopt.cost.Objective;
import org.pimopt.plan.PlanIo;
import org.pimopt.solve.Convergence;

/**
 * solve's convergence.csv and convergence.svg: each exact engine's best objective and bound over
 * time. The same chart goes inline into the HTML report ({@link #element}).
 */
public final class ConvergencePlot {
    private static final String FOOTNOTE = "Each engine's best plan (solid) and proven bound (dashed), seconds from the"
            + " command's start.";

    private ConvergencePlot() {}

    /** Writes both files when some engine recorded progress; whether it did. */
    public static boolean write(Convergence log, Objective objective, long startNanos, Path out) {
        List<Convergence.Point> points = log.points();
        if (points.isEmpty()) {
            return false;
        }
        PlanIo.writeAtomically(out.resolve("convergence.csv"),
                ConvergenceCsv.of(log, objective.label(), startNanos).getBytes(StandardCharsets.UTF_8));
        Charts.lines(out.resolve("convergence.svg"), title(objective), FOOTNOTE, "seconds", false, false, panels(points,
                objective, startNanos));
        return true;
    }

    /** The chart as an inline {@code <svg>} element, or empty when no engine recorded progress. */
    public static Optional<String> element(Convergence log, Objective objective, long startNanos) {
        List<Convergence.Point> points = log.points();
        if (points.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Charts.linesElement(title(objective), FOOTNOTE, "seconds", false, false,
                panels(points, objective, startNanos)));
    }

    private static String title(Objective objective) {
        return "How the search converged (" + objective.label() + ")";
    }

    private static List<Charts.Panel> panels(List<Convergence.Point> points, Objective objective, long startNanos) {
        Map<String, List<double[]>> best = new LinkedHashMap<>();
        Map<String, List<double[]>> bound = new LinkedHashMap<>();
        for (Convergence.Point p : points) {
            double t = (p.atNanos() - startNanos) / 1e9;
            if (!Double.isNaN(p.objective())) {
                best.computeIfAbsent(p.engine(), k -> new ArrayList<>()).add(new double[] {t, p.objective()});
            }
            if (!Double.isNaN(p.bound())) {
                bound.computeIfAbsent(p.engine(), k -> new ArrayList<>()).add(new double[] {t, p.bound()});
            }
        }
        List<Charts.Series> series = new ArrayList<>();
        best.forEach((engine, pts) -> series.add(new Charts.Series(engine + " best", pts, false)));
        bound.forEach((engine, pts) -> series.add(new Charts.Series(engine + " bound", pts, true)));
        return List.of(new Charts.Panel(objective.label(), series));
    }
}
