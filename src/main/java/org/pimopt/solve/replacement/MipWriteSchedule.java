package org.pimopt.solve.replacement;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;
import org.pimopt.solve.mip.MipStrategy;

/**
 * The programming schedule of {@link WriteSchedule#cpsat} as a linear MILP for MPSolver
 * (formulations/replacement.md, part B, "MILP"). Same variables for times and speeds; the interval
 * constraints become a <em>resource flow</em>: activities are the write jobs, the compute of
 * partitions {@code 0..K-2}, the previous batch's last partition (fixed on {@code [0, T_{K-1})}) and
 * a source at time 0 holding each resource's capacity. A boolean {@code y[a,b]} lets {@code a} pass
 * resource to {@code b} and then forces {@code end_a <= start_b} (big-M {@code H}); every activity
 * receives exactly its demand and passes on at most its demand. A schedule keeps a cumulative
 * capacity exactly when such a flow exists, so this is exact, and its size does not grow with the
 * time scale (a time-indexed model would, with {@code H} in nanoseconds). The per-crossbar no-overlap
 * is {@code y[a,b] + y[b,a] = 1} for two jobs on one crossbar. A resource whose total possible demand
 * fits its capacity gets no flow.
 */
public final class MipWriteSchedule {
    private MipWriteSchedule() {}

    /** One activity: start and end as variable expressions, and its demand of both resources per speed. */
    private static final class Activity {
        final String name;
        MPVariable start;              // null: fixed at startConst
        long startConst;
        final List<MPVariable> endVars = new ArrayList<>();
        final List<Double> endCoefs = new ArrayList<>();
        long endConst;
        /** Demand per resource as variable terms plus a constant; its largest value. */
        final Map<MPVariable, Double>[] demand;
        final double[] demandConst;
        final double[] demandMax;

        @SuppressWarnings("unchecked")
        Activity(String name) {
            this.name = name;
            demand = new Map[] {new HashMap<>(), new HashMap<>()};
            demandConst = new double[2];
            demandMax = new double[2];
        }
    }

    private static final int WRITERS = 0;
    private static final int DRAM = 1;

    /** The variables of a built model. */
    private record Vars(MPVariable[] computeStart, MPVariable[] writeStart, MPVariable[][] mode) {}

