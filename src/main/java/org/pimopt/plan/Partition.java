package org.pimopt.plan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One on-chip phase: the units it runs (ids in the instance's order) and how many copies of each
 * op's units it holds (ops absent from {@code replication} have one).
 */
public record Partition(List<Integer> units, Map<Integer, Integer> replication) {
    public Partition {
        units = List.copyOf(units);
        replication = java.util.Collections.unmodifiableMap(new TreeMap<>(replication));
    }

    public int replicasOf(int op) {
        return replication.getOrDefault(op, 1);
    }
}
