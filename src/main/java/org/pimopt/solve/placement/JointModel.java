package org.pimopt.solve.placement;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import com.google.ortools.sat.Literal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.pimopt.cost.Objective;
import org.pimopt.hw.Chip;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.cpsat.PartitionModel;

/**
 * Partitioning, copies and placement in one CP-SAT model (formulations/joint.md). The partition
 * part is the partitioning model ({@link PartitionModel}); on top of it every copy a partition may
 * hold of every unit is cut into the items of {@link PlacementProblem} (whole cores and one piece),
 * each present when its unit runs in the partition with at least that many copies, and placed on a
 * core. Traffic between items is {@link PlacementProblem}'s own: for every communicating pair of
 * units and every pair of copy counts, the placement problem of just those two units with those
 * counts gives the bytes between their items, and a lower bound on the pair's byte-hops holds when
 * the partition has both units at those counts (the copy counts are one-hot). Byte-hops are in
 * 1/{@link CpSatPlacement#SCALE} byte units, rounded as {@link CpSatPlacement#weights} rounds them.
 *
 * <p>Copies are limited to the useful counts (where {@code ceil(N/r)} drops): another count has the
 * steps of the useful count below it, more crossbars, rows and cells, and no fewer byte-hops (the
 * byte-hops of an op's copies are an average over copies, and dropping the worst copy never raises
 * an average), so no lexicographic optimum is lost.
 */
final class JointModel {
    /** Most placement booleans (partitions x possible items x cores) the joint model is built for. */
    static final long LITERAL_LIMIT = 6_000;
    /** Most distance terms (item pairs over every pair of copy counts, over partitions). */
    static final long TERM_LIMIT = 150_000;

    /** How big the model of an instance would be. */
    record Size(int partitions, long items, long literals, long terms) {
        boolean fits() {
            return literals <= LITERAL_LIMIT && terms <= TERM_LIMIT;
        }

        String describe() {
            return String.format(java.util.Locale.ROOT, "%d partitions x %d possible items x cores = %d placement booleans"
                    + " (limit %d), %d distance terms (limit %d)", partitions, items, literals, LITERAL_LIMIT, terms, TERM_LIMIT);
        }
    }

    /** One possible item: segment {@code segment} of copy {@code copy} of unit {@code unit} in partition {@code p}. */
    private record Item(int p, int unit, int copy, int segment, int size, BoolVar present, BoolVar[] at,
                        LinearExpr row, LinearExpr col, LinearExpr core) {}

    final PartitionModel pm;
    final CpModel model;
    private final Instance instance;
    private final Chip chip;
    private final int k;
    /** Useful copy counts per op, increasing (1 first). */
    private final int[][] counts;
    /** z[op][p][i]: op has counts[op][i] copies in p. */
    private final BoolVar[][][] z;
    /** Items by partition, then key (unit, copy, segment). */
    private final List<Map<List<Integer>, Item>> items = new ArrayList<>();
    private final Map<List<Integer>, IntVar> distances = new HashMap<>();
    /** Byte-hops per sample of every partition, times SCALE. */
    final LinearExpr byteHops;

    JointModel(Instance instance, int maxPartitions) {
        this.instance = instance;
        this.chip = instance.chip();
        this.pm = new PartitionModel(instance, maxPartitions);
        this.model = pm.model();
        this.k = maxPartitions;
        List<OpInfo> ops = instance.ops();
        counts = new int[ops.size()][];
        z = new BoolVar[ops.size()][k][];
        for (OpInfo op : ops) {
            counts[op.index()] = op.usefulCopies(pm.maxCopies(op));
            for (int p = 0; p < k; p++) {
                int[] c = counts[op.index()];
                z[op.index()][p] = new BoolVar[c.length];
                LinearExprBuilder copies = LinearExpr.newBuilder();
                for (int i = 0; i < c.length; i++) {
                    z[op.index()][p][i] = model.newBoolVar("z_" + op.index() + "_" + p + "_" + c[i]);
                    copies.addTerm(z[op.index()][p][i], c[i]);
                }
                model.addExactlyOne(z[op.index()][p]);
                model.addEquality(pm.copies(op.index(), p), copies.build());
            }
        }
        for (int p = 0; p < k; p++) {
            items.add(buildItems(p));
        }
        LinearExprBuilder hops = LinearExpr.newBuilder();
        int diameter = chip.meshRows() - 1 + chip.meshCols() - 1;
        for (int p = 0; p < k; p++) {
            for (int[] uv : communicatingUnits(instance)) {
                for (int ia = 0; ia < counts[op(uv[0])].length; ia++) {
                    for (int ib = 0; ib < counts[op(uv[1])].length; ib++) {
                        Map<Integer, Integer> rep = new HashMap<>();
                        rep.put(op(uv[0]), counts[op(uv[0])][ia]);
                        rep.put(op(uv[1]), counts[op(uv[1])][ib]);
                        PlacementProblem sub = PlacementProblem.of(instance, new Partition(List.of(uv[0], uv[1]), rep));
                        IntVar h = bound(p, sub, true, new Literal[] {pm.unitIn(uv[0], p), pm.unitIn(uv[1], p),
                                z[op(uv[0])][p][ia], z[op(uv[1])][p][ib]}, diameter);
                        if (h != null) {
                            hops.add(h);
                        }
                    }
                }
            }
            for (UnitRef u : instance.units()) {
                if (u.crossbars() <= chip.crossbarsPerCore()) {
                    continue;
                }
                for (int i = 0; i < counts[u.op()].length; i++) {
                    PlacementProblem sub = PlacementProblem.of(instance,
                            new Partition(List.of(u.id()), Map.of(u.op(), counts[u.op()][i])));
                    IntVar h = bound(p, sub, false, new Literal[] {pm.unitIn(u.id(), p), z[u.op()][p][i]}, diameter);
                    if (h != null) {
                        hops.add(h);
                    }
                }
            }
        }
        byteHops = hops.build();
    }

