package org.pimopt.fuzz;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.PimoptException;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.LayerTiling;
import org.pimopt.cost.NetworkTiling;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.hw.HardwareField;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.PimoptJson;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.IrException;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanException;
import org.pimopt.plan.PlanIo;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.report.SimReport;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;

/**
 * The work of {@code pimopt import}, {@code inspect}, {@code hw} and {@code simulate --csv} on one
 * file, called without the command-line parser: the same loaders, binders, validators, tiling,
 * simulator and atomic writers, in the order the commands call them, with errors reported as
 * {@code Main} reports them (a {@link PimoptException}: one line and status 2; out of memory: one
 * line and status 2; any other exception: "internal error" and status 1; an Error other than out
 * of memory is not caught). Building picocli's model of every command costs about as much as
 * reading a small file, so a campaign runs most executions this way and a share through the real
 * command line.
 */
final class Direct {
    private Direct() {}

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} and answers as {@code Main.run} would. */
    static int guarded(PrintWriter err, boolean verbose, Body body) {
        try {
            body.run();
            return 0;
        } catch (PimoptException e) {
            err.println("pimopt: " + org.pimopt.cli.Main.oneLine(e.getMessage()));
            if (verbose) {
                e.printStackTrace(err);
            }
            return 2;
        } catch (OutOfMemoryError e) {
            err.println("pimopt: out of memory (" + (Runtime.getRuntime().maxMemory() >> 20) + " MB heap)");
            return 2;
        } catch (Exception e) {
            err.println("pimopt: internal error: " + org.pimopt.cli.Main.oneLine(String.valueOf(e)));
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        } finally {
            err.flush();
        }
    }

    /** The flags a seed carries (--dim, --input-shape, --lenient, --pimcomp-dense-groups) as import options. */
    record Flags(ImportOptions options, Map<String, Integer> dims) {
        static Flags of(List<String> args, PrintWriter err) {
            ImportOptions o = ImportOptions.DEFAULT.withWarnings(w -> err.println("pimopt: warning: " + org.pimopt.cli.Main.oneLine(w)));
            Map<String, Integer> dims = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--lenient" -> o = o.withLenient(true);
                    case "--pimcomp-dense-groups" -> o = o.withPimcompDenseGroups(true);
                    case "--dim" -> {
                        String[] kv = args.get(++i).split("=", 2);
                        dims.put(kv[0], Integer.parseInt(kv[1]));
                    }
                    case "--input-shape" -> {
                        String[] kv = args.get(++i).split("=", 2);
                        o = o.withInputShape(kv[0], ImportOptions.parseShape(kv[1]));
                    }
                    default -> throw new IllegalArgumentException("seed flag " + a + " is not known to the fuzzer");
                }
            }
            return new Flags(o, dims);
        }
    }

    /** {@code pimopt import IN -o OUT/net.json}: read, bind, write pimopt JSON atomically. */
    static int importJson(Path in, Path outDir, List<String> seedArgs, PrintWriter out, PrintWriter err, boolean verbose) {
        return guarded(err, verbose, () -> {
            Flags flags = Flags.of(seedArgs, err);
            String model = in.toString();
            boolean onnxIn = ModelCatalog.isOnnx(model);
            NetworkSpec network = ModelCatalog.loadSpec(model, onnxIn ? flags.options().withDims(flags.dims()) : flags.options());
            Network bound;
            try {
                bound = Network.bind(network, onnxIn ? Map.of() : flags.dims());
            } catch (IrException e) {
                throw new ImportException(model + ": " + e.getMessage());
            }
            PlanIo.writeAtomically(outDir.resolve("net.json"), PimoptJson.write(network).getBytes(StandardCharsets.UTF_8));
            out.println(bound.name() + " " + bound.layers().size() + " " + bound.weightedLayers().size() + " " + bound.parameters());
        });
    }

    private static volatile Chip compassS;
    private static volatile Network lenet5;

    /** {@code pimopt inspect --model IN --hw compass-s}: read and bind the network, tile it, total it. */
    static int inspectModel(Path in, Path outDir, List<String> seedArgs, PrintWriter out, PrintWriter err, boolean verbose) {
        return guarded(err, verbose, () -> {
            Flags flags = Flags.of(seedArgs, err);
            Network network = ModelCatalog.load(in.toString(), flags.dims(), flags.options());
            if (compassS == null) {
                compassS = ChipLoader.load("compass-s");
            }
            out.println(totals(NetworkTiling.of(network, compassS)));
        });
    }

    /** {@code pimopt hw IN} and {@code inspect --model lenet5 --hw IN}: every field of the chip, and lenet5 tiled on it. */
    static int hardware(Path in, Path outDir, List<String> seedArgs, PrintWriter out, PrintWriter err, boolean verbose) {
        return guarded(err, verbose, () -> {
            Chip c = ChipLoader.load(in.toString());
            StringBuilder s = new StringBuilder(c.name()).append(c.description());
            for (HardwareField f : HardwareField.values()) {
                s.append(f.jsonName()).append(c.value(f)).append(c.sources().getOrDefault(f.jsonName(), "-"));
            }
            if (lenet5 == null) {
                lenet5 = ModelCatalog.load("lenet5", Map.of());
            }
            out.println(s.length() + " " + totals(NetworkTiling.of(lenet5, c)));
        });
    }

    /** What {@code inspect} prints, as one string: every figure of every layer and the totals. */
    static String totals(NetworkTiling tiling) {
        Network n = tiling.network();
        StringBuilder s = new StringBuilder();
        for (LayerTiling t : tiling.layers()) {
            s.append(t.layer().name()).append(t.layer().op().kind()).append(t.layer().inputShapes().get(0))
                    .append(t.layer().outputShape()).append(t.matrix().rows()).append(t.matrix().cols())
                    .append(t.matrix().groups()).append(t.crossbarsPerCopy()).append(t.units().size())
                    .append(t.outputPositions()).append(t.weightBytes());
        }
        return s.length() + " " + n.parameters() + " " + n.stationaryWeights() + " " + tiling.units().size() + " "
                + tiling.weightBytes() + " " + n.macs() + " " + tiling.crossbarsNeeded() + " " + tiling.minPartitions() + " "
                + tiling.fitsOnChip();
    }

    /**
     * Plans of larger batches are validated and priced but not simulated: the simulator's time
     * grows with the batch (lenet5 at batch 65,536: 9.6 million events, 7 s), which is the work
     * asked for, not a hang.
     */
    static final int MAX_SIMULATED_BATCH = 4096;

    /** Whether a plan file's batch is one the simulator is run on (true when it does not parse: the command says why). */
    static boolean simulated(Path planFile) {
        try {
            return PlanIo.read(planFile).getBatch() <= MAX_SIMULATED_BATCH;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * {@code pimopt simulate --plan IN --csv OUT/layers.csv}, as SimulateCommand does it; above
     * {@link #MAX_SIMULATED_BATCH}, everything but the simulation (no CSV then).
     */
    static int simulate(Path planFile, Path outDir, List<String> seedArgs, PrintWriter out, PrintWriter err, boolean verbose) {
        return simulatePlan(planFile, null, outDir, out, err, verbose);
    }

    /** The lenet5 plan the hardware target simulates on each hardware file (it is for compass-s). */
    static final Path PLAN_FOR_HARDWARE = Path.of("src/test/resources/fuzz/seeds/plan/lenet5-dp.json");

    /** {@code pimopt simulate --plan PLAN --hw IN}: a plan for compass-s on a mutated chip. */
    static int simulateOn(Path plan, Path hardware, PrintWriter out, PrintWriter err, boolean verbose) {
        return simulatePlan(plan, hardware, null, out, err, verbose);
    }

    private static int simulatePlan(Path planFile, Path hardware, Path outDir, PrintWriter out, PrintWriter err,
                                    boolean verbose) {
        return guarded(err, verbose, () -> {
            PlanFile file = PlanIo.read(planFile);
            Network network = PlanIo.network(file, planFile.toString());
            Chip chip = hardware != null ? ChipLoader.load(hardware.toString()) : PlanIo.chip(file, planFile.toString());
            Instance instance = PlanIo.instance(file, planFile.toString(), network, chip);
            Plan plan = PlanIo.fromProto(instance, file, planFile.toString());
            if (file.getBatch() > MAX_SIMULATED_BATCH) {
                try {
                    org.pimopt.plan.Validator.check(instance, plan);
                } catch (PimoptException e) {
                    throw new PlanException(planFile + ": " + e.getMessage()); // as simulate names it
                }
                out.println(plan.evaluate(instance));
                return;
            }
            SimResult sim;
            try {
                sim = Simulator.run(instance, plan, SimConfig.physical(Schedule.parse("pipeline")).withLayout(true));
            } catch (PimoptException e) {
                throw new PlanException(planFile + ": " + e.getMessage());
            }
            BatchMetrics model = plan.evaluate(instance);
            out.print(SimReport.summary(model, sim));
            out.print(SimReport.partitions(model, sim));
            if (hardware == null) {
                SimReport.writeLayersCsv(outDir.resolve("layers.csv"), sim);
            }
        });
    }
}
