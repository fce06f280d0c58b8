package org.pimopt.solve.placement;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import java.util.List;
import org.pimopt.PimoptException;
import org.pimopt.hw.Chip;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/**
 * Placement of one partition's items on the core mesh with CP-SAT (formulations/placement.md):
 * a boolean per item and core, core capacity, row and column of each item as linear expressions,
 * absolute differences for the Manhattan distance of each communicating pair (at least one when
 * the two items cannot share a core); minimize byte-hops
 * (bytes scaled by {@link #SCALE} and rounded), warm-started from the better baseline. Copies of
 * one unit are interchangeable, so their first items take cores in increasing order. When the
 * byte-hops are proven optimal and the model is small enough, a second solve minimizes the
 * most-loaded link (XY routing) among the byte-hop optima.
 */
public final class CpSatPlacement {
    /** Bytes are scaled by this before rounding to integer weights. */
    static final int SCALE = 64;
    /** Largest pairs x directed links for which the link-load model is built. */
    static final long LINK_MODEL_LIMIT = 40_000;
    /** Least solver time per solve, whatever is left of the budget (a proof on a small model needs it). */
    static final double MIN_SECONDS = 0.25;

    private CpSatPlacement() {}

    public static PlacementResult solve(PlacementProblem problem, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        Baselines.Both baselines = Baselines.both(problem);
        int[] hint = baselines.better();
        String hintName = baselines.betterName();
        if (hint == null) {
            // Neither greedy order packs (a partition that fills the chip, say): start from a packing
            // that only fits, so that the search has a solution and the caller a fallback.
            hint = ExactFit.fromCounts(problem);
            if (hint == null) {
                hint = ExactFit.pack(problem, deadline);
            }
            hintName = hint == null ? null : "exact packing";
        }
        if (hint != null) {
            // The model orders interchangeable copies; a hint that breaks the order is no solution to it.
            hint = copiesInOrder(problem, hint);
        }
        if (hint != null && System.nanoTime() + MIN_SECONDS * 1e9 >= deadline) {
            // No time for the model: the fallback layout, said so through the result.
            return fallback(problem, baselines, hint, hintName, start);
        }

        Loader.loadNativeLibraries();
        Chip chip = problem.chip();
        int n = problem.items().size();
        int cores = chip.cores();
        CpModel model = new CpModel();
        BoolVar[][] x = new BoolVar[n][cores];
        IntVar[] row = new IntVar[n];
        IntVar[] col = new IntVar[n];
        IntVar[] core = new IntVar[n];
        for (int i = 0; i < n; i++) {
            LinearExprBuilder r = LinearExpr.newBuilder();
            LinearExprBuilder c = LinearExpr.newBuilder();
            LinearExprBuilder k = LinearExpr.newBuilder();
            for (int j = 0; j < cores; j++) {
                x[i][j] = model.newBoolVar("x" + i + "_" + j);
                r.addTerm(x[i][j], problem.row(j));
                c.addTerm(x[i][j], problem.col(j));
                k.addTerm(x[i][j], j);
            }
            model.addExactlyOne(x[i]);
            row[i] = model.newIntVar(0, chip.meshRows() - 1, "row" + i);
            col[i] = model.newIntVar(0, chip.meshCols() - 1, "col" + i);
            core[i] = model.newIntVar(0, cores - 1, "core" + i);
            model.addEquality(row[i], r.build());
            model.addEquality(col[i], c.build());
            model.addEquality(core[i], k.build());
        }
        for (int j = 0; j < cores; j++) {
            LinearExprBuilder load = LinearExpr.newBuilder();
            for (int i = 0; i < n; i++) {
                load.addTerm(x[i][j], problem.items().get(i).size());
            }
            model.addLessOrEqual(load.build(), chip.crossbarsPerCore());
        }
        // Interchangeable copies: the first item of copy c+1 sits on a core no lower than copy c's.
        for (int[] ij : copyOrder(problem)) {
            model.addLessOrEqual(core[ij[0]], core[ij[1]]);
        }
        List<PlacementProblem.Pair> pairs = problem.pairs();
        long[] weight = weights(problem);
        LinearExprBuilder hops = LinearExpr.newBuilder();
        for (int p = 0; p < pairs.size(); p++) {
            PlacementProblem.Pair pair = pairs.get(p);
            IntVar dr = model.newIntVar(0, chip.meshRows() - 1, "dr" + p);
            IntVar dc = model.newIntVar(0, chip.meshCols() - 1, "dc" + p);
            model.addAbsEquality(dr, LinearExpr.newBuilder().add(row[pair.from()]).addTerm(row[pair.to()], -1).build());
            model.addAbsEquality(dc, LinearExpr.newBuilder().add(col[pair.from()]).addTerm(col[pair.to()], -1).build());
            hops.addTerm(dr, weight[p]).addTerm(dc, weight[p]);
            if (apart(problem, pair)) {
                // Two items that cannot share a core are at least one hop apart (tightens the bound).
                model.addGreaterOrEqual(LinearExpr.newBuilder().add(dr).add(dc).build(), 1);
            }
        }
        LinearExpr objective = hops.build();
        // The same cuts summed: a lower bound the search knows from the start.
        model.addGreaterOrEqual(objective, apartBound(problem, weight));
        model.minimize(objective);
        if (hint != null) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < cores; j++) {
                    model.addHint(x[i][j], hint[i] == j ? 1 : 0);
                }
            }
        }
        CpSolver solver = solver(options, (deadline - System.nanoTime()) / 1e9);
        CpSolverStatus st = solver.solve(model);
        int[] best = hint;
        Status status = Status.FEASIBLE;
        double bound = 0;
        String fallback = hintName;
        if (st == CpSolverStatus.OPTIMAL || st == CpSolverStatus.FEASIBLE) {
            fallback = null;
            int[] found = read(solver, core);
            if (best == null || problem.byteHops(found) <= problem.byteHops(best)) {
                best = found;
            }
            status = st == CpSolverStatus.OPTIMAL ? Status.OPTIMAL : Status.FEASIBLE;
            bound = solver.bestObjectiveBound() / SCALE;
        } else if (st == CpSolverStatus.INFEASIBLE) {
            throw new PimoptException("the partition's " + n + " items do not pack into " + cores + " cores");
        }
        if (best == null) {
            throw new PimoptException("no placement found within the time limit");
        }
        boolean linkOptimal = false;
        if (status == Status.OPTIMAL && (long) pairs.size() * directedLinks(chip) <= LINK_MODEL_LIMIT
                && System.nanoTime() + MIN_SECONDS * 1e9 < deadline) {
            model.addLessOrEqual(objective, Math.round(solver.objectiveValue()));
            IntVar worst = linkModel(model, problem, x, weight);
            model.minimize(worst);
            model.clearHints();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < cores; j++) {
                    model.addHint(x[i][j], best[i] == j ? 1 : 0);
                }
            }
            CpSolver second = solver(options, (deadline - System.nanoTime()) / 1e9);
            CpSolverStatus st2 = second.solve(model);
            if (st2 == CpSolverStatus.OPTIMAL || st2 == CpSolverStatus.FEASIBLE) {
                int[] found = read(second, core);
                if (problem.maxLinkBytes(found) <= problem.maxLinkBytes(best)) {
                    best = found;
                }
                linkOptimal = st2 == CpSolverStatus.OPTIMAL;
            }
        }
        double value = problem.byteHops(best);
        return new PlacementResult(best, status, value, Math.min(value, bound), problem.maxLinkBytes(best), linkOptimal,
                baselines.firstFitHops(), baselines.snakeHops(), baselines.firstFitMaxLink(),
                baselines.snakeMaxLink(), (System.nanoTime() - start) / 1_000_000, fallback);
    }

    /** The layout {@code coreOf} as the result, unproven, named as the fallback it is. */
    private static PlacementResult fallback(PlacementProblem problem, Baselines.Both baselines, int[] coreOf, String name,
                                            long start) {
        double value = problem.byteHops(coreOf);
        return new PlacementResult(coreOf, Status.FEASIBLE, value, 0, problem.maxLinkBytes(coreOf), false,
                baselines.firstFitHops(), baselines.snakeHops(), baselines.firstFitMaxLink(), baselines.snakeMaxLink(),
                (System.nanoTime() - start) / 1_000_000, name);
    }

    /** Integer weights of the pairs, the objective's coefficients: bytes scaled by {@link #SCALE}, rounded, at least 1. */
    static long[] weights(PlacementProblem problem) {
        long[] weight = new long[problem.pairs().size()];
        for (int p = 0; p < weight.length; p++) {
            weight[p] = Math.max(1, Math.round(problem.pairs().get(p).bytes() * SCALE));
        }
        return weight;
    }

    /** Whether the two items of a pair cannot share a core (their crossbars exceed one core's). */
    static boolean apart(PlacementProblem problem, PlacementProblem.Pair pair) {
        return problem.items().get(pair.from()).size() + problem.items().get(pair.to()).size() > problem.chip().crossbarsPerCore();
    }

    /** Item pairs {i, j}: first items of consecutive copies of one unit (interchangeable, so core_i <= core_j). */
    static List<int[]> copyOrder(PlacementProblem problem) {
        List<int[]> out = new java.util.ArrayList<>();
        int n = problem.items().size();
        for (int i = 0; i < n; i++) {
            PlacementProblem.Item a = problem.items().get(i);
            for (int j = i + 1; j < n; j++) {
                PlacementProblem.Item b = problem.items().get(j);
                if (a.segment() == 0 && b.segment() == 0 && a.unit() == b.unit() && b.copy() == a.copy() + 1) {
                    out.add(new int[] {i, j});
                }
            }
        }
        return out;
    }

    /**
     * The same layout with each unit's copies renamed so that their first items' cores rise with the
     * copy number, as the model's symmetry cuts ({@link #copyOrder}) require. Copies of a unit have
     * the same items and the same traffic, so the byte-hops do not change.
     */
    static int[] copiesInOrder(PlacementProblem problem, int[] coreOf) {
        java.util.Map<Integer, java.util.TreeMap<Integer, List<Integer>>> copies = new java.util.HashMap<>();
        for (int i = 0; i < problem.items().size(); i++) {
            PlacementProblem.Item it = problem.items().get(i);
            copies.computeIfAbsent(it.unit(), u -> new java.util.TreeMap<>())
                    .computeIfAbsent(it.copy(), c -> new java.util.ArrayList<>()).add(i);
        }
        int[] out = coreOf.clone();
        for (java.util.TreeMap<Integer, List<Integer>> byCopy : copies.values()) {
            List<List<Integer>> inOrder = new java.util.ArrayList<>(byCopy.values());
            List<List<Integer>> byCore = new java.util.ArrayList<>(inOrder);
            byCore.sort(java.util.Comparator.comparingInt(items -> coreOf[items.get(0)]));
            for (int c = 0; c < inOrder.size(); c++) {
                List<Integer> to = inOrder.get(c);
                List<Integer> from = byCore.get(c);
                for (int s = 0; s < to.size(); s++) {
                    out[to.get(s)] = coreOf[from.get(s)];
                }
            }
        }
        return out;
    }

    /** Sum of the weights of pairs whose items cannot share a core (each at least one hop). */
    static long apartBound(PlacementProblem problem, long[] weight) {
        long sum = 0;
        for (int p = 0; p < weight.length; p++) {
            if (apart(problem, problem.pairs().get(p))) {
                sum += weight[p];
            }
        }
        return sum;
    }

    private static CpSolver solver(SolveOptions options, double seconds) {
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(MIN_SECONDS, seconds)).setNumWorkers(Math.max(1, options.workers()))
                .setRandomSeed((int) options.seed()).setCatchSigintSignal(false);
        if (System.getenv("PIMOPT_CPSAT_LOG") != null) {
            solver.getParameters().setLogSearchProgress(true);
        }
        return solver;
    }

    private static int[] read(CpSolver solver, IntVar[] core) {
        int[] out = new int[core.length];
        for (int i = 0; i < core.length; i++) {
            out[i] = (int) solver.value(core[i]);
        }
        return out;
    }

    static long directedLinks(Chip chip) {
        return 2L * (chip.meshRows() * (chip.meshCols() - 1L) + chip.meshCols() * (chip.meshRows() - 1L));
    }

    /**
     * Link loads under XY routing: pair (a, b) uses the eastward link (r, c)->(r, c+1) when a is in
     * row r, col(a) <= c and col(b) > c (westward alike), and the southward link (r, c)->(r+1, c)
     * when b is in column c, row(a) <= r and row(b) > r (northward alike). A used-link boolean is
     * bounded below by the conjunction, which is tight at the minimum. Returns the largest load.
     */
    private static IntVar linkModel(CpModel model, PlacementProblem problem, BoolVar[][] x, long[] weight) {
        Chip chip = problem.chip();
        int rows = chip.meshRows();
        int cols = chip.meshCols();
        int n = x.length;
        LinearExpr[][] rowIs = new LinearExpr[n][rows];
        LinearExpr[][] colIs = new LinearExpr[n][cols];
        LinearExpr[][] rowLe = new LinearExpr[n][rows];
        LinearExpr[][] colLe = new LinearExpr[n][cols];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                LinearExprBuilder is = LinearExpr.newBuilder();
                LinearExprBuilder le = LinearExpr.newBuilder();
                for (int k = 0; k < chip.cores(); k++) {
                    if (problem.row(k) == r) {
                        is.add(x[i][k]);
                    }
                    if (problem.row(k) <= r) {
                        le.add(x[i][k]);
                    }
                }
                rowIs[i][r] = is.build();
                rowLe[i][r] = le.build();
            }
            for (int c = 0; c < cols; c++) {
                LinearExprBuilder is = LinearExpr.newBuilder();
                LinearExprBuilder le = LinearExpr.newBuilder();
                for (int k = 0; k < chip.cores(); k++) {
                    if (problem.col(k) == c) {
                        is.add(x[i][k]);
                    }
                    if (problem.col(k) <= c) {
                        le.add(x[i][k]);
                    }
                }
                colIs[i][c] = is.build();
                colLe[i][c] = le.build();
            }
        }
        long total = 0;
        for (long w : weight) {
            total += w;
        }
        IntVar worst = model.newIntVar(0, total, "worstLink");
        List<PlacementProblem.Pair> pairs = problem.pairs();
        // Horizontal links: row r, between columns c and c+1, both directions.
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c + 1 < cols; c++) {
                LinearExprBuilder east = LinearExpr.newBuilder();
                LinearExprBuilder west = LinearExpr.newBuilder();
                for (int p = 0; p < pairs.size(); p++) {
                    int a = pairs.get(p).from();
                    int b = pairs.get(p).to();
                    east.addTerm(uses(model, rowIs[a][r], colLe[a][c], colLe[b][c]), weight[p]);
                    west.addTerm(uses(model, rowIs[a][r], colLe[b][c], colLe[a][c]), weight[p]);
                }
                model.addLessOrEqual(east.build(), worst);
                model.addLessOrEqual(west.build(), worst);
            }
        }
        // Vertical links: column c, between rows r and r+1, on the destination's column.
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r + 1 < rows; r++) {
                LinearExprBuilder south = LinearExpr.newBuilder();
                LinearExprBuilder north = LinearExpr.newBuilder();
                for (int p = 0; p < pairs.size(); p++) {
                    int a = pairs.get(p).from();
                    int b = pairs.get(p).to();
                    south.addTerm(uses(model, colIs[b][c], rowLe[a][r], rowLe[b][r]), weight[p]);
                    north.addTerm(uses(model, colIs[b][c], rowLe[b][r], rowLe[a][r]), weight[p]);
                }
                model.addLessOrEqual(south.build(), worst);
                model.addLessOrEqual(north.build(), worst);
            }
        }
        return worst;
    }

    /** A boolean at least {@code on AND le AND NOT notLe}: the route crosses the link. */
    private static BoolVar uses(CpModel model, LinearExpr on, LinearExpr le, LinearExpr notLe) {
        BoolVar u = model.newBoolVar("");
        // u >= on + le + (1 - notLe) - 2
        model.addGreaterOrEqual(LinearExpr.newBuilder().add(u).add(notLe).addTerm(on, -1).addTerm(le, -1).build(), -1);
        return u;
    }
}
