package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny suite (small synthetic networks, quick strategies, analytic scorer) through the runner. */
class BenchRunnerTest {
    static final List<String> STRATEGIES = List.of("layerwise", "greedy", "dp");
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true);

    static List<BenchCase> tinySuite() {
        List<BenchCase> cases = new ArrayList<>();
        for (String model : List.of("synthetic-chain-6-s1", "synthetic-dag-6-s2", "synthetic-chain-9-s3")) {
            for (int batch : List.of(1, 4)) {
                cases.add(new BenchCase("scaling", BenchCase.key("scaling", model, "compass-s", batch, "latency"), model,
                        "compass-s", batch, "latency", STRATEGIES));
            }
        }
        return cases;
    }

    static BenchRunner.Outcome run(List<BenchCase> cases, Path csv, Shard shard) {
        return BenchRunner.run(cases, csv, RunInfo.capture("test", "tiny"),
                new BenchRunner.Config(2, shard, new CaseRunner.Settings(10_000, 1, 1, new AnalyticScorer()), false), QUIET);
    }

    /** A row's cells without its wall time and peak memory, which no two runs share. */
    static Set<List<String>> comparable(List<ResultRow> rows) {
        List<String> varying = List.of("wall_ms", "peak_heap_mib", "peak_rss_mib");
        return rows.stream().map(r -> {
            List<String> c = new ArrayList<>();
            for (int i = 0; i < ResultRow.COLUMNS.size(); i++) {
                if (!varying.contains(ResultRow.COLUMNS.get(i))) {
                    c.add(r.cells().get(i));
                }
            }
            return c;
        }).collect(Collectors.toSet());
    }

    @Test
    void everyCaseGetsOneValidatedRowPerStrategy(@TempDir Path dir) {
        Path csv = dir.resolve("scaling.csv");
        BenchRunner.Outcome o = run(tinySuite(), csv, Shard.ALL);
        assertEquals(6, o.ran());
        assertEquals(0, o.errorRows());
        List<ResultRow> rows = ResultsCsv.read(csv).rows();
        assertEquals(18, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.hasPlan() && r.scorer().equals("analytic")), rows.toString());
        assertTrue(rows.stream().filter(r -> r.strategy().equals("dp")).allMatch(ResultRow::optimal));
    }

    @Test
    void aResumedRunSkipsFinishedCasesAndRerunsACaseCutShort(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("scaling.csv");
        List<BenchCase> all = tinySuite();
        assertEquals(2, run(all.subList(0, 2), csv, Shard.ALL).ran());
        BenchRunner.Outcome resumed = run(all, csv, Shard.ALL);
        assertEquals(2, resumed.skipped());
        assertEquals(4, resumed.ran());
        assertEquals(18, ResultsCsv.read(csv).rows().size());

        // Cut the file inside its last row: that case alone runs again, and the file is whole after.
        String text = Files.readString(csv);
        Files.writeString(csv, text.substring(0, text.length() - 20));
        BenchRunner.Outcome again = run(all, csv, Shard.ALL);
        assertEquals(1, again.ran());
        assertEquals(5, again.skipped());
        ResultsCsv.Contents back = ResultsCsv.read(csv);
        assertEquals(18, back.rows().size());
        assertEquals(1, back.malformedLines());
        assertTrue(back.comments().stream().anyMatch(c -> c.startsWith("resumed")));
    }

    @Test
    void mergedShardsEqualAnUnshardedRun(@TempDir Path dir) {
        List<BenchCase> all = tinySuite();
        Path whole = dir.resolve("whole");
        run(all, whole.resolve("scaling.csv"), Shard.ALL);
        Path shards = dir.resolve("shards");
        for (int i = 0; i < 4; i++) {
            Shard s = new Shard(i, 4);
            run(all, shards.resolve("scaling" + s.fileSuffix() + ".csv"), s);
        }
        Path merged = dir.resolve("merged");
        var counts = Merge.run(List.of(shards), merged);
        assertEquals(18, counts.get("scaling"));
        assertEquals(comparable(ResultsCsv.read(whole.resolve("scaling.csv")).rows()),
                comparable(ResultsCsv.read(merged.resolve("scaling.csv")).rows()));
        assertTrue(Files.exists(merged.resolve("scaling.md")));
    }

    @Test
    void finishedCasesNeedEveryStrategy() {
        BenchCase c = tinySuite().get(0);
        List<ResultRow> two = List.of(ResultsCsvTest.row(c.key(), "layerwise", 1, ""), ResultsCsvTest.row(c.key(), "greedy", 1, ""));
        assertEquals(Set.of(), BenchRunner.finishedCases(two, List.of(c)));
        List<ResultRow> three = new ArrayList<>(two);
        three.add(ResultsCsvTest.row(c.key(), "dp", 1, ""));
        assertEquals(Set.of(c.key()), BenchRunner.finishedCases(three, List.of(c)));
    }
}
