package org.pimopt.solve.choco;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.Objective;
import org.pimopt.cost.Rates;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * What each partition costs in Choco, and the batch's figures summed over partitions
 * (cost/CostModel.partition; coefficients from cost/Rates, rounded to the model's time and energy
 * units): the slowest stage, the critical path of the first sample, the write time, the cells and
 * weight bytes programmed (only with two partitions or more), DRAM bytes and energy. Records how
 * far rounding moved a coefficient and whether a domain was cut, which decide what is proven.
 */
final class ChocoPartitionCost {
    private static final long LIMIT = ChocoModel.LIMIT;

    private final Model model;
    /** Null unless latency or energy is needed. */
    final IntVar latency;
    /** Null unless energy is needed. */
    final IntVar energy;
    final IntVar cells;
    final IntVar dram;
    /** Whether some variable's domain was cut short of what plans may need (then nothing is proven). */
    boolean domainsCut;
    /** Largest relative error of a rounded time or energy coefficient at the chosen scales. */
    double roundingError;

    /** @param multi true when the plan has two partitions or more (every partition is then programmed every batch) */
    ChocoPartitionCost(ChocoModel m, BoolVar[][] active, BoolVar multi, ChocoCopies copies, ChocoTraffic traffic,
            ChocoModel.Bounds bounds, Set<Objective> needed) {
        this.model = m.model;
        Instance instance = m.instance;
        Chip chip = instance.chip();
        List<UnitRef> units = m.units();
        List<OpInfo> ops = instance.ops();
        BoolVar[][] x = m.x;
        int k = m.k;
        int n = units.size();
        int batch = instance.batch();
        long timeScale = m.timeScale;
        long energyScale = m.energyScale;
        IntVar[][] stage = copies.stage;
        IntVar[] rows = copies.rows;
        IntVar[] cellsIn = copies.cellsIn;
        IntVar[] weightBytes = copies.weightBytes;

        // Time, writes and energy per partition (cost/CostModel.partition; coefficients from cost/Rates).
        Rates rates = Rates.of(chip);
        int mvmTime = timeCoef(rates.mvmNs() * timeScale, needed);
        int byteTime = timeCoef(rates.dramNsPerByte() * timeScale, needed);
        int rowTime = timeCoef(rates.rowWriteNs() * timeScale, needed);
        // Each unit's time programmed alone (CostModel.unitProgramNs): no unit is written before its weights arrive.
        int[] unitTime = new int[n];
        for (int u = 0; u < n; u++) {
            unitTime[u] = timeCoef(CostModel.unitProgramNs(chip, units.get(u).unit()) * timeScale, needed);
        }
        int unitTimeMax = java.util.Arrays.stream(unitTime).max().orElse(0);
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
            IntVar bottleneck = model.intVar("bottleneck_" + p, 0,
                    bounds.int32(Math.max(Math.max((long) maxStage * mvmTime, (long) io.getUB() * byteTime), vector.getUB())));
            for (OpInfo op : ops) {
                model.scalar(new IntVar[] {bottleneck, stage[op.index()][p]}, new int[] {1, -mvmTime}, ">=", 0).post();
            }
            // The critical path of the partition's dataflow, with the on-chip transfers on its edges.
            IntVar criticalPath = criticalPath(m, active, x, stage, traffic, p, mvmTime, bounds.int32(pathBound * mvmTime), needed);
            totalTerms.add(criticalPath);
            totalCoefs.add(1);
            model.arithm(bottleneck, ">=", vector).post();
            // The vector stage in the fill; the first sample's DRAM traffic.
            totalTerms.addAll(List.of(vector, io));
            totalCoefs.addAll(List.of(1, byteTime));
            model.scalar(new IntVar[] {bottleneck, io}, new int[] {1, -byteTime}, ">=", 0).post();
            IntVar write = model.intVar("write_" + p, 0, bounds.int32((long) rows[p].getUB() * rowTime
                    + (long) weightBytes[p].getUB() * byteTime + unitTimeMax));
            model.scalar(new IntVar[] {write, rows[p]}, new int[] {1, -rowTime}, ">=", 0).impliedBy(multi);
            model.scalar(new IntVar[] {write, weightBytes[p]}, new int[] {1, -byteTime}, ">=", 0).impliedBy(multi);
            // No unit is written before its weights arrive: its time programmed alone.
            // One constraint per op when its units agree, as they mostly do.
            for (OpInfo op : ops) {
                int most = 0;
                int least = Integer.MAX_VALUE;
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    most = Math.max(most, unitTime[u]);
                    least = Math.min(least, unitTime[u]);
                }
                for (int u = op.firstUnit(); u <= op.lastUnit() && most > 0; u++) {
                    if (unitTime[u] == 0) {
                        continue;
                    }
                    BoolVar in = most == least ? active[op.index()][p] : x[u][p];
                    model.scalar(new IntVar[] {write, in}, new int[] {1, -unitTime[u]}, ">=", 0).impliedBy(multi);
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
     * The critical path of partition {@code p}'s dataflow (formulations/partitioning.md, "Critical
     * path"; as cpsat/Traffic states it): a potential per layer that can run in {@code p}, an op's at
     * least its stage after each layer it reads, a vector layer's at least each layer it reads; an
     * edge into a layer receiving its tensor over the NoC adds the transfer time of the tensor's
     * slices made in {@code p} (one variable per tensor, {@link #fineTime}). An edge holds when its
     * reading layer runs in {@code p}; nothing of {@code p} reads through a layer outside it.
     */
    private IntVar criticalPath(ChocoModel m, BoolVar[][] active, BoolVar[][] x, IntVar[][] stage, ChocoTraffic traffic,
                                int p, int mvmTime, int stagesUb, Set<Objective> needed) {
        Instance instance = m.instance;
        List<Layer> layers = instance.network().layers();
        List<Instance.Flow> flows = instance.flows();
        Rates rates = Rates.of(instance.chip());
        IntVar[] transfer = new IntVar[flows.size()];
        long transfersUb = 0;
        for (int fi = 0; fi < flows.size(); fi++) {
            Instance.Flow f = flows.get(fi);
            if (f.producerLayer() < 0 || f.receivingLayers().isEmpty()) {
                continue;
            }
            int op = instance.opOfLayer(f.producerLayer());
            List<IntVar> at = new ArrayList<>();
            List<Double> ns = new ArrayList<>();
            if (op < 0) {
                if (traffic.vectorAt[f.producerLayer()] == null) {
                    continue;
                }
                at.add(traffic.vectorAt[f.producerLayer()][p]);
                ns.add(instance.sliceTransferNs(f, -1) * m.timeScale);
            } else {
                OpInfo info = instance.ops().get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    at.add(x[u][p]);
                    ns.add(instance.sliceTransferNs(f, u) * m.timeScale);
                }
            }
            transfer[fi] = fineTime("transfer_" + fi + "_" + p, at.toArray(IntVar[]::new),
                    ns.stream().mapToDouble(Double::doubleValue).toArray(), needed);
            transfersUb += transfer[fi].getUB();
        }
        int ub = (int) Math.min(LIMIT, (long) stagesUb + transfersUb);
        IntVar path = model.intVar("critical_path_" + p, 0, ub);
        IntVar[] finish = new IntVar[layers.size()];
        for (Layer l : layers) {
            int li = l.index();
            int o = instance.opOfLayer(li);
            BoolVar here = o >= 0 ? active[o][p] : (traffic.vectorAt[li] == null ? null : traffic.vectorAt[li][p]);
            if (here == null) {
                continue;
            }
            finish[li] = model.intVar("finish_" + li + "_" + p, 0, ub);
            if (o >= 0) {
                model.scalar(new IntVar[] {finish[li], stage[o][p]}, new int[] {1, -mvmTime}, ">=", 0).post();
            }
            for (Instance.Read read : instance.readsOf(li)) {
                if (finish[read.producerLayer()] == null) {
                    continue;
                }
                List<IntVar> vars = new ArrayList<>(List.of(finish[li], finish[read.producerLayer()]));
                List<Integer> coefs = new ArrayList<>(List.of(1, -1));
                if (o >= 0) {
                    vars.add(stage[o][p]);
                    coefs.add(-mvmTime);
                }
                if (read.received() && transfer[read.flow()] != null) {
                    vars.add(transfer[read.flow()]);
                    coefs.add(-1);
                }
                model.scalar(vars.toArray(IntVar[]::new), coefs.stream().mapToInt(Integer::intValue).toArray(), ">=", 0)
                        .impliedBy(here);
            }
            model.arithm(path, ">=", finish[li]).post();
        }
        return path;
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
}
