package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.solve.registry.Strategies;

class ZooSuiteTest {
    private final ZooSuite suite = new ZooSuite();

    @Test
    void theFullSuiteIsEveryZooNetworkOnEveryPresetAtBothBatchesAndGoals() {
        List<BenchCase> cases = suite.cases(new Suite.SuiteOptions(false, Path.of("none")));
        assertEquals(15, ModelCatalog.zooNames().size());
        assertEquals(6, ChipLoader.presetNames().size());
        assertEquals(360, cases.size());
        assertEquals(360, cases.stream().map(BenchCase::key).distinct().count(), "keys are unique");
        Set<List<Object>> combos = cases.stream().map(c -> List.<Object>of(c.model(), c.hardware(), c.batch(), c.goal()))
                .collect(Collectors.toSet());
        for (String net : ModelCatalog.zooNames()) {
            for (String chip : ChipLoader.presetNames()) {
                for (int batch : List.of(1, 16)) {
                    for (String goal : List.of("latency", "edp")) {
                        assertTrue(combos.contains(List.of(net, chip, batch, goal)), net + " " + chip + " " + batch + " " + goal);
                    }
                }
            }
        }
        for (BenchCase c : cases) {
            assertEquals("zoo", c.suite());
            assertEquals(BenchCase.key("zoo", c.model(), c.hardware(), c.batch(), c.goal()), c.key());
            assertTrue(c.strategies().containsAll(List.of("layerwise", "greedy", "pimcomp-balance", "pimcomp-fill",
                    "clsa-greedy", "compass-ga", "dp")), c.key());
            assertEquals(List.of("exact"), c.strategies().stream().filter(Strategies::isExact).toList(), c.key());
            c.strategies().forEach(Strategies::byName);
        }
        // Shards split the matrix without overlap, and the suite is found by name.
        Set<String> union = new java.util.HashSet<>();
        for (int i = 0; i < 7; i++) {
            new Shard(i, 7).select(cases).forEach(c -> assertTrue(union.add(c.key()), c.key()));
        }
        assertEquals(360, union.size());
        assertEquals("zoo", Suites.byName("zoo").name());
    }

    @Test
    void theQuickVariantIsAHandfulOfSmallCasesOfTheMatrix() {
        List<BenchCase> quick = suite.cases(new Suite.SuiteOptions(true, Path.of("none")));
        Set<String> full = suite.cases(new Suite.SuiteOptions(false, Path.of("none"))).stream().map(BenchCase::key)
                .collect(Collectors.toSet());
        assertTrue(quick.size() >= 4 && quick.size() <= 10, "cases: " + quick.size());
        assertTrue(quick.stream().allMatch(c -> full.contains(c.key())));
    }

