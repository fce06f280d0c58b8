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
 * resource to {@code b} and then forces {@code end_a <= start_b} (big-M from time windows the model
 * implies; pairs whose order the model fixes need no boolean, pairs it forbids get none); every activity
 * receives exactly its demand and passes on at most its demand. A schedule keeps a cumulative
 * capacity exactly when such a flow exists, so this is exact, and its size does not grow with the
 * time scale (a time-indexed model would, with {@code H} in nanoseconds). The per-crossbar no-overlap
 * is {@code y[a,b] + y[b,a] = 1} for two jobs on one crossbar. A resource whose total possible demand
 * fits its capacity gets no flow.
 */
public final class MipWriteSchedule {
    private MipWriteSchedule() {}

    /** One activity: start and end as variable expressions, its time window, and its demand of both resources. */
    private static final class Activity {
        final String name;
        MPVariable start;              // null: fixed at minStart
        final List<MPVariable> endVars = new ArrayList<>();
        final List<Double> endCoefs = new ArrayList<>();
        long endConst;
        /** Bounds implied by the model (so adding them changes no solution): they prune and tighten the disjunctions. */
        long minStart;
        long maxEnd;
        long minEnd;
        long maxStart;
        /** Demand per resource as variable terms plus a constant; its largest value. */
        final List<Map<MPVariable, Double>> demand = List.of(new HashMap<>(), new HashMap<>());
        final double[] demandConst = new double[2];
        final double[] demandMax = new double[2];

        Activity(String name) {
            this.name = name;
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
        long[] t = in.computeNs();
        // Windows of the compute starts: the chain after the previous batch's last partition, and S_{K-1} <= H.
        long[] es = new long[k];
        long[] ls = new long[k];
        for (int p = 0; p < k; p++) {
            es[p] = p == 0 ? t[k - 1] : es[p - 1] + t[p - 1];
        }
        long[] release = new long[n];
        for (int j = 0; j < n; j++) {
            WriteSchedule.Job job = in.jobs().get(j);
            int p = job.phase();
            long r = in.fixedRelease(job, overlap);
            if (job.previousUser() < p) {
                r = Math.max(r, es[job.previousUser()] + t[job.previousUser()]);
            }
            if (!overlap && p > 0) {
                r = Math.max(r, es[p - 1] + t[p - 1]);
            }
            release[j] = r;
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                if (in.jobs().get(j).phase() == p) {
                    es[p] = Math.max(es[p], release[j] + in.jobs().get(j).duration(0));
                }
            }
            if (p + 1 < k) {
                es[p + 1] = Math.max(es[p + 1], es[p] + t[p]);
            }
        }
        for (int p = k - 1; p >= 0; p--) {
            ls[p] = p == k - 1 ? horizon : ls[p + 1] - t[p];
        }

