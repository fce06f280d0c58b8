package org.pimopt.solve.cpsat;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.Literal;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * The partitioning model of formulations/partitioning.md ({@link CpSatModel}) opened to models
 * that add decisions on top of it, such as the joint partition and placement model: its CP-SAT
 * model, its decision variables and its objective expressions. Nothing here changes the model.
 */
public final class PartitionModel {
    /** Model time units per ns. */
    public static final long TIME_SCALE = CpSatModel.TIME_SCALE;
    /** Model energy units per pJ. */
    public static final long ENERGY_SCALE = CpSatModel.ENERGY_SCALE;

    private final CpSatModel m;

    /** The partitioning model of {@code instance} with at most {@code maxPartitions} partitions, used in order. */
    public PartitionModel(Instance instance, int maxPartitions) {
        this.m = new CpSatModel(instance, maxPartitions);
    }

    public CpModel model() {
        return m.model;
    }

    public int maxPartitions() {
        return m.k;
    }

    /** Whether unit {@code u} runs in partition {@code p}. */
    public BoolVar unitIn(int u, int p) {
        return m.x[u][p];
    }

    /** Copies of op {@code op} in partition {@code p} (free when the op has no unit there). */
    public IntVar copies(int op, int p) {
        return m.copies[op][p];
    }

    /** Most copies of an op the model allows. */
    public int maxCopies(OpInfo op) {
        return m.maxCopies(op);
    }

    /** A linear objective: latency (time units), plan-dependent energy (energy units), cells, DRAM bytes. */
    public LinearExpr objective(Objective o) {
        return m.objective(o);
    }

    /** The part of the energy objective that prices in-partition NoC traffic with the instance's mean hop distance. */
    public LinearExpr nocEnergyEstimate() {
        return m.nocEnergy;
    }

    /** The plan a solution describes (empty partitions, which come last, dropped). */
    public Plan plan(Predicate<Literal> isTrue, ToLongFunction<IntVar> valueOf) {
        return m.plan(isTrue, valueOf);
    }
}
