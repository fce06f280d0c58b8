package org.pimopt.pipeline;

import java.util.List;
import java.util.function.Consumer;
import org.pimopt.PimoptException;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.solve.SolveResult;

/**
 * The referee's pass over a solve's plans ({@code solve}, {@code solve --pareto}): every plan through
 * the simulator within the command's deadline and the heap, each one it cannot run named with why.
 */
public final class PlanSimulations {
    private PlanSimulations() {}

    /** Simulated plans by strategy, and why a plan with none was not simulated. */
    public record Simulations(java.util.Map<String, SimResult> results, java.util.Map<String, String> skipped) {
        public static final Simulations NONE = new Simulations(java.util.Map.of(), java.util.Map.of());
    }

    /** Bytes the event engine holds per task (its arrays and a share of edges), for the guard below. */
    static final long BYTES_PER_TASK = 160;

    /**
     * Tasks a simulation of the plan creates, generously: per sample, one MVM piece per copy of
     * each op and a handful per layer (barriers, vector work, transfers); twice that for margin.
     * Copies dominate on large chips (mobilenet_v2 on isaac: 349 copies of each op, 17,000 pieces
     * per sample).
     */
    static long estimatedTasks(Instance instance, org.pimopt.plan.Plan plan) {
        long perSample = 4L * instance.network().layers().size();
        for (org.pimopt.plan.Partition part : plan.partitions()) {
            java.util.Set<Integer> ops = new java.util.HashSet<>();
            for (int u : part.units()) {
                ops.add(instance.units().get(u).op());
            }
            for (int op : ops) {
                perSample += part.replicasOf(op) + 4;
            }
        }
        return 2 * instance.batch() * perSample;
    }

    /** Tasks the simulator gets through per second, conservatively (about 500,000 measured on 2 shared cores). */
    static final double TASKS_PER_SECOND = 300_000;

    /**
     * Every plan through the simulator (pipeline schedule, physical effects on), by strategy. A
     * simulation is a referee, not the answer: one that would not fit in memory, or would end past
     * the promised two seconds after {@code untilNanos}, is not started; one that runs out of memory
     * or that the simulator refuses leaves its columns empty; each with the reason, also given to
     * {@code warnings} as a line as it happens (a long solve shows it at once, not at the end).
     */
    public static Simulations simulate(Instance instance, List<SolveResult> results, long untilNanos, Consumer<String> warnings) {
        java.util.Map<String, SimResult> sims = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> skipped = new java.util.LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        for (SolveResult r : results) {
            if (r.plan() == null) {
                continue;
            }
            long tasks = estimatedTasks(instance, r.plan());
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            double seconds = tasks / TASKS_PER_SECOND;
            String why = null;
            if (tasks > Integer.MAX_VALUE / 2 || tasks * BYTES_PER_TASK > free / 2) {
                why = String.format(java.util.Locale.ROOT, "not simulated: about %.3g events for batch %d would need %s of"
                        + " memory, %d MB free", (double) tasks, instance.batch(), mb(tasks * BYTES_PER_TASK), free >> 20);
            } else if (System.nanoTime() > untilNanos) {
                why = "not simulated: the time limit was reached";
            } else if (System.nanoTime() + seconds * 1e9 > untilNanos + 1_500_000_000L) {
                why = String.format(java.util.Locale.ROOT, "not simulated: about %.3g events would take about %.1f s, past"
                        + " the time limit", (double) tasks, seconds);
            } else {
                try {
                    sims.put(r.strategy(), Simulator.run(instance, r.plan(), SimConfig.physical(Schedule.PIPELINE)));
                } catch (PimoptException e) {
                    // A plan the simulator refuses is reported, not allowed to hide the other results.
                    why = "simulating the plan failed: " + e.getMessage();
                } catch (OutOfMemoryError e) {
                    why = "not simulated: out of memory (" + (rt.maxMemory() >> 20) + " MB heap)";
                }
            }
            if (why != null) {
                skipped.put(r.strategy(), why);
                warnings.accept("pimopt: warning: " + r.strategy() + ": " + why);
            }
        }
        return new Simulations(sims, skipped);
    }

    private static String mb(long bytes) {
        return bytes >= (1L << 30) ? String.format(java.util.Locale.ROOT, "%.3g GB", bytes / (double) (1L << 30))
                : (bytes >> 20) + " MB";
    }
}
