package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.Simulator;

/** {@code pimopt solve --joint}: the joint model on a small instance, and one line when it does not apply. */
class SolveJointTest {
    static final String TINY = "formulations/compass-tiny.json";

    /** LeNet-5 on a 2x2 mesh of 2 crossbars per core: solved and placed by the joint model, proven, with a layout. */
    @Test
    void aSmallInstanceIsSolvedAndPlacedByTheJointModel(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        long start = System.nanoTime();
        CliTest.Result r = CliTest.run("solve", "--model", "lenet5", "--hw", TINY, "--batch", "4", "--joint", "--timeout", "30s",
                "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 32, "within the timeout and 2 s");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("joint ") && l.contains("OPTIMAL")), r.out());
        assertTrue(r.out().contains("placed by the joint model (OPTIMAL among plans of at most"), r.out());
        assertFalse(r.out().contains("cpsat"), "no strategy ran: " + r.out());
        assertTrue(r.err().contains("joint: "), "progress lines: " + r.err());

        Instance in = Instance.of(ModelCatalog.load("lenet5", Map.of()), ChipLoader.load(TINY), 4, Goal.parse("latency"));
        Plan plan = PlanIo.fromProto(in, PlanIo.read(out.resolve("plan.json")), "plan.json");
        assertNotNull(plan.layout());
        assertEquals(List.of(), Validator.violations(in, plan));
        assertTrue(Simulator.run(in, plan, SimConfig.physical(Schedule.PIPELINE)).latencyNs() > 0);
    }

    /** Too large for the joint model: one line says why, and the strategies then placement run as with --place. */
    @Test
    void aLargeInstanceFallsBackToStrategiesThenPlacementSayingWhy(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("solve", "--model", "lenet5", "--hw", "compass-s", "--strategy", "dp", "--joint",
                "--timeout", "5s", "--no-simulate", "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> why = r.out().lines().filter(l -> l.startsWith("joint: not used")).toList();
        assertEquals(1, why.size(), r.out());
        assertTrue(why.get(0).contains("too large for the joint model") && why.get(0).contains("limit"), why.get(0));
        assertTrue(r.out().contains("placed: NoC byte-hops"), r.out());
    }

    /** EDP is not modelled jointly: the same fallback, naming edp. */
    @Test
    void edpFallsBackSayingSo(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("solve", "--model", "lenet5", "--hw", TINY, "--strategy", "dp", "--objective", "edp", "--joint",
                "--timeout", "5s", "--no-simulate", "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("joint: not used") && l.contains("edp")), r.out());
        assertTrue(r.out().contains("placed: NoC byte-hops"), r.out());
    }
}
