package org.pimopt.solve.placement;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;

/** Places every partition of a plan, sharing the time budget evenly among what is left. */
public final class Placer {
    private Placer() {}

    /** Per partition: its problem, its placement, and its tiles (consecutive crossbars per core). */
    public record Placed(List<PlacementProblem> problems, List<PlacementResult> results, List<List<Layout.Tile>> tiles) {
        public double byteHops() {
            return results.stream().mapToDouble(PlacementResult::byteHops).sum();
        }

        public double firstFitByteHops() {
            return results.stream().mapToDouble(PlacementResult::firstFitByteHops).sum();
        }

        public double snakeByteHops() {
            return results.stream().mapToDouble(PlacementResult::snakeByteHops).sum();
        }

        public double boundByteHops() {
            return results.stream().mapToDouble(PlacementResult::boundByteHops).sum();
        }

        public boolean allOptimal() {
            return results.stream().allMatch(r -> r.status() == org.pimopt.solve.Status.OPTIMAL);
        }

        /**
         * The partitions whose layout is a fallback because the solver found none in its share of
         * the time, as "partition 2 (snake), partition 5 (exact packing)" (numbered from 0, as the
         * tables are); empty when there are none.
         */
        public String fallbacks() {
            List<String> out = new ArrayList<>();
            for (int p = 0; p < results.size(); p++) {
                if (results.get(p).fallback() != null) {
                    out.add("partition " + p + " (" + results.get(p).fallback() + ")");
                }
            }
            return String.join(", ", out);
        }
    }

    public static Placed place(Instance instance, Plan plan, SolveOptions options) {
        long start = System.nanoTime();
        long deadline = options.deadlineNanos(start);
        int k = plan.partitions().size();
        List<PlacementProblem> problems = new ArrayList<>();
        List<PlacementResult> results = new ArrayList<>();
        List<List<Layout.Tile>> tiles = new ArrayList<>();
        // Partitions with the same items and traffic (common in long plans) are solved once.
        java.util.Map<List<Object>, PlacementResult> solved = new java.util.HashMap<>();
        for (int p = 0; p < k; p++) {
            PlacementProblem problem = PlacementProblem.of(instance, plan.partitions().get(p));
            List<Object> shape = List.of(problem.items().stream().map(PlacementProblem.Item::size).toList(), problem.pairs());
            PlacementResult r = solved.get(shape);
            if (r == null) {
                long millis = Math.max(50, (deadline - System.nanoTime()) / 1_000_000 / (k - p));
                r = CpSatPlacement.solve(problem, new SolveOptions(millis, options.seed(), options.workers(), options.progress()));
                solved.put(shape, r);
            }
            options.progress().accept(String.format(java.util.Locale.ROOT,
                    "place: partition %d/%d, %d items, %s, byte-hops %.4g (first-fit %.4g, snake %.4g)%s",
                    p + 1, k, problem.items().size(), r.status(), r.byteHops(), r.firstFitByteHops(), r.snakeByteHops(),
                    r.fallback() == null ? "" : "; no placement found in its share of the time, kept the " + r.fallback() + " layout"));
            problems.add(problem);
            results.add(r);
            tiles.add(problem.tiles(r.coreOf()));
        }
        return new Placed(problems, results, tiles);
    }
}
