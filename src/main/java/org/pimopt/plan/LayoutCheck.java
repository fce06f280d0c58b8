package org.pimopt.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;
import org.pimopt.problem.UnitRef;

/**
 * Checks a plan's {@link Layout}: every tile of every unit copy placed exactly once on a crossbar
 * that exists, no two tiles on one crossbar in one partition, partitions computing in order, and
 * every crossbar programmed inside the period, after the partition that used it before has ended
 * and before its partition starts (unless it still holds the same tile), never two writes on one
 * crossbar at once nor more writes at once than the chip's write parallelism.
 */
final class LayoutCheck {
    /** Slack for times written as decimals. */
    private static final double EPS = 1e-6;

    private LayoutCheck() {}

    private record Site(int core, int crossbar) {}

    private record TileId(int unit, int copy, int index) {}

    static void check(Instance instance, Plan plan, List<String> out) {
        Layout layout = plan.layout();
        List<Partition> parts = plan.partitions();
        int k = parts.size();
        if (layout.partitions().size() != k) {
            out.add("layout has " + layout.partitions().size() + " partitions, the plan " + k);
            return;
        }
        Chip chip = instance.chip();
        List<Map<Site, TileId>> occupant = new ArrayList<>();
        int before = out.size();
        for (int p = 0; p < k; p++) {
            occupant.add(placeTiles(instance, parts.get(p), layout.partitions().get(p), p, chip, out));
        }
        if (out.size() > before) {
            return;
        }
        double period = layout.periodNs();
        for (int p = 1; p < k; p++) {
            if (layout.partitions().get(p).computeStartNs() < layout.partitions().get(p - 1).computeEndNs() - tol(period)) {
                out.add("partition " + p + " starts computing before partition " + (p - 1) + " ends");
            }
        }
        checkWrites(instance, layout, occupant, out);
    }

    private static double tol(double scale) {
        return EPS * Math.max(1, Math.abs(scale));
    }

    private static Map<Site, TileId> placeTiles(Instance instance, Partition part, Layout.PartitionLayout pl, int p,
                                                Chip chip, List<String> out) {
        Map<TileId, Integer> expected = new HashMap<>();
        for (int u : part.units()) {
            UnitRef ref = instance.units().get(u);
            for (int c = 0; c < part.replicasOf(ref.op()); c++) {
                for (int i = 0; i < ref.crossbars(); i++) {
                    expected.put(new TileId(u, c, i), 0);
                }
            }
        }
        Map<Site, TileId> occupant = new HashMap<>();
        for (Layout.Tile t : pl.tiles()) {
            TileId id = new TileId(t.unit(), t.copy(), t.index());
            String name = describe(instance, id, p);
            Integer seen = expected.get(id);
            if (seen == null) {
                out.add(name + " is placed but the partition has no such tile");
                continue;
            }
            if (seen > 0) {
                out.add(name + " is placed twice");
            }
            expected.put(id, seen + 1);
            if (t.core() < 0 || t.core() >= chip.cores()) {
                out.add(name + " is on core " + t.core() + "; the chip has cores 0 to " + (chip.cores() - 1));
                continue;
            }
            if (t.crossbar() < 0 || t.crossbar() >= chip.crossbarsPerCore()) {
                out.add(name + " is on crossbar " + t.crossbar() + " of core " + t.core() + "; a core holds "
                        + chip.crossbarsPerCore() + " crossbars");
                continue;
            }
            Site site = new Site(t.core(), t.crossbar());
            TileId other = occupant.putIfAbsent(site, id);
            if (other != null) {
                out.add(name + " shares crossbar " + t.crossbar() + " of core " + t.core() + " with "
                        + describe(instance, other, p).replace(" of partition " + p, ""));
            }
        }
        expected.forEach((id, count) -> {
            if (count == 0) {
                out.add(describe(instance, id, p) + " is not placed");
            }
        });
        return occupant;
    }

    private static String describe(Instance instance, TileId id, int p) {
        String unit = id.unit() >= 0 && id.unit() < instance.units().size()
                ? instance.units().get(id.unit()).label(instance) : "#" + id.unit();
        return "unit " + unit + " copy " + id.copy() + " crossbar " + id.index() + " of partition " + p;
    }