    private static Vars build(MPSolver solver, WriteSchedule.Input in, boolean overlap, long horizon) {
        int k = in.phases();
        int n = in.jobs().size();
        double inf = MPSolver.infinity();
        long maxDuration = 0;
        for (WriteSchedule.Job j : in.jobs()) {
            maxDuration = Math.max(maxDuration, j.duration(WriteSchedule.SLOWDOWNS.length - 1));
        }
        long maxCompute = 0;
        for (long t : in.computeNs()) {
            maxCompute = Math.max(maxCompute, t);
        }
        // No end exceeds horizon + the longest compute or write, no start is below 0.
        double bigM = horizon + maxCompute + maxDuration;

        MPVariable[] s = new MPVariable[k];
        for (int p = 0; p < k; p++) {
            s[p] = solver.makeIntVar(p == 0 ? in.computeNs()[k - 1] : 0, horizon, "S_p" + p);
            if (p > 0) {
                MPConstraint order = solver.makeConstraint(in.computeNs()[p - 1], inf, "order_p" + p);
                order.setCoefficient(s[p], 1);
                order.setCoefficient(s[p - 1], -1);
            }
        }
        List<Activity> acts = new ArrayList<>();
        Activity source = new Activity("src");
        source.demandConst[WRITERS] = source.demandMax[WRITERS] = in.parallelism();
        source.demandConst[DRAM] = source.demandMax[DRAM] = WriteSchedule.DRAM_UNITS;
        acts.add(source);
        Activity previous = new Activity("prev");
        previous.endConst = in.computeNs()[k - 1];
        previous.demandConst[DRAM] = previous.demandMax[DRAM] = in.ioUnits()[k - 1];
        acts.add(previous);
        for (int p = 0; p < k - 1; p++) {
            Activity c = new Activity("C" + p);
            c.start = s[p];
            c.endVars.add(s[p]);
            c.endCoefs.add(1.0);
            c.endConst = in.computeNs()[p];
            c.demandConst[DRAM] = c.demandMax[DRAM] = in.ioUnits()[p];
            acts.add(c);
        }
        MPVariable[] st = new MPVariable[n];
        MPVariable[][] mode = new MPVariable[n][WriteSchedule.SLOWDOWNS.length];
        int firstJob = acts.size();
        for (int j = 0; j < n; j++) {
            WriteSchedule.Job job = in.jobs().get(j);
            st[j] = solver.makeIntVar(in.fixedRelease(job, overlap), horizon, "w_j" + j);
            Activity a = new Activity("w" + j);
            a.start = st[j];
            a.endVars.add(st[j]);
            a.endCoefs.add(1.0);
            MPConstraint one = solver.makeConstraint(1, 1, "speed_j" + j);
            // Ends before its partition: st + sum_m d_m mode_m <= S_p.
            MPConstraint before = solver.makeConstraint(-inf, 0, "beforeuse_j" + j);
            before.setCoefficient(st[j], 1);
            before.setCoefficient(s[job.phase()], -1);
            a.demandConst[WRITERS] = a.demandMax[WRITERS] = 1;
            for (int m = 0; m < WriteSchedule.SLOWDOWNS.length; m++) {
                mode[j][m] = solver.makeBoolVar("m_j" + j + "_s" + WriteSchedule.SLOWDOWNS[m]);
                one.setCoefficient(mode[j][m], 1);
                before.setCoefficient(mode[j][m], job.duration(m));
                a.endVars.add(mode[j][m]);
                a.endCoefs.add((double) job.duration(m));
                a.demand[DRAM].put(mode[j][m], (double) job.dram(m));
                a.demandMax[DRAM] = Math.max(a.demandMax[DRAM], job.dram(m));
            }
            int q = job.previousUser();
            if (q < job.phase()) {
                after(solver, st[j], s[q], in.computeNs()[q], "afteruse_j" + j);
            }
            if (!overlap && job.phase() > 0) {
                int p = job.phase() - 1;
                after(solver, st[j], s[p], in.computeNs()[p], "nooverlap_j" + j);
            }
            acts.add(a);
        }
        boolean[] flows = new boolean[2];
        for (int r = 0; r < 2; r++) {
            double total = 0;
            for (int a = 1; a < acts.size(); a++) {
                total += acts.get(a).demandMax[r];
            }
            flows[r] = total > source.demandMax[r];
        }
        // Crossbar of each job, for the disjunctions.
        Map<Long, List<Integer>> byCrossbar = new HashMap<>();
        for (int j = 0; j < n; j++) {
            WriteSchedule.Job job = in.jobs().get(j);
            byCrossbar.computeIfAbsent(((long) job.core() << 32) | job.crossbar(), x -> new ArrayList<>()).add(firstJob + j);
        }
        Map<Long, MPVariable> y = new HashMap<>();
        int m = acts.size();
        // Nothing precedes the previous batch's partition (index 1, fixed at time 0) but the source.
        for (int a = 1; a < m; a++) {
            for (int b = 2; b < m; b++) {
                if (a != b && (flows[WRITERS] && both(acts, a, b, WRITERS) || flows[DRAM] && both(acts, a, b, DRAM))) {
                    y.put(key(a, b), precedence(solver, acts.get(a), acts.get(b), bigM));
                }
            }
        }
        for (List<Integer> jobs : byCrossbar.values()) {
            for (int i = 0; i < jobs.size(); i++) {
                for (int t = i + 1; t < jobs.size(); t++) {
                    int a = jobs.get(i);
                    int b = jobs.get(t);
                    MPVariable ab = y.computeIfAbsent(key(a, b), x -> precedence(solver, acts.get(a), acts.get(b), bigM));
                    MPVariable ba = y.computeIfAbsent(key(b, a), x -> precedence(solver, acts.get(b), acts.get(a), bigM));
                    MPConstraint either = solver.makeConstraint(1, 1, "crossbar_" + acts.get(a).name + "_" + acts.get(b).name);
                    either.setCoefficient(ab, 1);
                    either.setCoefficient(ba, 1);
                }
            }
        }
        for (int a = 1; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                MPVariable ab = y.get(key(a, b));
                MPVariable ba = y.get(key(b, a));
                if (ab != null && ba != null) {
                    // Two activities of positive length cannot each precede the other.
                    MPConstraint once = solver.makeConstraint(-inf, 1, "once_" + acts.get(a).name + "_" + acts.get(b).name);
                    once.setCoefficient(ab, 1);
                    once.setCoefficient(ba, 1);
                }
            }
        }
        for (int r = 0; r < 2; r++) {
            if (flows[r]) {
                resourceFlow(solver, acts, y, r);
            }
        }
        solver.objective().setCoefficient(s[k - 1], 1);
        solver.objective().setMinimization();
        return new Vars(s, st, mode);
    }

    private static boolean both(List<Activity> acts, int a, int b, int r) {
        return acts.get(a).demandMax[r] > 0 && acts.get(b).demandMax[r] > 0;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | b;
    }

    /** {@code start >= other + length}. */
    private static void after(MPSolver solver, MPVariable start, MPVariable other, long length, String name) {
        MPConstraint c = solver.makeConstraint(length, MPSolver.infinity(), name);
        c.setCoefficient(start, 1);
        c.setCoefficient(other, -1);
    }

    /** A boolean y with {@code y = 1 => end_a <= start_b}: {@code start_b - end_a >= -M (1 - y)}. */
    private static MPVariable precedence(MPSolver solver, Activity a, Activity b, double bigM) {
        MPVariable y = solver.makeBoolVar("y_" + a.name + "_" + b.name);
        double constant = (b.start == null ? b.startConst : 0) - a.endConst;
        MPConstraint c = solver.makeConstraint(-bigM - constant, MPSolver.infinity(), "prec_" + a.name + "_" + b.name);
        // start_b - end_a - M y >= -M - constant
        if (b.start != null) {
            c.setCoefficient(b.start, 1);
        }
        for (int i = 0; i < a.endVars.size(); i++) {
            c.setCoefficient(a.endVars.get(i), c.getCoefficient(a.endVars.get(i)) - a.endCoefs.get(i));
        }
        c.setCoefficient(y, -bigM);
        return y;
    }

    /**
     * Flow of resource {@code r}: {@code f[a,b] <= min(max demand a, max demand b) y[a,b]} (from the
     * source, no y: it ends at 0); inflow of every activity = its demand; outflow <= its demand
     * (the source's: the capacity).
     */
    private static void resourceFlow(MPSolver solver, List<Activity> acts, Map<Long, MPVariable> y, int r) {
        double inf = MPSolver.infinity();
        String res = r == WRITERS ? "wr" : "dram";
        int m = acts.size();
        MPConstraint[] in = new MPConstraint[m];
        MPConstraint[] out = new MPConstraint[m];
        for (int a = 0; a < m; a++) {
            Activity act = acts.get(a);
            if (act.demandMax[r] <= 0) {
                continue;
            }
            if (a > 0) {
                // inflow - demand terms = demand constant
                in[a] = solver.makeConstraint(act.demandConst[r], act.demandConst[r], res + "_in_" + act.name);
                for (Map.Entry<MPVariable, Double> e : act.demand[r].entrySet()) {
                    in[a].setCoefficient(e.getKey(), -e.getValue());
                }
            }
            out[a] = solver.makeConstraint(-inf, act.demandConst[r], res + "_out_" + act.name);
            for (Map.Entry<MPVariable, Double> e : act.demand[r].entrySet()) {
                out[a].setCoefficient(e.getKey(), -e.getValue());
            }
        }
        for (int a = 0; a < m; a++) {
            for (int b = 1; b < m; b++) {
                if (a == b || in[b] == null || out[a] == null) {
                    continue;
                }
                double cap = Math.min(acts.get(a).demandMax[r], acts.get(b).demandMax[r]);
                MPVariable link = a == 0 ? null : y.get(key(a, b));
                if (a > 0 && link == null) {
                    continue;
                }
                MPVariable f = solver.makeNumVar(0, cap, "f" + res + "_" + acts.get(a).name + "_" + acts.get(b).name);
                if (link != null) {
                    MPConstraint c = solver.makeConstraint(-inf, 0, "f" + res + "cap_" + acts.get(a).name + "_" + acts.get(b).name);
                    c.setCoefficient(f, 1);
                    c.setCoefficient(link, -cap);
                }
                in[b].setCoefficient(f, 1);
                out[a].setCoefficient(f, 1);
            }
        }
    }

    /** The model as CPLEX LP ({@code mps} false) or free MPS text; its optimum is the period in ns. */
    public static String export(WriteSchedule.Input in, boolean overlap, long horizon, boolean mps) {
        MPSolver solver = MipStrategy.createSolver("SCIP");
        try {
            build(solver, in, overlap, horizon);
            return mps ? solver.exportModelAsMpsFormat(false, false) : solver.exportModelAsLpFormat(false);
        } finally {
            // Freed here, on this thread: OR-Tools can crash when a finalizer frees a solver.
            solver.delete();
        }
    }

    /** Minimizes the period with SCIP, horizon {@code hint}'s period, warm-started from it; returns the hint when not better. */
    public static WriteSchedule.Result solve(WriteSchedule.Input in, boolean overlap, WriteSchedule.Result hint, SolveOptions options,
                                             double seconds) {
        int k = in.phases();
        int n = in.jobs().size();
        MPSolver solver = MipStrategy.createSolver("SCIP");
        try {
            Vars v = build(solver, in, overlap, hint.periodNs());
            List<MPVariable> hv = new ArrayList<>();
            List<Double> hx = new ArrayList<>();
            for (int p = 0; p < k; p++) {
                hv.add(v.computeStart[p]);
                hx.add((double) hint.computeStart()[p]);
            }
            for (int j = 0; j < n; j++) {
                hv.add(v.writeStart[j]);
                hx.add((double) hint.writeStart()[j]);
                long d = hint.writeEnd()[j] - hint.writeStart()[j];
                for (int m = 0; m < WriteSchedule.SLOWDOWNS.length; m++) {
                    hv.add(v.mode[j][m]);
                    hx.add(in.jobs().get(j).duration(m) == d ? 1.0 : 0.0);
                }
            }
            solver.setHint(hv.toArray(new MPVariable[0]), hx.stream().mapToDouble(Double::doubleValue).toArray());
            solver.setNumThreads(Math.max(1, options.workers()));
            solver.setSolverSpecificParametersAsString("randomization/randomseedshift = " + Math.floorMod(options.seed(), 1 << 30));
            solver.setTimeLimit(Math.max(50, (long) (seconds * 1000)));
            MPSolverParameters params = new MPSolverParameters();
            params.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
            MPSolver.ResultStatus st = solver.solve(params);
            if (st != MPSolver.ResultStatus.OPTIMAL && st != MPSolver.ResultStatus.FEASIBLE) {
                return hint;
            }
            long[] cs = new long[k];
            for (int p = 0; p < k; p++) {
                cs[p] = Math.round(v.computeStart[p].solutionValue());
            }
            long[] ws = new long[n];
            long[] we = new long[n];
            for (int j = 0; j < n; j++) {
                ws[j] = Math.round(v.writeStart[j].solutionValue());
                we[j] = ws[j];
                for (int m = 0; m < WriteSchedule.SLOWDOWNS.length; m++) {
                    if (v.mode[j][m].solutionValue() > 0.5) {
                        we[j] += in.jobs().get(j).duration(m);
                    }
                }
            }
            WriteSchedule.Result r = new WriteSchedule.Result(cs, ws, we, cs[k - 1],
                    st == MPSolver.ResultStatus.OPTIMAL ? Status.OPTIMAL : Status.FEASIBLE);
            return r.periodNs() <= hint.periodNs() ? r : hint;
        } finally {
            solver.delete();
        }
    }
}
