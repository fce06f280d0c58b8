package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.PlanIo;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;

/** {@code pimopt place} end to end on a two-partition LeNet-5 plan. */
class PlaceCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void placesAPlanAndWritesItWithItsLayout(@TempDir Path dir) {
        Instance in = Instance.of(ModelCatalog.load("lenet5", Map.of()), ChipLoader.load("compass-s"), 4, Goal.parse("latency"));
        int n = in.units().size();
        List<Integer> first = in.units().stream().map(u -> u.id()).filter(u -> u < n / 2).toList();
        List<Integer> second = in.units().stream().map(u -> u.id()).filter(u -> u >= n / 2).toList();
        Plan plan = new Plan(List.of(new Partition(first, Map.of(0, 4)), new Partition(second, Map.of())));
        assertEquals(List.of(), Validator.violations(in, plan));
        Path planFile = dir.resolve("plan.json");
        PlanIo.writeJson(planFile, PlanIo.toProto(in, plan, "hand"));

        Path placed = dir.resolve("placed.json");
        String[] r = run("place", "--plan", planFile.toString(), "--timeout", "4s", "-o", placed.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("NoC byte-hops per sample"), r[1]);
        assertTrue(r[1].contains("cells written per batch"), r[1]);
        assertTrue(r[1].contains("lifetime"), r[1]);
        assertTrue(r[1].contains("simulated (pipeline, all effects)"), r[1]);
        assertTrue(Files.exists(placed));
        Plan back = PlanIo.fromProto(in, PlanIo.read(placed), "placed.json");
        assertNotNull(back.layout());
        assertEquals(plan.partitions(), back.partitions());
        assertEquals(List.of(), Validator.violations(in, back));
        String[] sim = run("simulate", "--plan", placed.toString());
        assertEquals("0", sim[0], sim[2]);
        assertTrue(sim[1].lines().findFirst().orElseThrow().endsWith(", layout executed"), sim[1]);
        String[] ignored = run("simulate", "--plan", placed.toString(), "--no-layout");
        assertEquals("0", ignored[0], ignored[2]);
        assertTrue(ignored[1].lines().findFirst().orElseThrow().endsWith(", layout ignored"), ignored[1]);

        String[] csv = run("place", "--plan", planFile.toString(), "--timeout", "2s", "-o", dir.resolve("p.pb").toString(), "--csv");
        assertEquals("0", csv[0], csv[2]);
        String[] lines = csv[1].trim().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("network,hardware,batch,partitions,partitions_filling_chip,byte_hops"), lines[0]);
        assertTrue(lines[1].startsWith("lenet5,compass-s,4,2,"), lines[1]);
        assertTrue(lines[0].contains(",sim_latency_ns,") && lines[0].contains(",sim_cells_written,")
                && lines[0].contains(",sim_worst_crossbar_writes,"), lines[0]);
        assertEquals(lines[0].split(",").length, lines[1].split(",").length);
    }

    @Test
    void aMissingPlanIsAUserError(@TempDir Path dir) {
        String[] r = run("place", "--plan", dir.resolve("nope.json").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("pimopt: ") && r[2].contains("nope.json"), r[2]);
    }

    @Test
    void solveWithPlaceWritesTheBestPlanWithItsLayout(@TempDir Path dir) {
        String[] r = run("solve", "--model", "lenet5", "--hw", "compass-s", "--batch", "4", "--strategy", "greedy,dp",
                "--place", "--no-simulate", "--timeout", "6s", "--out", dir.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("placed: NoC byte-hops"), r[1]);
        Instance in = Instance.of(ModelCatalog.load("lenet5", Map.of()), ChipLoader.load("compass-s"), 4, Goal.parse("latency"));
        Plan back = PlanIo.fromProto(in, PlanIo.read(dir.resolve("plan.json")), "plan.json");
        assertNotNull(back.layout());
        assertEquals(List.of(), Validator.violations(in, back));
    }
}
