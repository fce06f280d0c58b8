package org.pimopt.solve.cpsat;

import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One CP-SAT call and where its time went. CP-SAT looks at its time limit only between presolve
 * steps, and one step can run far past it (the hint completion of vit-b16's EDP model on
 * compass-s, one worker: dominance detection alone took 20 s of a 5 s limit), so callers size a
 * call by the model's presolve ({@link SearchTime}) and record here what it took: the stats
 * show where a run's time went.
 *
 * @param presolveMs from the call to the end of presolve (the model handed over included), or
 *                   -1 when presolve did not end
 */
record TimedSolve(CpSolverStatus status, double limitSeconds, long wallMs, long presolveMs) {

    /**
     * Runs {@code solver} (its parameters set by the caller) on {@code model}; a set
     * {@code cancelled} flag stops the search at the next log line (stopSearch is only safe while
     * the solver runs, so it is called from its own callbacks).
     */
    static TimedSolve run(CpSolver solver, CpModel model, CpSolverSolutionCallback callback, AtomicBoolean cancelled) {
        long start = System.nanoTime();
        long[] presolved = {-1};
        // The log is read for the end of presolve, not shown: the user's terminal gets pimopt's own
        // lines (PIMOPT_CPSAT_LOG set shows it, as for placement, to debug a model).
        solver.getParameters().setLogSearchProgress(true).setLogToStdout(System.getenv("PIMOPT_CPSAT_LOG") != null)
                .setCatchSigintSignal(false);
        solver.setLogCallback(line -> {
            if (presolved[0] < 0 && (line.contains("Presolved optimization model") || line.contains("Stopped after presolve")
                    || line.contains("Presolved satisfaction model"))) {
                presolved[0] = (System.nanoTime() - start) / 1_000_000;
            }
            if (cancelled != null && cancelled.get()) {
                solver.stopSearch();
            }
        });
        CpSolverStatus status = callback == null ? solver.solve(model) : solver.solve(model, callback);
        return new TimedSolve(status, solver.getParameters().getMaxTimeInSeconds(), (System.nanoTime() - start) / 1_000_000,
                presolved[0]);
    }

    /** The figures as stats entries, each name prefixed by {@code what}. */
    void putInto(Map<String, Object> stats, String what) {
        stats.put(what + "Ms", wallMs);
        stats.put(what + "LimitMs", Math.round(limitSeconds * 1000));
        if (presolveMs >= 0) {
            stats.put(what + "PresolveMs", presolveMs);
        }
    }
}
