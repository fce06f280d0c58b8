package org.pimopt.solve.cpsat;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;

/**
 * A plan's partitions re-solved with their unit sets held: CP-SAT chooses the copies of one
 * partition's ops (and so its core packing) again, from scratch, with the other partitions as the
 * plan has them, for each partition in turn. An independent check of a claim
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
    public record Outcome(boolean proven, Plan best, BatchMetrics metrics, List<Integer> changed, List<Integer> unfinished,
                          long millis) {}

    public static Outcome resolve(Instance instance, Plan plan, Objective objective, double seconds, int workers) {
        long start = System.nanoTime();
        Loader.loadNativeLibraries();
        long deadline = start + (long) (seconds * 1e9);
        Best best = new Best(plan, plan.evaluate(instance));
        // One partition at a time, the others' copies held: a small model each, whose answer is the
        // best copies of that partition given the rest of the plan. Most close in milliseconds: the
        // first round gives each a tenth of an equal share, and what the quick ones leave goes, in a
        // second round, to those that did not close.
        List<Integer> todo = new ArrayList<>();
        for (int p = 0; p < plan.partitions().size(); p++) {
            todo.add(p);
        }
        for (double fraction : new double[] {0.1, 1.0}) {
            List<Integer> unfinished = new ArrayList<>();
            for (int i = 0; i < todo.size(); i++) {
                double share = fraction * (deadline - System.nanoTime()) / 1e9 / (todo.size() - i);
                if (!resolvePartition(instance, plan, todo.get(i), objective, share, workers, best)) {
                    unfinished.add(todo.get(i));
                }
            }
            todo = unfinished;
        }
        return new Outcome(todo.isEmpty(), best.plan, best.metrics, changed(plan, best.plan), List.copyOf(todo),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The best plan so far and its price. */
    private static final class Best {
        Plan plan;
        BatchMetrics metrics;

        Best(Plan plan, BatchMetrics metrics) {
            this.plan = plan;
            this.metrics = metrics;
        }
    }

    /**
     * Re-chooses the copies of partition {@code free} within {@code seconds}, keeping a better plan
     * in {@code best}; whether CP-SAT proved its search (edp: both of its searches) optimal.
     */
    private static boolean resolvePartition(Instance instance, Plan plan, int free, Objective objective, double seconds,
                                            int workers, Best best) {
        List<Objective> searches = objective == Objective.EDP ? List.of(Objective.LATENCY, Objective.ENERGY) : List.of(objective);
        boolean proven = true;
        for (Objective o : searches) {
            double share = seconds / searches.size();
            if (share < 0.02) {
                return false;
            }
            CpSatModel model = fixed(instance, plan, free);
            if (objective == Objective.EDP) {
                // The other factor may not grow: held at the plan's own value in the model.
                Objective other = o == Objective.LATENCY ? Objective.ENERGY : Objective.LATENCY;
                Long planValue = valueAt(instance, plan, other, share / 3);
                if (planValue == null) {
                    return false;
                }
                model.model.addLessOrEqual(model.objective(other), planValue);
            }
            model.model.minimize(model.objective(o));
            model.hint(plan);
            CpSolver solver = new CpSolver();
            solver.getParameters().setMaxTimeInSeconds(Math.max(0.02, share)).setNumWorkers(Math.max(1, workers))
                    .setCatchSigintSignal(false);
            CpSolverStatus status = solver.solve(model.model);
            proven &= status == CpSolverStatus.OPTIMAL;
            if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
                continue;
            }
            Plan found = model.plan(solver::booleanValue, solver::value);
            if (!Validator.violations(instance, found).isEmpty()) {
                throw new IllegalStateException("re-solving the copies of partition " + free + " gave an invalid plan: "
                        + Validator.violations(instance, found));
            }
            BatchMetrics m = found.evaluate(instance);
            if (objective.of(m) < objective.of(best.metrics)) {
                best.plan = found;
                best.metrics = m;
            }
        }
        return proven;
    }

    /** The model with the plan's unit sets, and the copies of every partition but {@code free} (-1: none free). */
    private static CpSatModel fixed(Instance instance, Plan plan, int free) {
        CpSatModel model = new CpSatModel(instance, plan.partitions().size());
        int[] partOf = plan.partitionOfUnits(instance.units().size());
        for (int u = 0; u < partOf.length; u++) {
            model.model.addEquality(model.x[u][partOf[u]], 1);
        }
        for (int p = 0; p < model.k; p++) {
            if (p == free) {
                continue;
            }
            for (var op : model.ops()) {
                final int part = p;
                if (plan.partitions().get(p).units().stream().anyMatch(u -> model.units().get(u).op() == op.index())) {
                    model.model.addEquality(model.copies[op.index()][part],
                            Math.min(plan.partitions().get(p).replicasOf(op.index()), model.maxCopies(op)));
                }
            }
        }
        return model;
    }

    /** The value of an objective's model expression at the plan itself, or null when not found in time. */
    private static Long valueAt(Instance instance, Plan plan, Objective objective, double seconds) {
        CpSatModel model = fixed(instance, plan, -1);
        model.model.minimize(model.objective(objective));
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(0.02, seconds)).setNumWorkers(1).setCatchSigintSignal(false);
        CpSolverStatus status = solver.solve(model.model);
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
