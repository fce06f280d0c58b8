package org.pimopt.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pimopt.PimoptException;
import org.pimopt.cost.Goal;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.solve.mip.MipStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pimopt export}: the partitioning MILP of one instance as an LP or MPS file for any MILP solver. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the partitioning MILP (formulations/partitioning.md) as an LP or MPS file.")
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

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "File to write.")
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
        Goal goal = Goal.parse(objective);
        Instance instance = Instance.of(model.load(spec.commandLine().getErr()), hardware.load(), batch, goal);
        String text = MipStrategy.export(instance, maxPartitions, f.equals("mps"));
        PlanIo.writeAtomically(output, text.getBytes(StandardCharsets.UTF_8));
        spec.commandLine().getOut().printf("wrote %s: %s on %s, batch %d, minimize %s, %d units%n", output,
                instance.network().name(), instance.chip().name(), batch, goal.primary().label(), instance.units().size());
        return 0;
    }
}
