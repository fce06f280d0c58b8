package org.pimopt.solve.copies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.CorePacking;
import org.pimopt.cost.Unit;
import org.pimopt.problem.Instance;
import org.pimopt.solve.replication.IntervalScorer.Block;
import org.pimopt.solve.replication.IntervalScorer;

/** Brute force for the copy searches' tests: every choice of copies of a block, priced. */
final class CopyChoices {
    private CopyChoices() {}

    /** What a test checks on one span {@code [a, b)}, given every choice of its copies. */
    interface SpanCheck {
        void check(int a, int b, Block block, List<BatchMetrics> every);
    }

    /**
     * Runs {@code check} on every span of the fixed order that fits the chip with one copy and has
     * at most 4,000 choices of copies (for each end, the spans grown backwards until one has more).
     */
    static void forSmallSpans(Instance in, IntervalScorer scorer, SpanCheck check) {
        SpanReplication fits = new SpanReplication(scorer);
        for (int b = 1; b <= scorer.size(); b++) {
            for (int a = b - 1; a >= 0 && fits.fits(a, b); a--) {
                Block block = scorer.block(a, b);
                List<BatchMetrics> all = every(in, scorer, block);
                if (all == null) {
                    break;   // too many choices to try them all
                }
                check.check(a, b, block, all);
            }
        }
    }

    /**
     * Metrics of every copy count 1..what the crossbars allow of every op of the block, useful or
     * not, that packs (capacity and the Validator's packing test); null above 4,000 choices.
     */
    static List<BatchMetrics> every(Instance in, IntervalScorer scorer, Block block) {
        Map<Integer, List<Unit>> unitsOf = new TreeMap<>();
        for (int u : block.units()) {
            unitsOf.computeIfAbsent(in.units().get(u).op(), k -> new ArrayList<>()).add(in.units().get(u).unit());
        }
        List<Integer> ops = new ArrayList<>(unitsOf.keySet());
        int[] most = new int[ops.size()];
        long choices = 1;
        for (int k = 0; k < ops.size(); k++) {
            long crossbars = unitsOf.get(ops.get(k)).stream().mapToLong(Unit::crossbars).sum();
            most[k] = (int) Math.min(in.ops().get(ops.get(k)).positions(), in.chip().totalCrossbars() / crossbars);
            choices *= most[k];
        }
        if (choices > 4_000) {
            return null;
        }
        List<BatchMetrics> out = new ArrayList<>();
        int[] copies = new int[ops.size()];
        java.util.Arrays.fill(copies, 1);
        while (true) {
            List<Unit> placed = new ArrayList<>();
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int k = 0; k < ops.size(); k++) {
                for (int c = 0; c < copies[k]; c++) {
                    placed.addAll(unitsOf.get(ops.get(k)));
                }
                rep.put(ops.get(k), copies[k]);
            }
            if (placed.stream().mapToLong(Unit::crossbars).sum() <= in.chip().totalCrossbars()
                    && CorePacking.fits(placed, in.chip())) {
                out.add(scorer.priced(block, rep).metrics());
            }
            int k = 0;
            while (k < ops.size() && copies[k] == most[k]) {
                copies[k++] = 1;
            }
            if (k == ops.size()) {
                return out;
            }
            copies[k]++;
        }
    }
}
