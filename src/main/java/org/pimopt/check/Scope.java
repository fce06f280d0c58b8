package org.pimopt.check;

/**
 * The plans an engine's OPTIMAL speaks of: at most {@code maxPartitions} partitions, and, when
 * {@code contiguous}, only partitions that are contiguous spans of the instance's unit order.
 */
public record Scope(boolean contiguous, int maxPartitions) {
    public static final Scope ALL = new Scope(false, Integer.MAX_VALUE);
    public static final Scope CONTIGUOUS = new Scope(true, Integer.MAX_VALUE);

    public static Scope upTo(int maxPartitions) {
        return new Scope(false, maxPartitions);
    }

    public Scope limitedTo(int partitions) {
        return new Scope(contiguous, Math.min(maxPartitions, partitions));
    }

    @Override
    public String toString() {
        String parts = maxPartitions == Integer.MAX_VALUE ? "all" : "<=" + maxPartitions;
        return contiguous ? "contiguous " + parts : parts;
    }
}
