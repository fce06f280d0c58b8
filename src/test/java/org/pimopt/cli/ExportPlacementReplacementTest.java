package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ortools.Loader;
import com.google.ortools.modelbuilder.ModelBuilder;
import com.google.ortools.modelbuilder.ModelSolver;
import com.google.ortools.modelbuilder.SolveStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.Status;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.placement.Baselines;
import org.pimopt.solve.placement.CpSatPlacement;
import org.pimopt.solve.placement.MipPlacement;
import org.pimopt.solve.placement.PlacementProblem;
import org.pimopt.solve.placement.PlacementResult;
import org.pimopt.solve.replacement.MipWriteSchedule;
import org.pimopt.solve.replacement.Replacement;
import org.pimopt.solve.replacement.WriteSchedule;

/**
 * {@code pimopt export --what placement|replacement}: the MPS file of lenet5's dp plan on the small
 * chip of formulations/ reads back into a solver and solves to the CP-SAT optimum.
 */
class ExportPlacementReplacementTest {
    static final String CHIP = "formulations/compass-tiny.json";
    static final SolveOptions OPTIONS = new SolveOptions(20_000, 1, 1, line -> {});

    static Instance instance() {
        return Instance.of(ModelCatalog.load("lenet5", Map.of()), ChipLoader.load(CHIP), 1, Goal.parse("latency"));
    }

    /** Exports with the CLI and solves the MPS file with SCIP; returns its optimum. */
    static double exportAndSolve(Path file, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("export", "--format", "mps", "--model", "lenet5", "--hw", CHIP,
                "--batch", "1", "-o", file.toString()));
        all.addAll(List.of(args));
        CliTest.Result r = CliTest.run(all.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + file), r.out());
        Loader.loadNativeLibraries();
        ModelBuilder read = new ModelBuilder();
        assertTrue(read.importFromMpsString(Files.readString(file)));
        ModelSolver scip = new ModelSolver("SCIP");
        scip.setTimeLimit(java.time.Duration.ofSeconds(20));
        assertEquals(SolveStatus.OPTIMAL, scip.solve(read));
        return scip.getObjectiveValue();
    }

    @Test
    void placementFileSolvesToTheCpSatOptimum(@TempDir Path dir) throws Exception {
        Instance in = instance();
        Plan plan = new DpStrategy().solve(in, OPTIONS).plan();
        int withTraffic = 0;
        while (withTraffic < plan.partitions().size()
                && PlacementProblem.of(in, plan.partitions().get(withTraffic)).pairs().isEmpty()) {
            withTraffic++;
        }
        assertTrue(withTraffic < plan.partitions().size(), "a partition with traffic");
        PlacementProblem problem = PlacementProblem.of(in, plan.partitions().get(withTraffic));
        PlacementResult cp = CpSatPlacement.solve(problem, OPTIONS);
        assertEquals(Status.OPTIMAL, cp.status());
        double file = exportAndSolve(dir.resolve("placement.mps"), "--what", "placement", "--partition",
                String.valueOf(withTraffic));
        assertEquals(MipPlacement.modelObjective(problem, cp.coreOf()), file, 1e-6);
    }

    @Test
    void replacementFileIsTheScheduleModelOfTheFirstFitPlacedPlan(@TempDir Path dir) throws Exception {
        // The lenet5 schedule (21 writes) takes SCIP minutes to prove; MipWriteScheduleTest re-solves
        // exported files of small schedules. Here: the CLI writes exactly the model of this input.
        Instance in = instance();
        Plan plan = new DpStrategy().solve(in, OPTIONS).plan();
        List<List<Layout.Tile>> placed = new ArrayList<>();
        for (Partition part : plan.partitions()) {
            PlacementProblem problem = PlacementProblem.of(in, part);
            placed.add(problem.tiles(Baselines.firstFit(problem)));
        }
        WriteSchedule.Input input = Replacement.scheduleInput(in, plan, placed, OPTIONS);
        assertTrue(input.jobs().size() > 1, "crossbars are rewritten");
        long horizon = WriteSchedule.greedy(input, false).periodNs();
        for (boolean overlap : new boolean[] {true, false}) {
            Path file = dir.resolve("replacement-" + overlap + ".mps");
            List<String> args = new ArrayList<>(List.of("export", "--format", "mps", "--model", "lenet5", "--hw", CHIP,
                    "--batch", "1", "--what", "replacement", "-o", file.toString()));
            if (!overlap) {
                args.add("--no-overlap");
            }
            CliTest.Result r = CliTest.run(args.toArray(new String[0]));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(input.jobs().size() + " writes"), r.out());
            assertEquals(MipWriteSchedule.export(input, overlap, horizon, true), Files.readString(file), "overlap " + overlap);
        }
    }

    @Test
    void unknownModelOrPartitionIsAOneLineUserError(@TempDir Path dir) {
        Path file = dir.resolve("x.lp");
        CliTest.Result r = CliTest.run("export", "--what", "routing", "--model", "lenet5", "-o", file.toString());
        assertEquals(2, r.code());
        assertEquals("pimopt: --what must be partitioning, placement or replacement, got 'routing'", r.err().trim());
        r = CliTest.run("export", "--what", "placement", "--partition", "9", "--model", "lenet5", "--hw", CHIP, "--batch", "1",
                "-o", file.toString());
        assertEquals(2, r.code());
        int k = new DpStrategy().solve(instance(), OPTIONS).plan().partitions().size();
        assertEquals("pimopt: --partition must be 0.." + (k - 1) + " (the dp plan has " + k + " partitions), got 9", r.err().trim());
        assertTrue(!Files.exists(file));
    }
}
