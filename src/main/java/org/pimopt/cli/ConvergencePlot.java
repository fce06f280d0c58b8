package org.pimopt.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.bench.Charts;
import org.pimopt.cost.Objective;
import org.pimopt.plan.PlanIo;
import org.pimopt.report.ConvergenceCsv;
import org.pimopt.solve.Convergence;

/** solve's convergence.csv and convergence.svg: each exact engine's best objective and bound over time. */
final class ConvergencePlot {
    private ConvergencePlot() {}

    /** Writes both files when some engine recorded progress; whether it did. */
    static boolean write(Convergence log, Objective objective, long startNanos, Path out) {
        List<Convergence.Point> points = log.points();
        if (points.isEmpty()) {
            return false;
        }
        PlanIo.writeAtomically(out.resolve("convergence.csv"),
                ConvergenceCsv.of(log, objective.label(), startNanos).getBytes(StandardCharsets.UTF_8));
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
        Charts.lines(out.resolve("convergence.svg"), "How the search converged (" + objective.label() + ")",
                "Each engine's best plan (solid) and proven bound (dashed), seconds from the command's start.",
                "seconds", false, false, List.of(new Charts.Panel(objective.label(), series)));
        return true;
    }
}
