package org.pimopt.solve.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Network;
import org.pimopt.plan.Partition;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;

/** Placement on tiny meshes, checked against every possible assignment. */
class PlacementTest {

    static Chip mesh(int rows, int cols, int crossbarsPerCore) {
        return ChipLoader.parse("{\"name\": \"mesh\", \"cores\": " + rows * cols + ", \"meshRows\": " + rows + ", \"meshCols\": "
                + cols + ", \"crossbarsPerCore\": " + crossbarsPerCore + "}", "test chip");
    }

    static PlacementProblem problem(Network net, Chip chip, Map<Integer, Integer> replication) {
        Instance in = Instance.of(net, chip, 4, Goal.parse("latency"));
        List<Integer> all = in.units().stream().map(u -> u.id()).toList();
        return PlacementProblem.of(in, new Partition(all, replication));
    }

    static final SolveOptions OPTIONS = new SolveOptions(10_000, 1, 1, line -> {});

    /** Least byte-hops over every assignment that fits, then the least most-loaded link among those. */
    static double[] enumerate(PlacementProblem p) {
        int n = p.items().size();
        int cores = p.chip().cores();
        int[] coreOf = new int[n];
        double[] best = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        long total = (long) Math.pow(cores, n);
        for (long code = 0; code < total; code++) {
            long c = code;
            for (int i = 0; i < n; i++) {
                coreOf[i] = (int) (c % cores);
                c /= cores;
            }
            if (!p.fits(coreOf)) {
                continue;
            }
            double hops = p.byteHops(coreOf);
            double link = p.maxLinkBytes(coreOf);
            if (hops < best[0] - 1e-9) {
                best[0] = hops;
                best[1] = link;
            } else if (hops < best[0] + 1e-9) {
                best[1] = Math.min(best[1], link);
            }
        }
        return best;
    }

    @Test
    void itemsAreWholeCoresPlusOnePieceAndTrafficFollowsTheTensors() {
        // fc1: 1024 x 64 = one column stripe of 4 crossbars, taller than a core of 3: items of 3 and 1.
        // fc2: 64 x 64 = 1 crossbar. 4-bit activations.
        PlacementProblem p = problem(TestNetworks.mlp(1024, 64, 64), mesh(2, 2, 3), Map.of());
        assertEquals(List.of(new PlacementProblem.Item(0, 0, 0, 0, 3), new PlacementProblem.Item(0, 0, 1, 3, 1),
                new PlacementProblem.Item(1, 0, 0, 0, 1)), p.items());
        // Partial sums 64 x 4 bits = 32 B from the first item to the second; the output, 32 B, from
        // the last item to fc2.
        assertEquals(List.of(new PlacementProblem.Pair(0, 1, 32), new PlacementProblem.Pair(1, 2, 32)), p.pairs());
        assertEquals(32, p.byteHops(new int[] {0, 1, 1}), 1e-9);
        // Cores 0 (0,0), 3 (1,1), 1 (0,1): 32 B x 2 hops + 32 B x 1 hop.
        assertEquals(96, p.byteHops(new int[] {0, 3, 1}), 1e-9);
        // XY routing: 0 -> 3 goes east then south; 3 -> 1 north: every link carries 32 B.
        assertEquals(32, p.maxLinkBytes(new int[] {0, 3, 1}), 1e-9);
    }

    @Test
    void replicasShareTheTrafficEvenly() {
        // fc1 256x128 (2 crossbars) x2 copies -> fc2 128x64 (1 crossbar) x 1: each copy sends half of 64 B.
        PlacementProblem p = problem(TestNetworks.mlp(256, 128, 64), mesh(2, 2, 3), Map.of(0, 2));
        assertEquals(3, p.items().size());
        assertEquals(List.of(new PlacementProblem.Pair(0, 2, 32), new PlacementProblem.Pair(1, 2, 32)), p.pairs());
    }

    @Test
    void baselinesFillCoresInRowMajorAndSnakeOrder() {
        Chip chip = mesh(2, 3, 2);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, Baselines.rowMajor(chip));
        assertArrayEquals(new int[] {0, 1, 2, 5, 4, 3}, Baselines.snake(chip));
        PlacementProblem p = problem(TestNetworks.mlp(256, 128, 128, 128, 64), chip, Map.of());
        // Four units of 2, 2, 2, 1 crossbars: one per core in order.
        assertArrayEquals(new int[] {0, 1, 2, 3}, Baselines.firstFit(p));
        assertArrayEquals(new int[] {0, 1, 2, 5}, Baselines.snakeFit(p));
    }

    @Test
    void cpSatMatchesEnumerationOnA2x2Mesh() {
        PlacementProblem p = problem(TestNetworks.mlp(1024, 64, 128, 64), mesh(2, 2, 3), Map.of(1, 2));
        assertOptimal(p);
    }

    @Test
    void cpSatMatchesEnumerationOnA2x3Mesh() {
        PlacementProblem p = problem(TestNetworks.mlp(256, 128, 128, 128, 64), mesh(2, 3, 2), Map.of(3, 2));
        assertOptimal(p);
    }

    @Test
    void cpSatMatchesEnumerationWithUnitsSpanningCores() {
        PlacementProblem p = problem(TestNetworks.mlp(1024, 128, 512, 64), mesh(2, 3, 3), Map.of());
        assertOptimal(p);
    }

    private static void assertOptimal(PlacementProblem p) {
        double[] best = enumerate(p);
        PlacementResult r = CpSatPlacement.solve(p, OPTIONS);
        assertEquals(Status.OPTIMAL, r.status());
        assertTrue(p.fits(r.coreOf()));
        assertEquals(best[0], r.byteHops(), 1e-6 * Math.max(1, best[0]));
        assertTrue(r.linkOptimal());
        assertEquals(best[1], r.maxLinkBytes(), 1e-6 * Math.max(1, best[1]));
        assertTrue(r.byteHops() <= r.firstFitByteHops() + 1e-9 && r.byteHops() <= r.snakeByteHops() + 1e-9);
        assertTrue(r.boundByteHops() <= r.byteHops() + 1e-9 && r.boundByteHops() >= r.byteHops() * (1 - 1e-3) - 1);
    }
}
