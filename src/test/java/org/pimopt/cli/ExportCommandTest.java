package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ortools.Loader;
import com.google.ortools.modelbuilder.ModelBuilder;
import com.google.ortools.modelbuilder.ModelSolver;
import com.google.ortools.modelbuilder.SolveStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Status;
import org.pimopt.solve.mip.MipStrategy;

/** {@code pimopt export}: the MILP as an LP file and an MPS file that a solver reads back to the same optimum. */
class ExportCommandTest {

    @Test
    void lpAndMpsFilesSolveToTheOptimumThatMipProves(@TempDir Path dir) throws Exception {
        Instance in = Instance.of(ModelCatalog.load("lenet5", java.util.Map.of()), ChipLoader.load("compass-s"), 1,
                Goal.parse("latency"));
        SolveResult mip = new MipStrategy("mip", "SCIP", 2).solve(in, new SolveOptions(30_000, 1, 1, line -> {}));
        assertEquals(Status.OPTIMAL, mip.status(), mip.note());
        Loader.loadNativeLibraries();
        for (String format : new String[] {"lp", "mps"}) {
            Path file = dir.resolve("lenet5." + format);
            CliTest.Result r = CliTest.run("export", "--format", format, "--model", "lenet5", "--hw", "compass-s",
                    "--batch", "1", "--objective", "latency", "--max-partitions", "2", "-o", file.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("wrote " + file), r.out());
            if (format.equals("lp")) {
                // OR-Tools reads only its own LP dialect back, so check the CPLEX LP sections instead.
                String text = Files.readString(file);
                for (String section : new String[] {"Minimize", "Subject to", "Bounds", "Binaries", "Generals", "End"}) {
                    assertTrue(text.contains("\n" + section), section);
                }
                assertTrue(text.contains(" x_u0_p0"), "unit placement variables are named");
                continue;
            }
            ModelBuilder read = new ModelBuilder();
            assertTrue(read.importFromMpsString(Files.readString(file)), format);
            ModelSolver scip = new ModelSolver("SCIP");
            assertEquals(SolveStatus.OPTIMAL, scip.solve(read), format);
            // Latency has no constant part: the file's optimum is the plan's latency in ns.
            assertEquals(mip.objective(), scip.getObjectiveValue(), 1e-6 * mip.objective(), format);
        }
    }

    @Test
    void badFormatOrEdpIsAOneLineUserError(@TempDir Path dir) {
        Path file = dir.resolve("x.lp");
        CliTest.Result r = CliTest.run("export", "--format", "xls", "--model", "lenet5", "-o", file.toString());
        assertEquals(2, r.code());
        assertEquals("pimopt: --format must be lp or mps, got 'xls'", r.err().trim());
        r = CliTest.run("export", "--model", "lenet5", "--objective", "edp", "-o", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("pimopt: edp is a product"), r.err());
        assertFalse(Files.exists(file));
    }
}
