package org.pimopt.solve.cpsat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;

/**
 * The copies check of solve --verify: one partition modelled with its unit set held prices it as
 * the cost model does, and its optimum is the best copies that enumeration finds.
 */
class FixedPartitionsTest {
    /** smallResidual on 2 cores of 8 crossbars, its units cut into three partitions in order. */
    private static Instance instance(String goal) {
        return Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 8), 8, Goal.parse(goal));
    }

    private static Plan threeSpans(Instance in, Map<Integer, Integer> copies) {
        int n = in.units().size();
        List<Partition> parts = new ArrayList<>();
        int[] cuts = {0, n / 3, 2 * n / 3, n};
        for (int p = 0; p < 3; p++) {
            List<Integer> units = new ArrayList<>();
            Map<Integer, Integer> rep = new TreeMap<>();
            for (int u = cuts[p]; u < cuts[p + 1]; u++) {
                units.add(u);
                int op = in.units().get(u).op();
                if (copies.containsKey(op)) {
                    rep.put(op, copies.get(op));
                }
            }
            parts.add(new Partition(units, rep));
        }
        return new Plan(parts);
    }

    /** Each partition's figures in the held model, at the plan's copies, in the model's units. */
    private static long[] heldFigures(Instance in, Plan plan, int p) {
        HeldPartition model = HeldPartition.of(in, plan, p);
        model.fixCopies(plan.partitions().get(p));
        var sum = com.google.ortools.sat.LinearExpr.newBuilder();
        for (Objective o : List.of(Objective.LATENCY, Objective.ENERGY, Objective.WRITES, Objective.DRAM)) {
            sum.add(model.objective(o));
        }
        model.model.minimize(sum);
        CpSolver solver = new CpSolver();
        assertEquals(CpSolverStatus.OPTIMAL, solver.solve(model.model));
        return new long[] {solver.value(model.objective(Objective.LATENCY)), solver.value(model.objective(Objective.ENERGY)),
                solver.value(model.objective(Objective.WRITES)), solver.value(model.objective(Objective.DRAM))};
    }

    @Test
    void thePartitionsHeldAddUpToThePlansPrice() {
        Loader.loadNativeLibraries();
        Instance in = instance("latency");
        Plan plan = threeSpans(in, Map.of(0, 2, 1, 3));
        assertTrue(Validator.violations(in, plan).isEmpty(), Validator.violations(in, plan).toString());
        BatchMetrics priced = plan.evaluate(in);
        long[] sum = new long[4];
        for (int p = 0; p < 3; p++) {
            long[] f = heldFigures(in, plan, p);
            for (int i = 0; i < 4; i++) {
                sum[i] += f[i];
            }
        }
        assertEquals(priced.latencyNs(), sum[0] / (double) CpSatModel.TIME_SCALE, 1e-4 * priced.latencyNs());
        // The model leaves out the energy no plan changes, and rounds its coefficients (static
        // power to whole model units per time unit) as CpSatModel does.
        double varying = priced.energy().totalPj() - in.planIndependentEnergyPj(priced.energy());
        assertEquals(varying, sum[1] / (double) CpSatModel.ENERGY_SCALE, 1e-3 * varying);
        assertEquals(priced.cellsWritten(), sum[2]);
        assertEquals(priced.dramBytes(), sum[3]);
    }

    /** The least latency of every choice of copies with the unit sets held, by enumeration. */
    private static double leastByEnumeration(Instance in, Plan plan) {
        List<Partition> parts = new ArrayList<>(plan.partitions());
        for (int p = 0; p < parts.size(); p++) {
            // Partitions add up and do not share crossbars: each one's best copies alone.
            List<Integer> ops = parts.get(p).units().stream().map(u -> in.units().get(u).op()).distinct().toList();
            Partition best = null;
            double bestLatency = Double.POSITIVE_INFINITY;
            int[] r = new int[ops.size()];
            java.util.Arrays.fill(r, 1);
            while (true) {
                Map<Integer, Integer> rep = new TreeMap<>();
                for (int i = 0; i < r.length; i++) {
                    rep.put(ops.get(i), r[i]);
                }
                List<Partition> tried = new ArrayList<>(parts);
                tried.set(p, new Partition(parts.get(p).units(), rep));
                Plan candidate = new Plan(tried);
                if (Validator.violations(in, candidate).isEmpty() && candidate.evaluate(in).latencyNs() < bestLatency) {
                    bestLatency = candidate.evaluate(in).latencyNs();
                    best = tried.get(p);
                }
                int i = 0;
                while (i < r.length && r[i] == in.maxCopies(in.ops().get(ops.get(i)))) {
                    r[i++] = 1;
                }
                if (i == r.length) {
                    break;
                }
                r[i]++;
            }
            parts.set(p, best);
        }
        return new Plan(parts).evaluate(in).latencyNs();
    }

    @Test
    void fromOneCopyEachItFindsAndProvesTheBestCopiesOfTheseUnitSets() {
        Instance in = instance("latency");
        Plan bare = threeSpans(in, Map.of());
        FixedPartitions.Outcome out = FixedPartitions.resolve(in, bare, Objective.LATENCY, 10, 1);
        assertTrue(out.proven(), "unfinished " + out.unfinished());
        double least = leastByEnumeration(in, bare);
        assertTrue(least < bare.evaluate(in).latencyNs(), "more copies are faster here");
        assertEquals(least, out.metrics().latencyNs(), 1e-9 * least);
        assertFalse(out.changed().isEmpty());
    }

    @Test
    void aPartitionWhoseOpsHaveOneCopyCountIsNotSearched() {
        Instance in = instance("latency");
        Plan bare = threeSpans(in, Map.of());
        FixedPartitions.Outcome out = FixedPartitions.resolve(in, bare, Objective.LATENCY, 10, 1);
        for (int p = 0; p < 3; p++) {
            boolean choice = bare.partitions().get(p).units().stream()
                    .map(u -> in.ops().get(in.units().get(u).op())).anyMatch(op -> in.maxCopies(op) > 1);
            assertEquals(!choice, out.noChoice().contains(p), "partition " + p);
        }
    }

    @Test
    void anEdpSearchNeverReturnsAPlanWorseInEitherFactor() {
        Instance in = instance("edp");
        Plan bare = threeSpans(in, Map.of());
        BatchMetrics before = bare.evaluate(in);
        FixedPartitions.Outcome out = FixedPartitions.resolve(in, bare, Objective.EDP, 10, 1);
        assertTrue(out.proven(), "unfinished " + out.unfinished());
        assertTrue(out.metrics().edp() <= before.edp());
        assertTrue(out.metrics().latencyNs() <= before.latencyNs() || out.metrics().energy().totalPj() <= before.energy().totalPj());
    }
}
