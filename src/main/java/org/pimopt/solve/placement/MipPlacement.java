package org.pimopt.solve.placement;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import java.util.List;
import org.pimopt.PimoptException;
import org.pimopt.hw.Chip;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;
import org.pimopt.solve.mip.MipStrategy;

/**
 * The placement model of {@link CpSatPlacement} as a linear MILP for MPSolver (formulations/
 * placement.md, "MILP"): the same assignment booleans, capacity, copy order and cuts; the absolute
 * row and column differences of each pair become two inequalities each ({@code dr >= row_i - row_j},
 * {@code dr >= row_j - row_i}), tight at the minimum because every weight is positive. Weights are
 * {@link CpSatPlacement#weights}, so both models have the same optimum. When byte-hops are proven
 * optimal and the model is small (as in CP-SAT), a second solve minimizes the most-loaded link
 * among the byte-hop optima with the same linear link-use inequalities.
 */
public final class MipPlacement {
    private MipPlacement() {}

    /** Bytes per unit of the model's integer weights: the model's optimum is byte-hops times this. */
    public static int weightScale() {
        return CpSatPlacement.SCALE;
    }

    /** The model's variables on a solver. */
    private record Vars(MPVariable[][] x, MPObjective objective, MPVariable[] dr, MPVariable[] dc) {}

    private static Vars build(MPSolver solver, PlacementProblem problem) {
        Chip chip = problem.chip();
        int n = problem.items().size();
        int cores = chip.cores();
        double inf = MPSolver.infinity();
        MPVariable[][] x = new MPVariable[n][cores];
        for (int i = 0; i < n; i++) {
            MPConstraint one = solver.makeConstraint(1, 1, "one_i" + i);
            for (int k = 0; k < cores; k++) {
                x[i][k] = solver.makeBoolVar("x_i" + i + "_k" + k);
                one.setCoefficient(x[i][k], 1);
            }
        }
        for (int k = 0; k < cores; k++) {
            MPConstraint cap = solver.makeConstraint(-inf, chip.crossbarsPerCore(), "cap_k" + k);
            for (int i = 0; i < n; i++) {
                cap.setCoefficient(x[i][k], problem.items().get(i).size());
            }
        }
        for (int[] ij : CpSatPlacement.copyOrder(problem)) {
            // core_i <= core_j with core_i = sum_k k x[i,k].
            MPConstraint order = solver.makeConstraint(-inf, 0, "copyorder_i" + ij[0] + "_i" + ij[1]);
            for (int k = 1; k < cores; k++) {
                order.setCoefficient(x[ij[0]][k], k);
                order.setCoefficient(x[ij[1]][k], -k);
            }
        }
        List<PlacementProblem.Pair> pairs = problem.pairs();
        long[] weight = CpSatPlacement.weights(problem);
        MPObjective objective = solver.objective();
        MPConstraint bound = solver.makeConstraint(CpSatPlacement.apartBound(problem, weight), inf, "apartbound");
        MPVariable[] drs = new MPVariable[pairs.size()];
        MPVariable[] dcs = new MPVariable[pairs.size()];
        for (int p = 0; p < pairs.size(); p++) {
            PlacementProblem.Pair pair = pairs.get(p);
            MPVariable dr = solver.makeNumVar(0, chip.meshRows() - 1, "dr_p" + p);
            MPVariable dc = solver.makeNumVar(0, chip.meshCols() - 1, "dc_p" + p);
            drs[p] = dr;
            dcs[p] = dc;
            distance(solver, dr, x[pair.from()], x[pair.to()], problem, true, "dr_p" + p);
            distance(solver, dc, x[pair.from()], x[pair.to()], problem, false, "dc_p" + p);
            objective.setCoefficient(dr, weight[p]);
            objective.setCoefficient(dc, weight[p]);
            bound.setCoefficient(dr, weight[p]);
            bound.setCoefficient(dc, weight[p]);
            if (CpSatPlacement.apart(problem, pair)) {
                MPConstraint cut = solver.makeConstraint(1, inf, "apart_p" + p);
                cut.setCoefficient(dr, 1);
                cut.setCoefficient(dc, 1);
            }
        }
        objective.setMinimization();
        return new Vars(x, objective, drs, dcs);
    }

    /** {@code d >= pos_a - pos_b} and {@code d >= pos_b - pos_a}, positions the row (or column) expressions. */
    private static void distance(MPSolver solver, MPVariable d, MPVariable[] a, MPVariable[] b, PlacementProblem problem,
                                 boolean rows, String name) {
        MPConstraint ab = solver.makeConstraint(0, MPSolver.infinity(), name + "_ab");
        MPConstraint ba = solver.makeConstraint(0, MPSolver.infinity(), name + "_ba");
        ab.setCoefficient(d, 1);
        ba.setCoefficient(d, 1);
        for (int k = 0; k < a.length; k++) {
            int pos = rows ? problem.row(k) : problem.col(k);
            if (pos != 0) {
                ab.setCoefficient(a[k], -pos);
                ab.setCoefficient(b[k], pos);
                ba.setCoefficient(a[k], pos);
                ba.setCoefficient(b[k], -pos);
            }
        }
    }

