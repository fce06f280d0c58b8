package org.pimopt.solve.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ortools.Loader;
import com.google.ortools.modelbuilder.ModelBuilder;
import com.google.ortools.modelbuilder.ModelSolver;
import com.google.ortools.modelbuilder.SolveStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.solve.Status;

/** The MILP (resource-flow) schedule reaches the same least period as CP-SAT and as enumeration. */
class MipWriteScheduleTest {

    // One crossbar written for all three partitions in turn (disjunctions), one writer at a time,
    // partition 1 using half of DRAM.
    static final WriteSchedule.Input ONE_CROSSBAR = new WriteSchedule.Input(new long[] {3, 2, 4}, new int[] {0, 500, 0}, List.of(
            new WriteSchedule.Job(0, 0, 0, 2, 2, 300),
            new WriteSchedule.Job(1, 0, 0, 0, 2, 700),
            new WriteSchedule.Job(2, 0, 0, 1, 3, 600)),
            1);

    @Test
    void milpMatchesCpSatAndEnumerationWithAndWithoutOverlap() {
        for (WriteSchedule.Input in : List.of(WriteScheduleTest.CASE, ONE_CROSSBAR)) {
            long horizon = WriteSchedule.greedy(in, false).periodNs();
            for (boolean overlap : new boolean[] {false, true}) {
                WriteSchedule.Result hint = WriteSchedule.greedy(in, overlap);
                WriteSchedule.Result cp = WriteSchedule.cpsat(in, overlap, hint, WriteScheduleTest.OPTIONS, 10);
                WriteSchedule.Result mip = MipWriteSchedule.solve(in, overlap, hint, WriteScheduleTest.OPTIONS, 10);
                assertEquals(Status.OPTIMAL, mip.status(), "overlap " + overlap);
                assertTrue(WriteScheduleTest.feasible(in, mip.computeStart(), mip.writeStart(), mip.writeEnd(), overlap));
                assertEquals(cp.periodNs(), mip.periodNs(), "overlap " + overlap);
                assertEquals(WriteScheduleTest.enumerate(in, overlap, horizon), mip.periodNs(), "overlap " + overlap);
            }
        }
    }

    @Test
    void exportedMpsFilesSolveToTheCpSatPeriod() {
        Loader.loadNativeLibraries();
        for (WriteSchedule.Input in : List.of(WriteScheduleTest.CASE, ONE_CROSSBAR)) {
            WriteSchedule.Result hint = WriteSchedule.greedy(in, false);
            for (boolean overlap : new boolean[] {false, true}) {
                WriteSchedule.Result cp = WriteSchedule.cpsat(in, overlap, hint, WriteScheduleTest.OPTIONS, 10);
                ModelBuilder read = new ModelBuilder();
                assertTrue(read.importFromMpsString(MipWriteSchedule.export(in, overlap, hint.periodNs(), true)));
                ModelSolver scip = new ModelSolver("SCIP");
                assertEquals(SolveStatus.OPTIMAL, scip.solve(read));
                assertEquals(cp.periodNs(), scip.getObjectiveValue(), 1e-6, "overlap " + overlap);
            }
        }
    }

    @Test
    void theSecondCaseNeedsItsDisjunctionsAndItsDram() {
        // Without overlap the three writes and two computes run back to back: 3 + 2 + (2 + 2 + 3) at least.
        WriteSchedule.Result none = MipWriteSchedule.solve(ONE_CROSSBAR, false, WriteSchedule.greedy(ONE_CROSSBAR, false),
                WriteScheduleTest.OPTIONS, 10);
        assertTrue(none.periodNs() >= 12, "period " + none.periodNs());
    }
}
