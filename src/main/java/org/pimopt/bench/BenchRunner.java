package org.pimopt.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pimopt.PimoptException;

/**
 * Runs a suite's cases on {@code jobs} threads and appends each finished case's rows to the
 * results CSV at once, so an interrupted run resumes where it stopped: a case whose every
 * strategy already has a row is skipped. With a shard, only every n-th case is run.
 */
public final class BenchRunner {
    /**
     * @param jobs     cases run at once
     * @param shard    which slice of the case list to run
     * @param progress draw a progress bar with time left on the error stream
     */
    public record Config(int jobs, Shard shard, CaseRunner.Settings settings, boolean progress) {}

    /** What a run did: the cases of its shard, how many were already done, how many ran, errors. */
    public record Outcome(Path csv, int shardCases, int skipped, int ran, int errorRows) {}

    private BenchRunner() {}

    public static Outcome run(List<BenchCase> cases, Path csv, RunInfo info, Config config, PrintStream err) {
        if (config.jobs() < 1) {
            throw new PimoptException("--jobs must be at least 1, got " + config.jobs());
        }
        List<BenchCase> mine = config.shard().select(cases);
        Set<String> done = Files.exists(csv) ? finishedCases(ResultsCsv.read(csv).rows(), mine) : Set.of();
        List<BenchCase> todo = mine.stream().filter(c -> !done.contains(c.key())).toList();
        if (Files.exists(csv)) {
            endWithNewline(csv);
            ResultsCsv.resumeHeader(csv);
            List<String> resumed = new ArrayList<>();
            resumed.add("resumed: " + done.size() + " of " + mine.size() + " cases already done");
            resumed.addAll(info.lines());
            ResultsCsv.append(csv, resumed, List.of());
        } else {
            ResultsCsv.create(csv, info.lines());
        }
        CaseRunner runner = new CaseRunner(config.settings());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(config.jobs(), r -> {
            Thread t = new Thread(r, "pimopt-bench");
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar bar = config.progress() && !todo.isEmpty() ? bar(csv, todo.size(), err) : null) {
            List<Future<?>> futures = new ArrayList<>();
            for (BenchCase c : todo) {
                futures.add(pool.submit(() -> {
                    List<ResultRow> rows = runner.run(c, line -> {
                        synchronized (err) {
                            err.println("pimopt bench: " + line);
                        }
                    });
                    errors.addAndGet((int) rows.stream().filter(r -> r.status().equals("ERROR")).count());
                    ResultsCsv.append(csv, List.of(), rows);
                    if (bar != null) {
                        bar.step();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PimoptException("interrupted; finished cases are in " + csv + " and a rerun resumes there");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a bench case failed outside its strategies", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(csv, mine.size(), done.size(), todo.size(), errors.get());
    }

    /** Cases whose every strategy has a row. */
    static Set<String> finishedCases(List<ResultRow> rows, List<BenchCase> cases) {
        Map<String, Set<String>> have = rows.stream().collect(
                Collectors.groupingBy(ResultRow::caseKey, Collectors.mapping(ResultRow::strategy, Collectors.toSet())));
        Set<String> out = new HashSet<>();
        for (BenchCase c : cases) {
            if (have.getOrDefault(c.key(), Set.of()).containsAll(c.strategies())) {
                out.add(c.key());
            }
        }
        return out;
    }

    /** A run cut off mid-line leaves a partial row; the next row must not be glued onto it. */
    private static void endWithNewline(Path csv) {
        try (FileChannel ch = FileChannel.open(csv, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            if (last.get(0) != '\n') {
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
            }
        } catch (IOException e) {
            throw new PimoptException(csv + ": cannot resume: " + e.getMessage());
        }
    }

    private static ProgressBar bar(Path csv, int cases, PrintStream err) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(csv.getFileName().toString().replace(".csv", ""))
                .setInitialMax(cases).setUnit(" cases", 1).setStyle(ProgressBarStyle.ASCII).showSpeed()
                .setSpeedUnit(java.time.temporal.ChronoUnit.MINUTES).setMaxRenderedLength(100);
        if (System.console() != null) {
            b.setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(1000);
        } else {
            // Not a terminal (a log file, a batch job): a plain line every 30 s instead of redrawing.
            b.setConsumer(new DelegatingProgressBarConsumer(line -> {
                synchronized (err) {
                    err.println(line.strip());
                }
            })).setUpdateIntervalMillis((int) Duration.ofSeconds(30).toMillis());
        }
        return b.build();
    }
}
