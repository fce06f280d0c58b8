package org.pimopt.sim;

import java.util.List;

/**
 * The simulated tasks, read-only: kind, track, start and end of each, for trace writers and
 * pictures. Tracks: one per core, then the DRAM channel and the write engine. Times are measured from
 * the start of the batch; with a layout, writes overlapping the previous batch's last partition
 * start before 0.
 */
public final class Timeline {
    public static final byte MVM = 0;
    public static final byte WRITE = 1;
    public static final byte FETCH = 2;
    public static final byte LOAD = 3;
    public static final byte STORE = 4;
    public static final byte IO = 5;
    public static final byte VECTOR = 6;
    public static final byte NOC = 7;
    public static final byte BARRIER = 8;

    private final EventEngine engine;
    private final int[] coreOfResource;
    private final int dram;
    private final int write;
    private final int cores;
    private final List<String> layerNames;
    /** Engine time of the batch's time 0 (with a layout, the previous batch's last partition runs before it). */
    private final double originNs;

    /**
     * How long before the batch's time 0 the engine's clock started: with a layout, the previous
     * batch's last partition computing (0 without a layout).
     */
    public double originNs() {
        return originNs;
    }

    Timeline(EventEngine engine, int[] coreOfResource, int dram, int write, int cores, List<String> layerNames,
             double originNs) {
        this.originNs = originNs;
        this.engine = engine;
        this.coreOfResource = coreOfResource;
        this.dram = dram;
        this.write = write;
        this.cores = cores;
        this.layerNames = layerNames;
    }

    public int tasks() {
        return engine.tasks();
    }

    public int cores() {
        return cores;
    }

    /** Track of a task: a core (0..cores-1), {@link #dramTrack}, {@link #writeTrack}, or -1 (no time). */
    public int track(int t) {
        int r = engine.resource(t);
        if (r < 0) {
            return -1;
        }
        if (r == dram) {
            return dramTrack();
        }
        if (r == write) {
            return writeTrack();
        }
        return coreOfResource[r];
    }

    public int dramTrack() {
        return cores;
    }

    public int writeTrack() {
        return cores + 1;
    }

    public byte kind(int t) {
        return engine.kind(t);
    }

    public double startNs(int t) {
        return engine.start(t) - originNs;
    }

    public double endNs(int t) {
        return engine.finish(t) - originNs;
    }

    public int partition(int t) {
        return engine.partition(t);
    }

    public int sample(int t) {
        return engine.sample(t);
    }

    /** What the task worked on: a layer name for MVM and vector tasks, else its kind. */
    public String label(int t) {
        byte k = engine.kind(t);
        if ((k == MVM || k == VECTOR) && engine.tag(t) >= 0) {
            return layerNames.get(engine.tag(t));
        }
        return kindName(k);
    }

    /** Layer index of an MVM or vector task (-1 otherwise). */
    public int layer(int t) {
        byte k = engine.kind(t);
        return k == MVM || k == VECTOR ? Math.max(-1, engine.tag(t)) : -1;
    }

    public static String kindName(byte k) {
        return switch (k) {
            case MVM -> "mvm";
            case WRITE -> "write";
            case FETCH -> "weight fetch";
            case LOAD -> "load";
            case STORE -> "store";
            case IO -> "sample io";
            case VECTOR -> "vector stage";
            case NOC -> "noc";
            default -> "barrier";
        };
    }
}
