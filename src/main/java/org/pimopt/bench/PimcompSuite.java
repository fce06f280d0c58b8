package org.pimopt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pimopt.cost.NetworkTiling;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.report.Charts;

/**
 * PIMCOMP's setting: its default chip (the {@code pimcomp} preset) with every weight on chip at
 * once, on PIMCOMP-NN's own model files and the zoo CNNs: the replication that
 * {@code pimcomp-balance} chooses (PIMCOMP-NN's rule) and pimopt's {@code pimcomp-fill} against the
 * optimum of one partition ({@code cpsat-k1}: CP-SAT held to a single partition).
 */
final class PimcompSuite implements Suite {
    static final String CHIP = "pimcomp";
    static final int BATCH = 16;
    static final List<String> QUICK_PEERS = List.of("alexnet", "resnet18", "squeezenet");
    static final List<String> QUICK_ZOO = List.of("lenet5", "squeezenet1_1");
    static final String PEER_PREFIX = "pimcomp-nn-";

    @Override
    public String name() {
        return "pimcomp";
    }

    /** PIMCOMP-NN's model files in {@code dir}, sorted by name (none when the folder is missing). */
    static List<Path> peerModels(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static String stem(Path file) {
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - ".json".length());
    }

    @Override
    public List<BenchCase> cases(SuiteOptions options) {
        Chip chip = ChipLoader.load(CHIP);
        Map<String, String> models = new LinkedHashMap<>();
        for (Path p : peerModels(options.peerModels())) {
            if (!options.quick() || QUICK_PEERS.contains(stem(p))) {
                models.put(PEER_PREFIX + stem(p), p.toString());
            }
        }
        for (String net : options.quick() ? QUICK_ZOO : OptimalitySuite.cnns()) {
            models.put(net, net);
        }
        List<BenchCase> out = new ArrayList<>();
        for (var e : models.entrySet()) {
            List<String> strategies = new ArrayList<>(List.of("pimcomp-balance", "pimcomp-fill"));
            if (fits(e.getValue(), chip)) {
                strategies.add("cpsat-k1");
            }
            out.add(new BenchCase(name(), BenchCase.key(name(), e.getKey(), CHIP, BATCH, "latency"), e.getValue(), CHIP,
                    BATCH, "latency", strategies));
        }
        return out;
    }

