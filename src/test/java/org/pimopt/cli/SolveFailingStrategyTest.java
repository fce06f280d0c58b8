package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.problem.Instance;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.registry.Strategies;

/**
 * A strategy that throws in a real {@code solve} costs its own row only: the others report, the
 * files are written, and the exit code (3) says that an engine failed.
 */
class SolveFailingStrategyTest {

    /** An exact engine that always fails, as a bug deep in a model would. */
    private static final class Exploding implements Strategy {
        private final Throwable failure;

        Exploding(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public String name() {
            return "cpsat";
        }

        @Override
        public SolveResult solve(Instance instance, SolveOptions options) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        }
    }

    private static int solve(Throwable failure, Path out, StringWriter stdout, StringWriter stderr) {
        return Main.run(new String[] {"solve", "--model", "lenet5", "--strategy", "cpsat,greedy,dp", "--timeout", "20s",
                "--no-simulate", "--out", out.toString()}, new PrintWriter(stdout), new PrintWriter(stderr), System.nanoTime(),
                name -> name.equals("cpsat") ? new Exploding(failure) : Strategies.byName(name));
    }

    @Test
    void aStrategyThatThrowsIsAnErrorRowAndTheOthersStillWriteTheirPlan(@TempDir Path dir) throws Exception {
        for (Throwable failure : new Throwable[] {new IllegalStateException("model invalid"), new StackOverflowError()}) {
            Path out = dir.resolve(failure.getClass().getSimpleName());
            StringWriter stdout = new StringWriter();
            StringWriter stderr = new StringWriter();
            int code = solve(failure, out, stdout, stderr);
            assertEquals(Main.ENGINE_FAILED, code, stdout + "\n" + stderr);
            assertTrue(Files.exists(out.resolve("plan.json")) && Files.exists(out.resolve("summary.json")), stdout.toString());
            assertTrue(stderr.toString().contains("pimopt: warning: cpsat failed ("), stderr.toString());
            assertTrue(!stderr.toString().contains("\tat "), "no stack trace: " + stderr);
            JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
            String json = summary.toString();
            assertTrue(json.contains("\"ERROR\""), json);
            assertTrue(json.contains(failure instanceof StackOverflowError ? "stack overflow" : "IllegalStateException: model invalid"),
                    json);
            // The other strategies' rows are there, with plans.
            assertTrue(json.contains("\"greedy\"") && json.contains("\"dp\""), json);
            assertTrue(stdout.toString().contains("best: "), stdout.toString());
        }
    }
}
