package org.pimopt.hw;

/**
 * Every field of a hardware file, with its unit, allowed range and default. This is the one place
 * where hardware fields are read and checked ({@link ChipLoader} walks this table), and the table
 * README.md prints. Defaults describe the COMPASS-S chip (see models/hardware/compass-s.json for
 * the reasoning behind each assumed figure).
 */
public enum HardwareField {
    CORES("cores", "count", 1, 1_000_000, 16, true, "cores on the chip"),
    MESH_ROWS("mesh_rows", "count", 1, 1_000_000, 0, true, "rows of the core mesh (default: near-square layout of the cores)"),
    MESH_COLS("mesh_cols", "count", 1, 1_000_000, 0, true, "columns of the core mesh (default: cores / meshRows, rounded up)"),
    CROSSBARS_PER_CORE("crossbars_per_core", "count", 1, 1_000_000, 9, true, "crossbar arrays in each core"),
    CROSSBAR_ROWS("crossbar_rows", "cells", 1, 1 << 16, 256, true, "word lines (inputs) per crossbar"),
    CROSSBAR_COLS("crossbar_cols", "cells", 1, 1 << 16, 256, true, "bit lines (cells per row) per crossbar"),
    BITS_PER_CELL("bits_per_cell", "bits", 1, 32, 1, true, "bits stored by one cell"),
    WEIGHT_BITS("weight_bits", "bits", 1, 32, 4, true, "bits of one weight; it takes ceil(weightBits/bitsPerCell) adjacent cells"),
    ACTIVATION_BITS("activation_bits", "bits", 1, 32, 4, true, "bits of one activation (sizes DRAM and NoC traffic)"),
    MVM_LATENCY_NS("mvm_latency_ns", "ns", 1e-3, 1e9, 100, false, "time of one matrix-vector multiply through one crossbar"),
    MVM_ENERGY_PJ("mvm_energy_pj", "pJ", 0, 1e12, 548, false, "energy of one crossbar MVM, converters included"),
    WRITE_NS_PER_ROW("write_ns_per_row", "ns", 1e-3, 1e9, 2, false, "time to program one crossbar row"),
    WRITE_ENERGY_PJ_PER_CELL("write_energy_pj_per_cell", "pJ", 0, 1e9, 0.05, false, "energy to program one cell"),
    WRITE_PARALLELISM("write_parallelism", "crossbars", 1, 1_000_000_000, 16, true, "crossbars that can be programmed at once, chip-wide"),
    ENDURANCE_WRITES("endurance_writes", "writes", 1, 1e30, 1e16, false, "program cycles a cell survives"),
    DRAM_GBPS("dram_gbps", "GB/s", 1e-6, 1e6, 12.8, false, "off-chip DRAM bandwidth"),
    DRAM_PJ_PER_BYTE("dram_pj_per_byte", "pJ/B", 0, 1e9, 40, false, "DRAM access energy per byte"),
    LINK_GBPS("link_gbps", "GB/s", 1e-6, 1e6, 16, false, "bandwidth of one NoC link"),
    HOP_NS("hop_ns", "ns", 0, 1e9, 2, false, "router and link latency per hop"),
    PJ_PER_BYTE_HOP("pj_per_byte_hop", "pJ/B/hop", 0, 1e9, 1, false, "NoC energy per byte per hop"),
    VECTOR_UNITS_PER_CORE("vector_units_per_core", "count", 1, 1_000_000, 12, true, "vector units in each core"),
    VECTOR_OPS_PER_NS_PER_UNIT("vector_ops_per_ns_per_unit", "ops/ns", 1e-6, 1e6, 1, false, "throughput of one vector unit"),
    VECTOR_PJ_PER_OP("vector_pj_per_op", "pJ", 0, 1e9, 1.9, false, "energy of one vector operation"),
    LOCAL_MEMORY_KB_PER_CORE("local_memory_kb_per_core", "kB", 1e-3, 1e9, 64, false, "activation buffer in each core"),
    STATIC_POWER_W("static_power_w", "W", 0, 1e6, 0.7808, false, "power drawn whenever the chip runs");

    /** Field name in network.proto (snake case); JSON files use its lowerCamelCase form. */
    private final String protoName;
    private final String unit;
    private final double min;
    private final double max;
    private final double defaultValue;
    private final boolean integer;
    private final String doc;

    HardwareField(String protoName, String unit, double min, double max, double defaultValue, boolean integer, String doc) {
        this.protoName = protoName;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.integer = integer;
        this.doc = doc;
    }

    public String protoName() {
        return protoName;
    }

    /** The name as written in a JSON hardware file (the proto field's JSON name). */
    public String jsonName() {
        return org.pimopt.proto.HardwareFile.getDescriptor().findFieldByName(protoName).getJsonName();
    }

    public String unit() {
        return unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The default; 0 for the mesh fields, whose default is derived from the core count. */
    public double defaultValue() {
        return defaultValue;
    }

    public boolean isInteger() {
        return integer;
    }

    public String doc() {
        return doc;
    }
}