        MPVariable[] s = new MPVariable[k];
        for (int p = 0; p < k; p++) {
            s[p] = solver.makeIntVar(es[p], Math.max(es[p], ls[p]), "S_p" + p);
            if (p > 0) {
                MPConstraint order = solver.makeConstraint(t[p - 1], inf, "order_p" + p);
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
        previous.endConst = previous.minEnd = previous.maxEnd = t[k - 1];
        previous.demandConst[DRAM] = previous.demandMax[DRAM] = in.ioUnits()[k - 1];
        acts.add(previous);
        int firstCompute = acts.size();
        for (int p = 0; p < k - 1; p++) {
            Activity c = new Activity("C" + p);
            c.start = s[p];
            c.endVars.add(s[p]);
            c.endCoefs.add(1.0);
            c.endConst = t[p];
            c.minStart = es[p];
            c.maxStart = ls[p];
            c.minEnd = es[p] + t[p];
            c.maxEnd = ls[p] + t[p];
            c.demandConst[DRAM] = c.demandMax[DRAM] = in.ioUnits()[p];
            acts.add(c);
        }
        MPVariable[] st = new MPVariable[n];
        MPVariable[][] mode = new MPVariable[n][WriteSchedule.SLOWDOWNS.length];
        int firstJob = acts.size();
        for (int j = 0; j < n; j++) {
            WriteSchedule.Job job = in.jobs().get(j);
            int phase = job.phase();
            long latest = Math.max(release[j], ls[phase] - job.duration(0));
            st[j] = solver.makeIntVar(release[j], latest, "w_j" + j);
            Activity a = new Activity("w" + j);
            a.start = st[j];
            a.endVars.add(st[j]);
            a.endCoefs.add(1.0);
            a.minStart = release[j];
            a.maxStart = latest;
            a.minEnd = release[j] + job.duration(0);
            a.maxEnd = ls[phase];
            MPConstraint one = solver.makeConstraint(1, 1, "speed_j" + j);
            // Ends before its partition: st + sum_m d_m mode_m <= S_p.
            MPConstraint before = solver.makeConstraint(-inf, 0, "beforeuse_j" + j);
            before.setCoefficient(st[j], 1);
            before.setCoefficient(s[phase], -1);
            a.demandConst[WRITERS] = a.demandMax[WRITERS] = 1;
            for (int m = 0; m < WriteSchedule.SLOWDOWNS.length; m++) {
                mode[j][m] = solver.makeBoolVar("m_j" + j + "_s" + WriteSchedule.SLOWDOWNS[m]);
                one.setCoefficient(mode[j][m], 1);
                before.setCoefficient(mode[j][m], job.duration(m));
                a.endVars.add(mode[j][m]);
                a.endCoefs.add((double) job.duration(m));
                a.demand.get(DRAM).put(mode[j][m], (double) job.dram(m));
                a.demandMax[DRAM] = Math.max(a.demandMax[DRAM], job.dram(m));
            }
            int q = job.previousUser();
            if (q < phase) {
                after(solver, st[j], s[q], t[q], "afteruse_j" + j);
            }
            if (!overlap && phase > 0) {
                after(solver, st[j], s[phase - 1], t[phase - 1], "nooverlap_j" + j);
            }
            acts.add(a);
        }
        int m = acts.size();
        // Which activity surely ends before which starts: by the model's order constraints or by the windows.
        boolean[][] always = new boolean[m][m];
        for (int a = 1; a < m; a++) {
            for (int b = 1; b < m; b++) {
                always[a][b] = a != b && acts.get(a).maxEnd <= acts.get(b).minStart;
            }
        }
        for (int p = 0; p < k - 1; p++) {
            for (int r = p + 1; r < k - 1; r++) {
                always[firstCompute + p][firstCompute + r] = true;
            }
        }
        for (int j = 0; j < n; j++) {
            WriteSchedule.Job job = in.jobs().get(j);
            for (int p = job.phase(); p < k - 1; p++) {
                always[firstJob + j][firstCompute + p] = true;   // written before its partition, so before later ones
            }
            int last = Math.max(job.previousUser() < job.phase() ? job.previousUser() : -1, overlap ? -1 : job.phase() - 1);
            for (int r = 0; r <= last && r < k - 1; r++) {
                always[firstCompute + r][firstJob + j] = true;   // starts after that partition ends, so after earlier ones
            }
        }
        boolean[] flows = new boolean[2];
        for (int r = 0; r < 2; r++) {
            double total = 0;
            for (int a = 1; a < m; a++) {
                total += acts.get(a).demandMax[r];
            }
            flows[r] = total > source.demandMax[r];
        }
        Map<Long, MPVariable> y = new HashMap<>();
        for (int a = 1; a < m; a++) {
            for (int b = 1; b < m; b++) {
                if (a != b && !always[a][b] && possible(acts, always, a, b)
                        && (flows[WRITERS] && both(acts, a, b, WRITERS) || flows[DRAM] && both(acts, a, b, DRAM))) {
                    y.put(key(a, b), precedence(solver, acts.get(a), acts.get(b)));
                }
            }
        }
        // No overlap per crossbar: one of two jobs on it precedes the other.
        Map<Long, List<Integer>> byCrossbar = new HashMap<>();
        for (int j = 0; j < n; j++) {
            WriteSchedule.Job job = in.jobs().get(j);
            byCrossbar.computeIfAbsent(((long) job.core() << 32) | job.crossbar(), x -> new ArrayList<>()).add(firstJob + j);
        }
        for (List<Integer> jobs : byCrossbar.values()) {
            for (int i = 0; i < jobs.size(); i++) {
                for (int u = i + 1; u < jobs.size(); u++) {
                    int a = jobs.get(i);
                    int b = jobs.get(u);
                    if (always[a][b] || always[b][a]) {
                        continue;
                    }
                    MPConstraint either = solver.makeConstraint(1, 1, "crossbar_" + acts.get(a).name + "_" + acts.get(b).name);
                    if (possible(acts, always, a, b)) {
                        either.setCoefficient(y.computeIfAbsent(key(a, b), x -> precedence(solver, acts.get(a), acts.get(b))), 1);
                    }
                    if (possible(acts, always, b, a)) {
                        either.setCoefficient(y.computeIfAbsent(key(b, a), x -> precedence(solver, acts.get(b), acts.get(a))), 1);
                    }
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
                resourceFlow(solver, acts, always, y, r);
            }
        }
        solver.objective().setCoefficient(s[k - 1], 1);
        solver.objective().setMinimization();
        return new Vars(s, st, mode);
    }

    /** Whether {@code a} can end before {@code b} starts: not the reverse of a sure order, and the windows allow it. */
    private static boolean possible(List<Activity> acts, boolean[][] always, int a, int b) {
        return !always[b][a] && acts.get(a).minEnd <= acts.get(b).maxStart;
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

    /**
     * A boolean y with {@code y = 1 => end_a <= start_b}: {@code start_b - end_a >= -M (1 - y)}, with
     * {@code M = maxEnd_a - minStart_b} from the windows (the least big-M that is always valid).
     */
    private static MPVariable precedence(MPSolver solver, Activity a, Activity b) {
        MPVariable y = solver.makeBoolVar("y_" + a.name + "_" + b.name);
        double bigM = Math.max(0, a.maxEnd - b.minStart);
        double constant = (b.start == null ? b.minStart : 0) - a.endConst;
        // start_b - end_a - M y >= -M  <=>  vars(start_b) - vars(end_a) - M y >= -M - constant
        MPConstraint c = solver.makeConstraint(-bigM - constant, MPSolver.infinity(), "prec_" + a.name + "_" + b.name);
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
     * source and along sure orders, no y); inflow of every activity = its demand; outflow <= its demand
     * (the source's: the capacity).
     */
    private static void resourceFlow(MPSolver solver, List<Activity> acts, boolean[][] always, Map<Long, MPVariable> y, int r) {
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
                for (Map.Entry<MPVariable, Double> e : act.demand.get(r).entrySet()) {
                    in[a].setCoefficient(e.getKey(), -e.getValue());
                }
            }
            out[a] = solver.makeConstraint(-inf, act.demandConst[r], res + "_out_" + act.name);
            for (Map.Entry<MPVariable, Double> e : act.demand.get(r).entrySet()) {
                out[a].setCoefficient(e.getKey(), -e.getValue());
            }
        }
        for (int a = 0; a < m; a++) {
            for (int b = 1; b < m; b++) {
                if (a == b || in[b] == null || out[a] == null) {
                    continue;
                }
                double cap = Math.min(acts.get(a).demandMax[r], acts.get(b).demandMax[r]);
                MPVariable link = a == 0 || always[a][b] ? null : y.get(key(a, b));
                if (a > 0 && !always[a][b] && link == null) {
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
