package org.pimopt.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pimopt.PimoptException;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.mip.MipStrategy;
import org.pimopt.solve.placement.Baselines;
import org.pimopt.solve.placement.MipPlacement;
import org.pimopt.solve.placement.PlacementProblem;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.solve.replacement.MipWriteSchedule;
import org.pimopt.solve.replacement.Replacement;
import org.pimopt.solve.replacement.WriteSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pimopt export}: a MILP of one instance as an LP or MPS file for any MILP solver: the
 * partitioning model (default), or the placement or write-schedule model of a plan that a strategy
 * finds for the instance.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a MILP as an LP or MPS file: partitioning (formulations/partitioning.md), or placement /"
                + " replacement (formulations/placement.md, replacement.md) of the plan a strategy finds.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    HardwareOption hardware;

    @Option(names = "--format", defaultValue = "lp", paramLabel = "lp|mps",
            description = "File format: lp (CPLEX LP) or mps (free MPS). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = {"-b", "--batch"}, defaultValue = "16", description = "Samples per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--objective", defaultValue = "latency",
            description = "latency, energy, writes or dram (of a list, the first is exported). Default: ${DEFAULT-VALUE}.")
    String objective;

    @Option(names = "--max-partitions", paramLabel = "K",
            description = "Partitions in the model. Default: as 'solve --strategy mip' (dp's count plus half, at least two more).")
    Integer maxPartitions;

    @Option(names = "--what", defaultValue = "partitioning", paramLabel = "partitioning|placement|replacement",
            description = "Which model: partitioning; placement (of one partition of the plan, byte-hops x 64);"
                    + " replacement (the write schedule of the placed plan, period in ns). Default: ${DEFAULT-VALUE}.")
    String what;

    @Option(names = {"-s", "--strategy"}, defaultValue = "dp",
            description = "placement, replacement: the strategy that makes the plan. Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--partition", defaultValue = "0", paramLabel = "P",
            description = "placement: the partition of the plan (0 = first). Default: ${DEFAULT-VALUE}.")
    int partition;

    @Option(names = "--no-overlap",
            description = "replacement: the baseline schedule whose writes wait for the previous partition to end.")
    boolean noOverlap;

    @Option(names = {"-o", "--out", "--output"}, required = true, paramLabel = "FILE", description = "File to write.")
    Path output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals("lp") && !f.equals("mps")) {
            throw new PimoptException("--format must be lp or mps, got '" + format + "'");
        }
        if (batch < 1) {
            throw new PimoptException("--batch must be at least 1, got " + batch);
        }
        if (maxPartitions != null && maxPartitions < 1) {
            throw new PimoptException("--max-partitions must be at least 1, got " + maxPartitions);
        }
        String kind = what.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("partitioning") && !kind.equals("placement") && !kind.equals("replacement")) {
            throw new PimoptException("--what must be partitioning, placement or replacement, got '" + what + "'");
        }
        Goal goal = Goal.parse(objective);
        Instance instance = Instance.of(model.load(spec.commandLine().getErr()), hardware.load(), batch, goal);
        boolean mps = f.equals("mps");
        String text;
        String summary;
        if (kind.equals("partitioning")) {
            text = MipStrategy.export(instance, maxPartitions, mps);
            summary = String.format("minimize %s, %d units", goal.primary().label(), instance.units().size());
        } else {
            SolveOptions quiet = new SolveOptions(60_000, 1, 1, line -> {});
            Plan plan = Strategies.byName(strategy).solve(instance, quiet).plan();
            int k = plan.partitions().size();
            if (kind.equals("placement")) {
                if (partition < 0 || partition >= k) {
                    throw new PimoptException("--partition must be 0.." + (k - 1) + " (the " + strategy + " plan has " + k
                            + " partitions), got " + partition);
                }
                PlacementProblem problem = PlacementProblem.of(instance, plan.partitions().get(partition));
                text = MipPlacement.export(problem, mps);
                summary = String.format("%s plan, partition %d of %d: %d items, %d pairs, minimize byte-hops x %d",
                        strategy, partition, k, problem.items().size(), problem.pairs().size(), MipPlacement.weightScale());
            } else {
                // First-fit placement: deterministic, so the file is reproducible (CP-SAT placement is time-limited).
                List<List<Layout.Tile>> placed = new ArrayList<>();
                for (Partition part : plan.partitions()) {
                    PlacementProblem problem = PlacementProblem.of(instance, part);
                    int[] coreOf = Baselines.firstFit(problem);
                    if (coreOf == null) {
                        throw new PimoptException("partition " + placed.size() + " of the " + strategy
                                + " plan does not fit first-fit; export its placement model instead");
                    }
                    placed.add(problem.tiles(coreOf));
                }
                WriteSchedule.Input input = Replacement.scheduleInput(instance, plan, placed, quiet);
                long horizon = WriteSchedule.greedy(input, false).periodNs();
                text = MipWriteSchedule.export(input, !noOverlap, horizon, mps);
                summary = String.format("%s plan placed first-fit, %d partitions, %d writes, %s, horizon %d ns, minimize the period",
                        strategy, k, input.jobs().size(), noOverlap ? "no overlap" : "overlap", horizon);
            }
        }
        PlanIo.writeAtomically(output, text.getBytes(StandardCharsets.UTF_8));
        spec.commandLine().getOut().printf("wrote %s: %s on %s, batch %d, %s%n", output,
                instance.network().name(), instance.chip().name(), batch, summary);
        return 0;
    }
}
