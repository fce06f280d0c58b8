package org.pimopt.solve.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/** The programming schedule on small cases, against every integer schedule. */
class WriteScheduleTest {
    static final SolveOptions OPTIONS = new SolveOptions(10_000, 1, 1, line -> {});

    // Three partitions computing 4, 3 and 5 ns; the first and last use 60% and 30% of DRAM.
    static final WriteSchedule.Input CASE = new WriteSchedule.Input(new long[] {4, 3, 5}, new int[] {600, 0, 300}, List.of(
            new WriteSchedule.Job(0, 0, 0, 2, 2, 500),     // after the previous batch's last partition
            new WriteSchedule.Job(1, 0, 1, 2, 3, 400),     // free since the previous batch: may overlap partition 0
            new WriteSchedule.Job(2, 0, 2, 0, 2, 800)),    // after partition 0: may overlap partition 1
            2);

    /** Whether a schedule keeps every rule; its period is computeStart[K-1]. */
    static boolean feasible(WriteSchedule.Input in, long[] s, long[] ws, long[] we, boolean overlap) {
        int k = in.phases();
        if (s[0] < in.computeNs()[k - 1]) {
            return false;
        }
        for (int p = 1; p < k; p++) {
            if (s[p] < s[p - 1] + in.computeNs()[p - 1]) {
                return false;
            }
        }
        long horizon = s[k - 1];
        for (int j = 0; j < in.jobs().size(); j++) {
            WriteSchedule.Job job = in.jobs().get(j);
            int q = job.previousUser();
            long release = q < job.phase() ? s[q] + in.computeNs()[q] : q == k - 1 ? in.computeNs()[k - 1] : 0;
            if (!overlap) {
                release = Math.max(release, job.phase() == 0 ? in.computeNs()[k - 1] : s[job.phase() - 1] + in.computeNs()[job.phase() - 1]);
            }
            long d = we[j] - ws[j];
            if (ws[j] < release || we[j] > s[job.phase()]
                    || (d != job.durationNs() && d != 2 * job.durationNs() && d != 4 * job.durationNs())) {
                return false;
            }
        }
        for (long t = 0; t < horizon; t++) {
            int writers = 0;
            int dram = t < in.computeNs()[k - 1] ? in.ioUnits()[k - 1] : 0;
            for (int p = 0; p < k - 1; p++) {
                if (t >= s[p] && t < s[p] + in.computeNs()[p]) {
                    dram += in.ioUnits()[p];
                }
            }
            for (int j = 0; j < in.jobs().size(); j++) {
                if (t >= ws[j] && t < we[j]) {
                    writers++;
                    WriteSchedule.Job job = in.jobs().get(j);
                    int slow = (int) ((we[j] - ws[j]) / job.durationNs());
                    dram += (job.dramUnits() + slow - 1) / slow;
                }
            }
            if (writers > in.parallelism() || dram > WriteSchedule.DRAM_UNITS) {
                return false;
            }
        }
        return true;
    }

    /** The least period over every integer start and speed of every job (three jobs). */
    static long enumerate(WriteSchedule.Input in, boolean overlap, long horizon) {
        int k = in.phases();
        int n = in.jobs().size();
        long best = Long.MAX_VALUE;
        int[] speeds = {1, 2, 4};
        long[] ws = new long[n];
        long[] we = new long[n];
        long states = 1;
        for (int j = 0; j < n; j++) {
            states *= (horizon + 1) * 3;
        }
        for (long code = 0; code < states; code++) {
            long x = code;
            for (int j = 0; j < n; j++) {
                ws[j] = x % (horizon + 1);
                x /= horizon + 1;
                we[j] = ws[j] + in.jobs().get(j).durationNs() * speeds[(int) (x % 3)];
                x /= 3;
            }
            // Each partition starts as early as its predecessor and its writes allow.
            long[] s = new long[k];
            for (int p = 0; p < k; p++) {
                s[p] = p == 0 ? in.computeNs()[k - 1] : s[p - 1] + in.computeNs()[p - 1];
                for (int j = 0; j < n; j++) {
                    if (in.jobs().get(j).phase() == p) {
                        s[p] = Math.max(s[p], we[j]);
                    }
                }
            }
            if (s[k - 1] < best && feasible(in, s, ws, we, overlap)) {
                best = s[k - 1];
            }
        }
        return best;
    }

    @Test
    void greedySchedulesKeepEveryRule() {
        for (boolean overlap : new boolean[] {false, true}) {
            WriteSchedule.Result g = WriteSchedule.greedy(CASE, overlap);
            assertTrue(feasible(CASE, g.computeStart(), g.writeStart(), g.writeEnd(), overlap));
        }
    }

    @Test
    void cpSatFindsTheLeastPeriodWithAndWithoutOverlap() {
        long horizon = WriteSchedule.greedy(CASE, false).periodNs();
        for (boolean overlap : new boolean[] {false, true}) {
            WriteSchedule.Result hint = WriteSchedule.greedy(CASE, overlap);
            WriteSchedule.Result r = WriteSchedule.cpsat(CASE, overlap, hint, OPTIONS, 10);
            assertEquals(Status.OPTIMAL, r.status());
            assertTrue(feasible(CASE, r.computeStart(), r.writeStart(), r.writeEnd(), overlap));
            assertEquals(enumerate(CASE, overlap, horizon), r.periodNs(), "overlap " + overlap);
        }
    }

    @Test
    void overlapHidesWritesBehindCompute() {
        WriteSchedule.Result none = WriteSchedule.cpsat(CASE, false, WriteSchedule.greedy(CASE, false), OPTIONS, 10);
        WriteSchedule.Result over = WriteSchedule.cpsat(CASE, true, none, OPTIONS, 10);
        // Without overlap: 4 + 3 + the three writes (each at least 2, 3, 2 ns) = at least 14 ns.
        assertTrue(none.periodNs() >= 14);
        assertTrue(over.periodNs() < none.periodNs());
    }
}
