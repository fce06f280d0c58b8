package org.pimopt.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pimopt.PimoptException;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanException;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.report.PlanPicture;
import org.pimopt.report.SimReport;
import org.pimopt.report.TraceWriter;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pimopt simulate}: run a plan file through the discrete-event simulator. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Simulate a plan on its chip and compare with the analytic model.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Plan file (.json or .pb) written by 'pimopt solve'.")
    Path planFile;

    @Option(names = "--schedule", defaultValue = "pipeline", paramLabel = "layer|pipeline|cross-layer",
            description = "layer, pipeline or cross-layer. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--analytic", description = "Put every physical effect the analytic model simplifies"
            + " (sample I/O order, free issue of samples, vector time per layer, write slots, write waiting for fetch, NoC"
            + " latency between placed cores, overlapped writes) into the form the model states them in.")
    boolean analytic;

    @Option(names = "--no-layout", description = "Ignore the plan's layout (from 'pimopt place' or 'solve --place'):"
            + " place copies first-fit and rewrite every tile every batch. Default: execute the layout when the plan has one.")
    boolean noLayout;

    @Mixin
    PlanInputOptions inputs;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a Chrome/Perfetto trace (trace-event JSON).")
    Path trace;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the per-layer breakdown as CSV.")
    Path csv;

    @Option(names = "--svg", paramLabel = "FILE",
            description = "Write an SVG picture: crossbars per core and partition, and programming/compute/DRAM over time.")
    Path svg;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Schedule sched = Schedule.parse(schedule);
        PlanFile file = read(planFile);
        Network network = inputs.network(file, planFile.toString(), spec.commandLine().getErr());
        Chip chip = inputs.chip(file, planFile.toString());
        Instance instance = PlanIo.instance(file, planFile.toString(), network, chip);
        Plan plan = PlanIo.fromProto(instance, file, planFile.toString());
        SimConfig config = (analytic ? SimConfig.analytic(sched) : SimConfig.physical(sched)).withLayout(!noLayout);
        SimResult sim;
        try {
            sim = Simulator.run(instance, plan, config);
        } catch (PimoptException e) {
            throw new PlanException(planFile + ": " + e.getMessage());
        }
        BatchMetrics model = plan.evaluate(instance);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s on %s, batch %d, %d partition(s), %s schedule (strategy %s)%s%n%n", network.name(), chip.name(),
                instance.batch(), plan.partitions().size(), sched, file.getStrategy().isEmpty() ? "-" : file.getStrategy(),
                plan.layout() == null ? "" : sim.layoutExecuted() ? ", layout executed" : ", layout ignored");
        out.print(SimReport.summary(model, sim));
        out.println();
        out.print(SimReport.partitions(model, sim));
        if (csv != null) {
            SimReport.writeLayersCsv(csv, sim);
            out.println("wrote " + csv);
        }
        if (svg != null) {
            PlanPicture.write(svg, sim, chip.crossbarsPerCore(), network.name() + " on " + chip.name() + ", batch "
                    + instance.batch() + ", " + plan.partitions().size() + " partition(s)");
            out.println("wrote " + svg);
        }
        if (trace != null) {
            TraceWriter.write(trace, sim.timeline(), network.name() + " on " + chip.name() + ", " + sched);
            out.println("wrote " + trace);
        }
        out.flush();
        return 0;
    }

    /** A plan file, JSON or binary by its extension. */
    static PlanFile read(Path path) {
        try {
            if (path.toString().endsWith(".pb")) {
                try {
                    return PlanFile.parseFrom(Files.readAllBytes(path));
                } catch (InvalidProtocolBufferException e) {
                    throw new PlanException(path + ": not a binary plan file: " + e.getMessage());
                }
            }
            return PlanIo.readJson(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (NoSuchFileException e) {
            throw new PimoptException(path + ": no such file");
        } catch (IOException e) {
            throw new PimoptException(path + ": cannot read: " + e.getMessage());
        }
    }
}
