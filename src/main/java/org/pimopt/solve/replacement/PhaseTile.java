package org.pimopt.solve.replacement;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.cost.Unit;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * A tile as weight replacement sees it: its partition (phase), its placed tile, and what writing
 * it costs. A unit's rows, cells and DRAM bytes (as {@link Unit} counts them for one copy) are
 * spread evenly over its crossbars, so the tiles of a plan add up to the cost model's totals;
 * DRAM bytes are also split over the copies, which are written from one read.
 */
public record PhaseTile(int phase, Layout.Tile tile, long rows, long cells, double dramBytes) {

    /** The tiles of a placed plan: {@code placed.get(p)} are partition p's tiles. */
    public static List<PhaseTile> of(Instance instance, Plan plan, List<List<Layout.Tile>> placed) {
        List<PhaseTile> out = new ArrayList<>();
        for (int p = 0; p < placed.size(); p++) {
            Partition part = plan.partitions().get(p);
            for (Layout.Tile t : placed.get(p)) {
                Unit u = instance.units().get(t.unit()).unit();
                int x = u.crossbars();
                int copies = part.replicasOf(instance.units().get(t.unit()).op());
                out.add(new PhaseTile(p, t, u.rowsOfCrossbar(t.index()), u.cellsOfCrossbar(t.index()),
                        (double) u.weightBytes() / x / copies));
            }
        }
        return out;
    }
}
