package org.pimopt.solve.choco;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.CrossbarGeometry;
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
 * coarser by powers of ten when they do not.
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
    boolean domainsCut;
    /** Largest relative error of a rounded time or energy coefficient at the chosen scales. */
    double roundingError;

    /**
     * @param needed     the objectives to build (latency and energy variables are built only when needed,
     *                   so their bounds never cut plans off for other objectives)
     * @param latencyCap a bound no plan of interest exceeds, in ns (from the warm start), or infinity
     * @param energyCap  the same for energy, in pJ
     */
    ChocoModel(Instance instance, int maxPartitions, java.util.Set<Objective> needed, double latencyCap, double energyCap) {
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
        int batch = instance.batch();
        Bounds bounds = new Bounds(latencyCap, energyCap);
        this.timeScale = bounds.timeScale;
        this.energyScale = bounds.energyScale;

        // Placement of units; partitions used in order, empty ones last.
        part = new IntVar[n];
        x = new BoolVar[n][k];
        for (int u = 0; u < n; u++) {
            part[u] = model.intVar("part_" + u, 0, k - 1);
            for (int p = 0; p < k; p++) {
                x[u][p] = model.boolVar("x_" + u + "_" + p);
            }
            model.boolsIntChanneling(x[u], part[u], 0).post();
        }
        decisions.addAll(List.of(part));
        BoolVar[] used = new BoolVar[k];
        for (int p = 0; p < k; p++) {
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

        // Copies (only counts at which ceil(N/r) drops: any other count is dominated), capacity, packing.
        copies = new IntVar[ops.size()][k];
        int perCore = chip.crossbarsPerCore();
        List<List<IntVar>> crossbarTerms = lists(k);
        List<List<IntVar>> rowTerms = lists(k);
        List<List<IntVar>> cellTerms = lists(k);
        List<List<IntVar>> wholeTerms = lists(k);
        List<TreeMap<Integer, List<IntVar>>> pieceTerms = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            pieceTerms.add(new TreeMap<>());
        }
        IntVar[][] stage = new IntVar[ops.size()][k];
        for (OpInfo op : ops) {
            int o = op.index();
            int max = instance.maxCopies(op);
            int[] useful = op.usefulCopies(max);
            int[] table = new int[max];
            for (int r = 1; r <= max; r++) {
                table[r - 1] = Math.toIntExact((op.positions() + r - 1) / r);
            }
            for (int p = 0; p < k; p++) {
                IntVar r = model.intVar("copies_" + o + "_" + p, useful);
                copies[o][p] = r;
                decisions.add(r);
                IntVar steps = model.intVar("steps_" + o + "_" + p, 1, Math.toIntExact(op.positions()));
                model.element(steps, table, r, 1).post();
                stage[o][p] = model.intVar("stage_" + o + "_" + p, 0, Math.toIntExact(op.positions()));
                model.times(steps, active[o][p], stage[o][p]).post();
                crossbarTerms.get(p).add(times(op, p, r, ref -> ref.crossbars(), "xb"));
                rowTerms.get(p).add(times(op, p, r, ref -> ref.unit().rowsProgrammed(), "rows"));
                cellTerms.get(p).add(times(op, p, r, ref -> ref.unit().cellsWritten(), "cells"));
                boolean anyWhole = false;
                TreeMap<Integer, Boolean> sizes = new TreeMap<>();
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    int xb = units.get(u).crossbars();
                    anyWhole |= xb >= perCore;
                    if (xb % perCore != 0) {
                        sizes.put(xb % perCore, true);
                    }
                }
                if (anyWhole) {
                    wholeTerms.get(p).add(times(op, p, r, ref -> ref.crossbars() / perCore, "cores"));
                }
                for (int s : sizes.keySet()) {
                    pieceTerms.get(p).computeIfAbsent(s, z -> new ArrayList<>())
                            .add(times(op, p, r, ref -> ref.crossbars() % perCore == s ? 1 : 0, "pieces" + s));
                }
            }
        }
        IntVar[] rows = new IntVar[k];
        IntVar[] cellsIn = new IntVar[k];
        IntVar[] weightBytes = new IntVar[k];
        for (int p = 0; p < k; p++) {
            model.sum(crossbarTerms.get(p).toArray(new IntVar[0]), "<=", Math.toIntExact(chip.totalCrossbars())).post();
            rows[p] = sum(rowTerms.get(p), bounds.rowsPerPartition, "rows_" + p);
            cellsIn[p] = sum(cellTerms.get(p), bounds.cellsPerPartition, "cells_in_" + p);
            int[] wb = new int[n];
            for (int u = 0; u < n; u++) {
                wb[u] = Math.toIntExact(units.get(u).unit().weightBytes());
            }
            weightBytes[p] = model.intVar("weight_bytes_in_" + p, 0, bounds.int32(bounds.weightBytesPerPartition));
            model.scalar(column(x, p), wb, "=", weightBytes[p]).post();
            packCores(p, wholeTerms.get(p), pieceTerms.get(p));
        }

        // Traffic.
        ChocoTraffic traffic = new ChocoTraffic(this, active, first, last, bounds);

        // Time, writes and energy per partition (cost/CostModel.partition; coefficients from cost/Rates).
        Rates rates = Rates.of(chip);
        int mvmTime = timeCoef(rates.mvmNs() * timeScale, needed);
        int byteTime = timeCoef(rates.dramNsPerByte() * timeScale, needed);
        int rowTime = timeCoef(rates.rowWriteNs() * timeScale, needed);
        int[] crossbarTime = new int[n];
        for (int u = 0; u < n; u++) {
            // Only where it can bind (CostModel.crossbarWriteCanBind); 0: the other terms imply it.
            crossbarTime[u] = CostModel.crossbarWriteCanBind(chip, units.get(u).unit())
                    ? timeCoef(units.get(u).unit().mostRowsOfCrossbar() * rates.crossbarRowNs() * timeScale, needed) : 0;
        }
        int crossbarTimeMax = java.util.Arrays.stream(crossbarTime).max().orElse(0);
        List<Integer> vectorLayers = new ArrayList<>();
        for (Layer l : instance.network().layers()) {
            if (traffic.vectorAt[l.index()] != null && l.vectorOps() > 0) {
                vectorLayers.add(l.index());
            }
        }
        List<IntVar> totalTerms = new ArrayList<>();
        List<Integer> totalCoefs = new ArrayList<>();
        List<IntVar> cellsTotal = new ArrayList<>();
        List<IntVar> dramTerms = new ArrayList<>();
        List<Integer> dramCoefs = new ArrayList<>();
        List<IntVar> energyTerms = new ArrayList<>();
        List<Integer> energyCoefs = new ArrayList<>();
        int maxStage = 0;
        long pathBound = 0;
        for (OpInfo op : ops) {
            maxStage = Math.max(maxStage, Math.toIntExact(op.positions()));
            pathBound += op.positions();
        }
        for (int p = 0; p < k; p++) {
            IntVar io = traffic.bytesPerSample(p);
            IntVar[] at = new IntVar[vectorLayers.size()];
            double[] vectorUnits = new double[at.length];
            for (int i = 0; i < at.length; i++) {
                at[i] = traffic.vectorAt[vectorLayers.get(i)][p];
                vectorUnits[i] = instance.network().layers().get(vectorLayers.get(i)).vectorOps() * rates.vectorNsPerOp() * timeScale;
            }
            IntVar vector = fineTime("vector_" + p, at, vectorUnits, needed);
            IntVar noc = fineTime("noc_time_" + p, new IntVar[] {traffic.nocBytes(p), traffic.transfers(p)},
                    new double[] {rates.nocNsPerByte() * timeScale, rates.nocNsPerTransfer() * timeScale}, needed);
            IntVar bottleneck = model.intVar("bottleneck_" + p, 0,
                    bounds.int32(Math.max(Math.max((long) maxStage * mvmTime, (long) io.getUB() * byteTime), vector.getUB())));
            // The critical path of the partition's dataflow (as in CpSatModel): an op finishes its first
            // sample its stage after the ops it reads; an absent op has stage 0 and passes their finish on.
            int pathUb = bounds.int32(pathBound * mvmTime);
            IntVar criticalPath = model.intVar("critical_path_" + p, 0, pathUb);
            IntVar[] finish = new IntVar[ops.size()];
            for (OpInfo op : ops) {
                int o = op.index();
                model.scalar(new IntVar[] {bottleneck, stage[o][p]}, new int[] {1, -mvmTime}, ">=", 0).post();
                finish[o] = model.intVar("finish_" + o + "_" + p, 0, pathUb);
                model.scalar(new IntVar[] {finish[o], stage[o][p]}, new int[] {1, -mvmTime}, ">=", 0).post();
                for (int pred : op.predecessors()) {
                    model.scalar(new IntVar[] {finish[o], finish[pred], stage[o][p]}, new int[] {1, -1, -mvmTime}, ">=", 0).post();
                }
                model.arithm(criticalPath, ">=", finish[o]).post();
            }
            totalTerms.add(criticalPath);
            totalCoefs.add(1);
            model.arithm(bottleneck, ">=", vector).post();
            // The vector stage in the fill; the first sample's DRAM traffic and on-chip transfers.
            totalTerms.addAll(List.of(vector, io, noc));
            totalCoefs.addAll(List.of(1, byteTime, 1));
            model.scalar(new IntVar[] {bottleneck, io}, new int[] {1, -byteTime}, ">=", 0).post();
            IntVar write = model.intVar("write_" + p, 0, bounds.int32((long) rows[p].getUB() * rowTime
                    + (long) weightBytes[p].getUB() * byteTime + crossbarTimeMax));
            model.scalar(new IntVar[] {write, rows[p]}, new int[] {1, -rowTime}, ">=", 0).impliedBy(multi);
            model.scalar(new IntVar[] {write, weightBytes[p]}, new int[] {1, -byteTime}, ">=", 0).impliedBy(multi);
            // No slot writes one crossbar faster than row by row: the unit's most-written crossbar.
            // One constraint per op when its units agree, as they mostly do.
            for (OpInfo op : ops) {
                int most = 0;
                int least = Integer.MAX_VALUE;
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    most = Math.max(most, crossbarTime[u]);
                    least = Math.min(least, crossbarTime[u]);
                }
                for (int u = op.firstUnit(); u <= op.lastUnit() && most > 0; u++) {
                    if (crossbarTime[u] == 0) {
                        continue;
                    }
                    BoolVar in = most == least ? active[op.index()][p] : x[u][p];
                    model.scalar(new IntVar[] {write, in}, new int[] {1, -crossbarTime[u]}, ">=", 0).impliedBy(multi);
                    if (most == least) {
                        break;
                    }
                }
            }
            totalTerms.addAll(List.of(bottleneck, write, traffic.bytesPerBatch(p)));
            totalCoefs.addAll(List.of(batch - 1, 1, byteTime));

            IntVar cellsCounted = model.intVar("cells_" + p, 0, cellsIn[p].getUB());
            model.arithm(cellsCounted, ">=", cellsIn[p]).impliedBy(multi);
            IntVar weightsCounted = model.intVar("weight_bytes_" + p, 0, weightBytes[p].getUB());
            model.arithm(weightsCounted, ">=", weightBytes[p]).impliedBy(multi);
            cellsTotal.add(cellsCounted);
            dramTerms.addAll(List.of(io, traffic.bytesPerBatch(p), weightsCounted));
            dramCoefs.addAll(List.of(batch, 1, 1));
            energyTerms.addAll(List.of(cellsCounted, io, traffic.bytesPerBatch(p), weightsCounted, traffic.nocBytes(p)));
            energyCoefs.addAll(List.of(
                    energyCoef(chip.writeEnergyPjPerCell() * energyScale, needed),
                    energyCoef(batch * chip.dramPjPerByte() * energyScale, needed),
                    energyCoef(chip.dramPjPerByte() * energyScale, needed),
                    energyCoef(chip.dramPjPerByte() * energyScale, needed),
                    energyCoef(batch * instance.averageHops() * chip.pjPerByteHop() * energyScale, needed)));
        }
        boolean withEnergy = needed.contains(Objective.ENERGY);
        latency = withEnergy || needed.contains(Objective.LATENCY)
                ? linear(totalTerms, totalCoefs, bounds.latencyUb(), "latency") : null;
        if (withEnergy) {
            // Static power over the batch: W x ns = 1e3 pJ.
            energyTerms.add(latency);
            energyCoefs.add(coef(chip.staticPowerW() * 1e3 * energyScale / timeScale));
            energy = linear(energyTerms, energyCoefs, bounds.energyUb(), "energy");
        } else {
            energy = null;
        }
        cells = linear(cellsTotal, java.util.Collections.nCopies(cellsTotal.size(), 1), LIMIT, "cells");
        dram = linear(dramTerms, dramCoefs, LIMIT, "dram");

    }

    /**
     * A time in time units no less than {@code sum_i exact_i vars_i}, posted as
     * {@code D t >= sum_i c_i vars_i} with {@code c_i = exact_i D} rounded: D is the power of ten that
     * makes the smallest coefficient at least 1,000 (0.05% rounding), lowered until the sum at the
     * variables' upper bounds fits 32 bits; any rounding left is recorded like other coefficients'.
     * For terms of less than a time unit each (one vector operation, one byte over a NoC link).
     */
    private IntVar fineTime(String name, IntVar[] vars, double[] exact, java.util.Set<Objective> needed) {
        double smallest = Double.POSITIVE_INFINITY;
        double total = 0;
        for (int i = 0; i < vars.length; i++) {
            if (exact[i] > 0) {
                smallest = Math.min(smallest, exact[i]);
                total += exact[i] * vars[i].getUB();
            }
        }
        IntVar t = model.intVar(name, 0, (int) Math.min(LIMIT, (long) Math.ceil(total) + 1));
        if (total == 0) {
            model.arithm(t, "=", 0).post();
            return t;
        }
        long d = 1;
        while (smallest * d < 1000 && total * d * 10 <= LIMIT && d < 1_000_000_000L) {
            d *= 10;
        }
        IntVar[] all = java.util.Arrays.copyOf(vars, vars.length + 1);
        int[] c = new int[all.length];
        for (int i = 0; i < vars.length; i++) {
            c[i] = -timeCoef(exact[i] * d, needed);
        }
        all[vars.length] = t;
        c[vars.length] = (int) d;
        model.scalar(all, c, ">=", 0).post();
        return t;
    }

    /** A coefficient rounded to an integer, its relative error recorded. */
    private int coef(double exactValue) {
        long r = Math.round(exactValue);
        if (exactValue > 0) {
            roundingError = Math.max(roundingError, Math.abs(r - exactValue) / exactValue);
        }
        return Math.toIntExact(Math.min(r, LIMIT));
    }

    /**
     * A time coefficient; its rounding matters only when latency or energy (which prices static
     * power over the latency) is an objective. Cells written and DRAM bytes are exact integers.
     */
    private int timeCoef(double exactValue, java.util.Set<Objective> needed) {
        return needed.contains(Objective.LATENCY) || needed.contains(Objective.ENERGY)
                ? coef(exactValue) : (int) Math.min(Math.round(exactValue), LIMIT);
    }

    /** An energy coefficient; its rounding matters only when energy is an objective. */
    private int energyCoef(double exactValue, java.util.Set<Objective> needed) {
        return needed.contains(Objective.ENERGY) ? coef(exactValue) : (int) Math.min(Math.round(exactValue), LIMIT);
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



    /** {@code copies * sum_{u in op} w(u) x[u][p]} as a variable. */
    private IntVar times(OpInfo op, int p, IntVar r, java.util.function.ToLongFunction<UnitRef> weight, String name) {
        int count = op.unitCount();
        IntVar[] vars = new IntVar[count];
        int[] w = new int[count];
        long max = 0;
        for (int i = 0; i < count; i++) {
            vars[i] = x[op.firstUnit() + i][p];
            w[i] = Math.toIntExact(weight.applyAsLong(units.get(op.firstUnit() + i)));
            max += w[i];
        }
        IntVar base = model.intVar(name + "1_" + op.index() + "_" + p, 0, Math.toIntExact(max));
        model.scalar(vars, w, "=", base).post();
        if (r.getUB() == 1) {
            return base;
        }
        IntVar product = model.intVar(name + "_" + op.index() + "_" + p, 0, Math.toIntExact(Math.min(LIMIT, max * r.getUB())));
        model.times(base, r, product).post();
        return product;
    }

    private void packCores(int p, List<IntVar> whole, TreeMap<Integer, List<IntVar>> pieces) {
        int perCore = chip.crossbarsPerCore();
        int cores = chip.cores();
        IntVar wholeCores = sum(whole, cores, "whole_cores_" + p);
        if (pieces.isEmpty()) {
            return;
        }
        BoolVar[] open = model.boolVarArray("open_" + p, cores);
        IntVar[] load = new IntVar[cores];
        Map<Integer, List<IntVar>> placed = new TreeMap<>();
        for (int c = 0; c < cores; c++) {
            List<IntVar> ys = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (int size : pieces.keySet()) {
                IntVar y = model.intVar("in_core_" + p + "_" + c + "_" + size, 0, perCore / size);
                ys.add(y);
                sizes.add(size);
                placed.computeIfAbsent(size, z -> new ArrayList<>()).add(y);
            }
            load[c] = model.intVar("load_" + p + "_" + c, 0, perCore);
            model.scalar(ys.toArray(new IntVar[0]), sizes.stream().mapToInt(Integer::intValue).toArray(), "=", load[c]).post();
            model.scalar(new IntVar[] {load[c], open[c]}, new int[] {1, -perCore}, "<=", 0).post();
            if (c > 0) {
                model.addClausesBoolLe(open[c], open[c - 1]);
                model.arithm(load[c - 1], ">=", load[c]).post();
            }
        }
        IntVar[] all = new IntVar[cores + 1];
        System.arraycopy(open, 0, all, 0, cores);
        all[cores] = wholeCores;
        model.sum(all, "<=", cores).post();
        for (var e : pieces.entrySet()) {
            IntVar count = sum(e.getValue(), LIMIT, "pieces_" + p + "_" + e.getKey());
            model.sum(placed.get(e.getKey()).toArray(new IntVar[0]), "=", count).post();
        }
    }

    private IntVar sum(List<IntVar> terms, long max, String name) {
        long ub = 0;
        for (IntVar t : terms) {
            ub += t.getUB();
        }
        IntVar s = model.intVar(name, 0, Math.toIntExact(Math.min(Math.min(max, ub), LIMIT)));
        if (terms.isEmpty()) {
            model.arithm(s, "=", 0).post();
        } else {
            model.sum(terms.toArray(new IntVar[0]), "=", s).post();
        }
        return s;
    }

    /** A weighted sum as a variable whose domain is capped at {@code cap} (a bound no plan of interest exceeds). */
    private IntVar linear(List<IntVar> terms, List<Integer> coefs, long cap, String name) {
        long ub = 0;
        for (int i = 0; i < terms.size(); i++) {
            ub += (long) terms.get(i).getUB() * coefs.get(i);
        }
        if (ub > LIMIT && cap >= LIMIT) {
            domainsCut = true;
        }
        long most = Math.min(ub, Math.min(cap, LIMIT));
        IntVar s = model.intVar(name, 0, Math.toIntExact(most));
        // Every term is non-negative, so none exceeds the sum's cap: tighten them before Choco
        // builds the sum, whose intermediate bounds otherwise saturate 32 bits on large networks.
        for (int i = 0; i < terms.size(); i++) {
            IntVar t = terms.get(i);
            long c = coefs.get(i);
            if (c > 0 && (long) t.getUB() * c > most && !t.isInstantiated()) {
                try {
                    t.updateUpperBound((int) (most / c), org.chocosolver.solver.Cause.Null);
                } catch (org.chocosolver.solver.exception.ContradictionException impossible) {
                    throw new IllegalStateException("term " + t.getName() + " of " + name + " cannot be non-negative", impossible);
                }
            }
        }
        long tightened = 0;
        for (int i = 0; i < terms.size(); i++) {
            tightened += (long) terms.get(i).getUB() * coefs.get(i);
        }
        if (tightened >= Integer.MAX_VALUE) {
            // Choco's sum propagator adds the terms' bounds in 32 bits: it could prune wrongly, so
            // nothing found with this model is claimed optimal. (Long sums are split by Choco into
            // intermediate variables, which refuse such bounds outright.)
            domainsCut = true;
        }
        model.scalar(terms.toArray(new IntVar[0]), coefs.stream().mapToInt(Integer::intValue).toArray(), "=", s).post();
        return s;
    }

    private static BoolVar[] column(BoolVar[][] x, int p) {
        BoolVar[] c = new BoolVar[x.length];
        for (int u = 0; u < x.length; u++) {
            c[u] = x[u][p];
        }
        return c;
    }

    private static List<List<IntVar>> lists(int k) {
        List<List<IntVar>> out = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            out.add(new ArrayList<>());
        }
        return out;
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
