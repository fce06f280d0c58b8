package org.pimopt.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.pimopt.PimoptException;
import org.pimopt.bench.RunInfo;
import org.pimopt.bench.Shard;

/**
 * The cross-check from the command line (scripts/crosscheck.sh):
 *
 * <pre>
 *   CrossCheckMain N [--limits] [--shard i/n] [--jobs J] [--timeout MS] [--out DIR] [--engines a,b] [--resume]
 *   CrossCheckMain --seeds s1,s2 [--limits] [--engines a,b] [--out DIR]   rerun some seeds (crosscheck[-limits]-seeds.csv/.md)
 *   CrossCheckMain merge DIR-or-CSV... [--limits] [--out DIR]            shards into crosscheck[-limits].csv and .md
 *   CrossCheckMain report results/crosscheck.csv                         the .md again from a run's CSV
 * </pre>
 *
 * Seeds 0..N-1, one instance each ({@link CrossCheckCases#draw}); a shard takes every n-th seed
 * from i and writes {@code crosscheck.shard-i-of-n.csv}. Each finished instance's rows are appended
 * at once, so {@code --resume} skips the seeds whose every engine has a row. With {@code --limits}
 * each instance also gets limits ({@link CrossCheckLimits}), the files are named
 * {@code crosscheck-limits...}, the engines are those that post limits, and a full run's summary
 * becomes a section of {@code crosscheck.md} beside it ({@link LimitsReport}).
 */
public final class CrossCheckMain {
    private CrossCheckMain() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (PimoptException e) {
            System.err.println("crosscheck: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Options of a run. */
    record Options(List<Long> seeds, Shard shard, int jobs, long timeoutMillis, Path out, List<String> engines, boolean resume,
                   boolean chosenSeeds, boolean limits) {
        /** crosscheck or crosscheck-limits: the files' names begin with it. */
        String base() {
            return limits ? "crosscheck-limits" : "crosscheck";
        }
    }

    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("merge")) {
            return merge(Arrays.asList(args).subList(1, args.length));
        }
        if (args.length == 2 && args[0].equals("report")) {
            // The markdown again from a finished run's CSV (after a change to the report's layout).
            Path csv = Path.of(args[1]);
            Path md = csv.resolveSibling(csv.getFileName().toString().replaceFirst("\\.csv$", "") + ".md");
            CrossCheckReport.Contents c = CrossCheckReport.read(List.of(csv));
            CrossCheckReport.writeAll(c, csv, md);
            System.err.println("crosscheck: wrote " + md);
            return c.rows().stream().anyMatch(r -> !r.findings().isEmpty()) ? 1 : 0;
        }
        Options o = parse(args);
        String name = o.base() + (o.chosenSeeds() ? "-seeds" : o.shard().fileSuffix());
        Path csv = o.out().resolve(name + ".csv");
        List<Long> todo = o.shard().select(o.seeds());
        Set<Long> done = o.resume() && Files.exists(csv) ? finished(csv, o.engines()) : Set.of();
        todo = todo.stream().filter(s -> !done.contains(s)).toList();
        String command = System.getenv().getOrDefault("CROSSCHECK_COMMAND", "CrossCheckMain " + String.join(" ", args));
        String settings = String.format(Locale.ROOT, "%d instances (seeds %s), shard %s, engines %s, %d ms per engine run,"
                + " one solver thread each, jobs %d (instances at once)", o.seeds().size(), seedRange(o.seeds()), o.shard(),
                String.join(",", o.engines()), o.timeoutMillis(), o.jobs());
        if (o.limits()) {
            settings += "; limits on one or two of latency, energy, writes, dram per instance (CrossCheckLimits)";
        }
        RunInfo info = RunInfo.capture(command, settings);
        List<String> header = new ArrayList<>(info.lines());
        String uptime = System.getenv("CROSSCHECK_UPTIME");
        if (uptime != null && !uptime.isBlank()) {
            header.add("uptime at start: " + uptime.strip());
        }
        if (done.isEmpty() || !Files.exists(csv)) {
            CrossCheckReport.create(csv, header);
        } else {
            // What ran the rest: its command, build and the machine's load then.
            CrossCheckReport.append(csv, List.of("resumed: " + done.size() + " seeds already done; " + info.date() + "; " + command
                    + "; " + info.versions() + (uptime == null || uptime.isBlank() ? "" : "; uptime at resume: " + uptime.strip())),
                    List.of());
        }
        System.err.println("crosscheck: " + settings + " -> " + csv);
        LoadSampler load = LoadSampler.start();
        long start = System.nanoTime();
        int findings = runAll(todo, o, csv);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        CrossCheckReport.append(csv, List.of(String.format(Locale.ROOT, "run of %d instances took %d s (%.1f min); %s",
                todo.size(), seconds, seconds / 60.0, load.stop())), List.of());
        System.err.printf("crosscheck: %d instances in %d s, %d rows with findings%n", todo.size(), seconds, findings);
        if (o.shard().isAll()) {
            CrossCheckReport.Contents all = CrossCheckReport.read(List.of(csv));
            CrossCheckReport.writeAll(all, csv, o.out().resolve(name + ".md"));
            System.err.println("crosscheck: wrote " + o.out().resolve(name + ".md"));
        } else {
            System.err.println("crosscheck: when every shard has finished: scripts/crosscheck.sh merge " + o.out()
                    + (o.limits() ? " --limits" : ""));
        }
        return findings == 0 ? 0 : 1;
    }

