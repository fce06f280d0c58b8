package org.pimopt.cli;

import java.util.Map;
import org.pimopt.PimoptException;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.placement.Placer;
import org.pimopt.solve.replacement.Replacement;

/**
 * {@code solve --place}'s last step: the best plan's tiles on cores and its write schedule. It
 * never costs the user the partitioning already found: a partition the solver places nothing for
 * in its share keeps a first-fit, snake or packing layout (said in the line), and when placement
 * fails outright (or runs out of memory) the plan is kept without a layout and the line says why.
 */
final class PlaceStep {
    private PlaceStep() {}

    /** The best result, with its layout when placement succeeded, and the line that reports it. */
    record Outcome(SolveResult best, boolean placed, String line) {}

    static Outcome run(Instance instance, SolveResult best, SolveOptions half) {
        try {
            Placer.Placed placed = Placer.place(instance, best.plan(), half);
            Replacement.Result rep = Replacement.solve(instance, best.plan(), placed.tiles(), half);
            Plan withLayout = best.plan().withLayout(rep.layout());
            Validator.check(instance, withLayout);
            SolveResult laidOut = new SolveResult(best.strategy(), withLayout, best.metrics(), best.status(), best.objective(),
                    best.bound(), best.wallMillis(), best.stats(), best.note());
            Map<String, String> m = PlaceCommand.summary(instance, placed, rep);
            String fallbacks = placed.fallbacks();
            String line = "placed: NoC byte-hops " + m.get("byte_hops") + " (first-fit " + baseline(m.get("byte_hops_first_fit"))
                    + ", snake " + baseline(m.get("byte_hops_snake")) + "), " + m.get("placements_optimal")
                    + " placements optimal; batch latency with the write schedule " + m.get("latency_ns")
                    + " ns (see 'pimopt place' for the full tables); the " + best.strategy() + " row is simulated with this layout"
                    + (fallbacks.isEmpty() ? "" : "\nplaced: no placement found within the time limit for " + fallbacks
                    + ", which keep that layout");
            return new Outcome(laidOut, true, line);
        } catch (PimoptException e) {
            return notPlaced(best, e.getMessage());
        } catch (OutOfMemoryError e) {
            return notPlaced(best, "out of memory");
        }
    }

    /** A baseline's byte-hops; NaN when it does not pack some partition. */
    private static String baseline(String hops) {
        return hops.equals("NaN") ? "does not pack every partition" : hops;
    }

    private static Outcome notPlaced(SolveResult best, String why) {
        return new Outcome(best, false, "placed: not placed (" + why + "); the " + best.strategy()
                + " plan is written without a layout ('pimopt place --plan' can place it with more time)");
    }
}
