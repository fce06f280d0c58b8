package org.pimopt.report;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pimopt.hw.Chip;
import org.pimopt.hw.HardwareField;
import org.pimopt.ir.Network;
import org.pimopt.problem.Instance;

/** The report's first section: what it was made from, and every field of the chip. */
final class InputsTable {
    private InputsTable() {}

    static String html(ReportInputs in, Instance instance) {
        Network net = instance.network();
        Chip chip = instance.chip();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"command", in.command()});
        rows.add(new String[] {"model", in.model().equals(net.name()) ? net.name() : in.model() + " (" + net.name() + ")"});
        rows.add(new String[] {"network", String.format(Locale.ROOT, "%d layers, %d weighted, %s parameters; %s units on"
                + " this chip, %s crossbars, at least %d partition(s)%s", net.layers().size(), instance.ops().size(),
                Units.count(net.parameters()), Units.count(instance.units().size()),
                Units.count(instance.tiling().crossbarsNeeded()), instance.tiling().minPartitions(),
                net.bindings().isEmpty() ? "" : "; dimensions " + net.bindings())});
        rows.add(new String[] {"hardware", (in.hardware().equals(chip.name()) ? chip.name() : in.hardware() + " (" + chip.name()
                + ")") + ": " + chip.description()});
        rows.add(new String[] {"chip", keyFields(chip)});
        rows.add(new String[] {"batch", String.valueOf(instance.batch())});
        rows.add(new String[] {"objective", instance.goal().toString() + (instance.goal().objectives().size() > 1
                ? " (lexicographic)" : "") + ", " + instance.goal().primary().unit()});
        rows.add(new String[] {"timeout", SolveReport.ms(in.timeoutMillis())});
        rows.add(new String[] {"strategies", String.join(", ", in.strategies())});
        rows.add(new String[] {"seed, workers", in.seed() + ", " + in.workers() + " solver thread(s)"});
        rows.add(new String[] {"pimopt", in.version()});
        rows.add(new String[] {"date", in.date().truncatedTo(ChronoUnit.SECONDS).toString()});
        rows.add(new String[] {"java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")});
        StringBuilder out = new StringBuilder("<div class=\"scroll\"><table class=\"inputs\"><tbody>\n");
        for (String[] r : rows) {
            out.append("<tr><th>").append(Html.text(r[0])).append("</th><td")
                    .append(r[0].equals("command") ? " class=\"mono\"" : "").append('>').append(Html.text(r[1]))
                    .append("</td></tr>\n");
        }
        out.append("</tbody></table></div>\n");
        out.append("<p class=\"note\">Every field of the chip, as <code>pimopt hw ").append(Html.text(chip.name()))
                .append("</code> lists them (on screen, a field's name shows its source when pointed at):</p>\n");
        out.append(fields(chip));
        return out.toString();
    }

    /** "16 cores (4x4 mesh) x 9 crossbars of 256x256, ...": what sizes a plan. */
    static String keyFields(Chip c) {
        return String.format(Locale.ROOT, "%d cores (%dx%d mesh) x %d crossbars of %dx%d cells = %s crossbars; %d bit(s) per"
                        + " cell, %d-bit weights, %d-bit activations; MVM %s ns, %s pJ; programming %s ns per row, %d crossbars at"
                        + " once; DRAM %s GB/s, %s pJ/B; %d vector units per core",
                c.cores(), c.meshRows(), c.meshCols(), c.crossbarsPerCore(), c.crossbarRows(), c.crossbarCols(),
                Units.count(c.totalCrossbars()), c.bitsPerCell(), c.weightBits(), c.activationBits(), num(c.mvmLatencyNs()),
                num(c.mvmEnergyPj()), num(c.writeNsPerRow()), c.writeParallelism(), num(c.dramGBps()), num(c.dramPjPerByte()),
                c.vectorUnitsPerCore());
    }

    /** Every hardware field in two side-by-side column groups, so 25 fields take 13 rows. */
    private static String fields(Chip chip) {
        HardwareField[] all = HardwareField.values();
        int half = (all.length + 1) / 2;
        List<HtmlTable.Column> columns = List.of(HtmlTable.Column.text("field"), HtmlTable.Column.num("value", ""),
                HtmlTable.Column.text("unit"), HtmlTable.Column.text("field "), HtmlTable.Column.num("value ", ""),
                HtmlTable.Column.text("unit "));
        HtmlTable t = new HtmlTable("", columns);
        Map<String, String> sources = chip.sources();
        for (int i = 0; i < half; i++) {
            List<HtmlTable.Cell> row = new ArrayList<>(field(chip, all[i], sources));
            if (half + i < all.length) {
                row.addAll(field(chip, all[half + i], sources));
            } else {
                row.addAll(List.of(HtmlTable.Cell.of(""), HtmlTable.Cell.of(""), HtmlTable.Cell.of("")));
            }
            t.row("", Map.of(), row);
        }
        return t.toString();
    }

    private static List<HtmlTable.Cell> field(Chip chip, HardwareField f, Map<String, String> sources) {
        String source = sources.getOrDefault(f.jsonName(), "");
        HtmlTable.Cell name = HtmlTable.Cell.of(f.jsonName());
        return List.of(source.isEmpty() ? name : name.withTitle(source), HtmlTable.Cell.of(num(chip.value(f))),
                HtmlTable.Cell.of(f.unit()));
    }

    /** An integer as one, else the shortest decimal. */
    private static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