    /** Draws, enumerates and checks the seeds on {@code jobs} threads; returns the rows with findings. */
    private static int runAll(List<Long> seeds, Options o, Path csv) {
        ExecutorService jobs = Executors.newFixedThreadPool(o.jobs(), daemon("crosscheck-job"));
        // Engines run on their own threads, so that one that hangs can be left behind.
        ExecutorService engines = Executors.newCachedThreadPool(daemon("crosscheck-engine"));
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger findings = new AtomicInteger();
        AtomicLong lastReport = new AtomicLong(System.nanoTime());
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (long seed : seeds) {
            futures.add(jobs.submit(() -> {
                CrossCheckCases.Case c = CrossCheckCases.draw(seed);
                PlanEnumerator.Optima optima;
                if (o.limits()) {
                    CrossCheckLimits.Limited l = CrossCheckLimits.draw(c);
                    c = l.limited();
                    optima = l.optima();
                } else {
                    optima = PlanEnumerator.enumerate(c.instance(), c.instance().units().size());
                }
                List<CheckRow> rows = CrossCheck.check(c, optima, o.engines(), o.timeoutMillis(), engines);
                CrossCheckReport.append(csv, List.of(), rows);
                for (CheckRow r : rows) {
                    if (!r.findings().isEmpty()) {
                        findings.incrementAndGet();
                        System.err.printf("crosscheck: seed %d, %s: %s (%s)%n", seed, r.engine(), r.findings(), r.detail());
                    }
                }
                int n = finished.incrementAndGet();
                long now = System.nanoTime();
                long last = lastReport.get();
                if (now - last > 30_000_000_000L && lastReport.compareAndSet(last, now) || n == seeds.size()) {
                    double elapsed = (now - start) / 1e9;
                    System.err.printf(Locale.ROOT, "crosscheck: %d of %d instances, %.0f s, about %.0f s left, %d findings%n",
                            n, seeds.size(), elapsed, elapsed / n * (seeds.size() - n), findings.get());
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PimoptException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            // Drawing or enumerating failed: a bug of the cross-check itself, not a finding about an engine.
            throw new IllegalStateException("cross-check failed: " + CrossCheck.cause(e.getCause()), e.getCause());
        } finally {
            jobs.shutdownNow();
            engines.shutdownNow();
        }
        return findings.get();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);   // the default stack, as pimopt bench runs the engines
            t.setDaemon(true);
            return t;
        };
    }

    /** Seeds whose every engine has a row in the CSV. */
    private static Set<Long> finished(Path csv, List<String> engines) {
        Set<Long> out = new HashSet<>();
        var rows = CrossCheckReport.read(List.of(csv)).rows();
        for (long seed : rows.stream().map(CheckRow::seed).distinct().toList()) {
            if (rows.stream().filter(r -> r.seed() == seed).map(CheckRow::engine).toList().containsAll(engines)) {
                out.add(seed);
            }
        }
        return out;
    }

    private static int merge(List<String> args) {
        List<Path> inputs = new ArrayList<>();
        Path out = Path.of("results");
        String base = "crosscheck";
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--limits")) {
                base = "crosscheck-limits";
            } else if (args.get(i).equals("--out")) {
                out = Path.of(value(args, ++i, "--out"));
            } else {
                inputs.add(Path.of(args.get(i)));
            }
        }
        List<Path> files = new ArrayList<>();
        for (Path p : inputs.isEmpty() ? List.of(out) : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    String pattern = base + "\\.shard-\\d+-of-\\d+\\.csv";
                    s.filter(f -> f.getFileName().toString().matches(pattern)).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new PimoptException("cannot list " + p + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new PimoptException(p + ": no such file or folder");
            }
        }
        if (files.isEmpty()) {
            throw new PimoptException("no " + base + ".shard-*.csv in " + inputs);
        }
        CrossCheckReport.Contents merged = CrossCheckReport.read(files);
        List<String> comments = new ArrayList<>();
        comments.add("merged from " + files.stream().map(f -> f.getFileName().toString()).toList());
        comments.addAll(merged.comments());
        CrossCheckReport.writeAll(new CrossCheckReport.Contents(comments, merged.rows()), out.resolve(base + ".csv"),
                out.resolve(base + ".md"));
        System.err.printf("crosscheck: merged %d rows from %d files into %s%n", merged.rows().size(), files.size(),
                out.resolve(base + ".md"));
        return merged.rows().stream().anyMatch(r -> !r.findings().isEmpty()) ? 1 : 0;
    }

