package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExactSuiteTest {
    private final ExactSuite suite = new ExactSuite();

    @Test
    void theFullSuiteCoversTheIssuesMatrixWithEveryEngineOnCompassSOnly() {
        List<BenchCase> cases = suite.cases(new Suite.SuiteOptions(false, Path.of("none")));
        assertEquals(9 * 3 * 2 * 2, cases.size());
        assertTrue(cases.stream().anyMatch(c -> c.model().equals("bert-base")), "a transformer");
        assertTrue(cases.stream().anyMatch(c -> c.model().equals("densenet121")), "a DenseNet");
        assertEquals(cases.size(), cases.stream().map(BenchCase::key).distinct().count(), "keys are unique");
        for (BenchCase c : cases) {
            assertTrue(c.strategies().containsAll(ExactSuite.BASELINES), c.key());
            assertTrue(c.strategies().contains("exact"), c.key());
            boolean alone = c.strategies().containsAll(List.of("cpsat", "choco", "mip"));
            boolean any = c.strategies().contains("cpsat") || c.strategies().contains("choco") || c.strategies().contains("mip");
            assertEquals(c.hardware().equals("compass-s"), alone, c.key());
            assertEquals(alone, any, c.key());
        }
    }

    @Test
    void theReportCountsTheTargetsPlainly(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        // resnet18: proven on one case, not on the other; vgg16: 0.5% gap (meets) and 7% (misses).
        rows.add(row("resnet18", "latency", "exact", "OPTIMAL", 100, 0));
        rows.add(row("resnet18", "latency", "greedy", "FEASIBLE", 150, Double.NaN));
        rows.add(row("resnet18", "latency", "cpsat", "FEASIBLE", 100, 0.01));
        rows.add(row("resnet18", "edp", "exact", "FEASIBLE", 100, 0.2));
        rows.add(row("vgg16", "latency", "exact", "FEASIBLE", 100, 0.005));
        rows.add(row("vgg16", "edp", "exact", "FEASIBLE", 100, 0.07));
        suite.report(rows, List.of("command: test"), dir);
        String md = Files.readString(dir.resolve("exact.md"));
        assertTrue(md.contains("**1 of 2 cases**"), md);
        assertTrue(md.contains("**1 of 2 cases** (target: all); the largest gap left is 7.0%"), md);
        // Over all four cases: one proven; two within 1% gap (that one and vgg16's 0.5%).
        assertTrue(md.contains("proves optimality within the time limit in **1 of 4 cases**"), md);
        assertTrue(md.contains("2 of 4 end within 1.0% gap"), md);
        // The portfolio credits the engine that proved the case (here the row says the strategy itself).
        assertTrue(md.contains("| exact | 4 | 1 | exact 1 |"), md);
        assertTrue(md.contains("| cpsat | 1 | 0 | - |"), md);
        // exact's plan is the best of each case (greedy's, the only other, is worse).
        assertTrue(md.contains("in **4 of 4 cases**"), md);
        assertTrue(md.contains("resnet18/compass-s/b16/edp FEASIBLE gap 20.0%"), md);
        assertTrue(md.contains("| 1.50x"), "greedy's ratio to the best plan: " + md);
    }

    private static ResultRow row(String model, String goal, String strategy, String status, double objective, double gap) {
        String key = BenchCase.key("exact", model, "compass-s", 16, goal);
        return new ResultRow("exact", key, model, "compass-s", 16, goal, strategy, "analytic", status, status.equals("OPTIMAL") ? strategy : "", objective,
                objective, Double.NaN, gap, objective, 1, 1, 1, 1, 1, 2, 40, 60_000, 60_000, 1, "");
    }
}
