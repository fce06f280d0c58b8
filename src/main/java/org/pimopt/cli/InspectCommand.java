package org.pimopt.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.pimopt.cost.LayerTiling;
import org.pimopt.cost.NetworkTiling;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.report.TextTable;
import org.pimopt.report.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pimopt inspect}: how a network's weighted layers tile onto a chip. */
@Command(name = "inspect", description = "Show how a network's weighted layers map onto a chip's crossbars.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    HardwareOption hardware;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Network network = model.load(spec.commandLine().getErr());
        Chip chip = hardware.load();
        NetworkTiling tiling = NetworkTiling.of(network, chip);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(tiling) + "\n" : toText(tiling));
        out.flush();
        return 0;
    }

    static String toText(NetworkTiling tiling) {
        Network n = tiling.network();
        Chip chip = tiling.chip();
        StringBuilder out = new StringBuilder();
        out.append(n.name()).append(" on ").append(chip.name()).append(": ")
                .append(chip.cores()).append(" cores x ").append(chip.crossbarsPerCore()).append(" crossbars of ")
                .append(chip.crossbarRows()).append('x').append(chip.crossbarCols()).append(", ")
                .append(chip.weightBits()).append("-bit weights in ").append(chip.bitsPerCell()).append("-bit cells\n");
        if (!n.bindings().isEmpty()) {
            out.append("dimensions: ").append(n.bindings()).append('\n');
        }
        out.append('\n');
        TextTable table = new TextTable("layer", "op", "in", "out", ">matrix", ">groups", "packing",
                ">xbars/copy", ">units", ">MVM/sample", ">weight bytes");
        for (LayerTiling t : tiling.layers()) {
            table.row(t.layer().name(), t.layer().op().kind(), t.layer().inputShapes().get(0), t.layer().outputShape(),
                    t.matrix().rows() + "x" + t.matrix().cols(), t.matrix().groups(), packing(t),
                    Units.count(t.crossbarsPerCopy()), t.units().size(), Units.count(t.outputPositions()),
                    Units.count(t.weightBytes()));
        }
        out.append(table).append('\n');
        long units = tiling.units().size();
        out.append("parameters            ").append(Units.count(n.parameters())).append('\n');
        out.append("stationary weights    ").append(Units.count(n.stationaryWeights()))
                .append(" in ").append(tiling.layers().size()).append(" weighted layers, ")
                .append(units).append(" units\n");
        out.append("weight bytes          ").append(Units.count(tiling.weightBytes()))
                .append(" (").append(Units.bytes(tiling.weightBytes())).append(")\n");
        out.append("MACs per sample       ").append(Units.count(n.macs())).append('\n');
        out.append("crossbars             ").append(Units.count(tiling.crossbarsNeeded())).append(" needed, ")
                .append(Units.count(chip.totalCrossbars())).append(" on chip\n");
        out.append("partitions            at least ").append(tiling.minPartitions()).append('\n');
        out.append("fits on chip          ").append(tiling.fitsOnChip() ? "yes" : "no").append('\n');
        return out.toString();
    }

    private static String packing(LayerTiling t) {
        return switch (t.packing()) {
            case DENSE -> t.rowChunks() > 1 ? "dense, " + t.rowChunks() + " row chunks" : "dense";
            case BLOCK_DIAGONAL -> t.groupsPerCrossbar() + " groups/xbar";
            case PER_GROUP -> "per group";
        };
    }

    static String toJson(NetworkTiling tiling) {
        Network n = tiling.network();
        Chip chip = tiling.chip();
        JsonObject root = new JsonObject();
        root.addProperty("network", n.name());
        root.addProperty("hardware", chip.name());
        JsonObject dims = new JsonObject();
        n.bindings().forEach(dims::addProperty);
        root.add("dimensions", dims);
        JsonArray layers = new JsonArray();
        for (LayerTiling t : tiling.layers()) {
            JsonObject l = new JsonObject();
            l.addProperty("name", t.layer().name());
            l.addProperty("op", t.layer().op().kind());
            l.addProperty("input", t.layer().inputShapes().get(0).toString());
            l.addProperty("output", t.layer().outputShape().toString());
            l.addProperty("rows", t.matrix().rows());
            l.addProperty("cols", t.matrix().cols());
            l.addProperty("groups", t.matrix().groups());
            l.addProperty("packing", t.packing().name().toLowerCase(java.util.Locale.ROOT));
            l.addProperty("crossbarsPerCopy", t.crossbarsPerCopy());
            l.addProperty("units", t.units().size());
            l.addProperty("rowChunks", t.rowChunks());
            l.addProperty("mvmStepsPerSample", t.outputPositions());
            l.addProperty("weightBytes", t.weightBytes());
            l.addProperty("rowsProgrammed", t.rowsProgrammed());
            l.addProperty("cellsWritten", t.cellsWritten());
            layers.add(l);
        }
        root.add("layers", layers);
        JsonObject totals = new JsonObject();
        totals.addProperty("parameters", n.parameters());
        totals.addProperty("stationaryWeights", n.stationaryWeights());
        totals.addProperty("weightBytes", tiling.weightBytes());
        totals.addProperty("macsPerSample", n.macs());
        totals.addProperty("units", tiling.units().size());
        totals.addProperty("crossbarsNeeded", tiling.crossbarsNeeded());
        totals.addProperty("crossbarsOnChip", chip.totalCrossbars());
        totals.addProperty("minPartitions", tiling.minPartitions());
        totals.addProperty("fitsOnChip", tiling.fitsOnChip());
        root.add("totals", totals);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }
}
