package org.pimopt.solve.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.solve.replication.PimcompBalance.Layer;

/**
 * PIMCOMP-NN's balance replication on pools of crossbars small enough to follow by hand. Each
 * case spells out the steps of {@code ReplicationByBalance}: budget = pool - FC crossbars, margin
 * = half of it, a copy while the budget left exceeds the top's crossbars and the margin, key
 * ceil(windows / copies), ties as libstdc++'s priority queue breaks them.
 */
class PimcompBalanceTest {

    private static Layer conv(int id, long crossbars, long windows) {
        return new Layer(id, crossbars, windows, false);
    }

    private static Layer fc(int id, long crossbars) {
        return new Layer(id, crossbars, 1, true);
    }

    /**
     * Pool 100, FC 10: budget 90, margin 45. A (4 crossbars, 60 windows), B (2, 16).
     * Keys: A 60 -> A2 (30, left 86), A 30 -> A3 (20, 82), A 20 -> A4 (15, 78), B 16 -> B2 (8, 76),
     * A 15 -> A5 (12, 72), A 12 -> A6 (10, 68), A 10 -> A7 (9, 64), A 9 -> A8 (8, 60); now A 8 was
     * just pushed and ties B 8, which stays on top: B3 (6, 58); A 8 -> A9 (7, 54), A 7 -> A10 (6,
     * 50); A 6 ties B 6 and B stays on top: B4 (4, 48); A 6 -> A11 (6, 44); 44 is not above the
     * margin 45, so the rule stops with 44 crossbars of the budget unspent.
     */
    @Test
    void spendsHalfOfWhatTheFcLayersLeaveAndNoMore() {
        List<Layer> layers = List.of(conv(0, 4, 60), conv(1, 2, 16), fc(2, 10));
        assertEquals(Map.of(0, 11, 1, 4, 2, 1), PimcompBalance.copies(layers, 100));
        assertEquals(List.of(0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0), PimcompBalance.extraCopies(layers, 100));
    }

    /** The FC layer's crossbars come off the budget even though it is never copied. */
    @Test
    void fcCrossbarsShrinkTheBudget() {
        // Pool 20, no FC: budget 20, margin 10; A (1 crossbar, 100 windows) takes copies at 20..11.
        assertEquals(Map.of(0, 11), PimcompBalance.copies(List.of(conv(0, 1, 100)), 20));
        // With an FC of 10 crossbars: budget 10, margin 5; copies at 10..6.
        assertEquals(Map.of(0, 6, 1, 1), PimcompBalance.copies(List.of(conv(0, 1, 100), fc(1, 10)), 20));
    }

    /**
     * First copies are free: a 30-crossbar layer on a 40-crossbar pool leaves a budget of 40, not
     * 10. A (30, 100 windows): 40 > 30 and 40 > 20 -> A2 (left 10), then 10 is not above 20: stop.
     */
    @Test
    void firstCopiesAreNotCharged() {
        assertEquals(Map.of(0, 2), PimcompBalance.copies(List.of(conv(0, 30, 100)), 40));
    }

    /**
     * The loop ends at the first copy that does not fit: A (40 crossbars, 100 windows) is on top
     * and 40 is not above 40, so B (1 crossbar, 50 windows) gets nothing though it would fit.
     */
    @Test
    void stopsAtTheFirstCopyThatDoesNotFit() {
        assertEquals(Map.of(0, 1, 1, 1), PimcompBalance.copies(List.of(conv(0, 40, 100), conv(1, 1, 50)), 40));
    }

    /**
     * Pool 4: budget 4, margin 2, two copies. A (8 windows) gets the first, its key drops to 4 and
     * ties B (4 windows); the pushed entry does not rise above an equal parent, so B gets the
     * second. An exact ratio with the lowest index first would have given A both.
     */
    @Test
    void aTieGoesToTheLayerAlreadyInTheHeap() {
        assertEquals(Map.of(0, 2, 1, 2), PimcompBalance.copies(List.of(conv(0, 1, 8), conv(1, 1, 4)), 4));
    }

    /**
     * The key is the integer ceil(windows / copies). A (9 windows), B (14), pool 8: budget 8,
     * margin 4, four copies. B 14 -> B2 (7); A 9 -> A2 (key 5, exactly 4.5); B 7 -> B3 (key 5,
     * exactly 4.67), pushed under A 5, which stays on top: A3. By the exact ratio B would have had
     * the fourth copy (4.67 > 4.5).
     */
    @Test
    void theKeyIsRoundedUp() {
        assertEquals(List.of(1, 0, 1, 0), PimcompBalance.extraCopies(List.of(conv(0, 1, 9), conv(1, 1, 14)), 8));
    }

    /**
     * Three layers tied at 8 windows, pushed in order 0, 1, 2, pool 8 (four copies): the heap
     * hands them out 0, 1, 2 and then 0 again at key 4, whose ties with 1 and 2 it breaks by its
     * layout after the sifts (0 ends at the root).
     */
    @Test
    void tiesAmongManyFollowTheHeapLayout() {
        List<Layer> layers = List.of(conv(0, 1, 8), conv(1, 1, 8), conv(2, 1, 8));
        assertEquals(List.of(0, 1, 2, 0), PimcompBalance.extraCopies(layers, 8));
    }

    @Test
    void noConvolutionMeansNoCopies() {
        assertEquals(Map.of(0, 1), PimcompBalance.copies(List.of(fc(0, 4)), 100));
    }
}
