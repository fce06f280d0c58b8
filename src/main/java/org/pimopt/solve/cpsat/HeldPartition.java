package org.pimopt.solve.cpsat;

import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.Literal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;

/**
 * One partition of a plan in CP-SAT with its unit set held: the families of {@link PartitionCost}
 * (copies, capacity, packing into cores, stages, critical path, write time) with the placement
 * constant, so the copies of the partition's ops are its only decisions. Its latency, energy,
 * cells and DRAM are the partition's own terms: every figure of a plan is a sum over its
 * partitions (formulations/partitioning.md: {@code L = Σ_p (W_p + T_p)}, energy the partitions'
 * sums plus static power over {@code L}), so with the other partitions as the plan has them, this
 * model's optimum is the plan's. What the partition loads, stores, transfers and computes on the
 * vector units does not depend on copies: those counts are the plan's ({@link Instance#profiles}).
 */
final class HeldPartition implements PartitionCost.Placement, PartitionCost.Flows {
    final CpModel model = new CpModel();
    private final Instance instance;
    private final Partition partition;
    private final PartitionProfile profile;
    private final boolean[] unitIn;
    private final boolean[] opIn;
    private final boolean programmed;
    /** Copies per op; null for ops without a unit in the partition. */
    private final IntVar[] copies;
    private final PartitionCost cost;

    /**
     * @param profile    the partition's profile in the plan (its traffic, which copies do not change)
     * @param programmed whether the plan has two partitions or more (weights written every batch)
     */
    HeldPartition(Instance instance, Partition partition, PartitionProfile profile, boolean programmed) {
        this.instance = instance;
        this.partition = partition;
        this.profile = profile;
        this.programmed = programmed;
        unitIn = new boolean[instance.units().size()];
        opIn = new boolean[instance.ops().size()];
        for (int u : partition.units()) {
            unitIn[u] = true;
            opIn[instance.units().get(u).op()] = true;
        }
        cost = new PartitionCost(model, instance, this);
        cost.time(this);
        copies = new IntVar[opIn.length];
        for (int o = 0; o < opIn.length; o++) {
            copies[o] = cost.copies[o][0];
        }
    }

    /** A partition of the plan, priced with the plan's other partitions as they are. */
    static HeldPartition of(Instance instance, Plan plan, int p) {
        return new HeldPartition(instance, plan.partitions().get(p), plan.profiles(instance).get(p),
                plan.partitions().size() > 1);
    }

    /** Whether some op of the partition could have another number of copies. */
    static boolean hasChoice(Instance instance, Partition partition) {
        return partition.units().stream().map(u -> instance.units().get(u).op()).distinct()
                .anyMatch(op -> instance.maxCopies(instance.ops().get(op)) > 1);
    }

    LinearExpr objective(Objective o) {
        return switch (o) {
            case LATENCY -> cost.latency;
            case ENERGY -> cost.energy;
            case WRITES -> cost.cells;
            case DRAM -> cost.dram;
            case EDP -> throw new IllegalArgumentException("edp is not linear");
        };
    }

    /** Holds every op at the copies {@code partition} gives it. */
    void fixCopies(Partition at) {
        for (int o = 0; o < copies.length; o++) {
            if (copies[o] != null) {
                model.addEquality(copies[o], Math.min(at.replicasOf(o), instance.maxCopies(instance.ops().get(o))));
            }
        }
    }

    /** Hints the partition's own copies. */
    void hint() {
        for (int o = 0; o < copies.length; o++) {
            if (copies[o] != null) {
                model.addHint(copies[o], Math.min(partition.replicasOf(o), instance.maxCopies(instance.ops().get(o))));
            }
        }
    }

    /** The partition with the copies of a solution. */
    Partition partition(ToLongFunction<IntVar> valueOf) {
        Map<Integer, Integer> rep = new TreeMap<>();
        for (int o = 0; o < copies.length; o++) {
            if (copies[o] != null && valueOf.applyAsLong(copies[o]) > 1) {
                rep.put(o, (int) valueOf.applyAsLong(copies[o]));
            }
        }
        return new Partition(partition.units(), rep);
    }