    /** The model as CPLEX LP ({@code mps} false) or free MPS text; its optimum is byte-hops times {@link CpSatPlacement#SCALE}. */
    public static String export(PlacementProblem problem, boolean mps) {
        MPSolver solver = MipStrategy.createSolver("SCIP");
        try {
            build(solver, problem);
            return mps ? solver.exportModelAsMpsFormat(false, false) : solver.exportModelAsLpFormat(false);
        } finally {
            // Freed here, on this thread: OR-Tools can crash when a finalizer frees a solver.
            solver.delete();
        }
    }

    /** Minimizes byte-hops with SCIP, warm-started from the better baseline; baselines reported as by CP-SAT. */
    public static PlacementResult solve(PlacementProblem problem, SolveOptions options) {
        long start = System.nanoTime();
        Baselines.Both baselines = Baselines.both(problem);
        int[] hint = baselines.better();
        MPSolver solver = MipStrategy.createSolver("SCIP");
        try {
            Vars v = build(solver, problem);
            int n = problem.items().size();
            int cores = problem.chip().cores();
            if (hint != null) {
                setHint(solver, v, hint, n, cores);
            }
            solver.setNumThreads(Math.max(1, options.workers()));
            solver.setSolverSpecificParametersAsString("randomization/randomseedshift = " + Math.floorMod(options.seed(), 1 << 30));
            solver.setTimeLimit(Math.max(1, options.timeoutMillis() - (System.nanoTime() - start) / 1_000_000));
            MPSolverParameters params = new MPSolverParameters();
            params.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
            MPSolver.ResultStatus st = solver.solve(params);
            if (st == MPSolver.ResultStatus.INFEASIBLE) {
                throw new PimoptException("the partition's " + n + " items do not pack into " + cores + " cores");
            }
            int[] best = hint;
            Status status = Status.FEASIBLE;
            double bound = 0;
            String fallback = baselines.betterName();
            if (st == MPSolver.ResultStatus.OPTIMAL || st == MPSolver.ResultStatus.FEASIBLE) {
                fallback = null;
                int[] found = read(v, n, cores);
                if (problem.fits(found) && (best == null || problem.byteHops(found) <= problem.byteHops(best))) {
                    best = found;
                }
                status = st == MPSolver.ResultStatus.OPTIMAL ? Status.OPTIMAL : Status.FEASIBLE;
                // Weights are integers: the proven bound rounds up to one.
                bound = Math.ceil(v.objective.bestBound() - 1e-6) / CpSatPlacement.SCALE;
            }
            if (best == null) {
                throw new PimoptException("no placement found within the time limit");
            }
            boolean linkOptimal = false;
            long deadline = options.deadlineNanos(start);
            if (status == Status.OPTIMAL && (long) problem.pairs().size() * CpSatPlacement.directedLinks(problem.chip())
                    <= CpSatPlacement.LINK_MODEL_LIMIT && System.nanoTime() + CpSatPlacement.MIN_SECONDS * 1e9 < deadline) {
                // Hold byte-hops at their optimum (integer weights), then minimize the most-loaded link.
                long[] weight = CpSatPlacement.weights(problem);
                MPConstraint hold = solver.makeConstraint(-MPSolver.infinity(), modelObjective(problem, best), "holdhops");
                for (int p = 0; p < weight.length; p++) {
                    hold.setCoefficient(v.dr[p], weight[p]);
                    hold.setCoefficient(v.dc[p], weight[p]);
                }
                MPVariable worst = linkModel(solver, problem, v.x, weight);
                MPObjective objective = solver.objective();
                objective.clear();
                objective.setCoefficient(worst, 1);
                objective.setMinimization();
                setHint(solver, v, best, n, cores);
                solver.setTimeLimit(Math.max((long) (CpSatPlacement.MIN_SECONDS * 1000), (deadline - System.nanoTime()) / 1_000_000));
                MPSolver.ResultStatus st2 = solver.solve(params);
                if (st2 == MPSolver.ResultStatus.OPTIMAL || st2 == MPSolver.ResultStatus.FEASIBLE) {
                    int[] found = read(v, n, cores);
                    if (problem.fits(found) && modelObjective(problem, found) <= modelObjective(problem, best)
                            && problem.maxLinkBytes(found) <= problem.maxLinkBytes(best)) {
                        best = found;
                    }
                    linkOptimal = st2 == MPSolver.ResultStatus.OPTIMAL;
                }
            }
            double value = problem.byteHops(best);
            return new PlacementResult(best, status, value, Math.min(value, bound), problem.maxLinkBytes(best), linkOptimal,
                    baselines.firstFitHops(), baselines.snakeHops(), baselines.firstFitMaxLink(),
                    baselines.snakeMaxLink(), (System.nanoTime() - start) / 1_000_000, fallback);
        } finally {
            solver.delete();
        }
    }

