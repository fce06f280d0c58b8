package org.pimopt.solve.choco;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;
import org.pimopt.cost.Objective;
import org.pimopt.cost.Rates;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.VectorOp;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.copies.CopyCounts;

/**
 * The partitioning model of formulations/partitioning.md in Choco Solver: the CP-SAT model's
 * variables and constraints, posted with Choco's own propagators (element, times, min/max,
 * clauses). Choco's integers are 32-bit, so times are in {@link #timeScale} units per ns and
 * energies in {@link #energyScale} per pJ, CP-SAT's 1000 when the instance's bounds allow it and
 * coarser by powers of ten when they do not. This class places units into partitions in order and
 * keeps precedence; the other families are posted by {@link ChocoCopies} (copies, capacity,
 * packing), {@link ChocoTraffic} (where vector layers run, what moves) and
 * {@link ChocoPartitionCost} (time, writes, energy), in that order.
 */
final class ChocoModel {
    /** CP-SAT's scales (1 ps, 1 fJ): an OPTIMAL claim is made only at these. */
    static final long FULL_SCALE = 1000;
    /** Largest value any variable may need; Choco's int domains and sums stay well inside it. */
    static final long LIMIT = 2_000_000_000L;

    final Model model;
    final Instance instance;
    final int k;
    final long timeScale;
    final long energyScale;
    private final Chip chip;
    private final List<UnitRef> units;
    private final List<OpInfo> ops;
    final IntVar[] part;            // partition of each unit
    final BoolVar[][] x;            // x[u][p] <=> part[u] = p
    final IntVar[][] copies;        // copies[o][p], among the useful counts
    final List<IntVar> decisions = new ArrayList<>();
    private final IntVar latency;
    private final IntVar energy;
    private final IntVar cells;
    private final IntVar dram;
    /** Whether some variable's domain was cut short of what plans may need (then nothing is proven). */
    final boolean domainsCut;
    /** Largest relative error of a rounded time or energy coefficient at the chosen scales. */
    final double roundingError;
    /** Looked at between families and in their loops: building runs before any solver limit. */
    final org.pimopt.solve.BuildDeadline build;

    /**
     * @param needed     the objectives to build (latency and energy variables are built only when needed,
     *                   so their bounds never cut plans off for other objectives)
     * @param latencyCap a bound no plan of interest exceeds, in ns (from the warm start), or infinity
     * @param energyCap  the same for energy, in pJ
     * @param build      the building's deadline: {@link org.pimopt.solve.BuildDeadline.Passed} leaves the
     *                   constructor when it passes
     */
    ChocoModel(Instance instance, int maxPartitions, java.util.Set<Objective> needed, double latencyCap, double energyCap,
               org.pimopt.solve.BuildDeadline build) {
        this.build = build;
        this.instance = instance;
        this.chip = instance.chip();
        this.units = instance.units();
        this.ops = instance.ops();
        this.k = maxPartitions;
        this.model = new Model("pimopt-" + instance.network().name());
        // Choco turns small linear sums into tables (CompactTable) whose supports grow with the
        // product of the domains: gigabytes on 500-unit networks. Plain sum propagators are enough.
        this.model.getSettings().setEnableTableSubstitution(false);
        int n = units.size();
        Bounds bounds = new Bounds(latencyCap, energyCap);
        this.timeScale = bounds.timeScale;
        this.energyScale = bounds.energyScale;

        // Placement of units; partitions used in order, empty ones last.
        part = new IntVar[n];
        x = new BoolVar[n][k];
        for (int u = 0; u < n; u++) {
            build.check("placement");
            part[u] = model.intVar("part_" + u, 0, k - 1);
            for (int p = 0; p < k; p++) {
                x[u][p] = model.boolVar("x_" + u + "_" + p);
            }
            model.boolsIntChanneling(x[u], part[u], 0).post();
        }
        decisions.addAll(List.of(part));
        BoolVar[] used = new BoolVar[k];
        for (int p = 0; p < k; p++) {
            build.check("placement");
            used[p] = model.boolVar("used_" + p);
            BoolVar[] here = new BoolVar[n];
            for (int u = 0; u < n; u++) {
                here[u] = x[u][p];
            }
            model.addClausesBoolOrArrayEqVar(here, used[p]);
            if (p > 0) {
                model.addClausesBoolLe(used[p], used[p - 1]);
            }
        }
        BoolVar multi = k > 1 ? used[1] : model.boolVar(false);

        // Ops: first and last partition, precedence, presence per partition.
        IntVar[] first = new IntVar[ops.size()];
        IntVar[] last = new IntVar[ops.size()];
        BoolVar[][] active = new BoolVar[ops.size()][k];
        for (OpInfo op : ops) {
            build.check("precedence");
            int o = op.index();
            IntVar[] mine = new IntVar[op.unitCount()];
            for (int i = 0; i < mine.length; i++) {
                mine[i] = part[op.firstUnit() + i];
            }
            first[o] = model.intVar("first_" + o, 0, k - 1);
            last[o] = model.intVar("last_" + o, 0, k - 1);
            model.min(first[o], mine).post();
            model.max(last[o], mine).post();
            for (int p = 0; p < k; p++) {
                BoolVar[] here = new BoolVar[op.unitCount()];
                for (int i = 0; i < here.length; i++) {
                    here[i] = x[op.firstUnit() + i][p];
                }
                active[o][p] = model.boolVar("active_" + o + "_" + p);
                model.addClausesBoolOrArrayEqVar(here, active[o][p]);
            }
        }
        for (OpInfo op : ops) {
            for (int pred : op.predecessors()) {
                model.arithm(first[op.index()], ">=", last[pred]).post();
            }
        }

        // Copies, capacity and packing; traffic; time, writes and energy per partition.
        ChocoCopies copyFamily = new ChocoCopies(this, active, bounds, decisions);
        copies = copyFamily.copies;
        build.check("traffic");
        ChocoTraffic traffic = new ChocoTraffic(this, active, first, last, bounds);
        build.check("partition costs");
        ChocoPartitionCost cost = new ChocoPartitionCost(this, active, multi, copyFamily, traffic, bounds, needed);
        build.check("partition costs");
        latency = cost.latency;
        energy = cost.energy;
        cells = cost.cells;
        dram = cost.dram;
        domainsCut = cost.domainsCut;
        roundingError = cost.roundingError;
    }

