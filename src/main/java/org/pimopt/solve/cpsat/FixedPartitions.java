package org.pimopt.solve.cpsat;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;

/**
 * A plan's partitions re-solved with their unit sets held: CP-SAT chooses the copies of one
 * partition's ops (and so its core packing) again, from scratch, for each partition in turn
 * ({@link HeldPartition}: that partition alone, its placement constant). An independent check of a
 * claim of optimality. Every figure of a plan is a sum over its partitions, and with the unit sets
 * held one partition's copies change neither another's terms nor what another may hold, so for a
 * linear objective the best copies of the plan are the best copies of each partition alone: when
 * every partition is proven, no plan with these unit sets beats the claimed one.
 *
 * <p>edp, a product, is checked on its two factors, each partition in turn (least latency at no
 * more energy, least energy at no more latency), so a plan of these unit sets with a lower EDP
 * that is better in neither factor in any one partition goes unseen. Figures that may not grow
 * ({@code held}: the goal's limits) are held per partition at the plan's own, which keeps every
 * plan found within the limits but proves nothing for the whole: limits couple the partitions.
 */
public final class FixedPartitions {
    private FixedPartitions() {}

    /**
     * @param proven    whether CP-SAT proved every partition's search optimal (so "not beaten" is a proof for these unit sets)
     * @param best      the best plan CP-SAT found for these unit sets, priced by the cost model (the given plan when none)
     * @param changed   partitions (0-based) whose copies differ in {@code best}
     * @param unfinished partitions whose search was not proven in its time
     * @param noChoice  partitions none of whose ops can have another number of copies: nothing to search
     */
    public record Outcome(boolean proven, Plan best, BatchMetrics metrics, List<Integer> changed, List<Integer> unfinished,
                          List<Integer> noChoice, long millis) {}

    public static Outcome resolve(Instance instance, Plan plan, Objective objective, double seconds, int workers) {
        return resolve(instance, plan, objective, List.of(), seconds, workers);
    }

