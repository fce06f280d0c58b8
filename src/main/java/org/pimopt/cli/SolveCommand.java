package org.pimopt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pimopt.PimoptException;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Limits;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.pipeline.Budget;
import org.pimopt.pipeline.PipelineOptions;
import org.pimopt.pipeline.PipelineResult;
import org.pimopt.pipeline.PlanSimulations;
import org.pimopt.pipeline.SolvePipeline;
import org.pimopt.plan.PlanSource;
import org.pimopt.problem.Instance;
import org.pimopt.report.SolveReport;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.pareto.ParetoGoals;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.verify.ClaimCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pimopt solve}: run strategies on one instance, compare them, write the best plan. */
@Command(name = "solve", mixinStandardHelpOptions = true, description = "Partition, replicate and plan a network on a chip; compare strategies.")
final class SolveCommand implements Callable<Integer> {
    static final String DEFAULT_STRATEGIES = "exact,layerwise,greedy,pimcomp-balance,pimcomp-fill,clsa-greedy,compass-ga,dp";

    @Mixin
    ModelOptions model;

    @Mixin
    HardwareOption hardware;

    @Option(names = {"-b", "--batch"}, defaultValue = "16", description = "Samples per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--objective", defaultValue = "latency",
            description = "latency, energy, edp, writes or dram, or a lexicographic list such as latency,writes. Default: ${DEFAULT-VALUE}.")
    String objective;

    @Option(names = "--limit", paramLabel = "FIGURE=VALUE",
            description = "A limit every plan must meet, repeatable: " + Limits.SYNTAX + ". Latency, energy, writes (cells)"
                    + " and DRAM bytes are per batch, or per sample with /sample; lifetime=DURATION@RATE/s holds the cells'"
                    + " wear-levelled lifetime at that many inferences per second (and the rate itself). Plans that break"
                    + " one are marked OVER_LIMIT; when no plan meets them, solve says how near any plan comes and exits 2.")
    List<String> limitStatements;

    @Option(names = {"-s", "--strategy"}, defaultValue = DEFAULT_STRATEGIES, split = ",",
            description = "Strategies to run, comma-separated: exact (the portfolio: dp-lattice, then CP-SAT), cpsat, choco, mip"
                    + " (each engine alone), cpsat-kN (CP-SAT held to at most N partitions), dp-lattice, dp-exact, cpsat-fixed,"
                    + " mip-cbc, mip-highs, or the heuristics (an unknown name lists them all). Default: ${DEFAULT-VALUE}.")
    List<String> strategies;

    @Option(names = {"-t", "--timeout"}, defaultValue = "60s", converter = DurationConverter.class,
            description = "Wall-clock budget for the whole command (60s, 2m, 500ms). Default: ${DEFAULT-VALUE}.")
    long timeoutMillis;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of randomized strategies. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--workers", defaultValue = "2", description = "Solver threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = {"-o", "--out"}, defaultValue = "pimopt-out", paramLabel = "DIR",
            description = "Folder for plan.json, plan.pb and summary.json (-o/--out names what a command writes, in every"
                    + " command). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    ReportOption report;

    @Option(names = "--json", description = "Print the summary as JSON instead of tables.")
    boolean json;

    @Option(names = "--no-simulate", negatable = false,
            description = "Do not simulate the results (by default every plan is simulated, pipeline schedule, and"
                    + " its simulated latency and energy shown beside the model's).")
    boolean noSimulate;

    @Option(names = "--place",
            description = "Also place the best plan's tiles on the cores and schedule crossbar programming (as 'pimopt"
                    + " place' does), within the last quarter of the timeout; the written plan carries the layout.")
    boolean place;

    @Option(names = "--verify",
            description = "Re-check every OPTIMAL by other means (validator; the simulator in the model's form; CP-SAT"
                    + " re-choosing the copies of the plan's partitions; the bound recomputed), in a quarter of the timeout"
                    + " kept for it; a claim that fails is named and the exit status is 3.")
    boolean verify;

    @Option(names = "--joint",
            description = "Decide partitions, copies and tile placement in one CP-SAT model (formulations/joint.md) when the"
                    + " instance is small enough, instead of strategies then placement; implies --place. Larger instances"
                    + " (and edp) take the usual path, saying why.")
    boolean joint;