    private int op(int unit) {
        return instance.units().get(unit).op();
    }

    /** Pairs (producer unit, reader unit) whose ops talk, as {@link PlacementProblem} sees them (each once). */
    static List<int[]> communicatingUnits(Instance instance) {
        List<int[]> out = new ArrayList<>();
        for (OpInfo b : instance.ops()) {
            Set<Integer> preds = new LinkedHashSet<>(b.predecessors());
            for (int a : preds) {
                OpInfo opA = instance.ops().get(a);
                for (int u = opA.firstUnit(); u <= opA.lastUnit(); u++) {
                    for (int v = b.firstUnit(); v <= b.lastUnit(); v++) {
                        out.add(new int[] {Math.min(u, v), Math.max(u, v)});
                    }
                }
            }
        }
        return out;
    }

    /** The size of the model for {@code instance} with {@code k} partitions, without building it. */
    static Size size(Instance instance, int k) {
        Chip chip = instance.chip();
        int c = chip.crossbarsPerCore();
        long itemsPerPartition = 0;
        int[] largest = new int[instance.ops().size()];
        int[] useful = new int[instance.ops().size()];
        for (OpInfo op : instance.ops()) {
            int[] counts = op.usefulCopies(instance.maxCopies(op));
            largest[op.index()] = counts[counts.length - 1];
            useful[op.index()] = counts.length;
        }
        for (UnitRef u : instance.units()) {
            itemsPerPartition += (long) largest[u.op()] * segments(u, c);
        }
        long terms = 0;
        for (int[] uv : communicatingUnits(instance)) {
            UnitRef u = instance.units().get(uv[0]);
            UnitRef v = instance.units().get(uv[1]);
            // Every pair of counts: last item of each copy of u to every item of every copy of v.
            long sumA = sumOfCounts(instance, u.op());
            long sumB = sumOfCounts(instance, v.op());
            terms += sumA * sumB * Math.max(segments(u, c), segments(v, c));
        }
        for (UnitRef u : instance.units()) {
            terms += sumOfCounts(instance, u.op()) * (segments(u, c) - 1);
        }
        return new Size(k, itemsPerPartition, k * itemsPerPartition * chip.cores(), k * terms);
    }

    private static long sumOfCounts(Instance instance, int op) {
        long sum = 0;
        for (int r : instance.ops().get(op).usefulCopies(instance.maxCopies(instance.ops().get(op)))) {
            sum += r;
        }
        return sum;
    }

    private static int segments(UnitRef u, int c) {
        return (u.crossbars() + c - 1) / c;
    }

