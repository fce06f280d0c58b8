package org.pimopt.solve.replacement;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.CumulativeConstraint;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.IntervalVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/**
 * The programming schedule of one steady-state batch period (formulations/replacement.md, part B).
 * Partitions compute one after another for fixed times {@code T_p} (from the cost model); time 0
 * is the start of the previous batch's last partition, and the period is the start of this batch's
 * last partition. Each write job programs one crossbar for partition {@code p}: it starts after the
 * partition that used the crossbar before ({@code q}) has ended (for {@code q >= p}, that was in
 * the previous batch: at {@code T_{K-1}} when q is the last partition, else before time 0) and
 * ends before partition p starts; so writing may overlap the compute of partitions that do not use
 * the crossbar. Resources: at most {@code writeParallelism} crossbars written at once, and DRAM
 * bandwidth ({@link #DRAM_UNITS} units) shared by writes and each partition's activation traffic.
 * A write may run at full speed or at 1/2 or 1/4 of it (2x or 4x longer, using that fraction of
 * its bandwidth), so it can use what compute leaves of DRAM.
 */
public final class WriteSchedule {
    /** DRAM bandwidth in integer units. */
    public static final int DRAM_UNITS = 1000;
    static final int[] SLOWDOWNS = {1, 2, 4};

    private WriteSchedule() {}

    /**
     * One crossbar write for partition {@code phase}; {@code previousUser} the partition that used
     * the crossbar before (cyclically); at full speed it takes {@code durationNs} and {@code dramUnits}.
     */
    public record Job(int phase, int core, int crossbar, int previousUser, long durationNs, int dramUnits) {
        long duration(int mode) {
            return durationNs * SLOWDOWNS[mode];
        }

        int dram(int mode) {
            return (dramUnits + SLOWDOWNS[mode] - 1) / SLOWDOWNS[mode];
        }
    }

    /** What is scheduled: compute times and DRAM use per partition, the jobs, the write parallelism. */
    public record Input(long[] computeNs, int[] ioUnits, List<Job> jobs, int parallelism) {
        int phases() {
            return computeNs.length;
        }

        /** Earliest start a job may have regardless of the schedule. */
        long fixedRelease(Job j, boolean overlap) {
            int k = phases();
            long r = j.previousUser() == k - 1 && j.phase() <= j.previousUser() ? computeNs[k - 1] : 0;
            if (!overlap && j.phase() == 0) {
                r = Math.max(r, computeNs[k - 1]);
            }
            return r;
        }

        long computeSum() {
            long s = 0;
            for (long t : computeNs) {
                s += t;
            }
            return s;
        }
    }

    /** Start of each partition's compute, start and end of each job, the period. */
    public record Result(long[] computeStart, long[] writeStart, long[] writeEnd, long periodNs, Status status) {}

