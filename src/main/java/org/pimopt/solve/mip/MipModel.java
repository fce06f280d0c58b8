package org.pimopt.solve.mip;

import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * The partitioning model of formulations/partitioning.md as a mixed-integer linear program: the
 * same decisions and prices as the CP-SAT model, with every product and logical rule written as
 * linear inequalities (section "MILP" of that file). Coefficients are the cost model's own, in ns
 * and pJ, unrounded. This class places units into partitions in order and keeps precedence; the
 * other families are posted by {@link MipCopies} (copies, capacity, packing), {@link MipTraffic}
 * (where vector layers run, what moves) and {@link MipPartitionCost} (time, writes, energy), in
 * that order.
 */
final class MipModel {
    final MPSolver solver;
    final Instance instance;
    final int k;
    private final List<UnitRef> units;
    private final List<OpInfo> ops;
    final MPVariable[][] x;           // x[u][p]: unit u runs in partition p
    /** Per op: the copy counts worth having (each one lowers ceil(N/r)); z index i >= 1 is counts[i-1]. */
    final int[][] counts;
    final MPVariable[][][] z;         // z[o][p][0]: o absent from p; z[o][p][i]: counts[o][i-1] copies
    final Lin latency;                // ns per batch
    final Lin energy;                 // plan-dependent pJ per batch
    final Lin cells;                  // cells written per batch
    final Lin dram;                   // DRAM bytes per batch

    private final Lin[][] cum;        // cum[u][p] = sum_{q <= p} x[u][q]

    /**
     * Builds the model into {@code solver}; {@code build} is looked at in every loop and between the
     * families (building comes before the backend's clock), and
     * {@link org.pimopt.solve.BuildDeadline.Passed} leaves the constructor when it passes.
     */
    MipModel(MPSolver solver, Instance instance, int maxPartitions, org.pimopt.solve.BuildDeadline build) {
        this.solver = solver;
        this.instance = instance;
        this.units = instance.units();
        this.ops = instance.ops();
        this.k = maxPartitions;
        int n = units.size();

        // 1. Every unit once; partitions used in order, empty ones last.
        x = new MPVariable[n][k];
        for (int u = 0; u < n; u++) {
            build.check("placement");
            Lin once = new Lin();
            for (int p = 0; p < k; p++) {
                x[u][p] = solver.makeBoolVar("x_u" + u + "_p" + p);
                once.add(x[u][p], 1);
            }
            Lin.post(solver, 1, once, 1, "once_u" + u);
        }
        MPVariable[] used = new MPVariable[k];
        for (int p = 0; p < k; p++) {
            build.check("placement");
            used[p] = solver.makeBoolVar("used_p" + p);
            Lin any = new Lin();
            for (int u = 0; u < n; u++) {
                Lin.geq(solver, Lin.of(used[p]), Lin.of(x[u][p]), "usedif_u" + u + "_p" + p);
                any.add(x[u][p], 1);
            }
            Lin.geq(solver, any, Lin.of(used[p]), "usedonly_p" + p);
            if (p > 0) {
                Lin.geq(solver, Lin.of(used[p - 1]), Lin.of(used[p]), "inorder_p" + p);
            }
        }
        // multi: two or more partitions, so every partition is programmed every batch.
        Lin multi = k > 1 ? Lin.of(used[1]) : new Lin();
        cum = new Lin[n][k];
        for (int u = 0; u < n; u++) {
            build.check("placement");
            Lin c = new Lin();
            for (int p = 0; p < k; p++) {
                c = new Lin().add(c).add(x[u][p], 1);
                cum[u][p] = c;
            }
        }

        // 2. Dependencies: first[o] >= last[o'] for o' read by o.
        MPVariable[] first = new MPVariable[ops.size()];
        MPVariable[] last = new MPVariable[ops.size()];
        for (OpInfo op : ops) {
            build.check("precedence");
            int o = op.index();
            first[o] = solver.makeNumVar(0, k - 1, "first_o" + o);
            last[o] = solver.makeNumVar(0, k - 1, "last_o" + o);
            for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                Lin part = partOf(u);
                Lin.geq(solver, part, Lin.of(first[o]), "firstle_u" + u);
                Lin.geq(solver, Lin.of(last[o]), part, "lastge_u" + u);
            }
        }
        for (OpInfo op : ops) {
            for (int pred : op.predecessors()) {
                Lin.geq(solver, Lin.of(first[op.index()]), Lin.of(last[pred]), "dep_o" + op.index() + "_o" + pred);
            }
        }

