package org.pimopt.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.pimopt.plan.PlanSource;
import org.pimopt.problem.Instance;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.Strategy;

/**
 * What one solve runs: the lowered instance (its goal carries the limits), the strategies in the
 * user's order, the budget, and which of the later stages run. Built by {@code pimopt solve} from
 * its flags and by tests directly; {@link #of} gives the defaults of {@code solve} without flags.
 *
 * @param out        folder for plan.json, plan.pb, summary.json and the convergence files; null writes nothing
 * @param planSource how the written plans record their network and chip (null when nothing is written)
 * @param log        lines for the user's error stream as they happen: engines' progress and warnings
 * @param notices    lines about the run's course (the joint model declined) that {@code solve} shows on stdout,
 *                   or on stderr when stdout carries JSON
 * @param cancel     set on Ctrl-C: the running strategy stops early with its best plan, the rest do not start
 * @param convergence where the exact engines record how objective and bound moved
 */
public record PipelineOptions(Instance instance, List<Strategy> strategies, Budget budget, long seed, int workers,
                              boolean place, boolean joint, boolean simulate, boolean verify, Path out, PlanSource planSource,
                              Consumer<String> log, Consumer<String> notices, AtomicBoolean cancel, Convergence convergence) {
    public PipelineOptions {
        strategies = List.copyOf(strategies);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
    }

    /** {@code solve}'s defaults: seed 1, two workers, simulate, no placement or verification, nothing written or logged. */
    public static PipelineOptions of(Instance instance, List<Strategy> strategies, Budget budget) {
        return new PipelineOptions(instance, strategies, budget, 1, 2, false, false, true, false, null, null, line -> {},
                line -> {}, new AtomicBoolean(), new Convergence());
    }

    public PipelineOptions withSeed(long s, int w) {
        return new PipelineOptions(instance, strategies, budget, s, w, place, joint, simulate, verify, out, planSource, log, notices,
                cancel, convergence);
    }

    /** Which later stages run; {@code joint} implies placement, as {@code --joint} implies {@code --place}. */
    public PipelineOptions withStages(boolean p, boolean j, boolean sim, boolean v) {
        return new PipelineOptions(instance, strategies, budget, seed, workers, p || j, j, sim, v, out, planSource, log, notices,
                cancel, convergence);
    }

    public PipelineOptions withOut(Path folder, PlanSource source) {
        return new PipelineOptions(instance, strategies, budget, seed, workers, place, joint, simulate, verify, folder, source, log,
                notices, cancel, convergence);
    }

    public PipelineOptions withLines(Consumer<String> errLines, Consumer<String> noticeLines) {
        return new PipelineOptions(instance, strategies, budget, seed, workers, place, joint, simulate, verify, out, planSource,
                errLines, noticeLines, cancel, convergence);
    }

    public PipelineOptions withCancel(AtomicBoolean flag, Convergence engines) {
        return new PipelineOptions(instance, strategies, budget, seed, workers, place, joint, simulate, verify, out, planSource,
                log, notices, flag, engines);
    }
}