    /**
     * List scheduling: partitions in order; each partition's jobs by release time, longest first,
     * each at the earliest time and fastest speed that the resources allow; the partition starts
     * when its jobs and its predecessor are done.
     */
    public static Result greedy(Input in, boolean overlap) {
        int k = in.phases();
        Profile profile = new Profile();
        profile.add(0, in.computeNs[k - 1], 0, in.ioUnits[k - 1]);
        long[] start = new long[k];
        long[] ws = new long[in.jobs.size()];
        long[] we = new long[in.jobs.size()];
        long prevEnd = in.computeNs[k - 1];
        List<List<Integer>> byPhase = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            byPhase.add(new ArrayList<>());
        }
        for (int j = 0; j < in.jobs.size(); j++) {
            byPhase.get(in.jobs.get(j).phase()).add(j);
        }
        for (int p = 0; p < k; p++) {
            long ready = prevEnd;
            List<Integer> jobs = byPhase.get(p);
            long[] release = new long[in.jobs.size()];
            for (int j : jobs) {
                Job job = in.jobs.get(j);
                long r = in.fixedRelease(job, overlap);
                if (job.previousUser() < p) {
                    r = Math.max(r, start[job.previousUser()] + in.computeNs[job.previousUser()]);
                }
                if (!overlap) {
                    r = Math.max(r, prevEnd);
                }
                release[j] = r;
            }
            jobs.sort((a, b) -> release[a] != release[b] ? Long.compare(release[a], release[b])
                    : Long.compare(in.jobs.get(b).durationNs(), in.jobs.get(a).durationNs()));
            for (int j : jobs) {
                Job job = in.jobs.get(j);
                long bestEnd = Long.MAX_VALUE;
                long bestStart = 0;
                int bestMode = 0;
                for (int m = 0; m < SLOWDOWNS.length; m++) {
                    long t = profile.earliest(release[j], job.duration(m), 1, job.dram(m), in.parallelism, DRAM_UNITS);
                    if (t + job.duration(m) < bestEnd) {
                        bestEnd = t + job.duration(m);
                        bestStart = t;
                        bestMode = m;
                    }
                }
                profile.add(bestStart, bestEnd, 1, job.dram(bestMode));
                ws[j] = bestStart;
                we[j] = bestEnd;
                ready = Math.max(ready, bestEnd);
            }
            start[p] = ready;
            profile.add(start[p], start[p] + in.computeNs[p], 0, in.ioUnits[p]);
            prevEnd = start[p] + in.computeNs[p];
        }
        return new Result(start, ws, we, start[k - 1], Status.FEASIBLE);
    }

    /**
     * The schedule with CP-SAT: interval variables per job and speed, cumulative write parallelism
     * and DRAM, no overlap per crossbar; minimizes the period, starting from {@code hint}.
     */
    public static Result cpsat(Input in, boolean overlap, Result hint, SolveOptions options, double seconds) {
        Loader.loadNativeLibraries();
        int k = in.phases();
        long horizon = hint.periodNs();
        CpModel model = new CpModel();
        IntVar[] s = new IntVar[k];
        CumulativeConstraint dram = model.addCumulative(DRAM_UNITS);
        CumulativeConstraint writers = model.addCumulative(in.parallelism);
        dram.addDemand(model.newFixedInterval(0, in.computeNs[k - 1], ""), in.ioUnits[k - 1]);
        for (int p = 0; p < k; p++) {
            s[p] = model.newIntVar(p == 0 ? in.computeNs[k - 1] : 0, horizon, "S" + p);
            if (p > 0) {
                model.addGreaterOrEqual(LinearExpr.newBuilder().add(s[p]).addTerm(s[p - 1], -1).build(), in.computeNs[p - 1]);
            }
            if (p < k - 1) {
                dram.addDemand(model.newFixedSizeIntervalVar(s[p], in.computeNs[p], "C" + p), in.ioUnits[p]);
            }
        }
        int n = in.jobs.size();
        IntVar[] start = new IntVar[n];
        BoolVar[][] mode = new BoolVar[n][SLOWDOWNS.length];
        LinearExpr[] end = new LinearExpr[n];
        Map<Long, List<IntervalVar>> byCrossbar = new HashMap<>();
        for (int j = 0; j < n; j++) {
            Job job = in.jobs.get(j);
            start[j] = model.newIntVar(in.fixedRelease(job, overlap), horizon, "w" + j);
            LinearExprBuilder e = LinearExpr.newBuilder().add(start[j]);
            for (int m = 0; m < SLOWDOWNS.length; m++) {
                mode[j][m] = model.newBoolVar("");
                IntervalVar iv = model.newOptionalFixedSizeIntervalVar(start[j], job.duration(m), mode[j][m], "");
                dram.addDemand(iv, job.dram(m));
                writers.addDemand(iv, 1);
                byCrossbar.computeIfAbsent(((long) job.core() << 32) | job.crossbar(), x -> new ArrayList<>()).add(iv);
                e.addTerm(mode[j][m], job.duration(m));
            }
            model.addExactlyOne(mode[j]);
            end[j] = e.build();
            model.addLessOrEqual(end[j], s[job.phase()]);
            int q = job.previousUser();
            if (q < job.phase()) {
                model.addGreaterOrEqual(LinearExpr.newBuilder().add(start[j]).addTerm(s[q], -1).build(), in.computeNs[q]);
            }
            if (!overlap && job.phase() > 0) {
                int p = job.phase() - 1;
                model.addGreaterOrEqual(LinearExpr.newBuilder().add(start[j]).addTerm(s[p], -1).build(), in.computeNs[p]);
            }
        }
        for (List<IntervalVar> ivs : byCrossbar.values()) {
            if (ivs.size() > SLOWDOWNS.length) {
                model.addNoOverlap(ivs);
            }
        }
        model.minimize(s[k - 1]);
        for (int p = 0; p < k; p++) {
            model.addHint(s[p], hint.computeStart()[p]);
        }
        for (int j = 0; j < n; j++) {
            model.addHint(start[j], hint.writeStart()[j]);
            long d = hint.writeEnd()[j] - hint.writeStart()[j];
            for (int m = 0; m < SLOWDOWNS.length; m++) {
                model.addHint(mode[j][m], in.jobs.get(j).duration(m) == d ? 1 : 0);
            }
        }
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(Math.max(0.05, seconds)).setNumWorkers(Math.max(1, options.workers()))
                .setRandomSeed((int) options.seed()).setCatchSigintSignal(false);
        CpSolverStatus st = solver.solve(model);
        if (st != CpSolverStatus.OPTIMAL && st != CpSolverStatus.FEASIBLE) {
            return hint;
        }
        long[] cs = new long[k];
        for (int p = 0; p < k; p++) {
            cs[p] = solver.value(s[p]);
        }
        long[] ws = new long[n];
        long[] we = new long[n];
        for (int j = 0; j < n; j++) {
            ws[j] = solver.value(start[j]);
            we[j] = ws[j];
            for (int m = 0; m < SLOWDOWNS.length; m++) {
                if (solver.booleanValue(mode[j][m])) {
                    we[j] += in.jobs.get(j).duration(m);
                }
            }
        }
        Result r = new Result(cs, ws, we, cs[k - 1], st == CpSolverStatus.OPTIMAL ? Status.OPTIMAL : Status.FEASIBLE);
        return r.periodNs() <= hint.periodNs() ? r : hint;
    }

    /** A step function of (writers, DRAM units) in use over time. */
    private static final class Profile {
        private final TreeMap<Long, int[]> steps = new TreeMap<>(Map.of(0L, new int[2]));

        void add(long from, long to, int writers, int dram) {
            if (to <= from) {
                return;
            }
            split(from);
            split(to);
            for (int[] v : steps.subMap(from, true, to, false).values()) {
                v[0] += writers;
                v[1] += dram;
            }
        }

        private void split(long t) {
            if (!steps.containsKey(t)) {
                steps.put(t, steps.floorEntry(t).getValue().clone());
            }
        }

        /** Earliest time >= release at which [t, t+d) has room for the demand. */
        long earliest(long release, long d, int writers, int dram, int maxWriters, int maxDram) {
            long t = release;
            while (true) {
                long blocked = -1;
                Long from = steps.floorKey(t);
                for (Map.Entry<Long, int[]> e : steps.subMap(from, true, t + d, false).entrySet()) {
                    int[] v = e.getValue();
                    if (v[0] + writers > maxWriters || v[1] + dram > maxDram) {
                        blocked = e.getKey();
                    }
                }
                if (blocked < 0) {
                    return t;
                }
                Long next = steps.higherKey(blocked);
                t = next == null ? Math.max(t, blocked) : Math.max(t, next);
            }
        }
    }
}