    @Test
    void theReportCountsTheTargetsPlainly(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        // Four cases with rows: lenet5 proven twice (dp-lattice, cpsat), alexnet at 0.5% and at 3% gap;
        // the 5th alexnet case overran its 60 s limit by 2.5 s; one heuristic ran out of memory.
        rows.add(row("lenet5", "compass-s", "latency", "exact", "OPTIMAL", "dp-lattice", 100, 0, 1_000, 300));
        rows.add(row("lenet5", "compass-s", "latency", "greedy", "FEASIBLE", "", 150, Double.NaN, 100, 200));
        rows.add(row("lenet5", "compass-s", "edp", "exact", "OPTIMAL", "cpsat", 100, 0, 2_000, 310));
        rows.add(row("alexnet", "puma", "latency", "exact", "FEASIBLE", "", 100, 0.005, 60_000, 900));
        rows.add(row("alexnet", "puma", "latency", "dp", "FEASIBLE", "", 90, Double.NaN, 500, 400));
        rows.add(row("alexnet", "puma", "edp", "exact", "FEASIBLE", "", 100, 0.03, 62_500, 1200));
        rows.add(row("alexnet", "puma", "edp", "compass-ga", "ERROR", "", Double.NaN, Double.NaN, 10, 2000)
                .withPeak(2000, 2500));
        ResultRow oom = new ResultRow("zoo", BenchCase.key("zoo", "alexnet", "isaac", 16, "edp"), "alexnet", "isaac", 16,
                "edp", "exact", "sim", "ERROR", "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, 400, 5_000, 60_000, 1, "java.lang.OutOfMemoryError: Java heap space");
        rows.add(oom);
        suite.report(rows, List.of("command: test"), dir);
        String md = Files.readString(dir.resolve("zoo.md"));
        // Counted over the whole matrix of 360 cases: the 355 without rows count as not proven.
        assertTrue(md.contains("Proven optimal by exact: **2 of 360 cases** (0.6%; target at least 90.0%); proven by cpsat 1, dp-lattice 1."), md);
        assertTrue(md.contains("Cases over 1.0% gap: **2** of the 3 not proven (target 0); the largest gap is unbounded"), md);
        assertTrue(md.contains("alexnet/puma/b16/edp (gap 3.0%, 62.50 s)"), md);
        assertTrue(md.contains("Cases where exact ran over its time limit by more than 2 s: **1** (target 0); the most by 2.50 s"), md);
        assertTrue(md.contains("**1 runs ran out of memory**"), md);
        assertTrue(md.contains("**355 cases have no rows**"), md);
        assertTrue(md.contains("1 other error rows"), md);
        assertTrue(md.contains("Largest peak heap 2000 MiB (alexnet/puma/b16/edp)"), md);
        // Per network and chip; baselines' ratios to the best plan (alexnet latency: dp's 90 beats exact's 100).
        assertTrue(md.contains("| lenet5 | 40 | 2/2 | - | - | 2/2 |"), md);
        assertTrue(md.contains("no rows** (a JVM killed mid-case, e.g. by the OOM killer when each case runs in its own JVM, or not run yet): lenet5/compass-s/b1/latency,"), md);
        assertTrue(md.contains("| alexnet | 40-400 | - | 0/1 | 0/2 | 0/3 |"), md);
        assertTrue(md.contains("| all | 40-400 | 2/2 | 0/1 | 0/2 | 2/5 |"), md);
        assertTrue(md.contains("| alexnet | 16 | latency | 40 | FEASIBLE | - | 0.5% | 60.00 s | 900 | 1800 | dp | 1.111x |"), md);
        assertTrue(md.contains("| lenet5 | 16 | latency | 40 | OPTIMAL | dp-lattice | 0.0% | 1.00 s | 300 | 600 | exact | 1.000x | - | 1.50x |"), md);
        assertTrue(md.contains("| greedy | 1 | 1 | 0 | 1.50x | 1.50x |"), md);
        // The plot: a self-contained SVG next to the report, linked from it.
        assertTrue(md.contains("![proof time vs units](zoo-time.svg)"), md);
        String svg = Files.readString(dir.resolve("zoo-time.svg"));
        assertTrue(svg.startsWith("<?xml") || svg.startsWith("<svg"), svg.substring(0, 40));
        assertTrue(svg.contains("</svg>"));
        assertTrue(!svg.contains("xlink:href=\"http") && !svg.contains("<image"), "no external references");
    }

    @Test
    void mergingOneFilePerCaseKeepsTheProvenanceShort() {
        List<String> lines = new ArrayList<>();
        for (int j = 0; j < 360; j++) {
            lines.add("command: pimopt bench --suite zoo --shard " + j + "/360");
            lines.add("date: 2026-12-07T07:" + (j % 60) + ":00Z");
            lines.add("machine: nproc 2");
            lines.add("settings: suite zoo, variant full, 360 cases, shard " + j + "/360");
        }
        List<String> out = Merge.compact(new ArrayList<>(new java.util.LinkedHashSet<>(lines)));
        assertEquals(List.of("command: pimopt bench --suite zoo --shard 0/360",
                "command: ... 358 more lines of this kind, from as many runs, left out ...",
                "command: pimopt bench --suite zoo --shard 359/360"), out.subList(0, 3));
        assertTrue(out.contains("machine: nproc 2"));
        assertTrue(out.contains("settings: suite zoo, variant full, 360 cases, shard 359/360"));
        assertEquals(3 + 3 + 1 + 3, out.size(), out.toString());
        // A few shards' lines are kept whole.
        assertEquals(lines.subList(0, 8), Merge.compact(lines.subList(0, 8)));
    }

    private static ResultRow row(String model, String chip, String goal, String strategy, String status, String provenBy,
                                 double objective, double gap, long wallMillis, long heapMib) {
        String key = BenchCase.key("zoo", model, chip, 16, goal);
        return new ResultRow("zoo", key, model, chip, 16, goal, strategy, "sim", status, provenBy, "", objective, objective,
                Double.NaN, gap, objective, 1, 1, 1, 1, 1, 2, 40, wallMillis, heapMib, 2 * heapMib, 60_000, 1, "");
    }
}
