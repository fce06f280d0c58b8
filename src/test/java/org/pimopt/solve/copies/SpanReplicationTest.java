package org.pimopt.solve.copies;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.problem.Instance;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.replication.IntervalScorer;
import org.pimopt.solve.replication.ReplicationRule;

/**
 * The floors a span search returns when it stops early are below every choice of copies: on the
 * spans of squeezenet1_1 (compass-s) whose full search completes, the floors of the same search
 * cut after a few nodes are never above the proven best, for latency at batch 1 and 16 (where the
 * slowest stage counts) and for edp (where latency and energy both must be below), and so are
 * those of a search started past its deadline. And the best
 * copies equal a brute force over every copy count of every op, useful or not.
 */
class SpanReplicationTest {

    @Test
    void floorsOfAnUnfinishedSearchAreBelowTheOptimum() {
        int checked = 0;
        int cut = 0;
        int lateProofs = 0;
        for (String goal : List.of("latency", "edp")) {
            for (int batch : new int[] {1, 16}) {
                Instance in = Instance.of(ModelCatalog.load("squeezenet1_1", Map.of()), ChipLoader.load("compass-s"), batch,
                        Goal.parse(goal));
                IntervalScorer scorer = new IntervalScorer(in, ReplicationRule.PER_SPAN);
                SpanReplication full = new SpanReplication(scorer);
                SpanReplication early = new SpanReplication(scorer, 3);
                for (int b = 1; b <= scorer.size(); b += 2) {
                    for (int a = b - 1; a >= 0 && full.fits(a, b); a -= 3) {
                        SpanReplication.Choices best = full.choose(a, b, Long.MAX_VALUE);
                        if (!best.proven()) {
                            continue;
                        }
                        SpanReplication.Choices floors = early.choose(a, b, Long.MAX_VALUE);
                        cut += floors.proven() ? 0 : 1;
                        checked++;
                        // A search started past its deadline gives floors without searching, and a proof
                        // only when the plan it was given meets the cheap floor: then that plan is optimal.
                        SpanReplication.Choices late = full.choose(a, b, Long.MIN_VALUE);
                        if (late.proven()) {
                            for (var option : best.options()) {
                                BatchMetrics m = option.metrics();
                                assertTrue(late.options().stream().anyMatch(o -> o.metrics().latencyNs() <= m.latencyNs() * (1 + 1e-9)
                                        && o.metrics().energy().totalPj() <= m.energy().totalPj() * (1 + 1e-9)),
                                        "a search started past its deadline claims a proof without the optimum " + m);
                            }
                            lateProofs++;
                        }
                        for (var option : best.options()) {
                            BatchMetrics m = option.metrics();
                            for (SpanReplication.Choices cutShort : List.of(floors, late)) {
                                boolean below = cutShort.floors().stream().anyMatch(f -> goal.equals("edp")
                                        ? f.latencyNs() <= m.latencyNs() * (1 + 1e-9) && f.energy().totalPj() <= m.energy().totalPj() * (1 + 1e-9)
                                        : f.latencyNs() <= m.latencyNs() * (1 + 1e-9));
                                assertTrue(below, in.goal() + " B=" + batch + " span [" + a + ", " + b + "): floors "
                                        + cutShort.floors() + " above the optimum " + m);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 50, "only " + checked + " spans checked");
        assertTrue(cut >= checked / 2, "only " + cut + " of " + checked + " searches were cut short");
        assertTrue(lateProofs < checked, "every search started past its deadline claims a proof");
        assertFalse(cut == 0);
    }

    @Test
    void bestCopiesEqualEveryCountTried() {
        int[] checked = {0};
        for (String goal : List.of("latency", "edp")) {
            for (int batch : new int[] {1, 16}) {
                for (String chip : List.of("compass-s", "compass-l")) {
                    Instance in = Instance.of(ModelCatalog.load("squeezenet1_1", Map.of()), ChipLoader.load(chip), batch,
                            Goal.parse(goal));
                    IntervalScorer scorer = new IntervalScorer(in, ReplicationRule.PER_SPAN);
                    SpanReplication search = new SpanReplication(scorer);
                    CopyChoices.forSmallSpans(in, scorer, (a, b, block, all) -> {
                        SpanReplication.Choices found = search.choose(a, b, Long.MAX_VALUE);
                        if (!found.proven()) {
                            return;
                        }
                        checked[0]++;
                        for (BatchMetrics m : all) {
                            boolean matched = found.options().stream().map(o -> o.metrics()).anyMatch(o -> goal.equals("edp")
                                    ? o.latencyNs() <= m.latencyNs() * (1 + 1e-9) && o.energy().totalPj() <= m.energy().totalPj() * (1 + 1e-9)
                                    : o.latencyNs() <= m.latencyNs() * (1 + 1e-9));
                            assertTrue(matched, goal + " B=" + batch + " " + chip + " span [" + a + ", " + b
                                    + "): copies priced " + m + " beat the search's " + found.options());
                        }
                    });
                }
            }
        }
        assertTrue(checked[0] >= 100, "only " + checked[0] + " spans checked");
    }
}