    private static void checkWrites(Instance instance, Layout layout, List<Map<Site, TileId>> occupant, List<String> out) {
        int k = occupant.size();
        double period = layout.periodNs();
        double tol = tol(period);
        List<double[]> all = new ArrayList<>();
        Map<Site, List<double[]>> bySite = new HashMap<>();
        for (int p = 0; p < k; p++) {
            Layout.PartitionLayout pl = layout.partitions().get(p);
            Map<Site, Layout.Write> writes = new HashMap<>();
            for (Layout.Write w : pl.writes()) {
                Site site = new Site(w.core(), w.crossbar());
                if (writes.put(site, w) != null) {
                    out.add("partition " + p + " programs crossbar " + w.crossbar() + " of core " + w.core() + " twice");
                }
                if (!(w.endNs() >= w.startNs()) || w.startNs() < -tol || w.endNs() > period + tol) {
                    out.add("partition " + p + " programs crossbar " + w.crossbar() + " of core " + w.core() + " from "
                            + w.startNs() + " to " + w.endNs() + " ns, outside the period 0 to " + period + " ns");
                }
                all.add(new double[] {w.startNs(), w.endNs()});
                bySite.computeIfAbsent(site, s -> new ArrayList<>()).add(new double[] {w.startNs(), w.endNs(), p});
            }
            for (Map.Entry<Site, TileId> e : occupant.get(p).entrySet()) {
                Site site = e.getKey();
                int q = previousUser(occupant, site, p);
                Layout.Write w = writes.get(site);
                String name = describe(instance, e.getValue(), p);
                if (k == 1 || occupant.get(q).get(site).equals(e.getValue())) {
                    continue;   // the crossbar still holds this tile
                }
                if (w == null) {
                    out.add(name + " is not programmed (crossbar " + site.crossbar() + " of core " + site.core()
                            + " held a tile of partition " + q + ")");
                    continue;
                }
                if (w.endNs() > pl.computeStartNs() + tol) {
                    out.add(name + " is programmed until " + w.endNs() + " ns, after the partition starts at "
                            + pl.computeStartNs() + " ns");
                }
                // Partition q ran earlier in this batch, or in the previous one (one period earlier).
                double freed = layout.partitions().get(q).computeEndNs() - (q < p ? 0 : period);
                if (w.startNs() < freed - tol) {
                    out.add(name + " is programmed from " + w.startNs() + " ns, while partition " + q
                            + " still uses the crossbar (until " + freed + " ns)");
                }
            }
        }
        for (Map.Entry<Site, List<double[]>> e : bySite.entrySet()) {
            List<double[]> ws = e.getValue();
            ws.sort((a, b) -> Double.compare(a[0], b[0]));
            for (int i = 1; i < ws.size(); i++) {
                if (ws.get(i)[0] < ws.get(i - 1)[1] - tol) {
                    out.add("crossbar " + e.getKey().crossbar() + " of core " + e.getKey().core() + " is programmed for partitions "
                            + (int) ws.get(i - 1)[2] + " and " + (int) ws.get(i)[2] + " at once");
                }
            }
        }
        int most = mostAtOnce(all, tol);
        if (most > instance.chip().writeParallelism()) {
            out.add("the schedule programs " + most + " crossbars at once; the chip allows " + instance.chip().writeParallelism());
        }
    }

    /** The partition that used a crossbar last before {@code p}, cyclically (p itself if none other). */
    private static int previousUser(List<Map<Site, TileId>> occupant, Site site, int p) {
        int k = occupant.size();
        for (int d = 1; d < k; d++) {
            int q = ((p - d) % k + k) % k;
            if (occupant.get(q).containsKey(site)) {
                return q;
            }
        }
        return p;
    }

    private static int mostAtOnce(List<double[]> intervals, double tol) {
        List<double[]> events = new ArrayList<>();
        for (double[] w : intervals) {
            if (w[1] - w[0] > tol) {
                events.add(new double[] {w[0] + tol, 1});
                events.add(new double[] {w[1] - tol, -1});
            }
        }
        events.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (double[] e : events) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }
}
