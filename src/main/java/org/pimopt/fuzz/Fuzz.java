package org.pimopt.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.pimopt.fuzz.Harness.Kind;
import org.pimopt.fuzz.Harness.Outcome;

/**
 * A seeded mutation fuzzer over pimopt's readers: ONNX models, pimopt network JSON, PIMCOMP-NN
 * JSON, hardware JSON and plan files (JSON and binary). Execution {@code i} of a campaign with
 * seed {@code S} mutates a seed file chosen by a random source made from {@code (S, i)} alone, so
 * every finding is replayed from its two numbers; targets take turns, so each gets an equal share.
 *
 * <pre>
 * java -cp target/pimopt-all.jar org.pimopt.fuzz.Fuzz --executions 1000000 --seed 1 [--threads 2]
 *     [--limit-ms 2000] [--max-seconds S] [--root .] [--findings DIR] [--report results/fuzz.md]
 *     [--command "what made it"] [--commit abc1234]
 * </pre>
 * Exit status: 0 when no execution crashed or hung, 1 otherwise, 2 on bad arguments.
 */
public final class Fuzz {
    private Fuzz() {}

    /** Counts of one target (or one command of it). */
    public static final class Tally {
        final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
        final AtomicLong millis = new AtomicLong();
        final AtomicLong maxMillis = new AtomicLong();
        final AtomicLong slowOnce = new AtomicLong();
        final AtomicLong viaCli = new AtomicLong();

        Tally() {
            for (Kind k : Kind.values()) {
                counts.put(k, new AtomicLong());
            }
        }

        void add(Kind k, long ms) {
            counts.get(k).incrementAndGet();
            millis.addAndGet(ms);
            maxMillis.accumulateAndGet(ms, Math::max);
        }

        public long count(Kind k) {
            return counts.get(k).get();
        }

