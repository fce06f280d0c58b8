package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.TestNetworks;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Objective;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.problem.Instance;

/** No plan, whoever made it, goes below the instance's lower bound, and the bound is not vacuous. */
class LowerBoundTest {
    private static final List<String> STRATEGIES =
            List.of("layerwise", "greedy", "pimcomp-balance", "clsa-greedy", "compass-ga", "dp");

    private static void assertNoPlanBelowTheBound(Instance in) {
        for (String name : STRATEGIES) {
            SolveResult r = Strategies.byName(name).solve(in, new SolveOptions(1000, 1, 1, line -> {}));
            BatchMetrics m = r.metrics();
            for (Objective o : Objective.values()) {
                double bound = LowerBound.of(in, o);
                assertTrue(bound <= o.of(m) * (1 + 1e-9), name + " " + o + ": " + o.of(m) + " < bound " + bound);
            }
        }
    }

    @Test
    void smallNetworksOnSmallChips() {
        for (int batch : new int[] {1, 4, 16}) {
            assertNoPlanBelowTheBound(Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(2, 4), batch, Goal.parse("latency")));
            assertNoPlanBelowTheBound(Instance.of(TestNetworks.mlp(512, 300, 200, 300, 100, 10), TestNetworks.chip(2, 4), batch,
                    Goal.parse("latency")));
            assertNoPlanBelowTheBound(Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(3, 8), batch, Goal.parse("energy")));
        }
    }

    @Test
    void zooNetworksOnCompassChips() {
        for (String model : List.of("lenet5", "alexnet", "resnet18", "squeezenet1_0", "mobilenet_v2")) {
            for (String hw : List.of("compass-s", "compass-l", "pimcomp")) {
                assertNoPlanBelowTheBound(Instance.of(ModelCatalog.load(model, Map.of()), ChipLoader.load(hw), 16, Goal.parse("latency")));
            }
        }
    }

    @Test
    void theLatencyBoundIsWithinAFactorOfTwoOfTheDpOnResnet18() {
        // A bound far below every plan proves nothing; on resnet18 / compass-s it is within 2x of dp.
        Instance in = Instance.of(ModelCatalog.load("resnet18", Map.of()), ChipLoader.load("compass-s"), 16, Goal.parse("latency"));
        SolveResult dp = Strategies.byName("dp").solve(in, new SolveOptions(10_000, 1, 1, line -> {}));
        double bound = LowerBound.of(in, Objective.LATENCY);
        assertTrue(bound > dp.objective() / 2, "bound " + bound + " vs dp " + dp.objective());
    }
}