    /** {@code held}: figures no partition's re-chosen copies may increase (the goal's limits). */
    public static Outcome resolve(Instance instance, Plan plan, Objective objective, List<Objective> held, double seconds,
                                  int workers) {
        long start = System.nanoTime();
        Loader.loadNativeLibraries();
        long deadline = start + (long) (seconds * 1e9);
        List<PartitionProfile> profiles = plan.profiles(instance);
        Best best = new Best(plan, plan.evaluate(instance));
        List<Integer> noChoice = new ArrayList<>();
        List<Integer> todo = new ArrayList<>();
        for (int p = 0; p < plan.partitions().size(); p++) {
            (HeldPartition.hasChoice(instance, plan.partitions().get(p)) ? todo : noChoice).add(p);
        }
        // Most partitions close in well under a second: the first round gives each at most half an
        // equal share, and what the quick ones leave goes, in a second round, to those that did not
        // close. Partitions are searched `workers` at a time, each on one thread.
        int threads = Math.max(1, workers);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fixed-partitions");
            t.setDaemon(true);
            return t;
        });
        try {
            for (double fraction : new double[] {0.5, 1.0}) {
                java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger(todo.size());
                List<java.util.concurrent.Callable<Boolean>> searches = new ArrayList<>();
                for (int p : todo) {
                    searches.add(() -> {
                        double left = (deadline - System.nanoTime()) / 1e9;
                        double share = Math.min(left, fraction * left * threads / waiting.getAndDecrement());
                        return share > 0 && resolvePartition(instance, plan, profiles, p, objective, held, share, best);
                    });
                }
                List<Integer> unfinished = new ArrayList<>();
                List<java.util.concurrent.Future<Boolean>> done = pool.invokeAll(searches);
                for (int i = 0; i < todo.size(); i++) {
                    if (!done.get(i).get()) {
                        unfinished.add(todo.get(i));
                    }
                }
                todo = unfinished;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(todo.isEmpty(), best.plan, best.metrics, changed(plan, best.plan), List.copyOf(todo),
                List.copyOf(noChoice), (System.nanoTime() - start) / 1_000_000);
    }

    /** The best plan so far and its price; the searches of several partitions offer theirs at once. */
    private static final class Best {
        Plan plan;
        BatchMetrics metrics;

        Best(Plan plan, BatchMetrics metrics) {
            this.plan = plan;
            this.metrics = metrics;
        }

        /** The best plan with partition {@code p} as found, kept if it is better and meets the limits. */
        synchronized void offer(Instance instance, Objective objective, int p, Partition found) {
            List<Partition> parts = new ArrayList<>(plan.partitions());
            parts.set(p, found);
            Plan candidate = new Plan(parts);
            if (!Validator.violations(instance, candidate).isEmpty()) {
                throw new IllegalStateException("re-solving the copies of partition " + p + " gave an invalid plan: "
                        + Validator.violations(instance, candidate));
            }
            BatchMetrics m = candidate.evaluate(instance);
            if (objective.of(m) < objective.of(metrics) && instance.goal().meetsLimits(m)) {
                plan = candidate;
                metrics = m;
            }
        }
    }

    /**
     * Re-chooses the copies of partition {@code free} within {@code seconds}, keeping a better plan
     * in {@code best}; whether CP-SAT proved its search (edp: both of its searches) optimal.
     */
    private static boolean resolvePartition(Instance instance, Plan plan, List<PartitionProfile> profiles, int free,
                                            Objective objective, List<Objective> held, double seconds, Best best) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<Objective> searches = objective == Objective.EDP ? List.of(Objective.LATENCY, Objective.ENERGY) : List.of(objective);
        boolean proven = true;
        for (int s = 0; s < searches.size(); s++) {
            Objective o = searches.get(s);
            java.util.Set<Objective> holding = new java.util.LinkedHashSet<>(held);
            if (objective == Objective.EDP) {
                // The other factor may not grow: held at the plan's own value in the model.
                holding.add(o == Objective.LATENCY ? Objective.ENERGY : Objective.LATENCY);
            }
            holding.remove(o);
            List<Objective> hold = List.copyOf(holding);
            HeldPartition model = model(instance, plan, profiles, free);
            if (!hold.isEmpty()) {
                long[] atPlan = valuesAtPlan(instance, plan, profiles, free, hold, (deadline - System.nanoTime()) / 2e9);
                if (atPlan == null) {
                    return false;
                }
                for (int h = 0; h < hold.size(); h++) {
                    model.model.addLessOrEqual(model.objective(hold.get(h)), atPlan[h]);
                }
            }
            model.model.minimize(model.objective(o));
            model.hint();
            double share = (deadline - System.nanoTime()) / 1e9 / (searches.size() - s);
            if (share <= 0) {
                return false;
            }
            CpSolver solver = new CpSolver();
            // A partition's model is small and its LP relaxation is what proves it: at linearization
            // level 2 (every constraint in the LP) one thread proves each partition of the exact
            // engine's plans of vgg16, resnet18, mobilenet_v2, densenet121 and bert-base on compass-s
            // in under 0.5 s; at the default level some took over 5 s, and two threads were slower.
            solver.getParameters().setMaxTimeInSeconds(share).setNumWorkers(1).setLinearizationLevel(2)
                    .setCatchSigintSignal(false);
            CpSolverStatus status = solver.solve(model.model);
            proven &= status == CpSolverStatus.OPTIMAL;
            if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
                continue;
            }
            best.offer(instance, objective, free, model.partition(solver::value));
        }
        return proven;
    }

    private static HeldPartition model(Instance instance, Plan plan, List<PartitionProfile> profiles, int p) {
        return new HeldPartition(instance, plan.partitions().get(p), profiles.get(p), plan.partitions().size() > 1);
    }

    /**
     * The model's figures of partition {@code p} at the plan's copies, in the model's units: with
     * the copies fixed, least sum of the figures (each grows with every auxiliary term, so all are
     * at their least together); null if CP-SAT does not settle it.
     */
    private static long[] valuesAtPlan(Instance instance, Plan plan, List<PartitionProfile> profiles, int p,
                                       List<Objective> figures, double seconds) {
        HeldPartition model = model(instance, plan, profiles, p);
        model.fixCopies(plan.partitions().get(p));
        LinearExprBuilder sum = LinearExpr.newBuilder();
        figures.forEach(f -> sum.add(model.objective(f)));
        model.model.minimize(sum);
        CpSolver solver = new CpSolver();
        if (seconds <= 0) {
            return null;
        }
        solver.getParameters().setMaxTimeInSeconds(seconds).setNumWorkers(1).setCatchSigintSignal(false);
        if (solver.solve(model.model) != CpSolverStatus.OPTIMAL) {
            return null;
        }
        return figures.stream().mapToLong(f -> solver.value(model.objective(f))).toArray();
    }

    private static java.util.Map<Integer, Integer> copies(Partition p) {
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
