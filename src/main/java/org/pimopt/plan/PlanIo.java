package org.pimopt.plan;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pimopt.PimoptException;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;
import org.pimopt.problem.UnitRef;
import org.pimopt.proto.LayoutSpec;
import org.pimopt.proto.PartitionLayoutSpec;
import org.pimopt.proto.PartitionSpec;
import org.pimopt.proto.PlanFile;
import org.pimopt.proto.PlanMetrics;
import org.pimopt.proto.TileSpec;
import org.pimopt.proto.WriteSpec;

/** Plans to and from plan.proto, as JSON or binary; files are written whole or not at all. */
public final class PlanIo {
    private PlanIo() {}

    public static PlanFile toProto(Instance instance, Plan plan, String strategy) {
        return toProto(instance, plan, strategy, null);
    }

    /** The plan file, recording how its network and chip were read ({@code source}; none when null). */
    public static PlanFile toProto(Instance instance, Plan plan, String strategy, PlanSource source) {
        PlanFile.Builder file = PlanFile.newBuilder()
                .setNetwork(instance.network().name()).setHardware(instance.chip().name())
                .setBatch(instance.batch()).setObjective(instance.goal().toString()).setStrategy(strategy)
                .putAllDimensions(instance.network().bindings());
        List<PartitionProfile> profiles = plan.profiles(instance);
        for (int p = 0; p < plan.partitions().size(); p++) {
            Partition part = plan.partitions().get(p);
            PartitionSpec.Builder spec = PartitionSpec.newBuilder()
                    .setDramBytesPerSample(profiles.get(p).dramBytesPerSample())
                    .setCrossbarsUsed(profiles.get(p).crossbarsUsed());
            for (int u : part.units()) {
                spec.addUnits(instance.units().get(u).label(instance));
            }
            part.replication().forEach((op, r) -> spec.putReplication(instance.ops().get(op).name(), r));
            file.addPartitions(spec);
        }
        BatchMetrics m = plan.evaluate(instance);
        file.setMetrics(PlanMetrics.newBuilder().setLatencyNs(m.latencyNs()).setThroughputPerS(m.throughputPerSecond())
                .setEnergyPj(m.energy().totalPj()).setEnergyPerSamplePj(m.energyPerSamplePj()).setEdpPjNs(m.edp())
                .setCellsWritten(m.cellsWritten()).setDramBytes(m.dramBytes()));
        if (plan.layout() != null) {
            file.setLayout(layoutToProto(instance, plan.layout()));
        }
        if (source != null) {
            file.setSource(source.toProto());
        }
        return file.build();
    }

    /** The plan a file describes, on the instance it was made for. */
    public static Plan fromProto(Instance instance, PlanFile file, String origin) {
        Map<String, Integer> unitIds = new HashMap<>();
        for (UnitRef u : instance.units()) {
            unitIds.put(u.label(instance), u.id());
        }
        Map<String, Integer> opIds = new HashMap<>();
        for (OpInfo op : instance.ops()) {
            opIds.put(op.name(), op.index());
        }
        List<Partition> parts = new java.util.ArrayList<>();
        for (int p = 0; p < file.getPartitionsCount(); p++) {
            PartitionSpec spec = file.getPartitions(p);
            List<Integer> units = new java.util.ArrayList<>();
            for (String label : spec.getUnitsList()) {
                Integer id = unitIds.get(label);
                if (id == null) {
                    throw new PlanException(origin + ": partition " + p + " names unit '" + label + "', which "
                            + instance.network().name() + " on " + instance.chip().name() + " does not have");
                }
                units.add(id);
            }
            Map<Integer, Integer> rep = new TreeMap<>();
            for (var e : spec.getReplicationMap().entrySet()) {
                Integer op = opIds.get(e.getKey());
                if (op == null) {
                    throw new PlanException(origin + ": partition " + p + " replicates '" + e.getKey() + "', which is not a weighted layer");
                }
                rep.put(op, e.getValue());
            }
            parts.add(new Partition(units, rep));
        }
        if (!file.hasLayout()) {
            return new Plan(parts);
        }
        if (file.getLayout().getPartitionsCount() != parts.size()) {
            throw new PlanException(origin + ": layout has " + file.getLayout().getPartitionsCount()
                    + " partitions, the plan " + parts.size());
        }
        return new Plan(parts, layoutFromProto(file.getLayout(), unitIds, origin));
    }

    private static LayoutSpec layoutToProto(Instance instance, Layout layout) {
        LayoutSpec.Builder b = LayoutSpec.newBuilder().setPeriodNs(layout.periodNs());
        for (Layout.PartitionLayout pl : layout.partitions()) {
            PartitionLayoutSpec.Builder pb = PartitionLayoutSpec.newBuilder()
                    .setComputeStartNs(pl.computeStartNs()).setComputeEndNs(pl.computeEndNs());
            for (Layout.Tile t : pl.tiles()) {
                pb.addTiles(TileSpec.newBuilder().setUnit(instance.units().get(t.unit()).label(instance))
                        .setCopy(t.copy()).setIndex(t.index()).setCore(t.core()).setCrossbar(t.crossbar()));
            }
            for (Layout.Write w : pl.writes()) {
                pb.addWrites(WriteSpec.newBuilder().setCore(w.core()).setCrossbar(w.crossbar())
                        .setStartNs(w.startNs()).setEndNs(w.endNs()));
            }
            b.addPartitions(pb);
        }
        return b.build();
    }

