package org.pimopt.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.solve.registry.Strategies;

/**
 * Every strategy but the exact engines gives a valid plan on every zoo network, every preset, batch
 * 1 and 16. The searching strategies (dp, the GA) run with a short budget here (the benchmarks give
 * them their full one); whatever they return must be valid too, and a dp that finished must not
 * lose to any baseline. The exact engines have their own cross-checks (ExactEnginesTest).
 */
class ZooPlansTest {
    private static final long BUDGET_MILLIS = 600;
    private static final List<String> BASELINES = List.of("layerwise", "greedy", "pimcomp-balance", "pimcomp-fill", "clsa-greedy");

    static Stream<Arguments> everyPreset() {
        List<Arguments> out = new ArrayList<>();
        for (String model : ModelCatalog.zooNames()) {
            for (String hw : ChipLoader.presetNames()) {
                for (int batch : new int[] {1, 16}) {
                    out.add(Arguments.of(model, hw, batch));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}, batch {2}")
    @MethodSource("everyPreset")
    void everyBaselineGivesAValidPlan(String model, String hw, int batch) {
        Instance in = Instance.of(ModelCatalog.load(model, Map.of()), ChipLoader.load(hw), batch, Goal.parse("latency"));
        for (String name : BASELINES) {
            solveValid(in, name);
        }
    }

    /** Every network at batch 1 and 16, the presets taken in turn (every preset five times): the default run's share. */
    static Stream<Arguments> presetsInTurn() {
        List<Arguments> out = new ArrayList<>();
        List<String> presets = ChipLoader.presetNames();
        int i = 0;
        for (String model : ModelCatalog.zooNames()) {
            for (int batch : new int[] {1, 16}) {
                out.add(Arguments.of(model, presets.get(i++ % presets.size()), batch));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}, batch {2}")
    @MethodSource("presetsInTurn")
    void searchesGiveValidPlansAndDpIsNotBeaten(String model, String hw, int batch) {
        searchesOn(model, hw, batch);
    }

    /** The same on every preset: six times the default run's share (tagged slow, `scripts/test-slow.sh`). */
    @Tag("slow")
    @ParameterizedTest(name = "{0} on {1}, batch {2}")
    @MethodSource("everyPreset")
    void searchesGiveValidPlansAndDpIsNotBeatenOnEveryPreset(String model, String hw, int batch) {
        searchesOn(model, hw, batch);
    }

    private static void searchesOn(String model, String hw, int batch) {
        Instance in = Instance.of(ModelCatalog.load(model, Map.of()), ChipLoader.load(hw), batch, Goal.parse("latency"));
        List<SolveResult> results = new ArrayList<>();
        for (String name : BASELINES) {
            results.add(solveValid(in, name));
        }
        results.add(solveValid(in, "compass-ga"));
        SolveResult dp = solveValid(in, "dp");
        if (dp.status() == Status.OPTIMAL) {
            for (SolveResult r : results) {
                assertTrue(in.goal().comparator().compare(dp.metrics(), r.metrics()) <= 0, r.strategy() + " beats dp");
            }
        }
    }

    private static SolveResult solveValid(Instance in, String strategy) {
        SolveResult r = Strategies.byName(strategy).solve(in, new SolveOptions(BUDGET_MILLIS, 1, 1, line -> {}));
        assertNotNull(r.plan(), strategy);
        assertEquals(List.of(), Validator.violations(in, r.plan()), strategy);
        assertTrue(r.plan().partitions().size() >= in.tiling().minPartitions(), strategy);
        return r;
    }
}
