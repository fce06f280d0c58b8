package org.pimopt.solve;

import java.util.Arrays;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.hw.Chip;
import org.pimopt.problem.Instance;

/**
 * Bounds below which no plan of an instance can go, whatever its partitions, order or replication,
 * for the cost model of DESIGN section 5. They let a strategy state a gap against every plan, not
 * only against the plans its own model covers.
 *
 * <p>The argument, for latency: a partition computing {@code T_p >= B * S_o} for each of its ops
 * (the fill holds every stage once, the steady state the slowest stage {@code B-1} more times)
 * occupies {@code r_o * X_o} crossbars for op {@code o} during {@code T_p}; with
 * {@code S_o = ceil(N_o / r_o) * t_mvm} and {@code sum_o r_o X_o <= C}:
 * {@code C * T_p >= B * t_mvm * sum_o N_o X_o}. Summed over partitions, the work of every op's
 * units counts once: {@code sum_p T_p >= B * t_mvm * (crossbar MVMs per sample) / C}. When one copy
 * of the network cannot fit on the chip every plan has two partitions or more and reprograms each
 * unit at least once per batch: {@code sum_p W_p >= max(rows * t_row / P, weight bytes / DRAM BW)},
 * since {@code W_p} is the larger of the two sums' terms.
 */
public final class LowerBound {
    private LowerBound() {}

    /**
     * What an engine may state about its result: the better of its own proven bound (over the
     * plans its model covers; null when it proved none) and {@link #of} for the goal's primary
     * objective, never above the objective it found; and whether that bound alone settles
     * optimality over every plan. For a lexicographic goal it never does: the bound speaks of
     * the first objective only.
     */
    public record Claim(double bound, boolean provesOptimal) {}

    public static Claim claim(Instance instance, Double engineBound, double objectiveValue) {
        Goal goal = instance.goal();
        double everyPlan = of(instance, goal.primary());
        double bound = engineBound == null ? everyPlan : Math.max(engineBound, everyPlan);
        boolean settled = goal.objectives().size() == 1 && Goal.compare(objectiveValue, everyPlan) <= 0;
        return new Claim(Math.min(bound, objectiveValue), settled);
    }

    /** The bound of the goal's objective {@code o} for the instance. */
    public static double of(Instance instance, Objective objective) {
        Chip chip = instance.chip();
        int batch = instance.batch();
        PartitionProfile whole = wholeNetwork(instance);
        boolean reprogram = !instance.tiling().fitsOnChip();
        double computeNs = (double) batch * chip.mvmLatencyNs() * whole.crossbarMvmsPerSample() / chip.totalCrossbars();
        double writeNs = reprogram ? Math.max(whole.rowsProgrammed() * chip.writeNsPerRow() / chip.writeParallelism(),
                whole.weightBytes() / chip.dramGBps()) : 0;
        double latency = computeNs + writeNs;
        // Network inputs are loaded and outputs stored by every plan; weights are read when reprogrammed.
        double dram = (double) batch * whole.dramBytesPerSample() + whole.dramBytesPerBatch()
                + (reprogram ? whole.weightBytes() : 0);
        double cells = reprogram ? whole.cellsWritten() : 0;
        double energy = (double) batch * whole.crossbarMvmsPerSample() * chip.mvmEnergyPj()
                + (double) batch * whole.vectorOpsPerSample() * chip.vectorPjPerOp()
                + cells * chip.writeEnergyPjPerCell()
                + dram * chip.dramPjPerByte()
                + org.pimopt.cost.CostModel.staticPj(chip, latency);
        return switch (objective) {
            case LATENCY -> latency;
            case ENERGY -> energy;
            case EDP -> (energy / batch) * (latency / batch);
            case WRITES -> cells;
            case DRAM -> dram;
        };
    }

    /** Every unit in one partition with one copy: the plan-independent totals of the network. */
    private static PartitionProfile wholeNetwork(Instance instance) {
        int[] partitionOf = new int[instance.units().size()];
        int[][] replicas = new int[1][instance.ops().size()];
        Arrays.fill(replicas[0], 1);
        return instance.profiles(partitionOf, 1, replicas).get(0);
    }
}
