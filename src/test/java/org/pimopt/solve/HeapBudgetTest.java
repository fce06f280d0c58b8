package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeapBudgetTest {
    @Test
    void aModelWithinItsShareOfTheFreeHeapIsBuilt() {
        assertEquals(Optional.empty(), HeapBudget.decline("the model", 400L << 20, 1000L << 20));
    }

    @Test
    void aLargerOneIsDeclinedWithOneLineNamingBothSizes() {
        String why = HeapBudget.decline("the Choco model of 1000 units x 285 partitions", 10L << 30, 6L << 30).orElseThrow();
        assertEquals("the Choco model of 1000 units x 285 partitions would take about 10.0 GiB of Java heap, more than 40%"
                + " of the 6.0 GiB free (PIMOPT_JAVA_OPTS=-Xmx... gives the JVM more)", why);
    }

    @Test
    void theFreeHeapIsNeverMoreThanTheMaximum() {
        long free = HeapBudget.freeBytes();
        assertTrue(free > 0 && free <= Runtime.getRuntime().maxMemory(), "free " + free);
    }

    /** Where the system says what memory it has (Linux), a native model larger than its share is declined. */
    @Test
    void aNativeModelBeyondHalfTheAvailableMemoryIsDeclined() {
        long available = HeapBudget.availableSystemBytes();
        if (available > 0) {
            assertTrue(HeapBudget.declineNative("the MILP", 2 * available).orElseThrow().startsWith(
                    "the MILP would take about"));
            assertEquals(Optional.empty(), HeapBudget.declineNative("the MILP", available / 4));
        }
    }
}
