package org.pimopt.sim;

import java.util.Locale;
import org.pimopt.PimoptException;

/** How the ops of a partition share time. */
public enum Schedule {
    /** One op at a time: each op finishes all its work for a sample before the next op starts. */
    LAYER("layer"),
    /** Samples pipelined through the partition's ops, one task per op replica and sample. */
    PIPELINE("pipeline"),
    /** An op starts an output row as soon as the input rows it needs exist (CLSA-CIM style). */
    CROSS_LAYER("cross-layer");

    private final String label;

    Schedule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Schedule parse(String s) {
        for (Schedule v : values()) {
            if (v.label.equals(s.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new PimoptException("unknown schedule '" + s + "'; use layer, pipeline or cross-layer");
    }

    @Override
    public String toString() {
        return label;
    }
}
