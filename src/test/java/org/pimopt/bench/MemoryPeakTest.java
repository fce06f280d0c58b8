package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryPeakTest {
    @Test
    void aWindowSeesMemoryHeldDuringItAndKeepsItsPeakAfterItIsFreed() throws Exception {
        System.gc();
        long before = MemoryPeak.heapUsed();
        MemoryPeak.Window w = MemoryPeak.open();
        byte[][] held = new byte[48][];
        for (int i = 0; i < held.length; i++) {
            held[i] = new byte[1 << 20];
            held[i][i] = 1;
        }
        Thread.sleep(3 * MemoryPeak.PERIOD_MILLIS);
        long sum = 0;
        for (byte[] b : held) {
            sum += b[0] + b.length;
        }
        held = null;
        System.gc();
        MemoryPeak.Peak p = w.peak();
        assertTrue(sum > 0);
        assertTrue(p.heapMib() * 1024 * 1024 >= before + 48L * (1 << 20), p + " before " + before);
        assertEquals(p, w.peak(), "closing twice gives the same peaks");
        if (MemoryPeak.rssBytes() > 0) {
            assertTrue(p.rssMib() >= 48, p.toString());
        }
    }
}