    @Option(names = "--pareto", paramLabel = "F,G",
            description = "Instead of one objective, the Pareto front of two (latency, energy, writes, dram), e.g."
                    + " latency,energy: the heuristics run first, then each front point is proven by the exact portfolio"
                    + " under a limit on G (formulations/pareto.md); writes pareto.csv, pareto.svg, plans/pareto-N.json.")
    String pareto;

    @Option(names = "--pareto-points", defaultValue = "8", paramLabel = "N",
            description = "With --pareto: at most N exact sub-solves (so N points), sharing the timeout. Default: ${DEFAULT-VALUE}.")
    int paretoPoints;

    /** How the exact engines' objective and bound moved, written as convergence.csv and .svg. */
    private final Convergence convergence = new Convergence();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Strategies by name: {@link Strategies#byName}, or a test's. */
    private final java.util.function.Function<String, Strategy> strategyByName;

    public SolveCommand() {
        this(Strategies::byName);
    }

    SolveCommand(java.util.function.Function<String, Strategy> strategyByName) {
        this.strategyByName = strategyByName;
    }

    @picocli.CommandLine.ParentCommand
    Main parent;

    /** When the command began (the budget's start), for the report's timeline. */
    private long startNanos;

    @Override
    public Integer call() {
        // The budget runs from the process's start: JVM start-up and model building count.
        long start = parent != null ? parent.startNanos : System.nanoTime();
        startNanos = start;
        if (batch < 1) {
            throw new PimoptException("--batch must be at least 1, got " + batch);
        }
        if (workers < 1) {
            throw new PimoptException("--workers must be at least 1, got " + workers);
        }
        ParetoGoals front = pareto == null ? null : ParetoGoals.parse(pareto);
        if (front != null && paretoPoints < 2) {
            throw new PimoptException("--pareto-points must be at least 2 (the front's two ends), got " + paretoPoints);
        }
        Goal goal = front == null ? Goal.parse(objective) : front.fThenG();
        refuseObjectiveAsFolder();
        report.check();
        place |= joint;
        List<Strategy> chosen = new ArrayList<>();
        for (String s : strategies) {
            chosen.add(strategyByName.apply(s));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Chip chip = hardware.load();
        // bench's synthetic networks (sized for the chip) by name too, so that one case of the
        // scaling suite can be run alone (scripts/deadline-check.sh).
        Network network = org.pimopt.bench.SyntheticNetworks.isSynthetic(model.model)
                ? org.pimopt.bench.SyntheticNetworks.byName(model.model, chip) : model.load(spec.commandLine().getErr());
        Instance instance = SolvePipeline.lower(network, chip, batch, goal, limitStatements);
        if (!json) {
            stdout.printf("%s on %s, batch %d, objective %s%s: %d weighted layers, %d units, at least %d partition(s)%n",
                    network.name(), chip.name(), batch, goal, instance.goal().limits().isEmpty() ? "" : ", limits "
                    + instance.goal().limits().stated(), instance.ops().size(), instance.units().size(),
                    instance.tiling().minPartitions());
            stdout.flush();
        }
        java.util.function.Consumer<String> errLine = line -> {
            err.println(line);
            err.flush();
        };
        PrintWriter noticesTo = json ? err : stdout;
        AtomicBoolean cancelled = new AtomicBoolean();
        PipelineOptions options = PipelineOptions.of(instance, chosen, new Budget(start, timeoutMillis))
                .withSeed(seed, workers).withStages(place, joint, !noSimulate, verify).withOut(out, planSource())
                .withLines(errLine, line -> {
                    noticesTo.println(line);
                    noticesTo.flush();
                }).withCancel(cancelled, convergence);
        SolvePipeline pipeline = new SolvePipeline(options);
        // Ctrl-C: stop the running strategy, keep what was found, write the files, then exit.
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                if (!written.await(3, TimeUnit.SECONDS)) {
                    // The running strategy did not stop in time: write what the others found.
                    PipelineResult r = pipeline.interrupted();
                    if (r != null) {
                        report(r, stdout);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pimopt-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (front != null) {
                if (place || joint || verify) {
                    throw new PimoptException("--pareto does not combine with --place, --joint or --verify yet: place or"
                            + " verify a point's plan afterwards ('pimopt place --plan " + out.resolve("plans").resolve("pareto-1.json")
                            + "')");
                }
                return ParetoStep.run(this, options, front, stdout, err);
            }
            PipelineResult result = pipeline.run();
            int code = report(result, stdout);
            // Files are written; an engine that failed is still a failure of the command.
            return code == 0 && result.anyStrategyFailed() ? Main.ENGINE_FAILED : code;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting because of Ctrl-C; the hook waits for the latch above.
            }
        }
    }

    /** Tells the user what the pipeline came to (its files are written) and gives the exit code. */
    private int report(PipelineResult r, PrintWriter stdout) {
        PrintWriter err = spec.commandLine().getErr();
        String before = r.interrupted() ? " before the interrupt" : "";
        switch (r.kind()) {
            case REPORTED_ELSEWHERE:
                return 0;
            case NO_PLAN:
                // An instance with no valid plan within a strategy's limits, or every strategy stopped
                // before it had one: no files written (a plan file from an earlier run is left as it was).
                err.println("pimopt: no plan found" + before + ", nothing written to " + out + ": " + r.whyNoPlan());
                err.flush();
                stdout.flush();
                return Main.USER_ERROR;
            case NO_PLAN_MEETS_LIMITS:
                // The strategies' table (model figures), and how near any plan comes.
                if (!json) {
                    stdout.println();
                    stdout.print(SolveReport.table(r.instance(), r.results(), java.util.Map.of(), java.util.Map.of()));
                }
                stdout.flush();
                err.println("pimopt: no plan meets the limits (" + r.instance().goal().limits().stated() + ")" + before
                        + ", nothing written to " + out + "; " + r.whyNoPlanMeetsLimits());
                err.flush();
                return Main.USER_ERROR;
            default:
                break;
        }
        Instance instance = r.instance();
        SolveResult best = r.best();
        PlanSimulations.Simulations sims = r.simulations();
        java.util.Map<String, String> verification = r.verificationLines();
        if (json) {
            stdout.print(r.summaryJson());
        } else {
            stdout.println();
            if (r.interrupted()) {
                stdout.println("interrupted: results so far");
            }
            stdout.print(SolveReport.table(instance, r.results(), sims.results(), sims.skipped()));
            stdout.println();
            stdout.println("best: " + best.strategy() + ", " + best.plan().partitions().size() + " partition(s)");
            stdout.print(SolveReport.partitions(instance, best.plan()));
            stdout.println();
            if (r.placedLine() != null) {
                stdout.println(r.placedLine());
            }
            verification.forEach((strategy, line) -> stdout.println("verify " + strategy + ": " + line));
            stdout.println("wrote " + out.resolve("plan.json") + ", " + out.resolve("plan.pb") + ", " + out.resolve("summary.json")
                    + (r.converged() ? ", " + out.resolve("convergence.csv") + ", " + out.resolve("convergence.svg") : ""));
        }
        report.write(this, instance, r.results(), sims.results(), sims.skipped(), verification, convergence,
                startNanos, stdout);
        stdout.flush();
        if (r.verifyFailed()) {
            r.verdicts().forEach((strategy, v) -> {
                if (v.verdict() == ClaimCheck.Verdict.FAILED) {
                    err.println("pimopt: " + strategy + "'s OPTIMAL did not verify: " + v.line());
                }
            });
            err.flush();
            return Main.ENGINE_FAILED;
        }
        return 0;
    }

    /** How the plans of this solve record their network and chip. */
    PlanSource planSource() {
        return model.source(hardware.hardware);
    }

    /**
     * {@code -o} meant {@code --objective} in solve before it meant the output, as it does in place,
     * import and export; {@code solve -o edp} would now quietly write into a folder named edp.
     */
    private void refuseObjectiveAsFolder() {
        String name = out.toString();
        if (name.contains(java.io.File.separator) || java.nio.file.Files.exists(out)) {
            return;
        }
        try {
            Goal.parse(name);
        } catch (PimoptException notAnObjective) {
            return;
        }
        throw new PimoptException("-o/--out names the output folder, and '" + name + "' is an objective: give it with"
                + " --objective " + name + " (or write the folder as ./" + name + ")");
    }
}