    static Options parse(String[] args) {
        Integer n = null;
        List<Long> seeds = null;
        Shard shard = Shard.ALL;
        int jobs = 1;
        long timeout = 5_000;
        Path out = Path.of("results");
        List<String> engines = null;
        boolean resume = false;
        boolean limits = false;
        List<String> a = Arrays.asList(args);
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--shard" -> shard = Shard.parse(value(a, ++i, "--shard"));
                case "--jobs" -> jobs = positive(value(a, ++i, "--jobs"), "--jobs");
                case "--timeout" -> timeout = positive(value(a, ++i, "--timeout"), "--timeout");
                case "--out" -> out = Path.of(value(a, ++i, "--out"));
                case "--engines" -> engines = List.of(value(a, ++i, "--engines").split(","));
                case "--seeds" -> seeds = Arrays.stream(value(a, ++i, "--seeds").split(",")).map(String::trim).map(Long::parseLong).toList();
                case "--resume" -> resume = true;
                case "--limits" -> limits = true;
                default -> {
                    if (n != null || a.get(i).startsWith("-")) {
                        throw new PimoptException("unknown argument '" + a.get(i) + "' (N [--limits] [--shard i/n] [--jobs J]"
                                + " [--timeout MS] [--out DIR] [--engines a,b] [--seeds s,s] [--resume], or merge DIR... [--limits])");
                    }
                    n = positive(a.get(i), "N");
                }
            }
        }
        if (engines == null) {
            engines = limits ? CrossCheck.enginesPresent().stream().filter(CrossCheckLimits.ENGINES::contains).toList()
                    : CrossCheck.enginesPresent();
        }
        for (String e : engines) {
            org.pimopt.solve.registry.Strategies.byName(e);   // an unknown name fails here, naming the known ones
        }
        if (seeds == null && n == null) {
            throw new PimoptException("give the number of instances N (e.g. 1000) or --seeds s1,s2");
        }
        boolean chosen = seeds != null;
        List<Long> all = chosen ? seeds : Stream.iterate(0L, s -> s + 1).limit(n).toList();
        return new Options(all, shard, jobs, timeout, out, engines, resume, chosen, limits);
    }

    private static String value(List<String> a, int i, String option) {
        if (i >= a.size()) {
            throw new PimoptException(option + " needs a value");
        }
        return a.get(i);
    }

    private static int positive(String text, String what) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PimoptException(what + " must be a whole number of at least 1, got '" + text + "'");
    }

    private static String seedRange(List<Long> seeds) {
        if (seeds.size() > 1 && seeds.get(seeds.size() - 1) - seeds.get(0) == seeds.size() - 1) {
            return seeds.get(0) + ".." + seeds.get(seeds.size() - 1);
        }
        return seeds.toString();
    }

    /** The machine's 1-minute load average, sampled every 15 s while the run lasts (Linux; else unknown). */
    static final class LoadSampler {
        private final List<Double> samples = new ArrayList<>();
        private final Thread thread;

        private LoadSampler() {
            thread = new Thread(() -> {
                try {
                    while (true) {
                        sample();
                        Thread.sleep(15_000);
                    }
                } catch (InterruptedException stop) {
                    // the run is over
                }
            }, "crosscheck-load");
            thread.setDaemon(true);
        }

        static LoadSampler start() {
            LoadSampler s = new LoadSampler();
            s.thread.start();
            return s;
        }

        private void sample() {
            try {
                String first = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                synchronized (samples) {
                    samples.add(Double.parseDouble(first));
                }
            } catch (IOException | RuntimeException e) {
                // no /proc: no samples
            }
        }

        /** "machine load (1-min average, N samples): min, mean, max". */
        String stop() {
            thread.interrupt();
            sample();
            synchronized (samples) {
                if (samples.isEmpty()) {
                    return "machine load unknown";
                }
                var stats = samples.stream().mapToDouble(Double::doubleValue).summaryStatistics();
                return String.format(Locale.ROOT, "machine load (1-min average, %d samples every 15 s) min %.2f, mean %.2f,"
                        + " max %.2f on %d processors", stats.getCount(), stats.getMin(), stats.getAverage(), stats.getMax(),
                        Runtime.getRuntime().availableProcessors());
            }
        }
    }
}
