package org.pimopt.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pimopt.PimoptException;
import org.pimopt.bench.BenchCase;
import org.pimopt.bench.BenchRunner;
import org.pimopt.bench.CaseRunner;
import org.pimopt.bench.Merge;
import org.pimopt.bench.PlanScorer;
import org.pimopt.bench.ResultsCsv;
import org.pimopt.bench.RunInfo;
import org.pimopt.bench.Shard;
import org.pimopt.bench.Suite;
import org.pimopt.bench.Suites;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pimopt bench}: run a benchmark suite into results/, or merge shard results. */
@Command(name = "bench", description = "Run a benchmark suite (compass, optimality, scaling, pimcomp, exact, zoo, pareto) and write "
        + "SUITE.csv, SUITE.md and plots; 'bench merge DIR...' merges shard CSVs and regenerates the reports.",
        subcommands = BenchCommand.MergeCommand.class)
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--suite", paramLabel = "NAME", description = "compass, optimality, scaling, pimcomp, exact (the exact engines at 60 s, scripts/bench-exact.sh) "
            + ", zoo (every zoo network on every preset, scripts/bench-zoo.sh) or pareto (latency-energy fronts, best with"
            + " --scorer analytic).")
    String suite;

    @Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "S",
            description = "Budget of each strategy on a case (exact engines use all of it when they cannot prove "
                    + "optimality): seconds or 20s, 2m. Default: 20 s, 5 s with --quick.")
    Long timeoutMillis;

    @Option(names = "--jobs", defaultValue = "1", description = "Cases run at once. Default: ${DEFAULT-VALUE}.")
    int jobs;

    @Option(names = "--workers", description = "Solver threads of each exact-engine run. Default: processors / jobs, at least 1.")
    Integer workers;

    @Option(names = "--out", defaultValue = "results", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--quick", description = "The small variant: fewer cases, shorter limits (minutes, not an hour).")
    boolean quick;

    @Option(names = "--shard", paramLabel = "i/n", description = "Run only every n-th case starting at i (0 <= i < n), "
            + "into SUITE.shard-i-of-n.csv; merge the shards with 'pimopt bench merge DIR'.")
    String shard;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of randomized strategies. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--peer-models", paramLabel = "DIR", defaultValue = "../shared/peer-models/pimcomp",
            description = "PIMCOMP-NN's model files (pimcomp suite). Default: ${DEFAULT-VALUE}.")
    Path peerModels;

    @Option(names = "--scorer", defaultValue = "sim", paramLabel = "NAME",
            description = "What prices the plans: sim (the simulator, pipeline schedule, physical effects on) or "
                    + "analytic (the cost model). Default: ${DEFAULT-VALUE}.")
    String scorerName;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Option(names = "--verify", description = "Re-check every OPTIMAL of an exact engine as 'solve --verify' does (a third of"
            + " the time limit, 2-20 s, each, outside the engine's time); the verdict goes to the 'verified' column.")
    boolean verify;

    @Option(names = "--list", description = "Print the suite's case keys (of --shard, if given), one a line, and run nothing.")
    boolean list;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (suite == null) {
            throw new PimoptException("bench needs --suite NAME (" + String.join(", ", Suites.names())
                    + ") or the merge subcommand");
        }
        Suite s = Suites.byName(suite);
        Shard sh = shard == null ? Shard.ALL : Shard.parse(shard);
        long timeout = timeoutMillis != null ? timeoutMillis : quick ? 5_000 : 20_000;
        int procs = Runtime.getRuntime().availableProcessors();
        int w = workers != null ? workers : Math.max(1, procs / Math.max(1, jobs));
        if (w < 1) {
            throw new PimoptException("--workers must be at least 1, got " + w);
        }
        PlanScorer scorer = PlanScorer.byName(scorerName);
        List<BenchCase> cases = s.cases(new Suite.SuiteOptions(quick, peerModels));
        if (list) {
            PrintWriter stdout = spec.commandLine().getOut();
            sh.select(cases).forEach(c -> stdout.println(c.key()));
            stdout.flush();
            return 0;
        }
        String settings = String.format(Locale.ROOT, "suite %s, variant %s, %d cases, shard %s, timeout %d ms per "
                + "strategy run, jobs %d, workers %d, seed %d, scorer %s, exact engines %s%s", s.name(),
                quick ? "quick" : "full", cases.size(), sh, timeout, jobs, w, seed, scorer.name(),
                org.pimopt.solve.registry.Strategies.EXACT_ENGINES, verify ? ", every OPTIMAL verified" : "");
        String command = "pimopt " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        RunInfo info = RunInfo.capture(command, settings);
        PrintStream err = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        err.println("pimopt bench: " + settings);
        Path csv = out.resolve(s.name() + sh.fileSuffix() + ".csv");
        BenchRunner.Outcome o = BenchRunner.run(cases, csv, info,
                new BenchRunner.Config(jobs, sh, new CaseRunner.Settings(timeout, seed, w, scorer, verify), !noProgress), err);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%s: %d cases in shard %s, %d already done, %d run, %d error rows -> %s%n", s.name(),
                o.shardCases(), sh, o.skipped(), o.ran(), o.errorRows(), csv);
        if (sh.isAll()) {
            ResultsCsv.Contents all = ResultsCsv.read(csv);
            s.report(all.rows(), all.comments(), out);
            stdout.printf("wrote %s%n", out.resolve(s.name() + ".md"));
        } else {
            stdout.printf("after every shard has finished: pimopt bench merge %s%n", out);
        }
        stdout.flush();
        return o.errorRows() > 0 ? 1 : 0;
    }

    /** {@code pimopt bench merge DIR...}. */
    @Command(name = "merge", description = "Merge results CSVs (e.g. shards) per suite into --out and regenerate the reports.")
    static final class MergeCommand implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "DIR", description = "Folders (their *.csv) or CSV files.")
        List<Path> inputs;

        @Option(names = "--out", defaultValue = "results", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var counts = Merge.run(inputs, out);
            PrintWriter stdout = spec.commandLine().getOut();
            if (counts.isEmpty()) {
                throw new PimoptException("no result rows in " + inputs);
            }
            counts.forEach((suite, n) -> stdout.printf("%s: %d rows -> %s, %s%n", suite, n,
                    out.resolve(suite + ".csv"), out.resolve(suite + ".md")));
            stdout.flush();
            return 0;
        }
    }

    /** Lets the runner print to picocli's error writer as a stream (the progress bar wants a PrintStream). */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final PrintWriter writer;

        WriterOutputStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
