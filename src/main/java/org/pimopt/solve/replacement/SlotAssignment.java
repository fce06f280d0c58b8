package org.pimopt.solve.replacement;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/**
 * Which crossbar of its (placed) core each tile takes, so that tiles stay resident (formulations/
 * replacement.md, part A). A crossbar used by one partition only keeps its tile and is never
 * rewritten in the steady state; one used by m >= 2 partitions is written m times per batch (the
 * tiles of different partitions differ: a plan runs each unit once). With a single partition
 * nothing is rewritten. Solved core by core (cores share nothing here), lexicographically:
 * (1) cells written, (2) rows written into crossbars the previous partition uses (such writes
 * cannot overlap its compute), (3) the most writes of one crossbar.
 */
public final class SlotAssignment {
    /** Partitions whose use of a crossbar orders the crossbars of a core (symmetry breaking). */
    static final int KEY_PHASES = 30;

    private SlotAssignment() {}

    /** Crossbar of every tile (same order as {@code tiles}) and whether every core was solved to optimality. */
    public record Result(int[] crossbar, Status status) {}

    public static Result solve(List<PhaseTile> tiles, int phases, int cores, int crossbarsPerCore, SolveOptions options) {
        int[] slot = new int[tiles.size()];
        for (int t = 0; t < tiles.size(); t++) {
            slot[t] = tiles.get(t).tile().crossbar();
        }
        if (phases == 1) {
            return new Result(slot, Status.OPTIMAL);
        }
        Loader.loadNativeLibraries();
        List<List<Integer>> byCore = new ArrayList<>();
        for (int k = 0; k < cores; k++) {
            byCore.add(new ArrayList<>());
        }
        for (int t = 0; t < tiles.size(); t++) {
            byCore.get(tiles.get(t).tile().core()).add(t);
        }
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        boolean allOptimal = true;
        int busy = (int) byCore.stream().filter(l -> !l.isEmpty()).count();
        int done = 0;
        for (int k = 0; k < cores; k++) {
            if (byCore.get(k).isEmpty()) {
                continue;
            }
            double seconds = Math.max(0.05, (deadline - System.nanoTime()) / 1e9 / (busy - done));
            done++;
            if (allAlike(tiles, byCore.get(k), crossbarsPerCore)) {
                continue;
            }
            if (System.nanoTime() > deadline) {
                // Out of time: the remaining cores keep the crossbars the placement gave their tiles.
                allOptimal = false;
                continue;
            }
            allOptimal &= solveCore(tiles, byCore.get(k), phases, crossbarsPerCore, slot, seconds, options);
        }
        return new Result(slot, allOptimal ? Status.OPTIMAL : Status.FEASIBLE);
    }

    /** Renumbers a core's crossbars in decreasing order of their user key (see the model). */
    private static void sortSlots(List<PhaseTile> tiles, List<Integer> mine, int c, int keyPhases, int[] slot) {
        long[] key = new long[c];
        for (int t : mine) {
            int p = tiles.get(t).phase();
            if (p < keyPhases) {
                key[slot[t]] |= 1L << (keyPhases - 1 - p);
            }
        }
        Integer[] order = new Integer[c];
        for (int s = 0; s < c; s++) {
            order[s] = s;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(key[y], key[x]));
        int[] renamed = new int[c];
        for (int i = 0; i < c; i++) {
            renamed[order[i]] = i;
        }
        for (int t : mine) {
            slot[t] = renamed[slot[t]];
        }
    }

    /**
     * Whether every assignment of the core scores the same: each partition that uses the core uses
     * all of its crossbars, so every crossbar has the same users whatever goes where.
     */
    private static boolean allAlike(List<PhaseTile> tiles, List<Integer> mine, int c) {
        Map<Integer, Integer> perPhase = new HashMap<>();
        for (int t : mine) {
            perPhase.merge(tiles.get(t).phase(), 1, Integer::sum);
        }
        return perPhase.values().stream().allMatch(n -> n == c);
    }

