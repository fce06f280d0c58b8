package org.pimopt.cost;

import java.util.Locale;
import org.pimopt.PimoptException;

/** What a plan is optimized for; each value is read off {@link BatchMetrics}. */
public enum Objective {
    /** Batch latency in ns (throughput = batch / latency). */
    LATENCY("ns per batch"),
    /** Energy per batch in pJ. */
    ENERGY("pJ per batch"),
    /** Energy per sample x latency per sample, in pJ*ns. */
    EDP("pJ*ns per sample^2"),
    /** Cells programmed per batch. */
    WRITES("cells per batch"),
    /** DRAM bytes moved per batch. */
    DRAM("bytes per batch");

    private final String unit;

    Objective(String unit) {
        this.unit = unit;
    }

    public String unit() {
        return unit;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public double of(BatchMetrics m) {
        return switch (this) {
            case LATENCY -> m.latencyNs();
            case ENERGY -> m.energy().totalPj();
            case EDP -> m.edp();
            case WRITES -> m.cellsWritten();
            case DRAM -> m.dramBytes();
        };
    }

    public static Objective parse(String text) {
        for (Objective o : values()) {
            if (o.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new PimoptException("unknown objective '" + text + "' (use latency, energy, edp, writes or dram)");
    }
}