    /** Every item partition p may hold, each on at most one core, cores within capacity, copies in core order. */
    private Map<List<Integer>, Item> buildItems(int p) {
        int c = chip.crossbarsPerCore();
        int cores = chip.cores();
        Map<List<Integer>, Item> out = new java.util.LinkedHashMap<>();
        LinearExprBuilder[] load = new LinearExprBuilder[cores];
        for (int q = 0; q < cores; q++) {
            load[q] = LinearExpr.newBuilder();
        }
        for (UnitRef u : instance.units()) {
            int[] cs = counts[u.op()];
            int largest = cs[cs.length - 1];
            Item previousFirst = null;
            for (int copy = 0; copy < largest; copy++) {
                // At least copy+1 copies: the sum of the one-hot literals of counts above copy.
                BoolVar enough = model.newBoolVar("enough_" + u.op() + "_" + p + "_" + copy);
                LinearExprBuilder above = LinearExpr.newBuilder();
                for (int i = 0; i < cs.length; i++) {
                    if (cs[i] > copy) {
                        above.add(z[u.op()][p][i]);
                    }
                }
                model.addEquality(enough, above.build());
                BoolVar in = pm.unitIn(u.id(), p);
                BoolVar present = model.newBoolVar("present_" + p + "_" + u.id() + "_" + copy);
                model.addImplication(present, in);
                model.addImplication(present, enough);
                model.addBoolOr(new Literal[] {in.not(), enough.not(), present});
                int segment = 0;
                for (int first = 0; first < u.crossbars(); first += c) {
                    int size = Math.min(c, u.crossbars() - first);
                    BoolVar[] at = new BoolVar[cores];
                    LinearExprBuilder row = LinearExpr.newBuilder();
                    LinearExprBuilder col = LinearExpr.newBuilder();
                    LinearExprBuilder core = LinearExpr.newBuilder();
                    LinearExprBuilder one = LinearExpr.newBuilder();
                    for (int q = 0; q < cores; q++) {
                        at[q] = model.newBoolVar("at_" + p + "_" + u.id() + "_" + copy + "_" + segment + "_" + q);
                        row.addTerm(at[q], q / chip.meshCols());
                        col.addTerm(at[q], q % chip.meshCols());
                        core.addTerm(at[q], q);
                        one.add(at[q]);
                        load[q].addTerm(at[q], size);
                    }
                    // On one core when present, on none otherwise.
                    model.addEquality(one.build(), present);
                    Item item = new Item(p, u.id(), copy, segment, size, present, at, row.build(), col.build(), core.build());
                    out.put(List.of(u.id(), copy, segment), item);
                    if (segment == 0) {
                        if (previousFirst != null) {
                            // Copies of a unit are interchangeable: their first items in core order.
                            model.addGreaterOrEqual(item.core(), previousFirst.core()).onlyEnforceIf(present);
                        }
                        previousFirst = item;
                    }
                    segment++;
                }
            }
        }
        for (int q = 0; q < cores; q++) {
            model.addLessOrEqual(load[q].build(), c);
        }
        return out;
    }

    /** Manhattan distance of two items of partition p (meaningful when both are present). */
    private IntVar distance(int p, Item a, Item b) {
        List<Integer> key = List.of(p, a.unit(), a.copy(), a.segment(), b.unit(), b.copy(), b.segment());
        IntVar d = distances.get(key);
        if (d != null) {
            return d;
        }
        IntVar dr = model.newIntVar(0, chip.meshRows() - 1, "");
        IntVar dc = model.newIntVar(0, chip.meshCols() - 1, "");
        model.addAbsEquality(dr, LinearExpr.newBuilder().add(a.row()).addTerm(b.row(), -1).build());
        model.addAbsEquality(dc, LinearExpr.newBuilder().add(a.col()).addTerm(b.col(), -1).build());
        d = model.newIntVar(0, chip.meshRows() + chip.meshCols() - 2, "d");
        model.addEquality(d, LinearExpr.newBuilder().add(dr).add(dc).build());
        if (a.size() + b.size() > chip.crossbarsPerCore()) {
            // Two items that cannot share a core are at least one hop apart.
            model.addGreaterOrEqual(d, 1).onlyEnforceIf(new Literal[] {a.present(), b.present()});
        }
        distances.put(key, d);
        return d;
    }

    /**
     * A variable at least the weighted byte-hops of {@code sub}'s pairs (between units when
     * {@code across}, within a unit otherwise) in partition p, whenever every literal of {@code when}
     * holds; null when there is no such pair.
     */
    private IntVar bound(int p, PlacementProblem sub, boolean across, Literal[] when, int diameter) {
        long[] weight = CpSatPlacement.weights(sub);
        LinearExprBuilder sum = LinearExpr.newBuilder();
        long max = 0;
        for (int i = 0; i < weight.length; i++) {
            PlacementProblem.Pair pair = sub.pairs().get(i);
            PlacementProblem.Item a = sub.items().get(pair.from());
            PlacementProblem.Item b = sub.items().get(pair.to());
            if ((a.unit() != b.unit()) != across) {
                continue;
            }
            Item ja = items.get(p).get(List.of(a.unit(), a.copy(), a.segment()));
            Item jb = items.get(p).get(List.of(b.unit(), b.copy(), b.segment()));
            sum.addTerm(distance(p, ja, jb), weight[i]);
            max += weight[i] * diameter;
        }
        if (max == 0) {
            return null;
        }
        IntVar h = model.newIntVar(0, max, "h");
        model.addGreaterOrEqual(h, sum.build()).onlyEnforceIf(when);
        return h;
    }

