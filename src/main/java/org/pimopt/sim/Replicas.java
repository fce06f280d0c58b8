package org.pimopt.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The replica resources of a run, keyed by resource id. Replica j of an op in a partition holds
 * copy j of each of the op's units there and is one resource: its MVMs run one at a time. Recorded
 * as partitions are built, read by the programming check and the measurement.
 */
final class Replicas {
    /** The write tasks that program each replica's crossbars. */
    final Map<Integer, List<Integer>> writes = new HashMap<>();
    /** Each replica named for messages: op, copy and partition. */
    final Map<Integer, String> label = new HashMap<>();
    /** Crossbars of each replica (one copy of each of its op's units in the partition). */
    final Map<Integer, Integer> crossbars = new HashMap<>();
    /** Cores each replica's crossbars sit on, in the order its copies reached them. */
    final Map<Integer, int[]> cores = new HashMap<>();
    final Map<Integer, Integer> partition = new HashMap<>();

    void add(int res, String name, int crossbarCount, int p) {
        label.put(res, name);
        crossbars.put(res, crossbarCount);
        writes.put(res, new ArrayList<>());
        partition.put(res, p);
    }
}