    /**
     * Assigns the tiles of one core; returns whether all three levels were proven optimal. Tiles of
     * one partition with the same rows and cells are interchangeable, so the model decides per
     * class of such tiles which crossbars the class takes ({@code a[g,s]}), then hands them out.
     */
    private static boolean solveCore(List<PhaseTile> tiles, List<Integer> mine, int phases, int c, int[] slot,
                                     double seconds, SolveOptions options) {
        Map<List<Long>, List<Integer>> byClass = new java.util.LinkedHashMap<>();
        for (int t : mine) {
            PhaseTile pt = tiles.get(t);
            byClass.computeIfAbsent(List.of((long) pt.phase(), pt.rows(), pt.cells()), x -> new ArrayList<>()).add(t);
        }
        List<List<Integer>> classes = new ArrayList<>(byClass.values());
        int g = classes.size();
        CpModel model = new CpModel();
        BoolVar[][] a = new BoolVar[g][c];
        LinearExprBuilder[][] use = new LinearExprBuilder[phases][c];
        for (int p = 0; p < phases; p++) {
            for (int s = 0; s < c; s++) {
                use[p][s] = LinearExpr.newBuilder();
            }
        }
        for (int i = 0; i < g; i++) {
            int phase = tiles.get(classes.get(i).get(0)).phase();
            for (int s = 0; s < c; s++) {
                a[i][s] = model.newBoolVar("a" + i + "_" + s);
                use[phase][s].add(a[i][s]);
            }
            model.addEquality(LinearExpr.sum(a[i]), classes.get(i).size());
        }
        BoolVar[][] used = new BoolVar[phases][c];
        BoolVar[] shared = new BoolVar[c];
        IntVar worst = model.newIntVar(0, phases, "worst");
        for (int s = 0; s < c; s++) {
            LinearExprBuilder m = LinearExpr.newBuilder();
            for (int p = 0; p < phases; p++) {
                used[p][s] = model.newBoolVar("u" + p + "_" + s);
                model.addEquality(used[p][s], use[p][s].build());   // at most one tile per crossbar and phase
                m.add(used[p][s]);
            }
            shared[s] = model.newBoolVar("shared" + s);
            LinearExpr users = m.build();
            // Two or more users make the crossbar shared; then each use is a write.
            model.addLessOrEqual(LinearExpr.newBuilder().add(users).addTerm(shared[s], -phases).build(), 1);
            // worst >= users - phases * (1 - shared): a shared crossbar's users are its writes.
            model.addGreaterOrEqual(LinearExpr.newBuilder().add(worst).addTerm(shared[s], -phases)
                    .addTerm(users, -1).build(), -phases);
        }
        // Crossbars of a core are interchangeable: order them by their users (the first KEY_PHASES
        // partitions as binary digits, earliest highest), and permute the hint to match.
        int keyPhases = Math.min(phases, KEY_PHASES);
        for (int s = 1; s < c; s++) {
            LinearExprBuilder k = LinearExpr.newBuilder();
            for (int p = 0; p < keyPhases; p++) {
                k.addTerm(used[p][s - 1], 1L << (keyPhases - 1 - p)).addTerm(used[p][s], -(1L << (keyPhases - 1 - p)));
            }
            model.addGreaterOrEqual(k.build(), 0);
        }
        sortSlots(tiles, mine, c, keyPhases, slot);
        LinearExprBuilder cells = LinearExpr.newBuilder();
        LinearExprBuilder blocked = LinearExpr.newBuilder();
        for (int i = 0; i < g; i++) {
            PhaseTile t = tiles.get(classes.get(i).get(0));
            int prev = (t.phase() - 1 + phases) % phases;
            for (int s = 0; s < c; s++) {
                // A tile of the class on a shared crossbar is written; on one the previous partition uses, blocked.
                BoolVar written = model.newBoolVar("w" + i + "_" + s);
                BoolVar conflict = model.newBoolVar("b" + i + "_" + s);
                model.addGreaterOrEqual(LinearExpr.newBuilder().add(written).addTerm(a[i][s], -1).addTerm(shared[s], -1).build(), -1);
                model.addGreaterOrEqual(LinearExpr.newBuilder().add(conflict).addTerm(a[i][s], -1).addTerm(used[prev][s], -1).build(), -1);
                cells.addTerm(written, t.cells());
                blocked.addTerm(conflict, t.rows());
            }
        }
        hint(model, a, classes, slot, c);
        LinearExpr[] levels = {cells.build(), blocked.build(), LinearExpr.newBuilder().add(worst).build()};
        for (LinearExpr level : levels) {
            model.minimize(level);
            CpSolver solver = new CpSolver();
            solver.getParameters().setMaxTimeInSeconds(seconds / levels.length).setNumWorkers(Math.max(1, options.workers()))
                    .setRandomSeed((int) options.seed()).setCatchSigintSignal(false);
            CpSolverStatus st = solver.solve(model);
            if (st != CpSolverStatus.OPTIMAL && st != CpSolverStatus.FEASIBLE) {
                return false;
            }
            for (int i = 0; i < g; i++) {
                int next = 0;
                for (int s = 0; s < c; s++) {
                    if (solver.booleanValue(a[i][s])) {
                        slot[classes.get(i).get(next++)] = s;
                    }
                }
            }
            model.clearHints();
            hint(model, a, classes, slot, c);
            if (st != CpSolverStatus.OPTIMAL) {
                return false;
            }
            model.addLessOrEqual(level, Math.round(solver.objectiveValue()));
        }
        return true;
    }

    private static void hint(CpModel model, BoolVar[][] a, List<List<Integer>> classes, int[] slot, int c) {
        for (int i = 0; i < classes.size(); i++) {
            boolean[] on = new boolean[c];
            for (int t : classes.get(i)) {
                on[slot[t]] = true;
            }
            for (int s = 0; s < c; s++) {
                model.addHint(a[i][s], on[s] ? 1 : 0);
            }
        }
    }
}
