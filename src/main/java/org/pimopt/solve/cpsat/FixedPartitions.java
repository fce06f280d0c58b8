package org.pimopt.solve.cpsat;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;

/**
 * A plan's partitions re-solved with their unit sets held: CP-SAT chooses every op's copies (and so
 * the core packing) again, from scratch, for the same partitions. An independent check of a claim
 * of optimality: no plan with these unit sets may beat the claimed one. A linear objective is
 * minimized as it stands; edp, a product, is checked on its two factors (least latency at no more
 * energy, least energy at no more latency), so a plan of these unit sets with a lower EDP that is
 * better in neither factor goes unseen.
 */
public final class FixedPartitions {
    private FixedPartitions() {}

    /**
     * @param proven   whether CP-SAT proved its searches optimal (so "not beaten" is a proof for these unit sets)
     * @param best     the best plan CP-SAT found for these unit sets, priced by the cost model (the given plan when none)
     * @param changed  partitions (0-based) whose copies differ in {@code best}
     */
    public record Outcome(boolean proven, Plan best, BatchMetrics metrics, List<Integer> changed, long millis) {}

    public static Outcome resolve(Instance instance, Plan plan, Objective objective, double seconds) {
        long start = System.nanoTime();
        Loader.loadNativeLibraries();
        BatchMetrics given = plan.evaluate(instance);
        Plan best = plan;
        BatchMetrics bestMetrics = given;
        boolean proven = true;
        List<Objective> searches = objective == Objective.EDP ? List.of(Objective.LATENCY, Objective.ENERGY) : List.of(objective);
        for (Objective o : searches) {
            CpSatModel model = new CpSatModel(instance, plan.partitions().size());
            int[] partOf = plan.partitionOfUnits(instance.units().size());
            for (int u = 0; u < partOf.length; u++) {
                model.model.addEquality(model.x[u][partOf[u]], 1);
            }
            if (objective == Objective.EDP) {
                // The other factor may not grow: held at the plan's own value in the model.
                Objective other = o == Objective.LATENCY ? Objective.ENERGY : Objective.LATENCY;
                Long planValue = valueAt(model, plan, model.objective(other), seconds / 4);
                if (planValue == null) {
                    proven = false;
                    continue;
                }
                model.model.addLessOrEqual(model.objective(other), planValue);
            }
            LinearExpr expr = model.objective(o);
            model.model.minimize(expr);
            model.hint(plan);
            CpSolver solver = new CpSolver();
            solver.getParameters().setMaxTimeInSeconds(Math.max(0.1, seconds / searches.size())).setNumWorkers(1)
                    .setCatchSigintSignal(false);
            CpSolverStatus status = solver.solve(model.model);
            proven &= status == CpSolverStatus.OPTIMAL;
            if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
                continue;
            }
            Plan found = model.plan(solver::booleanValue, solver::value);
            if (!Validator.violations(instance, found).isEmpty()) {
                throw new IllegalStateException("re-solving the partitions gave an invalid plan: "
                        + Validator.violations(instance, found));
            }
            BatchMetrics m = found.evaluate(instance);
            if (objective.of(m) < objective.of(bestMetrics)) {
                best = found;
                bestMetrics = m;
            }
        }
        return new Outcome(proven, best, bestMetrics, changed(plan, best), (System.nanoTime() - start) / 1_000_000);
    }

    /** The value of a model expression at the plan's placement and copies, or null when not found in time. */
    private static Long valueAt(CpSatModel model, Plan plan, LinearExpr expr, double seconds) {
        CpSatModel fixed = new CpSatModel(model.instance, model.k);
        int[] partOf = plan.partitionOfUnits(fixed.units().size());
        for (int u = 0; u < partOf.length; u++) {
            fixed.model.addEquality(fixed.x[u][partOf[u]], 1);
        }
        for (int p = 0; p < fixed.k; p++) {
            for (var op : fixed.ops()) {
                if (plan.partitions().get(p).units().stream().anyMatch(u -> fixed.units().get(u).op() == op.index())) {
                    fixed.model.addEquality(fixed.copies[op.index()][p],
                            Math.min(plan.partitions().get(p).replicasOf(op.index()), fixed.maxCopies(op)));
                }
            }
        }
        LinearExpr same = expr == model.latency ? fixed.latency : fixed.energy;
        fixed.model.minimize(same);
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(0.1, seconds)).setNumWorkers(1).setCatchSigintSignal(false);
        CpSolverStatus status = solver.solve(fixed.model);
        return status == CpSolverStatus.OPTIMAL ? Math.round(solver.objectiveValue()) : null;
    }

    private static java.util.Map<Integer, Integer> copies(org.pimopt.plan.Partition p) {
        java.util.Map<Integer, Integer> out = new java.util.TreeMap<>();
        p.replication().forEach((op, r) -> {
            if (r > 1) {
                out.put(op, r);
            }
        });
        return out;
    }

    private static List<Integer> changed(Plan a, Plan b) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < Math.min(a.partitions().size(), b.partitions().size()); p++) {
            if (!copies(a.partitions().get(p)).equals(copies(b.partitions().get(p)))) {
                out.add(p);
            }
        }
        return out;
    }
}
