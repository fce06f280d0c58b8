package org.pimopt.hw;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.pimopt.BuiltIn;
import org.pimopt.PimoptException;
import org.pimopt.proto.HardwareFile;

/**
 * Reads hardware descriptions: the built-in presets by name, or a JSON file by path. Every field of
 * {@link HardwareField} is taken from the file or defaulted, then range-checked; errors name the
 * file and the field.
 */
public final class ChipLoader {
    private static final long MAX_FILE_BYTES = 1 << 20;

    private ChipLoader() {}

    /** Built-in preset names, in the order of models/hardware/index.txt. */
    public static List<String> presetNames() {
        return BuiltIn.names("hardware");
    }

    /** A preset name ({@code compass-s}) or a path to a hardware JSON file. */
    public static Chip load(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new HardwareException("no hardware given; presets: " + String.join(", ", presetNames()));
        }
        var preset = BuiltIn.resource("models/hardware/" + nameOrPath + ".json");
        if (preset.isPresent() && presetNames().contains(nameOrPath)) {
            return parse(preset.get(), nameOrPath);
        }
        Path path = BuiltIn.pathOrNull(nameOrPath);
        if (path == null || !Files.exists(path)) {
            throw new HardwareException("unknown hardware '" + nameOrPath + "': not a preset ("
                    + String.join(", ", presetNames()) + ") and no such file");
        }
        return parse(BuiltIn.readUserFile(path, MAX_FILE_BYTES), path.toString());
    }

    /** Parses a hardware file's JSON text; {@code origin} names it in messages. */
    public static Chip parse(String json, String origin) {
        HardwareFile.Builder file = HardwareFile.newBuilder();
        try {
            JsonFormat.parser().merge(json, file);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new HardwareException(origin + ": not a hardware file: " + org.pimopt.JsonErrors.reason(e));
        }
        return fromFile(file.build(), origin);
    }

    public static Chip fromFile(HardwareFile file, String origin) {
        java.util.Set<String> known = new java.util.HashSet<>();
        for (HardwareField f : HardwareField.values()) {
            known.add(f.jsonName());
        }
        for (String key : file.getSourcesMap().keySet()) {
            if (!known.contains(key)) {
                throw new HardwareException(origin + ": field 'sources' names '" + key + "', which is not a hardware field");
            }
        }
        Map<HardwareField, Double> v = new EnumMap<>(HardwareField.class);
        for (HardwareField f : HardwareField.values()) {
            FieldDescriptor fd = HardwareFile.getDescriptor().findFieldByName(f.protoName());
            if (fd == null) {
                throw new IllegalStateException("hardware.proto lacks field " + f.protoName());
            }
            if (file.hasField(fd)) {
                double value = ((Number) file.getField(fd)).doubleValue();
                if (Double.isNaN(value) || value < f.min() || value > f.max()) {
                    throw new HardwareException(origin + ": field '" + f.jsonName() + "' = " + format(value)
                            + " is out of range [" + format(f.min()) + ", " + format(f.max()) + "] " + f.unit());
                }
                v.put(f, value);
            } else if (f.defaultValue() > 0 || f.min() == 0) {
                v.put(f, f.defaultValue());
            }
        }
        int cores = (int) (double) v.get(HardwareField.CORES);
        defaultMesh(v, cores);
        int meshRows = (int) (double) v.get(HardwareField.MESH_ROWS);
        int meshCols = (int) (double) v.get(HardwareField.MESH_COLS);
        if ((long) meshRows * meshCols < cores) {
            throw new HardwareException(origin + ": field 'meshRows' x 'meshCols' = " + meshRows + " x " + meshCols
                    + " has fewer places than the " + cores + " cores");
        }
        int cellsPerWeight = ceilDiv((int) (double) v.get(HardwareField.WEIGHT_BITS), (int) (double) v.get(HardwareField.BITS_PER_CELL));
        if (cellsPerWeight > v.get(HardwareField.CROSSBAR_COLS)) {
            throw new HardwareException(origin + ": field 'crossbarCols' = " + format(v.get(HardwareField.CROSSBAR_COLS))
                    + " cannot hold one weight of " + cellsPerWeight + " cells");
        }
        String name = file.getName().isBlank() ? origin : file.getName();
        try {
            return new Chip(name, file.getDescription(), file.getSourcesMap(),
                    cores, meshRows, meshCols, i(v, HardwareField.CROSSBARS_PER_CORE),
                    i(v, HardwareField.CROSSBAR_ROWS), i(v, HardwareField.CROSSBAR_COLS), i(v, HardwareField.BITS_PER_CELL),
                    i(v, HardwareField.WEIGHT_BITS), i(v, HardwareField.ACTIVATION_BITS),
                    v.get(HardwareField.MVM_LATENCY_NS), v.get(HardwareField.MVM_ENERGY_PJ),
                    v.get(HardwareField.WRITE_NS_PER_ROW), v.get(HardwareField.WRITE_ENERGY_PJ_PER_CELL),
                    i(v, HardwareField.WRITE_PARALLELISM), v.get(HardwareField.ENDURANCE_WRITES),
                    v.get(HardwareField.DRAM_GBPS), v.get(HardwareField.DRAM_PJ_PER_BYTE),
                    v.get(HardwareField.LINK_GBPS), v.get(HardwareField.HOP_NS), v.get(HardwareField.PJ_PER_BYTE_HOP),
                    i(v, HardwareField.VECTOR_UNITS_PER_CORE), v.get(HardwareField.VECTOR_OPS_PER_NS_PER_UNIT),
                    v.get(HardwareField.VECTOR_PJ_PER_OP), v.get(HardwareField.LOCAL_MEMORY_KB_PER_CORE),
                    v.get(HardwareField.STATIC_POWER_W));
        } catch (PimoptException e) {
            throw new HardwareException(origin + ": " + e.getMessage());
        }
    }

    /** Near-square mesh: rows = floor(sqrt(cores)) unless given, columns to fit the rest. */
    private static void defaultMesh(Map<HardwareField, Double> v, int cores) {
        Double rows = v.get(HardwareField.MESH_ROWS);
        Double cols = v.get(HardwareField.MESH_COLS);
        if (rows == null && cols == null) {
            rows = Math.floor(Math.sqrt(cores));
        }
        if (rows == null) {
            rows = (double) ceilDiv(cores, (int) (double) cols);
        }
        if (cols == null) {
            cols = (double) ceilDiv(cores, (int) (double) rows);
        }
        v.put(HardwareField.MESH_ROWS, rows);
        v.put(HardwareField.MESH_COLS, cols);
    }

    private static int i(Map<HardwareField, Double> v, HardwareField f) {
        double value = v.get(f);
        if (value != Math.rint(value)) {
            throw new HardwareException("field '" + f.jsonName() + "' must be a whole number, got " + value);
        }
        return (int) value;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