    private static void setHint(MPSolver solver, Vars v, int[] coreOf, int n, int cores) {
        MPVariable[] vars = new MPVariable[n * cores];
        double[] values = new double[n * cores];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < cores; k++) {
                vars[i * cores + k] = v.x[i][k];
                values[i * cores + k] = coreOf[i] == k ? 1 : 0;
            }
        }
        solver.setHint(vars, values);
    }

    private static int[] read(Vars v, int n, int cores) {
        int[] found = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < cores; k++) {
                if (v.x[i][k].solutionValue() > 0.5) {
                    found[i] = k;
                }
            }
        }
        return found;
    }

    /**
     * The link loads of CP-SAT's second stage (formulations/placement.md), already linear: with
     * {@code RowIs}, {@code RowLe}, {@code ColIs}, {@code ColLe} sums of x, pair (a, b) uses the east
     * link (r, c)->(r, c+1) when {@code RowIs[a,r] + ColLe[a,c] - ColLe[b,c] = 2} (west, south, north
     * alike), so {@code e >= RowIs[a,r] + ColLe[a,c] - ColLe[b,c] - 1}; each link's weighted uses are at
     * most the returned variable.
     */
    private static MPVariable linkModel(MPSolver solver, PlacementProblem problem, MPVariable[][] x, long[] weight) {
        Chip chip = problem.chip();
        int rows = chip.meshRows();
        int cols = chip.meshCols();
        long total = 0;
        for (long w : weight) {
            total += w;
        }
        MPVariable worst = solver.makeNumVar(0, total, "worstlink");
        List<PlacementProblem.Pair> pairs = problem.pairs();
        // dir 0: east, 1: west (row r, columns c|c+1); 2: south, 3: north (column c, rows r|r+1).
        for (int dir = 0; dir < 4; dir++) {
            boolean horizontal = dir < 2;
            int lines = horizontal ? rows : cols;
            int gaps = horizontal ? cols - 1 : rows - 1;
            for (int line = 0; line < lines; line++) {
                for (int gap = 0; gap < gaps; gap++) {
                    String name = "link" + "EWSN".charAt(dir) + "_" + line + "_" + gap;
                    MPConstraint load = solver.makeConstraint(-MPSolver.infinity(), 0, name);
                    load.setCoefficient(worst, -1);
                    for (int p = 0; p < pairs.size(); p++) {
                        int a = pairs.get(p).from();
                        int b = pairs.get(p).to();
                        // on: the route runs on this line (source's row, or destination's column);
                        // the route crosses the gap when one end is at or before it and the other after.
                        int onItem = horizontal ? a : b;
                        int le = dir == 0 || dir == 2 ? a : b;
                        int notLe = dir == 0 || dir == 2 ? b : a;
                        MPVariable e = solver.makeBoolVar("e_" + name + "_p" + p);
                        MPConstraint use = solver.makeConstraint(-1, MPSolver.infinity(), "use_" + name + "_p" + p);
                        use.setCoefficient(e, 1);
                        for (int k = 0; k < chip.cores(); k++) {
                            int along = horizontal ? problem.row(k) : problem.col(k);
                            int across = horizontal ? problem.col(k) : problem.row(k);
                            // coefficients of x[onItem], x[le], x[notLe] may coincide (same item), so accumulate
                            use.setCoefficient(x[onItem][k], use.getCoefficient(x[onItem][k]) - (along == line ? 1 : 0));
                            use.setCoefficient(x[le][k], use.getCoefficient(x[le][k]) - (across <= gap ? 1 : 0));
                            use.setCoefficient(x[notLe][k], use.getCoefficient(x[notLe][k]) + (across <= gap ? 1 : 0));
                        }
                        load.setCoefficient(e, weight[p]);
                    }
                }
            }
        }
        return worst;
    }

    /** The model's optimum in its own integer units (byte-hops x SCALE) for a placement: what the exported file's optimum equals. */
    public static long modelObjective(PlacementProblem problem, int[] coreOf) {
        long[] weight = CpSatPlacement.weights(problem);
        long sum = 0;
        for (int p = 0; p < weight.length; p++) {
            PlacementProblem.Pair pair = problem.pairs().get(p);
            sum += weight[p] * problem.distance(coreOf[pair.from()], coreOf[pair.to()]);
        }
        return sum;
    }
}