    /** Whether one copy of every weight fits on the chip (a model that fails to load counts as not fitting; its rows say why). */
    private static boolean fits(String model, Chip chip) {
        try {
            return NetworkTiling.of(Models.load(model, chip), chip).fitsOnChip();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String label(ResultRow r) {
        String m = r.caseKey().split("/")[1];
        return m;
    }

    @Override
    public void report(List<ResultRow> rows, List<String> comments, Path dir) {
        Map<String, Map<String, ResultRow>> cases = Reports.byCase(rows);
        StringBuilder md = new StringBuilder(Reports.header("PIMCOMP setting: replication against the one-partition optimum",
                name(), comments, rows));
        md.append("Chip `" + CHIP + "` (PIMCOMP-NN's default configuration), batch " + BATCH + ", objective latency. "
                + "Models named `" + PEER_PREFIX + "*` are PIMCOMP-NN's own model files read by pimopt's PIMCOMP "
                + "importer; the others are the zoo CNNs. PIMCOMP keeps every weight on chip (one partition) and "
                + "replicates with its balance rule (`pimcomp-balance`, PIMCOMP-NN's code: about half the chip's "
                + "crossbars spent; `pimcomp-fill` is pimopt's variant that spends them all); `cpsat-k1` is CP-SAT held to one partition, so its OPTIMAL is the "
                + "best replication and core packing of the whole network on the chip. A model whose weights do not fit has no `cpsat-k1` run: "
                + "PIMCOMP itself refuses such a model.\n\n");
        md.append(Reports.errors(rows));
        List<List<String>> table = new ArrayList<>();
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        List<Double> proven = new ArrayList<>();
        List<Double> unproven = new ArrayList<>();
        int fitting = 0;
        for (Map<String, ResultRow> c : cases.values()) {
            ResultRow any = c.values().iterator().next();
            ResultRow pb = c.get("pimcomp-balance");
            ResultRow fill = c.get("pimcomp-fill");
            ResultRow k1 = c.get("cpsat-k1");
            boolean fits = k1 != null;
            fitting += fits ? 1 : 0;
            double pbLat = Reports.value(c, "pimcomp-balance", ResultRow::latencyNs);
            boolean oneOptimal = k1 != null && k1.optimal() && k1.partitions() == 1;
            // Against a proven optimum the ratio is exact; otherwise the bound gives the most it can be.
            double ratio = oneOptimal ? pbLat / k1.latencyNs() : Double.NaN;
            double atMost = k1 != null && k1.hasPlan() && !oneOptimal && !Double.isNaN(k1.bound()) && k1.bound() > 0
                    ? pbLat / k1.bound() : Double.NaN;
            if (!Double.isNaN(ratio)) {
                proven.add(ratio);
                bars.put(label(any), Map.of("pimcomp-balance / proven one-partition optimum", ratio));
            } else if (fits && k1.hasPlan()) {
                unproven.add(pbLat / k1.latencyNs());
                bars.put(label(any), Map.of("pimcomp-balance / best one-partition plan found (not proven)",
                        pbLat / k1.latencyNs()));
            }
            String k1Cell = k1 == null ? "- (does not fit)" : !k1.hasPlan() ? k1.status()
                    : Markdown.num(k1.latencyNs() / 1e3, "%.1f us") + " " + k1.status()
                    + (k1.optimal() ? "" : Double.isNaN(k1.gap()) ? ", no bound" : ", gap " + Markdown.pct(k1.gap()));
            table.add(List.of(label(any), Integer.toString(any.units()), fits ? "yes" : "no",
                    pb == null || !pb.hasPlan() ? "-" : Markdown.num(pbLat / 1e3, "%.1f us") + " (" + pb.partitions() + " part.)",
                    fill == null || !fill.hasPlan() ? "-"
                            : Markdown.num(fill.latencyNs() / 1e3, "%.1f us") + " (" + fill.partitions() + " part.)",
                    k1Cell, oneOptimal ? Markdown.ratio(ratio) : Double.isNaN(atMost) ? "not proven" : "<= " + Markdown.ratio(atMost)));
        }
        md.append("## Summary\n\n");
        md.append(String.format(java.util.Locale.ROOT, "%d of %d models fit on the chip. CP-SAT proved the one-partition "
                + "optimum for %d of them", fitting, cases.size(), proven.size()));
        md.append(proven.isEmpty() ? ".\n\n" : String.format(java.util.Locale.ROOT, "; on those, pimcomp-balance's "
                + "latency is %s the optimum (geometric mean; 1.00x = PIMCOMP's replication is optimal), worst %s.%n%n",
                Markdown.ratio(Markdown.geomean(proven)),
                Markdown.ratio(proven.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN))));
        if (!unproven.isEmpty()) {
            md.append(String.format(java.util.Locale.ROOT, "On the %d models without a proof, pimcomp-balance is %s "
                    + "the best one-partition plan CP-SAT found (it starts from the better of pimcomp-balance's and "
                    + "pimcomp-fill's plans, so a ratio equal to fill's means "
                    + "it found nothing better in its time limit).%n%n", unproven.size(), Markdown.ratio(Markdown.geomean(unproven))));
        }
        md.append("## Per model\n\n");
        md.append(Markdown.table(List.of("model", "units", "fits", "pimcomp-balance", "pimcomp-fill", "cpsat-k1",
                "balance / optimum"),
                table)).append('\n');
        md.append("## Plot\n\n");
        String file = "pimcomp-replication.svg";
        md.append(Reports.plot(dir, file, "pimcomp-balance vs optimum", () -> Charts.bars(dir.resolve(file),
                "pimcomp-balance latency / one-partition optimum or best found (" + CHIP + ", batch " + BATCH + ")",
                Reports.footnote(comments), "model",
                "ratio", bars)));
        Reports.write(dir, name() + ".md", md.toString());
    }
}