    /** The goal's objective with NoC energy priced from the placement (energy in 1/SCALE fJ), or as the partition model has it. */
    LinearExpr objective(Objective o) {
        if (o != Objective.ENERGY) {
            return pm.objective(o);
        }
        long perHop = Math.round(instance.batch() * chip.pjPerByteHop() * PartitionModel.ENERGY_SCALE);
        return LinearExpr.newBuilder().addTerm(pm.objective(o), CpSatPlacement.SCALE)
                .addTerm(pm.nocEnergyEstimate(), -CpSatPlacement.SCALE).addTerm(byteHops, perHop).build();
    }

    /** Model units per cost-model unit of the objective (ns, pJ, cells, bytes). */
    static double scale(Objective o) {
        return switch (o) {
            case LATENCY -> PartitionModel.TIME_SCALE;
            case ENERGY -> (double) PartitionModel.ENERGY_SCALE * CpSatPlacement.SCALE;
            default -> 1;
        };
    }

    /** Fixes a plan and, where given, each partition's cores (in {@link PlacementProblem} item order); returns how many constraints were added. */
    int fix(Plan plan, List<int[]> coreOf) {
        int before = model.getBuilder().getConstraintsCount();
        int[] partOf = plan.partitionOfUnits(instance.units().size());
        for (int u = 0; u < partOf.length; u++) {
            model.addEquality(pm.unitIn(u, partOf[u]), 1);
        }
        for (int p = 0; p < k; p++) {
            for (OpInfo op : instance.ops()) {
                int r = p < plan.partitions().size() ? plan.partitions().get(p).replicasOf(op.index()) : 1;
                int[] cs = counts[op.index()];
                int i = cs.length - 1;
                while (cs[i] > r) {
                    i--;
                }
                model.addEquality(z[op.index()][p][i], 1);
            }
        }
        for (int p = 0; coreOf != null && p < plan.partitions().size(); p++) {
            if (coreOf.get(p) == null) {
                continue;
            }
            PlacementProblem problem = PlacementProblem.of(instance, plan.partitions().get(p));
            for (int i = 0; i < problem.items().size(); i++) {
                PlacementProblem.Item it = problem.items().get(i);
                Item item = items.get(p).get(List.of(it.unit(), it.copy(), it.segment()));
                model.addEquality(item.at()[coreOf.get(p)[i]], 1);
            }
        }
        return model.getBuilder().getConstraintsCount() - before;
    }

    /** The plan with every op's copies lowered to the largest useful count not above them (same steps, fewer crossbars). */
    Plan lowered(Plan plan) {
        List<Partition> parts = new ArrayList<>();
        for (Partition part : plan.partitions()) {
            Map<Integer, Integer> rep = new java.util.TreeMap<>();
            part.replication().forEach((op, r) -> {
                int[] cs = counts[op];
                int i = cs.length - 1;
                while (cs[i] > r) {
                    i--;
                }
                if (cs[i] > 1) {
                    rep.put(op, cs[i]);
                }
            });
            parts.add(new Partition(part.units(), rep));
        }
        return new Plan(parts);
    }

    /** Removes the last {@code n} constraints (those {@link #fix} added). */
    void unfix(int n) {
        for (int i = 0; i < n; i++) {
            model.getBuilder().removeConstraints(model.getBuilder().getConstraintsCount() - 1);
        }
    }

    /**
     * The plan of a solution and the core of every item of each of its partitions, in the order of
     * {@link PlacementProblem#of} for that partition.
     */
    record Solution(Plan plan, List<int[]> coreOf) {}

    Solution read(Predicate<Literal> isTrue, ToLongFunction<IntVar> valueOf) {
        Plan plan = pm.plan(isTrue, valueOf);
        List<int[]> cores = new ArrayList<>();
        // Empty partitions come last (partitions are used in order), so plan partition p is model partition p.
        for (int p = 0; p < plan.partitions().size(); p++) {
            PlacementProblem problem = PlacementProblem.of(instance, plan.partitions().get(p));
            int[] coreOf = new int[problem.items().size()];
            for (int i = 0; i < coreOf.length; i++) {
                PlacementProblem.Item it = problem.items().get(i);
                Item item = items.get(p).get(List.of(it.unit(), it.copy(), it.segment()));
                coreOf[i] = -1;
                for (int q = 0; q < item.at().length; q++) {
                    if (isTrue.test(item.at()[q])) {
                        coreOf[i] = q;
                    }
                }
            }
            cores.add(coreOf);
        }
        return new Solution(plan, cores);
    }
}