    IntVar objective(Objective o) {
        return switch (o) {
            case LATENCY -> latency;
            case ENERGY -> energy;
            case WRITES -> cells;
            case DRAM -> dram;
            case EDP -> throw new IllegalArgumentException("edp is not linear");
        };
    }

    /**
     * Holds each of the goal's limits on the model's figure (formulations/limits.md). Times and
     * energies are rounded up here, by at most {@link #roundingError}: the right-hand side gets that
     * much slack, so no plan that meets a limit is cut off (one just over it by rounding is marked
     * over the limit by the caller, which prices plans exactly). Energy leaves out what no plan
     * changes, {@code energyConstantPj}. The figures limited must be among those built ({@code needed}).
     */
    void postLimits(org.pimopt.cost.Limits limits, double energyConstantPj) {
        for (org.pimopt.cost.Limit limit : limits.limits()) {
            double max = (limit.figure() == Objective.ENERGY ? limit.max() - energyConstantPj : limit.max())
                    * scale(limit.figure());
            boolean exact = limit.figure() == Objective.WRITES || limit.figure() == Objective.DRAM;
            double rhs = Math.floor(max + (exact ? 1e-9 * max : roundingError * Math.abs(max) + 1));
            model.arithm(objective(limit.figure()), "<=", (int) Math.max(-1, Math.min(Integer.MAX_VALUE, rhs))).post();
        }
    }

    /** Model units per cost-model unit of an objective. */
    double scale(Objective o) {
        return switch (o) {
            case LATENCY -> timeScale;
            case ENERGY -> energyScale;
            default -> 1;
        };
    }

    static boolean isConstant(Layer layer) {
        return layer.op() instanceof VectorOp.Parameter;
    }

    List<UnitRef> units() {
        return units;
    }

