package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.pimopt.report.ConvergenceCsv;

/** The progress log keeps each move of an engine's objective or bound once, in order. */
class ConvergenceTest {
    @Test
    void aRepeatedPointIsKeptOnceAndEnginesInterleave() {
        Convergence log = new Convergence();
        log.record("dp-lattice", 10, 5);
        log.record("dp-lattice", 10, 5);
        log.record("cpsat", 9, Double.NaN);
        log.record("dp-lattice", 10, 5);   // the same as dp-lattice's last point: not recorded again
        log.record("dp-lattice", 10, 8);
        assertEquals(3, log.points().size(), log.points().toString());
        String csv = ConvergenceCsv.of(log, "latency", log.points().get(0).atNanos());
        String[] lines = csv.split("\n");
        assertEquals("engine,seconds,latency,bound,gap", lines[0]);
        assertEquals("dp-lattice,0.000,10.0000000,5.00000000,0.500000000", lines[1]);
        assertEquals(4, lines.length);
        assertEquals("cpsat", lines[2].split(",")[0]);
        assertEquals("", lines[2].split(",", -1)[3], "no bound yet");
    }
}
