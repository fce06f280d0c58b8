package org.pimopt.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.report.Charts;

/**
 * Time to proven optimality against network size, for every exact engine this build has (and dp,
 * exact for the fixed order): seeded synthetic chains and DAGs of 10 to 1000 units, and zoo CNNs,
 * on COMPASS-S at batch 16, objective latency.
 */
final class ScalingSuite implements Suite {
    static final String CHIP = "compass-s";
    static final int BATCH = 16;
    static final long SEED = 1;
    static final List<Integer> SIZES = List.of(10, 20, 50, 100, 200, 500, 1000);
    static final List<Integer> QUICK_SIZES = List.of(10, 30, 100);
    static final List<String> QUICK_ZOO = List.of("lenet5", "squeezenet1_0", "resnet18");

    @Override
    public String name() {
        return "scaling";
    }

    static List<String> engines() {
        List<String> out = new ArrayList<>(List.of("dp"));
        out.addAll(org.pimopt.solve.registry.Strategies.EXACT_ENGINES);
        return out;
    }

    @Override
    public List<BenchCase> cases(SuiteOptions options) {
        List<BenchCase> out = new ArrayList<>();
        for (String family : List.of("chain", "dag")) {
            for (int size : options.quick() ? QUICK_SIZES : SIZES) {
                String model = SyntheticNetworks.name(family, size, SEED);
                out.add(new BenchCase(name(), BenchCase.key(name(), model, CHIP, BATCH, "latency"), model, CHIP, BATCH,
                        "latency", engines()));
            }
        }
        for (String net : options.quick() ? QUICK_ZOO : OptimalitySuite.cnns()) {
            out.add(new BenchCase(name(), BenchCase.key(name(), net, CHIP, BATCH, "latency"), net, CHIP, BATCH,
                    "latency", engines()));
        }
        return out;
    }

    static String family(String model) {
        if (model.startsWith("synthetic-chain")) {
            return "chain";
        }
        return model.startsWith("synthetic-dag") ? "dag" : "zoo";
    }

    @Override
    public void report(List<ResultRow> rows, List<String> comments, Path dir) {
        Map<String, Map<String, ResultRow>> cases = Reports.byCase(rows);
        List<String> engines = new ArrayList<>();
        rows.stream().map(ResultRow::strategy).distinct().forEach(engines::add);
        StringBuilder md = new StringBuilder(Reports.header("Time to proven optimality against network size", name(),
                comments, rows));
        md.append("Chip " + CHIP + ", batch " + BATCH + ", objective latency. Synthetic networks come from "
                + "`bench/SyntheticNetworks` (seed " + SEED + "; `chain`: convolutions in sequence, `dag`: fork blocks "
                + "joined by concats) with exactly the stated number of units on the chip. A time is the engine's wall "
                + "time when it proved optimality (dp: over the fixed unit order; cpsat: over plans of a bounded number "
                + "of partitions in any dependency-respecting order), else `>` the time limit with the gap it left. "
                + "Exact engines start from the best plan found before them in the case (dp's), as `pimopt solve` does.\n\n");
        md.append(Reports.errors(rows));
        List<List<String>> table = new ArrayList<>();
        List<Map<String, ResultRow>> sorted = new ArrayList<>(cases.values());
        sorted.sort((a, b) -> {
            ResultRow x = a.values().iterator().next();
            ResultRow y = b.values().iterator().next();
            int f = family(x.model()).compareTo(family(y.model()));
            return f != 0 ? f : Integer.compare(x.units(), y.units());
        });
        for (Map<String, ResultRow> c : sorted) {
            ResultRow any = c.values().iterator().next();
            List<String> r = new ArrayList<>(List.of(family(any.model()), any.model(), Integer.toString(any.units())));
            for (String e : engines) {
                ResultRow x = c.get(e);
                r.add(x == null ? "-" : cell(x));
            }
            table.add(r);
        }
        md.append("## Findings\n\n");
        for (String e : engines) {
            for (String family : List.of("chain", "dag", "zoo")) {
                List<ResultRow> runs = sorted.stream().map(c -> c.get(e))
                        .filter(x -> x != null && family(x.model()).equals(family)).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                ResultRow largest = runs.stream().filter(ResultRow::optimal).reduce((a, b) -> b).orElse(null);
                ResultRow firstOpen = runs.stream().filter(x -> !x.optimal()).findFirst().orElse(null);
                md.append("- ").append(e).append(", ").append(family).append(": ");
                md.append(largest == null ? "proved no size" : "largest proven " + largest.units() + " units ("
                        + Markdown.seconds(largest.wallMillis()) + ")");
                md.append(firstOpen == null ? "; every size proven" : "; smallest not proven " + firstOpen.units()
                        + " units (" + firstOpen.status() + " after " + Markdown.seconds(firstOpen.wallMillis()) + ")");
                md.append(" (").append(runs.size()).append(family.equals("zoo") ? " networks" : " sizes").append(" run).\n");
            }
        }
        md.append('\n');
        List<String> head = new ArrayList<>(List.of("family", "model", "units"));
        head.addAll(engines);
        md.append(Markdown.table(head, table)).append('\n');

        List<Charts.Series> series = new ArrayList<>();
        for (String e : engines) {
            for (String family : List.of("chain", "dag", "zoo")) {
                List<double[]> proven = new ArrayList<>();
                List<double[]> open = new ArrayList<>();
                for (Map<String, ResultRow> c : sorted) {
                    ResultRow x = c.get(e);
                    if (x == null || !family(x.model()).equals(family) || x.units() < 1) {
                        continue;
                    }
                    double seconds = Math.max(1e-3, x.wallMillis() / 1000.0);
                    (x.optimal() ? proven : open).add(new double[] {x.units(), seconds});
                }
                if (!proven.isEmpty()) {
                    series.add(new Charts.Series(e + " " + family, proven, false, !family.equals("zoo")));
                }
                if (!open.isEmpty()) {
                    series.add(new Charts.Series(e + " " + family + " (not proven)", open, true, !family.equals("zoo")));
                }
            }
        }
        md.append("## Plot\n\nDashed: not proven within the time limit (plotted at the time spent).\n\n");
        String file = "scaling-time.svg";
        md.append(Reports.plot(dir, file, "solve time vs units", () -> Charts.lines(dir.resolve(file),
                "Time to proven optimality vs units (" + CHIP + ", batch " + BATCH + ")", Reports.footnote(comments), "units", true, true,
                List.of(new Charts.Panel("seconds", series)))));
        Reports.write(dir, name() + ".md", md.toString());
    }

    private static String cell(ResultRow x) {
        if (x.optimal()) {
            return Markdown.seconds(x.wallMillis());
        }
        if (x.hasPlan()) {
            return "> " + Markdown.seconds(x.wallMillis()) + (Double.isNaN(x.gap()) ? " (no bound)" : " (gap " + Markdown.pct(x.gap()) + ")");
        }
        return x.status();
    }

}
