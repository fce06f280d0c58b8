package org.pimopt.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.PlanSource;
import org.pimopt.problem.Instance;
import org.pimopt.proto.PlanFile;
import org.pimopt.report.ConvergencePlot;
import org.pimopt.report.SolveReport;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.placement.JointPlacement;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.solve.registry.StrategyRun;
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

    /** The joint model's answer, when --joint ran it. */
    private JointPlacement.Solved jointSolved;

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

    private long startNanos;

    @picocli.CommandLine.ParentCommand
    Main parent;

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
        org.pimopt.solve.pareto.ParetoGoals front = pareto == null ? null : org.pimopt.solve.pareto.ParetoGoals.parse(pareto);
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
        Limits limits = Limits.parse(limitStatements, chip, batch);
        Instance instance = Instance.of(network, chip, batch, goal.withLimits(limits));
        if (!json) {
            stdout.printf("%s on %s, batch %d, objective %s%s: %d weighted layers, %d units, at least %d partition(s)%n",
                    network.name(), chip.name(), batch, goal, limits.isEmpty() ? "" : ", limits " + limits.stated(),
                    instance.ops().size(), instance.units().size(), instance.tiling().minPartitions());
            stdout.flush();
        }
        SolveResult[] byPosition = new SolveResult[chosen.size()];
        // Ctrl-C: stop the running strategy, keep what was found, write the files, then exit.
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                if (!written.await(3, TimeUnit.SECONDS)) {
                    // The running strategy did not stop in time: write what the others found.
                    finish(instance, java.util.Arrays.asList(byPosition), stdout, true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pimopt-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (front != null) {
                return ParetoStep.run(this, front, instance, chosen, start, cancelled, stdout, err);
            }
            return run(instance, chosen, byPosition, start, cancelled, stdout, err);
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting because of Ctrl-C; the hook waits for the latch above.
            }
        }
    }

    private int run(Instance instance, List<Strategy> chosen, SolveResult[] byPosition, long start,
                    AtomicBoolean cancelled, PrintWriter stdout, PrintWriter err) {
        if (joint) {
            Integer done = runJoint(instance, start, cancelled, stdout, err);
            if (done != null) {
                return done;
            }
        }
        // With --place the strategies leave the last quarter of the budget to placement; without,
        // a reserve for simulating and writing (placement keeps that reserve for itself).
        long deadline = start + (place ? timeoutMillis * 3 / 4 : timeoutMillis - reserveMillis()) * 1_000_000L
                - verifyMillis() * 1_000_000L;
        // Heuristics first: they are quick; the exact engines then share what is left of the budget.
        // A strategy that fails is an ERROR row; the others' plans stand.
        StrategyRun runner = new StrategyRun(instance, millis -> new SolveOptions(millis, seed, workers, line -> {
            err.println(line);
            err.flush();
        }).withCancel(cancelled).withConvergence(convergence), line -> {
            err.println(line);
            err.flush();
        });
        runner.run(chosen, deadline, byPosition);
        List<SolveResult> results = java.util.Arrays.asList(byPosition);
        int code = finish(instance, results, stdout, false);
        // Files are written; an engine that failed is still a failure of the command.
        boolean failed = results.stream().anyMatch(r -> r != null && r.status() == Status.ERROR);
        return code == 0 && failed ? Main.ENGINE_FAILED : code;
    }

    /**
     * The joint model on a small instance: its result is the only row, already placed. Returns null
     * (after one line saying why) when the instance is outside the model, and the strategies run.
     */
    private Integer runJoint(Instance instance, long start, AtomicBoolean cancelled, PrintWriter stdout, PrintWriter err) {
        // A tenth of the budget stays for simulating and writing the result.
        long left = Math.max(1, timeoutMillis * 9 / 10 - (System.nanoTime() - start) / 1_000_000L);
        SolveOptions options = new SolveOptions(left, seed, workers, line -> {
            err.println(line);
            err.flush();
        }).withCancel(cancelled);
        JointPlacement.Outcome outcome = JointPlacement.solve(instance, options);
        if (outcome instanceof JointPlacement.Solved solved) {
            jointSolved = solved;
            return finish(instance, List.of(solved.result()), stdout, false);
        }
        String why = ((JointPlacement.Declined) outcome).why();
        PrintWriter to = json ? err : stdout;
        to.println("joint: not used, running the strategies then placement instead: " + why);
        to.flush();
        return null;
    }

    private boolean finished;

    /** Writes the files and prints the report, once, whoever gets here first (main or Ctrl-C). */
    private synchronized int finish(Instance instance, List<SolveResult> all, PrintWriter stdout, boolean interrupted) {
        if (finished) {
            return 0;
        }
        finished = true;
        List<SolveResult> results = all.stream().filter(java.util.Objects::nonNull).toList();
        SolveResult best = SolveResult.best(instance, results);
        String placedLine = null;
        if (jointSolved != null) {
            java.util.Map<String, String> m = PlaceCommand.summary(instance, jointSolved.placed(), jointSolved.replacement());
            placedLine = "placed by the joint model (" + best.status() + " among plans of at most " + jointSolved.partitions()
                    + " partitions with their placements): NoC byte-hops " + m.get("byte_hops") + " (first-fit "
                    + m.get("byte_hops_first_fit") + ", snake " + m.get("byte_hops_snake") + "); batch latency with the write schedule "
                    + m.get("latency_ns") + " ns; the joint row is simulated with this layout";
        } else if (best != null && place && !interrupted) {
            // What is left of the budget, less a reserve for simulating and writing, half for
            // placement and half for the write schedule; each keeps a fallback if it runs out.
            long left = Math.max(1, timeoutMillis - (System.nanoTime() - startNanos) / 1_000_000L - reserveMillis());
            SolveOptions half = new SolveOptions(Math.max(1, left / 2), seed, workers, line -> {});
            PlaceStep.Outcome placing = PlaceStep.run(instance, best, half);
            placedLine = placing.line();
            if (placing.placed()) {
                best = placing.best();
                // The best strategy's row is simulated with its layout, as the plan written carries it.
                SolveResult placedBest = best;
                results = results.stream().map(r -> r == null || !r.strategy().equals(placedBest.strategy()) ? r : placedBest).toList();
            }
        }
        if (best == null && instance.goal().limits().isEmpty()) {
            return noPlan(results, stdout, interrupted);
        }
        if (best == null || !instance.goal().meetsLimits(best.metrics())) {
            return noPlanMeetsLimits(instance, results, stdout, interrupted);
        }
        if (best != null) {
            PlanFile file = PlanIo.toProto(instance, best.plan(), best.strategy(), planSource());
            PlanIo.writeJson(out.resolve("plan.json"), file);
            PlanIo.writeBinary(out.resolve("plan.pb"), file);
        }
        // Simulations start until the budget's end (the last one and writing may use some of the two
        // seconds over that are promised), the best plan's first.
        long simulateUntil = startNanos + timeoutMillis * 1_000_000L;
        List<SolveResult> bestFirst = new ArrayList<>(results);
        SolveResult first = best;
        bestFirst.sort(java.util.Comparator.comparing(r -> r != null && r.strategy().equals(first.strategy()) ? 0 : 1));
        java.util.Map<String, ClaimCheck.Report> checked = verify && !interrupted ? verifyClaims(instance, results)
                : java.util.Map.of();
        java.util.Map<String, String> verification = new java.util.LinkedHashMap<>();
        checked.forEach((strategy, report) -> verification.put(strategy, report.line()));
        PlanSimulations.Simulations sims = noSimulate ? PlanSimulations.Simulations.NONE
                : PlanSimulations.simulate(instance, bestFirst, simulateUntil, spec.commandLine().getErr());
        String summary = SolveReport.json(instance, results, sims.results(), sims.skipped(), verification);
        PlanIo.writeAtomically(out.resolve("summary.json"), summary.getBytes(StandardCharsets.UTF_8));
        boolean converged = ConvergencePlot.write(convergence, instance.goal().primary(), startNanos, out);
        if (json) {
            stdout.print(summary);
        } else {
            stdout.println();
            if (interrupted) {
                stdout.println("interrupted: results so far");
            }
            stdout.print(SolveReport.table(instance, results, sims.results(), sims.skipped()));
            if (best != null) {
                stdout.println();
                stdout.println("best: " + best.strategy() + ", " + best.plan().partitions().size() + " partition(s)");
                stdout.print(SolveReport.partitions(instance, best.plan()));
                stdout.println();
                if (placedLine != null) {
                    stdout.println(placedLine);
                }
                verification.forEach((strategy, line) -> stdout.println("verify " + strategy + ": " + line));
                stdout.println("wrote " + out.resolve("plan.json") + ", " + out.resolve("plan.pb") + ", " + out.resolve("summary.json")
                        + (converged ? ", " + out.resolve("convergence.csv") + ", " + out.resolve("convergence.svg") : ""));
            }
        }
        report.write(this, instance, results, sims.results(), sims.skipped(), verification, convergence, startNanos, stdout);
        stdout.flush();
        if (checked.values().stream().anyMatch(r -> r.verdict() == ClaimCheck.Verdict.FAILED)) {
            PrintWriter err = spec.commandLine().getErr();
            checked.forEach((strategy, r) -> {
                if (r.verdict() == ClaimCheck.Verdict.FAILED) {
                    err.println("pimopt: " + strategy + "'s OPTIMAL did not verify: " + r.line());
                }
            });
            err.flush();
            return Main.ENGINE_FAILED;
        }
        return best == null ? 1 : 0;
    }

    /** Time kept for --verify: a quarter of the timeout. */
    /** How the plans of this solve record their network and chip. */
    PlanSource planSource() {
        return model.source(hardware.hardware);
    }

    private long verifyMillis() {
        return verify ? timeoutMillis / 4 : 0;
    }

    /** Every OPTIMAL re-checked, each in an equal share of the time kept for it. */
    private java.util.Map<String, ClaimCheck.Report> verifyClaims(Instance instance, List<SolveResult> results) {
        List<SolveResult> claims = results.stream().filter(r -> r != null && r.status() == Status.OPTIMAL && r.plan() != null)
                .toList();
        java.util.Map<String, ClaimCheck.Report> out = new java.util.LinkedHashMap<>();
        for (SolveResult r : claims) {
            out.put(r.strategy(), ClaimCheck.of(instance, r, Math.max(0.5, verifyMillis() / 1000.0 / claims.size()), workers));
        }
        return out;
    }

    /**
     * No strategy found a plan (an instance with no valid plan within a strategy's limits, or every
     * strategy stopped before it had one): the statuses, one line saying so on stderr, no files
     * written (a plan file from an earlier run in --out is left as it was), exit code 2.
     */
    private int noPlan(List<SolveResult> results, PrintWriter stdout, boolean interrupted) {
        StringBuilder why = new StringBuilder();
        for (SolveResult r : results) {
            why.append(why.length() == 0 ? "" : "; ").append(r.strategy()).append(' ').append(r.status());
            if (r.note() != null && !r.note().isEmpty()) {
                why.append(" (").append(r.note()).append(')');
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("pimopt: no plan found" + (interrupted ? " before the interrupt" : "") + ", nothing written to "
                + out + ": " + (why.length() == 0 ? "no strategy ran" : why));
        err.flush();
        stdout.flush();
        return Main.USER_ERROR;
    }

    /**
     * Plans were found, but none meets the limits: the strategies' table (model figures), one line
     * on stderr saying how near any plan comes (the exact portfolio's proof, when it ran), no files
     * written, exit code 2.
     */
    private int noPlanMeetsLimits(Instance instance, List<SolveResult> results, PrintWriter stdout, boolean interrupted) {
        if (!json) {
            stdout.println();
            stdout.print(SolveReport.table(instance, results, java.util.Map.of(), java.util.Map.of()));
        }
        stdout.flush();
        String why = results.stream().filter(r -> r.status() == Status.INFEASIBLE || r.strategy().equals("exact"))
                .map(r -> r.strategy() + " " + r.status() + ": " + r.note())
                .findFirst().orElse("no exact engine ran, so nothing is proven; run with --strategy exact to learn whether any plan can");
        PrintWriter err = spec.commandLine().getErr();
        err.println("pimopt: no plan meets the limits (" + instance.goal().limits().stated() + ")"
                + (interrupted ? " before the interrupt" : "") + ", nothing written to " + out + "; " + why);
        err.flush();
        return Main.USER_ERROR;
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

    /** Milliseconds of the budget kept for simulating and writing: a tenth of it, at most 3 s. */
    private long reserveMillis() {
        return Math.min(3_000, timeoutMillis / 10);
    }
}
