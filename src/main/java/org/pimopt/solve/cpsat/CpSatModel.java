package org.pimopt.solve.cpsat;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import com.google.ortools.sat.Literal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.Objective;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.VectorOp;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * The partitioning model of formulations/partitioning.md in CP-SAT: a partition index per unit
 * (any order that respects precedence), copies per op per partition with stage times read from a
 * table, a bottleneck per partition, capacity and packing of unit copies into cores, the DRAM
 * traffic of every tensor that crosses partitions, and the write time and cells of programming.
 * Times are integers in {@link #TIME_SCALE} units per ns, energies in {@link #ENERGY_SCALE} per pJ.
 *
 * <p>With {@code fixedOrder}, partition indices are also non-decreasing along the instance's unit
 * order ({@code part[u] <= part[u+1]}): with partitions used in order, every partition is then a
 * contiguous span of that order, the plans {@code dp} searches.
 */
final class CpSatModel implements PartitionCost.Placement {
    static final long TIME_SCALE = 1000;
    static final long ENERGY_SCALE = 1000;
    /**
     * Vector and NoC time are counted in units of 1/FINE of a time unit per operation or byte: one
     * operation on a chip's pooled vector units takes a few picoseconds (16 cores x 12 units x
     * 1 op/ns: 5.2 ps), one byte over a 16 GB/s link 62.5 ps, too little to round to whole time units.
     */
    static final long FINE = 1000;

    final CpModel model = new CpModel();
    final Instance instance;
    final int k;
    private final Chip chip;
    private final List<UnitRef> units;
    private final List<OpInfo> ops;
    final BoolVar[][] x;          // x[u][p]: unit u runs in partition p
    final IntVar[][] copies;      // copies[o][p]
    final LinearExpr latency;     // batch latency, time units
    final LinearExpr energy;      // plan-dependent energy of a batch, energy units
    final LinearExpr cells;       // cells written per batch
    final LinearExpr dram;        // DRAM bytes per batch
    /** The part of {@link #energy} that prices NoC traffic with the mean-hop estimate (a placement-aware model replaces it). */
    final LinearExpr nocEnergy;
    private final BoolVar[][] active;   // active[o][p]: op o has a unit in partition p
    private final BoolVar multi;
    private final LinearExprBuilder[] weightBytes;   // weight bytes read to program partition p

    CpSatModel(Instance instance, int maxPartitions) {
        this(instance, maxPartitions, false);
    }

    CpSatModel(Instance instance, int maxPartitions, boolean fixedOrder) {
        this.instance = instance;
        this.chip = instance.chip();
        this.units = instance.units();
        this.ops = instance.ops();
        this.k = maxPartitions;
        int n = units.size();

        // Placement of units, partitions used in order.
        x = new BoolVar[n][k];
        IntVar[] part = new IntVar[n];
        for (int u = 0; u < n; u++) {
            for (int p = 0; p < k; p++) {
                x[u][p] = model.newBoolVar("x_" + u + "_" + p);
            }
            model.addExactlyOne(x[u]);
            part[u] = model.newIntVar(0, k - 1, "part_" + u);
            model.addEquality(part[u], weighted(x[u], indexWeights()));
            if (fixedOrder && u > 0) {
                model.addLessOrEqual(part[u - 1], part[u]);
            }
        }
        BoolVar[] used = new BoolVar[k];
        for (int p = 0; p < k; p++) {
            used[p] = model.newBoolVar("used_" + p);
            LinearExprBuilder any = LinearExpr.newBuilder();
            for (int u = 0; u < n; u++) {
                model.addImplication(x[u][p], used[p]);
                any.add(x[u][p]);
            }
            model.addGreaterOrEqual(any, used[p]);
            if (p > 0) {
                model.addImplication(used[p], used[p - 1]);
            }
        }
        BoolVar multi = model.newBoolVar("several_partitions");
        if (k > 1) {
            model.addEquality(multi, used[1]);
        } else {
            model.addEquality(multi, 0);
        }

        // Ops: first and last partition, precedence, presence per partition.
        IntVar[] first = new IntVar[ops.size()];
        IntVar[] last = new IntVar[ops.size()];
        BoolVar[][] active = new BoolVar[ops.size()][k];
        for (OpInfo op : ops) {
            List<IntVar> mine = new ArrayList<>();
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                mine.add(part[u]);
            }
            first[op.index()] = model.newIntVar(0, k - 1, "first_" + op.index());
            last[op.index()] = model.newIntVar(0, k - 1, "last_" + op.index());
            model.addMinEquality(first[op.index()], mine);
            model.addMaxEquality(last[op.index()], mine);
            for (int p = 0; p < k; p++) {
                active[op.index()][p] = model.newBoolVar("active_" + op.index() + "_" + p);
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    model.addImplication(x[u][p], active[op.index()][p]);
                }
            }
        }
        for (OpInfo op : ops) {
            for (int pred : op.predecessors()) {
                model.addGreaterOrEqual(first[op.index()], last[pred]);
            }
        }

        // Copies, capacity and packing; then the traffic, and the time of each partition.
        weightBytes = builders(k);
        for (int p = 0; p < k; p++) {
            for (int u = 0; u < n; u++) {
                weightBytes[p].addTerm(x[u][p], units.get(u).unit().weightBytes());
            }
        }
        this.active = active;
        this.multi = multi;
        PartitionCost cost = new PartitionCost(model, instance, this);
        copies = cost.copies;
        cost.time(new Traffic(this, active, first, last));
        latency = cost.latency;
        energy = cost.energy;
        cells = cost.cells;
        dram = cost.dram;
        nocEnergy = cost.nocEnergy;
    }

    @Override
    public int partitions() {
        return k;
    }

    @Override
    public Literal active(int op, int p) {
        return active[op][p];
    }

    @Override
    public Literal unitIn(int u, int p) {
        return x[u][p];
    }

    @Override
    public LinearExpr weightBytes(int p) {
        return weightBytes[p].build();
    }

    @Override
    public Literal multi() {
        return multi;
    }

    /**
     * Holds each of the goal's limits on the model's figure (formulations/limits.md, "How each
     * engine posts them"). Coefficients are rounded to the model's units, so a figure may be off the
     * cost model's by the relative {@code rounding}: the right-hand side gets that much slack, which
     * keeps every plan that meets a limit (a plan just over it by rounding is then marked over the
     * limit by the caller, which prices the plan exactly). Energy leaves out what no plan changes,
     * {@code energyConstantPj}.
     */
    void postLimits(org.pimopt.cost.Limits limits, double energyConstantPj, double rounding) {
        for (org.pimopt.cost.Limit limit : limits.limits()) {
            double max = switch (limit.figure()) {
                case LATENCY -> limit.max() * TIME_SCALE;
                case ENERGY -> (limit.max() - energyConstantPj) * ENERGY_SCALE;
                case WRITES, DRAM -> limit.max();
                case EDP -> throw new IllegalArgumentException("edp cannot be limited");
            };
            boolean exact = limit.figure() == Objective.WRITES || limit.figure() == Objective.DRAM;
            double slack = exact ? 1e-9 * max : rounding * Math.abs(max) + 1;
            long rhs = (long) Math.floor(Math.min(Long.MAX_VALUE / 4.0, max + slack));
            model.addLessOrEqual(objective(limit.figure()), rhs);
        }
    }

    LinearExpr objective(Objective o) {
        return switch (o) {
            case LATENCY -> latency;
            case ENERGY -> energy;
            case WRITES -> cells;
            case DRAM -> dram;
            case EDP -> throw new IllegalArgumentException("edp is not linear");
        };
    }

    /** Most copies of an op worth having ({@link Instance#maxCopies}). */
    int maxCopies(OpInfo op) {
        return instance.maxCopies(op);
    }

    /** {@code ns} in time units x FINE, rounded. */
    static long fineTime(double ns) {
        return Math.round(ns * TIME_SCALE * FINE);
    }

    static long[] stepsTable(OpInfo op, int maxCopies) {
        long[] t = new long[maxCopies];
        for (int r = 1; r <= maxCopies; r++) {
            t[r - 1] = (op.positions() + r - 1) / r;
        }
        return t;
    }

    /** Sum over the op's units in p of {@code weight(u) * x[u][p]}, times its copies, as a variable. */
    @Override
    public LinearArgument times(OpInfo op, int p, IntVar copiesVar, java.util.function.ToLongFunction<UnitRef> weight,
                         String name, long cap) {
        LinearExprBuilder once = LinearExpr.newBuilder();
        long max = 0;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            long w = weight.applyAsLong(units.get(u));
            once.addTerm(x[u][p], w);
            max += w;
        }
        if (maxCopies(op) == 1) {
            return once.build();
        }
        IntVar base = model.newIntVar(0, max, name + "1_" + op.index() + "_" + p);
        model.addEquality(base, once.build());
        IntVar product = model.newIntVar(0, Math.min(cap, max * maxCopies(op)), name + "_" + op.index() + "_" + p);
        model.addMultiplicationEquality(product, base, copiesVar);
        return product;
    }

    private long[] indexWeights() {
        long[] w = new long[k];
        for (int p = 0; p < k; p++) {
            w[p] = p;
        }
        return w;
    }

    static LinearExpr weighted(Literal[] lits, long[] w) {
        LinearExprBuilder b = LinearExpr.newBuilder();
        for (int i = 0; i < lits.length; i++) {
            b.addTerm((BoolVar) lits[i], w[i]);
        }
        return b.build();
    }

    static LinearExprBuilder[] builders(int k) {
        LinearExprBuilder[] b = new LinearExprBuilder[k];
        for (int p = 0; p < k; p++) {
            b[p] = LinearExpr.newBuilder();
        }
        return b;
    }

    /**
     * Hints the solver with a complete solution: the plan's placement and copies are fixed, CP-SAT
     * completes every auxiliary variable, and the whole assignment becomes the hint. A partial hint
     * is often dropped by the solver; a complete one is a first solution to improve on. Its
     * time goes into {@code stats} ({@link TimedSolve}, entries {@code hint...}).
     */
    void completeHint(Plan plan, double seconds, Map<String, Object> stats) {
        int before = model.getBuilder().getConstraintsCount();
        int[] partOf = plan.partitionOfUnits(units.size());
        for (int u = 0; u < units.size(); u++) {
            model.addEquality(x[u][partOf[u]], 1);
        }
        for (int p = 0; p < k; p++) {
            for (OpInfo op : ops) {
                int r = p < plan.partitions().size() ? plan.partitions().get(p).replicasOf(op.index()) : 1;
                model.addEquality(copies[op.index()][p], Math.min(r, maxCopies(op)));
            }
        }
        com.google.ortools.sat.CpSolver solver = new com.google.ortools.sat.CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(0.1, seconds)).setNumWorkers(1).setCatchSigintSignal(false);
        TimedSolve timed = TimedSolve.run(solver, model, null, null);
        timed.putInto(stats, "hint");
        com.google.ortools.sat.CpSolverStatus status = timed.status();
        while (model.getBuilder().getConstraintsCount() > before) {
            model.getBuilder().removeConstraints(model.getBuilder().getConstraintsCount() - 1);
        }
        model.clearHints();
        if (status == com.google.ortools.sat.CpSolverStatus.OPTIMAL || status == com.google.ortools.sat.CpSolverStatus.FEASIBLE) {
            var values = solver.response().getSolutionList();
            var hint = model.getBuilder().getSolutionHintBuilder();
            for (int i = 0; i < values.size(); i++) {
                hint.addVars(i).addValues(values.get(i));
            }
        } else {
            hint(plan);
        }
    }

    /** Hints the solver with a plan's placement and copies only. */
    void hint(Plan plan) {
        int[] partOf = plan.partitionOfUnits(units.size());
        for (int u = 0; u < units.size(); u++) {
            for (int p = 0; p < k; p++) {
                model.addHint(x[u][p], partOf[u] == p);
            }
        }
        for (int p = 0; p < k; p++) {
            for (OpInfo op : ops) {
                int r = p < plan.partitions().size() ? plan.partitions().get(p).replicasOf(op.index()) : 1;
                model.addHint(copies[op.index()][p], Math.min(r, maxCopies(op)));
            }
        }
    }

    /** The plan a solution describes (empty partitions dropped, copies of absent ops dropped). */
    Plan plan(java.util.function.Predicate<Literal> isTrue, java.util.function.ToLongFunction<IntVar> valueOf) {
        List<Partition> parts = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            List<Integer> mine = new ArrayList<>();
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int u = 0; u < units.size(); u++) {
                if (isTrue.test(x[u][p])) {
                    mine.add(u);
                    int op = units.get(u).op();
                    int r = (int) valueOf.applyAsLong(copies[op][p]);
                    if (r > 1) {
                        rep.put(op, r);
                    }
                }
            }
            if (!mine.isEmpty()) {
                parts.add(new Partition(mine, rep));
            }
        }
        return new Plan(parts);
    }

    List<UnitRef> units() {
        return units;
    }

    List<OpInfo> ops() {
        return ops;
    }

    static boolean isConstant(Layer layer) {
        return layer.op() instanceof VectorOp.Parameter;
    }
}