        // 3, 4. Copies, capacity and packing; 5. where vector layers run, and traffic; 6. time, writes, energy.
        MipCopies copies = new MipCopies(solver, instance, x, k, build);
        counts = copies.counts;
        z = copies.z;
        build.check("traffic");
        MipTraffic traffic = new MipTraffic(solver, instance, k, x, cum, copies.act);
        build.check("partition costs");
        MipPartitionCost cost = new MipPartitionCost(solver, instance, k, x, multi, copies, traffic);
        build.check("partition costs");
        latency = cost.latency;
        energy = cost.energy;
        cells = cost.cells;
        dram = cost.dram;
    }

    /**
     * Holds each of the goal's limits on the model's figure (formulations/limits.md). Coefficients
     * are the cost model's own, so only the solver's feasibility tolerance (1e-6, relative here)
     * separates the two; energy leaves out what no plan changes, {@code energyConstantPj}.
     */
    void postLimits(org.pimopt.cost.Limits limits, double energyConstantPj) {
        int i = 0;
        for (org.pimopt.cost.Limit limit : limits.limits()) {
            double max = limit.figure() == Objective.ENERGY ? limit.max() - energyConstantPj : limit.max();
            Lin.geq(solver, Lin.constant(max + 1e-9 * Math.abs(max)), objective(limit.figure()), "limit_" + i++);
        }
    }

    Lin objective(Objective o) {
        return switch (o) {
            case LATENCY -> latency;
            case ENERGY -> energy;
            case WRITES -> cells;
            case DRAM -> dram;
            case EDP -> throw new IllegalArgumentException("edp is a product and has no linear model");
        };
    }

    /** Sets the solver's objective to minimize {@code e}. */
    void minimize(Lin e) {
        var objective = solver.objective();
        objective.clear();
        e.terms().forEach(objective::setCoefficient);
        objective.setOffset(e.constant());
        objective.setMinimization();
    }

    /** Partition index of unit u as a linear expression. */
    private Lin partOf(int u) {
        Lin part = new Lin();
        for (int p = 1; p < k; p++) {
            part.add(x[u][p], p);
        }
        return part;
    }

    /** Hints a plan's placement and copies (solvers that take hints use it as a first solution). */
    void hint(Plan plan) {
        int[] partOf = plan.partitionOfUnits(units.size());
        List<MPVariable> vars = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            for (int p = 0; p < k; p++) {
                vars.add(x[u][p]);
                values.add(partOf[u] == p ? 1.0 : 0.0);
            }
        }
        for (OpInfo op : ops) {
            for (int p = 0; p < k; p++) {
                boolean present = false;
                for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
                    present |= partOf[u] == p;
                }
                int r = present ? plan.partitions().get(p).replicasOf(op.index()) : 0;
                for (int i = 0; i <= counts[op.index()].length; i++) {
                    boolean on = i == 0 ? !present : present && counts[op.index()][i - 1] == r;
                    vars.add(z[op.index()][p][i]);
                    values.add(on ? 1.0 : 0.0);
                }
            }
        }
        solver.setHint(vars.toArray(new MPVariable[0]), values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The plan of the current solution (empty partitions dropped). */
    Plan plan() {
        List<Partition> parts = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            List<Integer> mine = new ArrayList<>();
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int u = 0; u < units.size(); u++) {
                if (x[u][p].solutionValue() > 0.5) {
                    mine.add(u);
                    int o = units.get(u).op();
                    for (int i = 1; i <= counts[o].length; i++) {
                        if (z[o][p][i].solutionValue() > 0.5 && counts[o][i - 1] > 1) {
                            rep.put(o, counts[o][i - 1]);
                        }
                    }
                }
            }
            if (!mine.isEmpty()) {
                parts.add(new Partition(mine, rep));
            }
        }
        return new Plan(parts);
    }
}