    // The placement: constant.

    @Override
    public int partitions() {
        return 1;
    }

    @Override
    public Literal active(int op, int p) {
        return opIn[op] ? model.trueLiteral() : null;
    }

    @Override
    public Literal unitIn(int u, int p) {
        return unitIn[u] ? model.trueLiteral() : model.falseLiteral();
    }

    @Override
    public LinearArgument times(OpInfo op, int p, IntVar copiesVar, ToLongFunction<UnitRef> weight, String name, long cap) {
        long once = 0;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            if (unitIn[u]) {
                once += weight.applyAsLong(instance.units().get(u));
            }
        }
        return LinearExpr.term(copiesVar, once);
    }

    @Override
    public LinearExpr weightBytes(int p) {
        return LinearExpr.constant(profile.weightBytes());
    }

    @Override
    public Literal multi() {
        return programmed ? model.trueLiteral() : model.falseLiteral();
    }

    // The flows: the plan's counts.

    @Override
    public LinearArgument bytesPerSample(int p) {
        return LinearExpr.constant(profile.dramBytesPerSample());
    }

    @Override
    public LinearArgument bytesPerBatch(int p) {
        return LinearExpr.constant(profile.dramBytesPerBatch());
    }

    @Override
    public LinearArgument nocBytes(int p) {
        return LinearExpr.constant(profile.nocBytesPerSample());
    }


    @Override
    public LinearExpr vectorOps(int p) {
        return LinearExpr.constant(profile.vectorOpsPerSample());
    }

    @Override
    public long maxBytesPerSample() {
        // Bounds the on-chip bytes too, as in Traffic.
        return Math.max(profile.dramBytesPerSample(), profile.nocBytesPerSample());
    }


    @Override
    public long maxVectorOps() {
        return profile.vectorOpsPerSample();
    }

    @Override
    public long maxTransferTime() {
        double most = profile.transferOnlyNs();
        for (PartitionProfile.Stage st : profile.stages()) {
            most += st.leadNs() + st.tailNs();
            for (double ns : st.afterNs()) {
                most += ns;
            }
        }
        return CpSatModel.fineTime(most) / CpSatModel.FINE + 1;
    }

    /** The held unit set's dataflow: its stages with the transfers between them as constants (the profile's). */
    @Override
    public void postCriticalPath(int p, LinearExpr[] stageTime, IntVar path, long maxTime) {
        long fine = CpSatModel.FINE;
        List<PartitionProfile.Stage> stages = profile.stages();
        IntVar[] finish = new IntVar[stages.size()];
        model.addGreaterOrEqual(LinearExpr.term(path, fine), CpSatModel.fineTime(profile.transferOnlyNs()));
        for (int i = 0; i < finish.length; i++) {
            PartitionProfile.Stage st = stages.get(i);
            finish[i] = model.newIntVar(0, maxTime, "finish_" + st.op());
            LinearExpr own = stageTime[st.op()];
            model.addGreaterOrEqual(LinearExpr.term(finish[i], fine), LinearExpr.newBuilder().addTerm(own, fine)
                    .add(CpSatModel.fineTime(st.leadNs())).build());
            for (int j = 0; j < st.after().size(); j++) {
                model.addGreaterOrEqual(LinearExpr.term(finish[i], fine), LinearExpr.newBuilder().addTerm(own, fine)
                        .addTerm(finish[st.after().get(j)], fine).add(CpSatModel.fineTime(st.afterNs()[j])).build());
            }
            model.addGreaterOrEqual(LinearExpr.term(path, fine), LinearExpr.newBuilder().addTerm(finish[i], fine)
                    .add(CpSatModel.fineTime(st.tailNs())).build());
        }
    }
}