    private static Layout layoutFromProto(LayoutSpec spec, Map<String, Integer> unitIds, String origin) {
        List<Layout.PartitionLayout> parts = new java.util.ArrayList<>();
        for (int p = 0; p < spec.getPartitionsCount(); p++) {
            PartitionLayoutSpec ps = spec.getPartitions(p);
            List<Layout.Tile> tiles = new java.util.ArrayList<>();
            for (TileSpec t : ps.getTilesList()) {
                Integer id = unitIds.get(t.getUnit());
                if (id == null) {
                    throw new PlanException(origin + ": layout of partition " + p + " places unit '" + t.getUnit()
                            + "', which the network does not have");
                }
                tiles.add(new Layout.Tile(id, t.getCopy(), t.getIndex(), t.getCore(), t.getCrossbar()));
            }
            List<Layout.Write> writes = new java.util.ArrayList<>();
            for (WriteSpec w : ps.getWritesList()) {
                writes.add(new Layout.Write(w.getCore(), w.getCrossbar(), w.getStartNs(), w.getEndNs()));
            }
            parts.add(new Layout.PartitionLayout(tiles, writes, ps.getComputeStartNs(), ps.getComputeEndNs()));
        }
        return new Layout(parts, spec.getPeriodNs());
    }

    /**
     * How a plan's network and chip were read: the source it records, or (plans of versions that
     * recorded none) its network and hardware names with its dimensions.
     */
    public static PlanSource source(PlanFile file) {
        PlanSource recorded = PlanSource.fromProto(file);
        return recorded != null ? recorded
                : new PlanSource(file.getNetwork(), file.getDimensionsMap(), Map.of(), false, false, file.getHardware());
    }

    /**
     * The network a plan was made for, read as it records. A plan's fields are the user's input as
     * much as a flag is: errors name the plan file and the field.
     */
    public static org.pimopt.ir.Network network(PlanFile file, String origin) {
        return network(source(file), origin, w -> {});
    }

    /** The network a source describes; errors name {@code origin} (the plan file) and the field. */
    public static org.pimopt.ir.Network network(PlanSource source, String origin, java.util.function.Consumer<String> warnings) {
        try {
            return source.network(warnings);
        } catch (PimoptException e) {
            throw new PlanException(origin + ": field 'network': " + e.getMessage());
        }
    }

    /** The chip a plan was made for; errors name the plan file and the field. */
    public static org.pimopt.hw.Chip chip(PlanFile file, String origin) {
        return chip(source(file), origin);
    }

    /** The chip a source describes; errors name {@code origin} (the plan file) and the field. */
    public static org.pimopt.hw.Chip chip(PlanSource source, String origin) {
        try {
            return source.chip();
        } catch (PimoptException e) {
            throw new PlanException(origin + ": field 'hardware': " + e.getMessage());
        }
    }

    /** The plan's objective (latency when it names none); errors name the plan file and the field. */
    public static org.pimopt.cost.Goal goal(PlanFile file, String origin) {
        try {
            return org.pimopt.cost.Goal.parse(file.getObjective().isEmpty() ? "latency" : file.getObjective());
        } catch (PimoptException e) {
            throw new PlanException(origin + ": field 'objective': " + e.getMessage());
        }
    }

    /**
     * The instance a plan file was made for, on the network and chip given (the plan's own, or ones
     * the user named): they must be the ones the plan names, and its batch positive; errors name the file.
     */
    public static Instance instance(PlanFile file, String origin, org.pimopt.ir.Network network, org.pimopt.hw.Chip chip) {
        if (!network.name().equals(file.getNetwork())) {
            throw new PlanException(origin + ": the plan is for network " + file.getNetwork() + ", not " + network.name());
        }
        if (!chip.name().equals(file.getHardware())) {
            throw new PlanException(origin + ": the plan is for hardware " + file.getHardware() + ", not " + chip.name());
        }
        if (file.getBatch() < 1) {
            throw new PlanException(origin + ": batch " + file.getBatch() + " is not positive");
        }
        return Instance.of(network, chip, file.getBatch(), goal(file, origin));
    }

    /** Reads a plan file: binary protobuf when the name ends in ".pb", JSON otherwise. */
    public static PlanFile read(Path path) {
        try {
            if (path.getFileName().toString().endsWith(".pb")) {
                try {
                    return PlanFile.parseFrom(Files.readAllBytes(path));
                } catch (InvalidProtocolBufferException e) {
                    throw new PlanException(path + ": not a binary plan file: " + e.getMessage());
                }
            }
            return readJson(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new PlanException(path + ": cannot read: " + e.getMessage());
        }
    }

    public static String toJson(PlanFile file) {
        try {
            return JsonFormat.printer().print(file) + "\n";
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PlanFile readJson(String json, String origin) {
        PlanFile.Builder b = PlanFile.newBuilder();
        try {
            JsonFormat.parser().merge(json, b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new PlanException(origin + ": not a plan file: " + org.pimopt.JsonErrors.reason(e));
        }
        return b.build();
    }

    /** Writes bytes to a temporary file beside {@code target}, then renames it into place. */
    public static void writeAtomically(Path target, byte[] bytes) {
        try {
            Path tmp = org.pimopt.TempFiles.beside(target);
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PimoptException(target + ": cannot write: " + e.getMessage());
        }
    }

    public static void writeJson(Path target, PlanFile file) {
        writeAtomically(target, toJson(file).getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBinary(Path target, PlanFile file) {
        writeAtomically(target, file.toByteArray());
    }
}
