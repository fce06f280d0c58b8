package org.pimopt.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.hw.HardwareField;
import org.pimopt.report.TextTable;
import org.pimopt.report.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pimopt hw}: the hardware presets, or every field of one chip with its source. */
@Command(name = "hw", description = "List the hardware presets, or show every field of one (pimopt hw compass-s).")
final class HwCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "PRESET|FILE", description = "Show this chip field by field.")
    String chip;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (chip == null) {
            TextTable table = new TextTable("name", ">cores", ">xbars/core", "crossbar", "cell/weight/act bits", ">crossbars", "description");
            for (String name : ChipLoader.presetNames()) {
                Chip c = ChipLoader.load(name);
                table.row(name, c.cores(), c.crossbarsPerCore(), c.crossbarRows() + "x" + c.crossbarCols(),
                        c.bitsPerCell() + "/" + c.weightBits() + "/" + c.activationBits(), Units.count(c.totalCrossbars()),
                        c.description());
            }
            out.print(table);
        } else {
            Chip c = ChipLoader.load(chip);
            out.println(c.name() + ": " + c.description());
            TextTable table = new TextTable("field", ">value", "unit", "source");
            for (HardwareField f : HardwareField.values()) {
                table.row(f.jsonName(), format(c.value(f)), f.unit(), c.sources().getOrDefault(f.jsonName(), "-"));
            }
            out.print(table);
        }
        out.flush();
        return 0;
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
