package org.pimopt.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pimopt.PimoptException;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.hw.ChipLoader;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.registry.Strategies;

/**
 * Model against simulation on every strategy's plan ({@code scripts/sim-results.sh}): every zoo
 * network on every preset at the given batches, objective latency, each strategy's plan priced by
 * the cost model and simulated with every physical effect on; the exact engine starts from the
 * best of the heuristics' plans, as {@code solve} runs it. For the exact engine's plan it also
 * measures each effect alone against the model's form, and how its simulated latency compares
 * with the best simulated latency of the case. Each finished case is appended to
 * {@code model-fidelity.csv} (an interrupted run resumes; shards write their own files and
 * {@code report} joins them), then {@code model-fidelity.md} is written from the rows.
 */
final class FidelityBench {
    static final List<String> STRATEGIES =
            List.of("layerwise", "greedy", "pimcomp-balance", "clsa-greedy", "compass-ga", "dp", "exact");
    static final String EXACT = "exact";
    static final String[] EFFECTS = {"fill-io", "free-issue", "vector-time", "write-slots", "write-waits-for-fetch",
        "noc-latency", "overlap-writes"};
    static final List<String> COLUMNS = List.of("network", "preset", "batch", "strategy", "status", "partitions",
            "model_latency_ns", "sim_latency_ns", "analytic_latency_ns", "model_energy_per_sample_pj",
            "sim_energy_per_sample_pj", "fill_io", "free_issue", "vector_time", "write_slots", "write_waits_for_fetch",
            "noc_latency", "overlap_writes", "wall_ms");

    private FidelityBench() {}

    /** One strategy's plan on one case: the model's and the simulator's figures. */
    record Row(String network, String preset, int batch, String strategy, String status, int partitions,
               double modelLatency, double simLatency, double analyticLatency, double modelEnergy, double simEnergy,
               double[] effects, long wallMs) {
        String key() {
            return network + "/" + preset + "/" + batch;
        }

        double latencyError() {
            return (modelLatency - simLatency) / simLatency;
        }

        double energyError() {
            return (modelEnergy - simEnergy) / simEnergy;
        }

        List<String> cells() {
            List<String> c = new ArrayList<>(List.of(network, preset, Integer.toString(batch), strategy, status,
                    Integer.toString(partitions), ResultRow.num(modelLatency), ResultRow.num(simLatency),
                    ResultRow.num(analyticLatency), ResultRow.num(modelEnergy), ResultRow.num(simEnergy)));
            for (double e : effects) {
                c.add(ResultRow.num(e));
            }
            c.add(Long.toString(wallMs));
            return c;
        }

        static Row parse(String line) {
            String[] c = line.split(",", -1);
            if (c.length != COLUMNS.size()) {
                throw new IllegalArgumentException(c.length + " cells, expected " + COLUMNS.size() + ": " + line);
            }
            double[] effects = new double[EFFECTS.length];
            for (int i = 0; i < effects.length; i++) {
                effects[i] = ResultRow.dbl(c[11 + i]);
            }
            return new Row(c[0], c[1], Integer.parseInt(c[2]), c[3], c[4], Integer.parseInt(c[5]), ResultRow.dbl(c[6]),
                    ResultRow.dbl(c[7]), ResultRow.dbl(c[8]), ResultRow.dbl(c[9]), ResultRow.dbl(c[10]), effects,
                    Long.parseLong(c[11 + EFFECTS.length]));
        }
    }

