package org.pimopt.solve.pareto;

import java.util.List;
import org.pimopt.PimoptException;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;

/**
 * The two goals of a front ({@code solve --pareto latency,energy}): {@code f} is swept (least first),
 * {@code g} is the one limited. Any two distinct figures of latency, energy, writes and dram; edp is
 * a product of two of them, not a goal a front trades.
 */
public record ParetoGoals(Objective f, Objective g) {
    /** The figures a front may trade. */
    public static final List<Objective> FIGURES = List.of(Objective.LATENCY, Objective.ENERGY, Objective.WRITES, Objective.DRAM);

    public ParetoGoals {
        if (!FIGURES.contains(f) || !FIGURES.contains(g)) {
            throw new PimoptException("--pareto: edp is a product of latency and energy, not a goal of a front; use two of"
                    + " latency, energy, writes, dram (e.g. --pareto latency,energy)");
        }
        if (f == g) {
            throw new PimoptException("--pareto names " + f.label() + " twice; give two different goals, e.g. --pareto latency,energy");
        }
    }

    /** {@code latency,energy}; one clear line on anything else. */
    public static ParetoGoals parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new PimoptException("--pareto takes two goals separated by a comma, e.g. --pareto latency,energy (got '"
                    + text + "'; goals: latency, energy, writes, dram)");
        }
        Objective f;
        Objective g;
        try {
            f = Objective.parse(parts[0]);
            g = Objective.parse(parts[1]);
        } catch (PimoptException e) {
            throw new PimoptException("--pareto '" + text + "': " + e.getMessage().replace(", edp", ""));
        }
        return new ParetoGoals(f, g);
    }

    /** Least {@code f}, then least {@code g}: a sweep point's goal. */
    public Goal fThenG() {
        return Goal.of(f, g);
    }

    /** Least {@code g}, then least {@code f}: the front's last point. */
    public Goal gThenF() {
        return Goal.of(g, f);
    }

    public double f(BatchMetrics m) {
        return f.of(m);
    }

    public double g(BatchMetrics m) {
        return g.of(m);
    }

    /** Whether {@code a} dominates {@code b}: no worse in both, better in one (values within 1e-9 are equal). */
    public boolean dominates(BatchMetrics a, BatchMetrics b) {
        int cf = Goal.compare(f(a), f(b));
        int cg = Goal.compare(g(a), g(b));
        return cf <= 0 && cg <= 0 && (cf < 0 || cg < 0);
    }

    /** Whether both figures are equal (within 1e-9). */
    public boolean same(BatchMetrics a, BatchMetrics b) {
        return Goal.compare(f(a), f(b)) == 0 && Goal.compare(g(a), g(b)) == 0;
    }

    public String label() {
        return f.label() + "," + g.label();
    }
}
