package org.pimopt.solve.cpsat;

import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.StageGraph;
import org.pimopt.hw.Chip;
import org.pimopt.plan.Plan;
import org.pimopt.problem.OpInfo;

/**
 * Energy-delay product on top of {@link CpSatModel}: {@code prod = Lc * Ec} with
 * {@code sL * Lc >= L} and {@code sE * Ec >= E + E0} ({@code E0}: the energy no plan changes),
 * minimized. The coarse units {@code sL} (time units) and {@code sE} (energy units) keep both factors
 * below 10^9 so the product fits 64 bits; plans no better than the warm start are cut off by
 * capping each factor at the warm EDP over the other's lower bound.
 */
public final class EdpModel {
    static final double FACTOR_LIMIT = 1e9;

    final IntVar product;
    final long timeUnit;
    final long energyUnit;
    /** Relative error the coarse units can add at the optimum: sL / Lmin + sE / Emin. */
    final double coarseError;

    /**
     * @param constantEnergy E0 in model energy units: the warm plan's priced energy minus its model energy
     */
    EdpModel(CpSatModel m, BatchMetrics warm, long constantEnergy) {
        Chip chip = m.instance.chip();
        long mvmTime = Math.round(chip.mvmLatencyNs() * CpSatModel.TIME_SCALE);
        // The longest dependency path with every op at its most copies: every plan's partitions
        // take its ops in order, each partition at least its part of the path.
        List<PartitionProfile.Stage> stages = new ArrayList<>();
        double[] least = new double[m.ops().size()];
        for (OpInfo op : m.ops()) {
            int r = m.maxCopies(op);
            stages.add(new PartitionProfile.Stage(op.index(), op.positions(), r, op.predecessors()));
            least[op.index()] = (double) stages.get(op.index()).stepsPerReplica() * mvmTime;
        }
        double latencyMin = Math.max(1, StageGraph.criticalPath(stages, least));
        double staticPerTime = chip.staticPowerW() * 1e3 * CpSatModel.ENERGY_SCALE / CpSatModel.TIME_SCALE;
        double energyMin = Math.max(1, constantEnergy + staticPerTime * latencyMin);
        double warmL = warm.latencyNs() * CpSatModel.TIME_SCALE;
        double warmE = warm.energy().totalPj() * CpSatModel.ENERGY_SCALE;
        // 2% above the warm start: rounding in the model must not cut the warm plan off.
        double edp = warmL * warmE * 1.02;
        double latencyMax = edp / energyMin;
        double energyMax = edp / latencyMin;
        timeUnit = Math.max(1, (long) Math.ceil(latencyMax / FACTOR_LIMIT));
        energyUnit = Math.max(1, (long) Math.ceil(energyMax / FACTOR_LIMIT));
        coarseError = timeUnit / latencyMin + energyUnit / energyMin;
        long lcMax = (long) Math.ceil(latencyMax / timeUnit) + 1;
        long ecMax = (long) Math.ceil(energyMax / energyUnit) + 1;
        IntVar lc = m.model.newIntVar(0, lcMax, "edp_latency");
        IntVar ec = m.model.newIntVar(0, ecMax, "edp_energy");
        m.model.addGreaterOrEqual(LinearExpr.term(lc, timeUnit), m.latency);
        m.model.addGreaterOrEqual(LinearExpr.term(ec, energyUnit),
                LinearExpr.newBuilder().add(m.energy).add(constantEnergy).build());
        product = m.model.newIntVar(0, lcMax * ecMax, "edp");
        m.model.addMultiplicationEquality(product, lc, ec);
    }

    /**
     * The model value of {@code expr} for a plan: its placement and copies fixed, every auxiliary
     * variable at its least (the objective pushes them there in any optimal solution). The model
     * is left as it was. Its time goes into {@code stats} ({@link TimedSolve}, entries {@code pricing...}).
     */
    static Long valueOf(CpSatModel m, Plan plan, LinearExpr expr, double seconds, Map<String, Object> stats) {
        int before = m.model.getBuilder().getConstraintsCount();
        int[] partOf = plan.partitionOfUnits(m.units().size());
        for (int u = 0; u < m.units().size(); u++) {
            m.model.addEquality(m.x[u][partOf[u]], 1);
        }
        for (int p = 0; p < m.k; p++) {
            for (OpInfo op : m.ops()) {
                int r = p < plan.partitions().size() ? plan.partitions().get(p).replicasOf(op.index()) : 1;
                m.model.addEquality(m.copies[op.index()][p], Math.min(r, m.maxCopies(op)));
            }
        }
        m.model.minimize(expr);
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(0.1, seconds)).setNumWorkers(1).setCatchSigintSignal(false);
        TimedSolve timed = TimedSolve.run(solver, m.model, null, null);
        timed.putInto(stats, "pricing");
        CpSolverStatus status = timed.status();
        while (m.model.getBuilder().getConstraintsCount() > before) {
            m.model.getBuilder().removeConstraints(m.model.getBuilder().getConstraintsCount() - 1);
        }
        m.model.getBuilder().clearObjective();
        return status == CpSolverStatus.OPTIMAL ? Math.round(solver.objectiveValue()) : null;
    }

    /** Largest relative error of CpSatModel's rounded time and energy coefficients on this instance. */
    public static double roundingError(org.pimopt.problem.Instance in) {
        Chip c = in.chip();
        int b = in.batch();
        double t = CpSatModel.TIME_SCALE;
        double e = CpSatModel.ENERGY_SCALE;
        org.pimopt.cost.Rates rates = org.pimopt.cost.Rates.of(c);
        double[] exact = {
            c.mvmLatencyNs() * t, t / c.dramGBps(), c.writeNsPerRow() * t / c.writeParallelism(),
            rates.vectorNsPerOp() * t * CpSatModel.FINE, rates.nocNsPerByte() * t * CpSatModel.FINE,
            rates.nocNsPerTransfer() * t * CpSatModel.FINE,
            c.writeEnergyPjPerCell() * e, b * c.dramPjPerByte() * e, c.dramPjPerByte() * e,
            b * in.averageHops() * c.pjPerByteHop() * e, c.staticPowerW() * 1e3 * e / t,
        };
        double worst = 0;
        for (double v : exact) {
            if (v > 0) {
                worst = Math.max(worst, Math.abs(Math.round(v) - v) / v);
            }
        }
        return worst;
    }
}