    /** The plan of the solver's current solution (empty partitions dropped). */
    Plan plan() {
        List<Partition> parts = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            List<Integer> mine = new ArrayList<>();
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int u = 0; u < units.size(); u++) {
                if (part[u].getValue() == p) {
                    mine.add(u);
                    int o = units.get(u).op();
                    if (copies[o][p].getValue() > 1) {
                        rep.put(o, copies[o][p].getValue());
                    }
                }
            }
            if (!mine.isEmpty()) {
                parts.add(new Partition(mine, rep));
            }
        }
        return new Plan(parts);
    }

    /**
     * Upper bounds of what a partition can hold (all capped by the chip's crossbars), and the
     * finest power-of-ten scales at or below CP-SAT's whose objective bounds fit Choco's integers.
     */
    final class Bounds {
        final long rowsPerPartition;
        final long cellsPerPartition;
        final long weightBytesPerPartition;
        long timeScale = FULL_SCALE;
        long energyScale = FULL_SCALE;
        final double latencyNs;
        final double energyPj;

        Bounds(double latencyCap, double energyCap) {
            CopyCounts.Density density = CopyCounts.Density.of(units);
            double rows = density.rowsPerCrossbar();
            double cellsPer = density.cellsPerCrossbar();
            double bytes = density.bytesPerCrossbar();
            long maxBytes = 0;
            long capacity = chip.totalCrossbars();
            rowsPerPartition = (long) Math.ceil(rows * capacity);
            cellsPerPartition = (long) Math.ceil(cellsPer * capacity);
            weightBytesPerPartition = (long) Math.ceil(bytes * capacity);
            for (Instance.Flow f : instance.flows()) {
                maxBytes += 2 * f.bytes();
            }
            // Latency in ns: each op fills once per partition it is in, the bottleneck repeats B-1
            // times, writing and per-batch loads once per partition.
            double fill = 0;
            long maxStage = 0;
            for (OpInfo op : ops) {
                fill += op.positions() * chip.mvmLatencyNs() * Math.min(k, op.unitCount());
                maxStage = Math.max(maxStage, op.positions());
            }
            double io = maxBytes / chip.dramGBps();
            long totalWeightBytes = 0;
            long crossbarRows = 0;
            for (UnitRef ref : units) {
                totalWeightBytes += ref.unit().weightBytes();
                crossbarRows = Math.max(crossbarRows, ref.unit().mostRowsOfCrossbar());
            }
            // Each unit's weights are read once per batch, whatever the partitioning; a partition's
            // write, the largest of three terms, is at most the DRAM one plus the larger other.
            double write = k * Math.max(rowsPerPartition * chip.writeNsPerRow() / chip.writeParallelism(),
                    crossbarRows * chip.writeNsPerRow())
                    + Math.min(k * weightBytesPerPartition, totalWeightBytes) / chip.dramGBps();
            Rates rates = Rates.of(chip);
            double vector = instance.network().layers().stream().mapToLong(Layer::vectorOps).sum() * rates.vectorNsPerOp();
            long slices = 0;
            for (Instance.Flow f : instance.flows()) {
                int op = f.producerLayer() < 0 ? -1 : instance.opOfLayer(f.producerLayer());
                slices += op < 0 ? 1 : ops.get(op).unitCount();
            }
            double noc = maxBytes * rates.nocNsPerByte() + slices * rates.nocNsPerTransfer();
            double loose = fill + write + k * (instance.batch() * (Math.max(maxStage * chip.mvmLatencyNs(), io) + vector)
                    + 2 * io + noc);
            if (chip.staticPowerW() > 0) {
                // Energy includes static power over the latency: a plan within the energy cap is this fast.
                latencyCap = Math.min(latencyCap, energyCap / (chip.staticPowerW() * 1e3));
            }
            latencyNs = Math.min(loose, latencyCap);
            double looseEnergy = chip.staticPowerW() * 1e3 * latencyNs + k * (cellsPerPartition * chip.writeEnergyPjPerCell()
                    + (instance.batch() * maxBytes + 2 * maxBytes) * chip.dramPjPerByte())
                    + Math.min(k * weightBytesPerPartition, totalWeightBytes) * chip.dramPjPerByte() + k * (0
                    + instance.batch() * instance.averageHops() * chip.pjPerByteHop() * maxBytes);
            energyPj = Math.min(looseEnergy, energyCap);
            while (timeScale > 1 && latencyNs * timeScale > LIMIT) {
                timeScale /= 10;
            }
            while (energyScale > 1 && energyPj * energyScale > LIMIT) {
                energyScale /= 10;
            }
        }

        long latencyUb() {
            return (long) Math.ceil(latencyNs * timeScale);
        }

        long energyUb() {
            return (long) Math.ceil(energyPj * energyScale);
        }

        int int32(long v) {
            return Math.toIntExact(Math.min(v, LIMIT));
        }
    }
}
