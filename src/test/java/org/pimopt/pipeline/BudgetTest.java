package org.pimopt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a solve's budget is shared between its stages, so the command ends within --timeout plus two seconds. */
class BudgetTest {
    private static final long MS = 1_000_000L;

    @Test
    void withoutPlacementTheStrategiesLeaveATenthForSimulatingAndWritingAtMostThreeSeconds() {
        Budget b = new Budget(0, 20_000);
        assertEquals(2_000, b.reserveMillis());
        assertEquals(18_000 * MS, b.strategiesDeadline(false, false));
        assertEquals(3_000, new Budget(0, 60_000).reserveMillis());
        assertEquals(57_000 * MS, new Budget(0, 60_000).strategiesDeadline(false, false));
    }

    @Test
    void placementTakesTheLastQuarterAndVerificationAnotherQuarter() {
        Budget b = new Budget(0, 20_000);
        assertEquals(15_000 * MS, b.strategiesDeadline(true, false));
        assertEquals(10_000 * MS, b.strategiesDeadline(true, true));
        assertEquals(13_000 * MS, b.strategiesDeadline(false, true));
        assertEquals(0, b.verifyMillis(false));
    }

    @Test
    void simulationsStartUntilTheBudgetsEndAndTheParetoSweepKeepsASixth() {
        Budget b = new Budget(5 * MS, 12_000);
        assertEquals(12_005 * MS, b.simulateUntilNanos());
        assertEquals(2_000, b.paretoReserveMillis());
        assertEquals(10_005 * MS, b.paretoDeadline());
        assertEquals(4_000, new Budget(0, 60_000).paretoReserveMillis());
    }

    @Test
    void aStageStartedLateStillGetsAMillisecond() {
        Budget spent = new Budget(System.nanoTime() - 100_000 * MS, 10_000);
        assertEquals(1, spent.placementMillis());
        assertEquals(1, spent.jointMillis());
        Budget fresh = new Budget(System.nanoTime(), 10_000);
        assertTrue(fresh.placementMillis() > 8_000 && fresh.placementMillis() <= 9_000, "" + fresh.placementMillis());
    }
}
