package org.pimopt.hw;

import java.util.Map;

/**
 * A crossbar PIM chip: cores on a mesh, crossbars per core, cell and data precisions, and the
 * latencies and energies that the cost model and the simulator use. Built and range-checked by
 * {@link ChipLoader}; field meanings and units are in {@link HardwareField}.
 */
public record Chip(String name, String description, Map<String, String> sources,
                   int cores, int meshRows, int meshCols, int crossbarsPerCore,
                   int crossbarRows, int crossbarCols, int bitsPerCell, int weightBits, int activationBits,
                   double mvmLatencyNs, double mvmEnergyPj,
                   double writeNsPerRow, double writeEnergyPjPerCell, int writeParallelism, double enduranceWrites,
                   double dramGBps, double dramPjPerByte,
                   double linkGBps, double hopNs, double pjPerByteHop,
                   int vectorUnitsPerCore, double vectorOpsPerNsPerUnit, double vectorPjPerOp,
                   double localMemoryKbPerCore, double staticPowerW) {

    public Chip {
        sources = Map.copyOf(sources);
    }

    /** Crossbars on the whole chip. */
    public long totalCrossbars() {
        return (long) cores * crossbarsPerCore;
    }

    /** The value of one field, as a number (for listings and generic checks). */
    public double value(HardwareField f) {
        return switch (f) {
            case CORES -> cores;
            case MESH_ROWS -> meshRows;
            case MESH_COLS -> meshCols;
            case CROSSBARS_PER_CORE -> crossbarsPerCore;
            case CROSSBAR_ROWS -> crossbarRows;
            case CROSSBAR_COLS -> crossbarCols;
            case BITS_PER_CELL -> bitsPerCell;
            case WEIGHT_BITS -> weightBits;
            case ACTIVATION_BITS -> activationBits;
            case MVM_LATENCY_NS -> mvmLatencyNs;
            case MVM_ENERGY_PJ -> mvmEnergyPj;
            case WRITE_NS_PER_ROW -> writeNsPerRow;
            case WRITE_ENERGY_PJ_PER_CELL -> writeEnergyPjPerCell;
            case WRITE_PARALLELISM -> writeParallelism;
            case ENDURANCE_WRITES -> enduranceWrites;
            case DRAM_GBPS -> dramGBps;
            case DRAM_PJ_PER_BYTE -> dramPjPerByte;
            case LINK_GBPS -> linkGBps;
            case HOP_NS -> hopNs;
            case PJ_PER_BYTE_HOP -> pjPerByteHop;
            case VECTOR_UNITS_PER_CORE -> vectorUnitsPerCore;
            case VECTOR_OPS_PER_NS_PER_UNIT -> vectorOpsPerNsPerUnit;
            case VECTOR_PJ_PER_OP -> vectorPjPerOp;
            case LOCAL_MEMORY_KB_PER_CORE -> localMemoryKbPerCore;
            case STATIC_POWER_W -> staticPowerW;
        };
    }
}
