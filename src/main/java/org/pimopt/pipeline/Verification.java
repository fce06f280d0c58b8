package org.pimopt.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.registry.Strategies;
import org.pimopt.verify.ClaimCheck;

/**
 * The verify stage: an OPTIMAL re-checked by other means ({@link ClaimCheck}). {@code solve --verify}
 * and {@code bench --verify} check different claims in different time, so each has its rule here,
 * side by side, over the same check.
 */
public final class Verification {
    private Verification() {}

    /**
     * {@code solve --verify}: every OPTIMAL with a plan, whoever claimed it (the user asked about this
     * run's answers), each in an equal share of {@code millis}, at least half a second.
     */
    public static Map<String, ClaimCheck.Report> everyOptimal(Instance instance, List<SolveResult> results, long millis,
                                                              int workers) {
        List<SolveResult> claims = results.stream().filter(r -> r != null && r.status() == Status.OPTIMAL && r.plan() != null)
                .toList();
        Map<String, ClaimCheck.Report> out = new LinkedHashMap<>();
        for (SolveResult r : claims) {
            out.put(r.strategy(), ClaimCheck.of(instance, r, Math.max(0.5, millis / 1000.0 / claims.size()), workers));
        }
        return out;
    }

    /**
     * {@code bench --verify}: the verdict on an exact engine's (or dp-lattice's) OPTIMAL, by name;
     * empty for any other result (a heuristic's OPTIMAL is a bound it met, not a proof to audit);
     * ERROR when the check itself fails, so one bad case does not end the run.
     */
    public static String verdictOfProof(Instance instance, SolveResult r, double seconds, int workers) {
        if (r.status() != Status.OPTIMAL || r.plan() == null
                || !(Strategies.isExact(r.strategy()) || r.strategy().equals("dp-lattice"))) {
            return "";
        }
        try {
            return ClaimCheck.of(instance, r, seconds, workers).verdict().name();
        } catch (RuntimeException | OutOfMemoryError e) {
            return "ERROR";
        }
    }
}
