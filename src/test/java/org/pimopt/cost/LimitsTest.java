package org.pimopt.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.PimoptException;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;

/** The --limit vocabulary: each figure in its units, per batch or per sample, and a lifetime as two limits. */
class LimitsTest {
    private final Chip chip = ChipLoader.load("isaac");

    private Limit one(String statement, int batch) {
        List<Limit> l = Limits.parse(List.of(statement), chip, batch).limits();
        assertEquals(1, l.size(), statement);
        return l.get(0);
    }

    @Test
    void eachFigureIsReadInItsUnitPerBatch() {
        assertEquals(2e6, one("latency=2ms", 16).max(), 1e-6);
        assertEquals(500, one("latency=500", 16).max(), 1e-9);   // a bare latency is in ns
        assertEquals(40e9, one("energy=40mJ", 16).max(), 1e-3);
        assertEquals(5e7, one("writes=5e7", 16).max(), 1e-9);
        assertEquals(1e9, one("dram=1GB", 16).max(), 1e-9);
        assertEquals(512.0 * 1024 * 1024, one("dram=512MiB", 16).max(), 1e-9);
    }

    @Test
    void aValuePerSampleIsMultipliedByTheBatch() {
        assertEquals(16 * 2.5e9, one("energy=2.5mJ/sample", 16).max(), 1e-3);
        assertEquals(8 * 1e5, one("latency=100us/sample", 8).max(), 1e-6);
    }

    @Test
    void aLifetimeHoldsTheLevelledWritesAndTheRate() {
        List<Limit> l = Limits.parse(List.of("lifetime=5y@1000/s"), chip, 16).limits();
        assertEquals(2, l.size());
        double seconds = 5 * 365.25 * 86400;
        double cells = (double) chip.totalCrossbars() * chip.crossbarRows() * chip.crossbarCols();
        assertEquals(Objective.WRITES, l.get(0).figure());
        assertEquals(chip.enduranceWrites() * cells * 16 / (seconds * 1000), l.get(0).max(), 1e-6 * l.get(0).max());
        assertEquals(Objective.LATENCY, l.get(1).figure());
        assertEquals(16e6, l.get(1).max(), 1e-6);   // 16 samples at 1000/s: 16 ms per batch
        assertEquals("lifetime=5y@1000/s", l.get(1).stated());
    }

    @Test
    void theLifetimeOfAPlanIsWhatItsWriteLimitAllows() {
        double perBatch = Lifetime.cellsPerBatch(chip, 4, 3.0e7, 100);
        BatchMetrics m = new BatchMetrics(4, 1e6, EnergyBreakdown.ZERO, Math.round(perBatch), 0, List.of());
        assertEquals(3.0e7, Lifetime.seconds(chip, m, 100), 3.0e7 * 1e-6);
    }

    @Test
    void aPlanMeetsLimitsWithinTheGoalsTolerance() {
        Limits limits = Limits.parse(List.of("writes=100", "latency=1us"), chip, 1);
        BatchMetrics at = new BatchMetrics(1, 1000, EnergyBreakdown.ZERO, 100, 0, List.of());
        BatchMetrics over = new BatchMetrics(1, 1000.001, EnergyBreakdown.ZERO, 100, 0, List.of());
        assertTrue(limits.meets(at));
        assertFalse(limits.meets(over));
        assertEquals(List.of(Objective.LATENCY), limits.broken(over).stream().map(Limit::figure).toList());
    }

    @Test
    void aGoalWithLimitsOrdersPlansThatMeetThemFirst() {
        Goal goal = Goal.of(Objective.LATENCY).withLimits(Limits.parse(List.of("writes=100"), chip, 1));
        BatchMetrics fastOver = new BatchMetrics(1, 10, EnergyBreakdown.ZERO, 200, 0, List.of());
        BatchMetrics slowWithin = new BatchMetrics(1, 20, EnergyBreakdown.ZERO, 50, 0, List.of());
        assertTrue(goal.comparator().compare(slowWithin, fastOver) < 0);
        assertTrue(goal.unlimited().comparator().compare(fastOver, slowWithin) < 0);
    }

    @Test
    void badStatementsNameTheStatementAndWhy() {
        for (String[] bad : new String[][] {
            {"latency", "write FIGURE=VALUE"}, {"speed=3", "unknown figure 'speed'"}, {"edp=5", "cannot be limited"},
            {"latency=fast", "not a number"}, {"lifetime=5y", "lifetime=DURATION@RATE/s"}, {"lifetime=5@10/s", "needs a unit"},
            {"energy=-1mJ", "at least 0"}}) {
            PimoptException e = assertThrows(PimoptException.class, () -> Limits.parse(List.of(bad[0]), chip, 1), bad[0]);
            assertTrue(e.getMessage().startsWith("--limit '" + bad[0] + "': "), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