    /** Runs the cases of {@code shard} not yet in {@code csv}, appending each case as it ends. */
    static void run(Path csv, List<Integer> batches, long exactMillis, Shard shard) {
        List<String[]> cases = new ArrayList<>();
        for (String preset : ChipLoader.presetNames()) {
            for (String network : ModelCatalog.zooNames()) {
                for (int batch : batches) {
                    cases.add(new String[] {network, preset, Integer.toString(batch)});
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (Row r : read(List.of(csv))) {
            done.add(r.key());
        }
        if (!Files.exists(csv)) {
            append(csv, String.join(",", COLUMNS) + "\n");
        }
        for (String[] c : shard.select(cases)) {
            String key = c[0] + "/" + c[1] + "/" + c[2];
            if (done.contains(key)) {
                continue;
            }
            long start = System.nanoTime();
            List<Row> rows = runCase(c[0], c[1], Integer.parseInt(c[2]), exactMillis);
            StringBuilder b = new StringBuilder();
            for (Row r : rows) {
                b.append(String.join(",", r.cells())).append('\n');
            }
            append(csv, b.toString());
            System.err.printf(Locale.ROOT, "%s: %d plans, %.0f s%n", key, rows.size(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static List<Row> runCase(String network, String preset, int batch, long exactMillis) {
        Instance instance;
        try {
            instance = Instance.of(ModelCatalog.load(network, Map.of()), ChipLoader.load(preset), batch, Goal.parse("latency"));
        } catch (PimoptException e) {
            return List.of(new Row(network, preset, batch, "-", "ERROR " + e.getMessage().replace(',', ';'), 0, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, blank(), 0));
        }
        List<Row> out = new ArrayList<>();
        Plan warm = null;
        double warmValue = Double.POSITIVE_INFINITY;
        for (String strategy : STRATEGIES) {
            long start = System.nanoTime();
            SolveResult r;
            try {
                long limit = strategy.equals(EXACT) ? exactMillis : 60_000;
                SolveOptions options = new SolveOptions(limit, 1, 2, line -> { });
                // The exact engine starts from the best plan of the heuristics, as `solve` runs it.
                r = Strategies.byName(strategy).solve(instance, strategy.equals(EXACT) && warm != null
                        ? options.withWarmStart(warm) : options);
            } catch (RuntimeException e) {
                out.add(new Row(network, preset, batch, strategy, "ERROR", 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, blank(), (System.nanoTime() - start) / 1_000_000));
                continue;
            }
            long wall = (System.nanoTime() - start) / 1_000_000;
            Plan plan = r.plan();
            if (plan == null) {
                out.add(new Row(network, preset, batch, strategy, r.status().name(), 0, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, blank(), wall));
                continue;
            }
            BatchMetrics model = plan.evaluate(instance);
            if (instance.goal().primaryValue(model) < warmValue) {
                warm = plan;
                warmValue = instance.goal().primaryValue(model);
            }
            SimResult sim = Simulator.run(instance, plan, SimConfig.physical(Schedule.PIPELINE));
            SimResult analytic = Simulator.run(instance, plan, SimConfig.analytic(Schedule.PIPELINE));
            double[] effects = blank();
            if (strategy.equals(EXACT)) {
                for (int e = 0; e < EFFECTS.length; e++) {
                    double alone = Simulator.run(instance, plan, only(e)).latencyNs();
                    effects[e] = (alone - analytic.latencyNs()) / analytic.latencyNs();
                }
            }
            out.add(new Row(network, preset, batch, strategy, r.status().name(), plan.partitions().size(),
                    model.latencyNs(), sim.latencyNs(), analytic.latencyNs(), model.energyPerSamplePj(),
                    sim.energyPerSamplePj(), effects, wall));
        }
        return out;
    }

    private static double[] blank() {
        double[] d = new double[EFFECTS.length];
        java.util.Arrays.fill(d, Double.NaN);
        return d;
    }

    private static SimConfig only(int effect) {
        return new SimConfig(Schedule.PIPELINE, effect == 0, effect == 1, effect == 2, effect == 3, effect == 4, effect == 5,
                effect == 6, true);
    }

    static List<Row> read(List<Path> csvs) {
        List<Row> rows = new ArrayList<>();
        for (Path p : csvs) {
            if (!Files.exists(p)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    if (!line.isBlank()) {
                        rows.add(Row.parse(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    private static void append(Path csv, String text) {
        try {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code model-fidelity.md} and the joined {@code model-fidelity.csv} into {@code dir}. */
    static void report(Path dir, String command, List<Path> csvs, long exactMillis) {
        List<Row> all = read(csvs);
        List<Row> rows = all.stream().filter(r -> !Double.isNaN(r.simLatency())).toList();
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        all.forEach(r -> csv.append(String.join(",", r.cells())).append('\n'));
        org.pimopt.plan.PlanIo.writeAtomically(dir.resolve("model-fidelity.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        org.pimopt.plan.PlanIo.writeAtomically(dir.resolve("model-fidelity.md"),
                FidelityReport.markdown(command, rows, all, exactMillis).getBytes(StandardCharsets.UTF_8));
    }

    /** Rows grouped by case, strategies in run order. */
    static Map<String, Map<String, Row>> byCase(List<Row> rows) {
        Map<String, Map<String, Row>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.key(), k -> new TreeMap<>()).put(r.strategy(), r);
        }
        return out;
    }
}
