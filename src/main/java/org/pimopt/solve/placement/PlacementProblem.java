package org.pimopt.solve.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.hw.Chip;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Partition;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * What placing one partition on the core mesh decides and what it costs. Every copy of every unit
 * of the partition is cut into <em>items</em>: {@code floor(X/c)} whole cores and one piece of
 * {@code X mod c} crossbars ({@code X} the unit's crossbars, {@code c} crossbars per core); an item
 * goes to one core. Traffic, in bytes per sample, runs between items:
 * <ul>
 *   <li>a unit copy sends its output from its last item; its share of the op's output tensor is
 *       its columns of it, as {@link Instance#profiles} counts it, split evenly over the producer's
 *       copies (each computes its share of the output positions);
 *   <li>each unit of an op in the partition that reads that op (directly or through vector layers,
 *       which run on the reader's vector units) needs the whole input; each of its copies gets the
 *       part for its positions, and each item of a copy the part for its crossbar rows;
 *   <li>the items of a copy spanning cores pass partial sums along the chain of its items, as
 *       many bytes as its output per sample, once per link of the chain.
 * </ul>
 * Cost: byte-hops = sum over item pairs of bytes times the Manhattan distance of their cores; and
 * the most-loaded directed link under XY routing (rows first along the source row, then the column).
 */
public final class PlacementProblem {
    /**
     * Crossbars {@code firstIndex .. firstIndex+size-1} of copy {@code copy} of unit {@code unit};
     * {@code segment} numbers the items of one copy.
     */
    public record Item(int unit, int copy, int segment, int firstIndex, int size) {}

    /** {@code bytes} per sample sent from item {@code from} to item {@code to}. */
    public record Pair(int from, int to, double bytes) {}

    private final Chip chip;
    private final List<Item> items;
    private final List<Pair> pairs;

    private PlacementProblem(Chip chip, List<Item> items, List<Pair> pairs) {
        this.chip = chip;
        this.items = List.copyOf(items);
        this.pairs = List.copyOf(pairs);
    }

    /** A problem given directly by its items and traffic (tests build awkward packings this way). */
    static PlacementProblem of(Chip chip, List<Item> items, List<Pair> pairs) {
        return new PlacementProblem(chip, items, pairs);
    }

    public static PlacementProblem of(Instance instance, Partition part) {
        Chip chip = instance.chip();
        int c = chip.crossbarsPerCore();
        List<Item> items = new ArrayList<>();
        // Items of each (unit, copy), in layer order.
        Map<Integer, List<List<Integer>>> copies = new LinkedHashMap<>();
        List<Integer> units = new ArrayList<>(part.units());
        units.sort(null);
        for (int u : units) {
            UnitRef ref = instance.units().get(u);
            int r = part.replicasOf(ref.op());
            List<List<Integer>> list = new ArrayList<>();
            for (int copy = 0; copy < r; copy++) {
                List<Integer> segs = new ArrayList<>();
                int x = ref.crossbars();
                int segment = 0;
                for (int first = 0; first < x; first += c) {
                    segs.add(items.size());
                    items.add(new Item(u, copy, segment++, first, Math.min(c, x - first)));
                }
                list.add(segs);
            }
            copies.put(u, list);
        }
        Map<Long, Double> bytes = new HashMap<>();
        Map<Integer, List<Integer>> unitsOfOp = new HashMap<>();
        for (int u : units) {
            unitsOfOp.computeIfAbsent(instance.units().get(u).op(), k -> new ArrayList<>()).add(u);
        }
        for (Map.Entry<Integer, List<Integer>> reader : unitsOfOp.entrySet()) {
            OpInfo b = instance.ops().get(reader.getKey());
            for (int aOp : b.predecessors()) {
                List<Integer> producers = unitsOfOp.get(aOp);
                if (producers == null) {
                    continue;
                }
                OpInfo a = instance.ops().get(aOp);
                long outBytes = outputBytes(instance, a);
                for (int i : producers) {
                    long share = instance.sliceBytes(outBytes, a, i);
                    List<List<Integer>> from = copies.get(i);
                    for (int j : reader.getValue()) {
                        List<List<Integer>> to = copies.get(j);
                        double perPair = (double) share / (from.size() * to.size());
                        int x = instance.units().get(j).crossbars();
                        for (List<Integer> src : from) {
                            int last = src.get(src.size() - 1);
                            for (List<Integer> dst : to) {
                                for (int item : dst) {
                                    add(bytes, last, item, perPair * items.get(item).size() / x);
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int u : units) {
            UnitRef ref = instance.units().get(u);
            List<List<Integer>> list = copies.get(u);
            // Partial sums of a copy: its output positions times its columns, split over the copies.
            double partial = (double) instance.partialSumBytes(ref) / list.size();
            for (List<Integer> segs : list) {
                for (int s = 0; s + 1 < segs.size(); s++) {
                    add(bytes, segs.get(s), segs.get(s + 1), partial);
                }
            }
        }
        List<Pair> pairs = new ArrayList<>();
        bytes.forEach((key, v) -> pairs.add(new Pair((int) (key >> 32), (int) (long) key, v)));
        pairs.sort((p, q) -> p.from != q.from ? Integer.compare(p.from, q.from) : Integer.compare(p.to, q.to));
        return new PlacementProblem(chip, items, pairs);
    }

    private static void add(Map<Long, Double> bytes, int from, int to, double v) {
        if (from != to && v > 0) {
            bytes.merge(((long) from << 32) | to, v, Double::sum);
        }
    }

    /** Bytes per sample of the op's output tensor (its first output). */
    private static long outputBytes(Instance instance, OpInfo op) {
        for (Instance.Flow f : instance.flows()) {
            if (f.producerLayer() == op.layer().index()) {
                return f.bytes();
            }
        }
        throw new IllegalStateException("no output tensor for " + op.name());
    }

    public Chip chip() {
        return chip;
    }

    public List<Item> items() {
        return items;
    }

    public List<Pair> pairs() {
        return pairs;
    }

    public int row(int core) {
        return core / chip.meshCols();
    }

    public int col(int core) {
        return core % chip.meshCols();
    }

    public int distance(int a, int b) {
        return Math.abs(row(a) - row(b)) + Math.abs(col(a) - col(b));
    }

    /** Whether every item is on a core of the chip and no core holds more than its crossbars. */
    public boolean fits(int[] coreOf) {
        int[] load = new int[chip.cores()];
        for (int i = 0; i < items.size(); i++) {
            if (coreOf[i] < 0 || coreOf[i] >= chip.cores()) {
                return false;
            }
            load[coreOf[i]] += items.get(i).size();
            if (load[coreOf[i]] > chip.crossbarsPerCore()) {
                return false;
            }
        }
        return true;
    }

    /** NoC byte-hops per sample of a placement. */
    public double byteHops(int[] coreOf) {
        double sum = 0;
        for (Pair p : pairs) {
            sum += p.bytes * distance(coreOf[p.from], coreOf[p.to]);
        }
        return sum;
    }

    /** Bytes per sample over the most-loaded directed link, with XY routing. */
    public double maxLinkBytes(int[] coreOf) {
        Map<Long, Double> load = new HashMap<>();
        for (Pair p : pairs) {
            int r = row(coreOf[p.from]);
            int cl = col(coreOf[p.from]);
            int r2 = row(coreOf[p.to]);
            int c2 = col(coreOf[p.to]);
            while (cl != c2) {
                int next = cl + Integer.signum(c2 - cl);
                load.merge(link(r, cl, r, next), p.bytes, Double::sum);
                cl = next;
            }
            while (r != r2) {
                int next = r + Integer.signum(r2 - r);
                load.merge(link(r, cl, next, cl), p.bytes, Double::sum);
                r = next;
            }
        }
        return load.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private long link(int r1, int c1, int r2, int c2) {
        long cols = chip.meshCols();
        return (r1 * cols + c1) * (chip.meshRows() * cols) + (r2 * cols + c2);
    }

    /** Tiles of a placement: each core's items on consecutive crossbars, in item order. */
    public List<Layout.Tile> tiles(int[] coreOf) {
        int[] next = new int[chip.cores()];
        List<Layout.Tile> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            for (int t = 0; t < it.size(); t++) {
                out.add(new Layout.Tile(it.unit(), it.copy(), it.firstIndex() + t, coreOf[i], next[coreOf[i]]++));
            }
        }
        return out;
    }
}