        public long total() {
            return counts.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    /** A crash or hang: where it came from, why, and (when saved) the file it was saved as. */
    public record Finding(String target, String command, String seedFile, long campaignSeed, long index, Kind kind,
                          String why, String err, boolean reproduced, byte[] input, List<String> seedArgs, String inputName) {
        /** The finding with paths and numbers taken out: findings alike share it. */
        String signature() {
            String w = why.replaceAll("/\\S*/(in\\.\\w+)", "$1").replaceAll("\\d+", "#");
            return target + " " + command + " " + kind + ": " + (w.length() > 160 ? w.substring(0, 160) : w);
        }
    }

    /** What a campaign did. */
    public record Summary(Map<String, Tally> byTarget, Map<String, Tally> byCommand, Map<String, Integer> seeds,
                          List<String> badSeeds, Map<String, List<Finding>> findings, Map<String, Long> findingCounts,
                          long executions, double seconds, boolean stoppedEarly, long harnessErrors) {
        public long count(Kind k) {
            return byTarget.values().stream().mapToLong(t -> t.count(k)).sum();
        }
    }

    /** Makes execution {@code index}'s random source from the campaign seed (SplitMix64 of both). */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The input of execution {@code index}: which seed and command, and the mutated bytes. */
    public record Input(Target target, Target.Seed seed, Target.Command command, byte[] bytes, boolean cli) {}

    /**
     * Execution {@code index}'s input. Seeds are drawn with weight 1 / (1 + size / 8 KB), so the
     * small files, which are read fastest, are mutated most; every {@code cliEvery}-th round of
     * the targets goes through the command line, the rest directly.
     */
    public static Input input(List<Target> targets, long campaignSeed, long index, int cliEvery) {
        Target t = targets.get((int) (index % targets.size()));
        SplittableRandom rnd = new SplittableRandom(mix(campaignSeed, index));
        double total = 0;
        for (Target.Seed s : t.seeds()) {
            total += weight(s);
        }
        double pick = rnd.nextDouble() * total;
        Target.Seed seed = t.seeds().get(t.seeds().size() - 1);
        for (Target.Seed s : t.seeds()) {
            pick -= weight(s);
            if (pick < 0) {
                seed = s;
                break;
            }
        }
        Target.Seed s = seed;
        Target.Command c = t.commands().get(rnd.nextInt(t.commands().size()));
        List<byte[]> others = t.seeds().stream().filter(o -> o.format() == s.format()).map(Target.Seed::bytes).toList();
        boolean cli = cliEvery <= 1 || (index / targets.size()) % cliEvery == 0;
        return new Input(t, s, c, Mutator.mutate(s.bytes(), s.format(), others, rnd), cli);
    }

    private static double weight(Target.Seed s) {
        return 1.0 / (1.0 + s.bytes().length / 8192.0);
    }

    /**
     * Runs {@code executions} executions over {@code targets} with {@code threads} threads, each
     * under {@code limitMillis}; stops early after {@code maxSeconds} (0: no limit). Every seed is
     * first run unmutated through every command (it must be OK). Each crash or hang is replayed
     * alone with --verbose, then handed to {@code onFinding} with at most {@code keepPerSignature}
     * kept per kind of finding.
     */
    public static Summary campaign(List<Target> targets, long executions, long campaignSeed, int threads, long limitMillis,
                                   int cliEvery, double maxSeconds, Path work, int keepPerSignature, Consumer<Finding> onFinding,
                                   Consumer<String> progress) {
        Map<String, Tally> byTarget = new LinkedHashMap<>();
        Map<String, Tally> byCommand = new LinkedHashMap<>();
        Map<String, Integer> seeds = new LinkedHashMap<>();
        for (Target t : targets) {
            byTarget.put(t.name(), new Tally());
            seeds.put(t.name(), t.seeds().size());
            for (Target.Command c : t.commands()) {
                byCommand.put(t.name() + " / " + c.label(), new Tally());
            }
        }
        List<String> badSeeds = new ArrayList<>();
        try (Harness h = new Harness(work.resolve("seeds"), Math.max(limitMillis, 30_000), false)) {
            for (Target t : targets) {
                for (Target.Seed s : t.seeds()) {
                    for (Target.Command c : t.commands()) {
                        for (boolean cli : new boolean[] {true, false}) {
                            Outcome o = h.run(t, c, s.inputName(), s.bytes(), s.args(), cli);
                            if (o.kind() != Kind.OK && !(o.kind() == Kind.REJECT && !c.seedsRead())) {
                                badSeeds.add(t.name() + " " + c.label() + (cli ? "" : " (direct)") + " " + s.name() + ": "
                                        + o.kind() + " " + (o.why() != null ? o.why() : o.err().strip()));
                            }
                        }
                    }
                }
            }
        }
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        Map<String, Long> findingCounts = new LinkedHashMap<>();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long deadline = maxSeconds > 0 ? start + (long) (maxSeconds * 1e9) : Long.MAX_VALUE;
        List<Thread> workers = new ArrayList<>();
        Object replayLock = new Object();
        AtomicLong harnessErrors = new AtomicLong();
        for (int w = 0; w < threads; w++) {
            Path dir = work.resolve("w" + w);
            Thread worker = new Thread(() -> {
                try (Harness h = new Harness(dir, limitMillis, false)) {
                    long i;
                    while ((i = next.getAndIncrement()) < executions && System.nanoTime() < deadline) {
                      try {
                        Input in = input(targets, campaignSeed, i, cliEvery);
                        Outcome o = h.run(in.target(), in.command(), in.seed().inputName(), in.bytes(), in.seed().args(),
                                in.cli());
                        Kind kind = o.kind();
                        Outcome replay = null;
                        String trace = o.err();
                        if (kind == Kind.CRASH || kind == Kind.HANG) {
                            synchronized (replayLock) {
                                // Replayed alone as it ran, to confirm the class; a crash once more with
                                // --verbose, for the stack trace the finding keeps.
                                try (Harness r = new Harness(dir.resolveSibling("replay-" + i), limitMillis, false)) {
                                    replay = r.run(in.target(), in.command(), in.seed().inputName(), in.bytes(), in.seed().args(),
                                            in.cli());
                                }
                                if (replay.kind() == Kind.CRASH) {
                                    try (Harness r = new Harness(dir.resolveSibling("verbose-" + i), limitMillis, true)) {
                                        trace = r.run(in.target(), in.command(), in.seed().inputName(), in.bytes(),
                                                in.seed().args(), in.cli()).err();
                                    }
                                }
                            }
                            if (kind == Kind.HANG && replay.kind() != Kind.HANG) {
                                // Over the limit once (the machine's load), within it alone: slow, not hung.
                                byTarget.get(in.target().name()).slowOnce.incrementAndGet();
                                byCommand.get(in.target().name() + " / " + in.command().label()).slowOnce.incrementAndGet();
                                kind = replay.kind();
                                o = replay;
                            }
                        }
                        byTarget.get(in.target().name()).add(kind, o.millis());
                        byCommand.get(in.target().name() + " / " + in.command().label()).add(kind, o.millis());
                        if (in.cli()) {
                            byTarget.get(in.target().name()).viaCli.incrementAndGet();
                            byCommand.get(in.target().name() + " / " + in.command().label()).viaCli.incrementAndGet();
                        }
                        if (kind == Kind.CRASH || kind == Kind.HANG) {
                            boolean reproduced = replay != null && replay.kind() == kind;
                            Finding f = new Finding(in.target().name(), in.command().label(), in.seed().name(), campaignSeed, i,
                                    kind, o.why(), trace, reproduced, in.bytes(), in.seed().args(),
                                    in.seed().inputName());
                            boolean keep;
                            synchronized (findings) {
                                String sig = f.signature();
                                findingCounts.merge(sig, 1L, Long::sum);
                                List<Finding> kept = findings.computeIfAbsent(sig, k -> new ArrayList<>());
                                keep = kept.size() < keepPerSignature;
                                if (keep) {
                                    kept.add(f);
                                }
                            }
                            if (keep) {
                                onFinding.accept(f);
                            }
                        }
                      } catch (RuntimeException | Error e) {
                        // The fuzzer's own failure (its mutator, the disk): counted and said, the campaign goes on.
                        harnessErrors.incrementAndGet();
                        progress.accept("fuzz: harness error at execution " + i + ": " + e);
                      }
                    }
                }
            }, "fuzz-worker-" + w);
            worker.start();
            workers.add(worker);
        }
        long lastReport = System.nanoTime();
        while (workers.stream().anyMatch(Thread::isAlive)) {
            try {
                workers.get(0).join(1000);
                for (Thread t : workers) {
                    if (t != workers.get(0) && !workers.get(0).isAlive()) {
                        t.join(1000);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                long done = byTarget.values().stream().mapToLong(Tally::total).sum();
                double s = (lastReport - start) / 1e9;
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "fuzz: %,d of %,d executions in %.0f s (%.0f/s)",
                        done, executions, s, done / s));
                for (Kind k : Kind.values()) {
                    line.append(", ").append(k).append(' ').append(
                            byTarget.values().stream().mapToLong(t -> t.count(k)).sum());
                }
                progress.accept(line.toString());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = byTarget.values().stream().mapToLong(Tally::total).sum();
        return new Summary(byTarget, byCommand, seeds, badSeeds, findings, findingCounts, done, seconds, done < executions,
                harnessErrors.get());
    }

    /** Saves a finding as {@code TARGET-KIND-sSEED-eINDEX.EXT} with a {@code .txt} that says how to replay it. */
    static Path save(Finding f, Path dir) {
        String ext = f.inputName().substring(f.inputName().indexOf('.') < 0 ? f.inputName().length() : f.inputName().indexOf('.'));
        String base = f.target() + "-" + f.kind().toString().toLowerCase(Locale.ROOT) + "-s" + f.campaignSeed() + "-e" + f.index();
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(base + ext), f.input());
            String meta = "target=" + f.target() + "\ncommand=" + f.command() + "\nargs=" + String.join(" ", f.seedArgs())
                    + "\nseed-file=" + f.seedFile() + "\ncampaign-seed=" + f.campaignSeed() + "\nindex=" + f.index()
                    + "\nkind=" + f.kind() + "\nreproduced=" + f.reproduced() + "\nwhy=" + f.why().replace('\n', ' ')
                    + "\n\n" + f.err();
            Files.writeString(dir.resolve(base + ".txt"), meta, StandardCharsets.UTF_8);
            return dir.resolve(base + ext);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Markdown report of a campaign. */
    static String report(Summary s, String command, String commit, long executions, long seed, int threads, long limitMillis,
                         int cliEvery, String loadBefore, String loadAfter, Map<String, Path> saved) {
        StringBuilder md = new StringBuilder();
        md.append("# Fuzzing the readers\n\n");
        md.append("Made by `").append(command).append("`: a seeded mutation fuzzer (`org.pimopt.fuzz.Fuzz`) over ONNX models,"
                + " pimopt network JSON, PIMCOMP-NN JSON, hardware JSON and plan files (JSON and binary). Each execution mutates"
                + " a valid seed file (1-8 stacked mutations, one time in ten 8-32: bytes; JSON trees; protobuf fields of ONNX models and binary plans)"
                + " and runs a real command on it in-process (`pimopt import`, `inspect`, `hw`, `simulate --csv`), then classes the"
                + " outcome: OK (exit 0, its output file complete), REJECT (exit 2, one line naming the file or a field, no trace,"
                + " nothing written), CRASH (exit 1, internal error, a trace, an uncaught Throwable, out of memory, a file left"
                + " half-written) or HANG (over the time limit twice: in the campaign and replayed alone).\n\n");
        md.append("- commit: ").append(commit).append('\n');
        md.append("- date: ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(Instant.now())).append('\n');
        md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(", Java ")
                .append(System.getProperty("java.version")).append(", heap ").append(Runtime.getRuntime().maxMemory() >> 20)
                .append(" MB; load average (1, 5, 15 min) before ").append(loadBefore).append(", after ").append(loadAfter)
                .append('\n');
        md.append(String.format(Locale.ROOT, "- campaign: seed %d, %,d executions asked, %,d run%s, %d threads, limit %d ms per execution%n",
                seed, executions, s.executions(), s.stoppedEarly() ? " (stopped at the time limit)" : "", threads, limitMillis));
        md.append(String.format(Locale.ROOT, "- time: %.0f s, %,.0f executions per second%n", s.seconds(), s.executions() / s.seconds()));
        md.append(String.format(Locale.ROOT, "- outcomes: %,d OK, %,d REJECT, **%,d CRASH, %,d HANG**; %,d through the command"
                + " line, the rest direct; %d errors of the fuzzer itself%n%n", s.count(Kind.OK), s.count(Kind.REJECT),
                s.count(Kind.CRASH), s.count(Kind.HANG), s.byTarget().values().stream().mapToLong(t -> t.viaCli.get()).sum(),
                s.harnessErrors()));
        md.append("| target | seeds | executions | OK | REJECT | CRASH | HANG | slow once | mean ms | max ms |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Map.Entry<String, Tally> e : s.byTarget().entrySet()) {
            row(md, e.getKey(), String.valueOf(s.seeds().get(e.getKey())), e.getValue());
        }
        for (Map.Entry<String, Tally> e : s.byCommand().entrySet()) {
            row(md, "&nbsp;&nbsp;" + e.getKey(), "", e.getValue());
        }
        md.append("\n\"slow once\": over the limit in the campaign but within it when replayed alone (the machine's load);"
                + " such executions are counted under the class of their replay.\n\n");
        md.append("## What the harness covers\n\n");
        md.append("- Targets and commands: `onnx` (9 seeds: 6 zoo networks exported without weights, Tribuo's PyTorch CNN,"
                + " one-layer BERT and sklearn model) and `network-json` (the 15 zoo files) and `pimcomp-json` (5 of PIMCOMP-NN's"
                + " files) through `import FILE -o net.json` (the written file is read back) and `inspect --model FILE --hw"
                + " compass-s`; `hardware-json` (6 presets and compass-tiny) through `hw FILE`, `inspect --model lenet5 --hw"
                + " FILE` and `simulate --plan lenet5-dp.json --hw FILE` (a lenet5 plan for compass-s on the mutated chip); `plan` (lenet5 and alexnet plans, JSON and binary, one with a layout) through `simulate --plan FILE"
                + " --csv layers.csv` (the CSV is read back).\n");
        md.append("- One execution in ").append(cliEvery).append(" goes through the command line (picocli and `Main`'s error"
                + " handling); the others call the same loaders, binders, tiling, validator, simulator and atomic writers in the"
                + " order the commands do, with errors reported as `Main` reports them (`org.pimopt.fuzz.Direct`): building"
                + " picocli's model of every command costs more than reading a small file. Every seed is run both ways first.\n");
        md.append("- Plans of batch above ").append(Direct.MAX_SIMULATED_BATCH).append(" are read, bound, validated and"
                + " priced but not simulated: the simulator's work grows with the batch (lenet5 at batch 65,536 is 9.6 million"
                + " events, 7 s), which is work asked for, not a hang. Mutants are cut at 4 MB.\n");
        md.append("- A crash is replayed alone (and once more with `--verbose` for its stack trace); an execution over the"
                + " limit counts as a hang only when it is over the limit again replayed alone.\n\n");
        md.append("## Seeds\n\n");
        if (s.badSeeds().isEmpty()) {
            md.append("Every seed, unmutated, is OK under every command of its target (the hardware target's simulate: OK on"
                    + " compass-s, refused cleanly on the other chips, which the plan is not for).\n\n");
        } else {
            for (String b : s.badSeeds()) {
                md.append("- ").append(b).append('\n');
            }
            md.append('\n');
        }
        md.append("## Crashes and hangs\n\n");
        if (s.findingCounts().isEmpty()) {
            md.append("None.\n");
        } else {
            md.append("| finding | count | saved as (replayed alone?) |\n|---|--:|---|\n");
            for (Map.Entry<String, Long> e : s.findingCounts().entrySet()) {
                StringBuilder files = new StringBuilder();
                for (Finding f : s.findings().get(e.getKey())) {
                    Path p = saved.get(f.target() + "/" + f.index());
                    files.append(p == null ? "index " + f.index() : "`" + p + "`").append(f.reproduced() ? "" : " (not reproduced)")
                            .append("<br>");
                }
                md.append("| ").append(e.getKey().replace("|", "\\|")).append(" | ").append(e.getValue()).append(" | ")
                        .append(files).append(" |\n");
            }
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String seeds, Tally t) {
        long n = t.total();
        md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %,d | %,d | %.1f | %,d |%n", name, seeds, n,
                t.count(Kind.OK), t.count(Kind.REJECT), t.count(Kind.CRASH), t.count(Kind.HANG), t.slowOnce.get(),
                n == 0 ? 0.0 : (double) t.millis.get() / n, t.maxMillis.get()));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public static void main(String[] args) throws IOException {
        long executions = 10_000;
        long seed = 1;
        int threads = Runtime.getRuntime().availableProcessors();
        long limit = 2000;
        int cliEvery = 50;
        double maxSeconds = 0;
        Path root = Path.of(".");
        Path findingsDir = null;
        Path reportFile = null;
        Path workDir = null;
        String command = "java -cp target/pimopt-all.jar org.pimopt.fuzz.Fuzz " + String.join(" ", args);
        String commit = "unknown";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                usage("missing value after " + a);
            }
            switch (a) {
                case "--executions" -> executions = Long.parseLong(v.replace("_", ""));
                case "--seed" -> seed = Long.parseLong(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--limit-ms" -> limit = Long.parseLong(v);
                case "--cli-every" -> cliEvery = Integer.parseInt(v);
                case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
                case "--root" -> root = Path.of(v);
                case "--findings" -> findingsDir = Path.of(v);
                case "--report" -> reportFile = Path.of(v);
                case "--work" -> workDir = Path.of(v);
                case "--command" -> command = v;
                case "--commit" -> commit = v;
                default -> usage("unknown argument " + a);
            }
            i++;
        }
        Path work = workDir == null ? Files.createTempDirectory("pimopt-fuzz") : Files.createTempDirectory(workDir, "pimopt-fuzz");
        List<Target> targets = Target.standard(root);
        Map<String, Path> saved = new LinkedHashMap<>();
        Path fd = findingsDir;
        String loadBefore = loadAverage();
        Summary s = campaign(targets, executions, seed, threads, limit, cliEvery, maxSeconds, work, 2, f -> {
            System.err.println("fuzz: " + f.kind() + " " + f.target() + " " + f.command() + " (execution " + f.index() + "): " + f.why());
            if (fd != null) {
                Path p = save(f, fd);
                synchronized (saved) {
                    saved.put(f.target() + "/" + f.index(), p);
                }
            }
        }, System.err::println);
        String md = report(s, command, commit, executions, seed, threads, limit, cliEvery, loadBefore, loadAverage(), saved);
        if (reportFile != null) {
            Files.createDirectories(reportFile.toAbsolutePath().getParent());
            Files.writeString(reportFile, md);
            System.err.println("fuzz: wrote " + reportFile);
        } else {
            System.out.print(md);
        }
        Harness.clear(work);
        System.exit(s.count(Kind.CRASH) + s.count(Kind.HANG) == 0 && s.badSeeds().isEmpty() ? 0 : 1);
    }

    private static void usage(String why) {
        System.err.println("fuzz: " + why + "; usage: Fuzz --executions N --seed S [--threads T] [--limit-ms MS]"
                + " [--max-seconds S] [--root DIR] [--findings DIR] [--report FILE] [--command TEXT] [--commit SHA]");
        System.exit(2);
    }
}
