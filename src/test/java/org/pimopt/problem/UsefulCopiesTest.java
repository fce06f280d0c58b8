package org.pimopt.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;

/** The copy counts worth considering are exactly those at which an op's steps per copy drop. */
class UsefulCopiesTest {
    private static int[] byDefinition(long positions, long max) {
        List<Integer> out = new ArrayList<>();
        long previous = Long.MAX_VALUE;
        for (int r = 1; r <= max; r++) {
            long steps = (positions + r - 1) / r;
            if (steps < previous) {
                out.add(r);
                previous = steps;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void everyOpOfResnet18AtEveryLimitUpToItsMostCopies() {
        Instance in = Instance.of(ModelCatalog.load("resnet18", Map.of()), ChipLoader.load("compass-s"), 1, Goal.parse("latency"));
        for (OpInfo op : in.ops()) {
            int most = in.maxCopies(op);
            for (long max : new long[] {1, 2, 3, 7, most / 2 + 1, most, most + 5}) {
                assertArrayEquals(byDefinition(op.positions(), max), op.usefulCopies(max), op.name() + " up to " + max);
            }
        }
    }
}
