package org.pimopt.pipeline;

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
 * Placement of a solved plan: {@code pimopt place}'s whole work ({@link #layOut}) and {@code solve
 * --place}'s last step ({@link #run}): the best plan's tiles on cores and its write schedule. It
 * never costs the user the partitioning already found: a partition the solver places nothing for
 * in its share keeps a first-fit, snake or packing layout (said in the line), and when placement
 * fails outright (or runs out of memory) the plan is kept without a layout and the line says why.
 */
public final class PlaceStep {
    private PlaceStep() {}

    /** The best result, with its layout when placement succeeded, and the line that reports it. */
    public record Outcome(SolveResult best, boolean placed, String line) {}

    /** A plan with its tiles on cores and its write schedule: the layout, and how each half of the work went. */
    public record LaidOut(Plan plan, Placer.Placed placed, Replacement.Result replacement) {}

    /**
     * Tiles on cores ({@link Placer}), then the write schedule ({@link Replacement}), each in the
     * budget of {@code half}; the plan with that layout, checked by the {@link Validator}.
     */
    public static LaidOut layOut(Instance instance, Plan plan, SolveOptions half) {
        Placer.Placed placed = Placer.place(instance, plan, half);
        Replacement.Result rep = Replacement.solve(instance, plan, placed.tiles(), half);
        Plan withLayout = plan.withLayout(rep.layout());
        Validator.check(instance, withLayout);
        return new LaidOut(withLayout, placed, rep);
    }

    public static Outcome run(Instance instance, SolveResult best, SolveOptions half) {
        try {
            LaidOut laid = layOut(instance, best.plan(), half);
            Placer.Placed placed = laid.placed();
            Plan withLayout = laid.plan();
            SolveResult laidOut = new SolveResult(best.strategy(), withLayout, best.metrics(), best.status(), best.objective(),
                    best.bound(), best.wallMillis(), best.stats(), best.note());
            Map<String, String> m = PlacementFigures.of(instance, placed, laid.replacement());
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
