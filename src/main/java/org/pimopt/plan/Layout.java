package org.pimopt.plan;

import java.util.List;

/**
 * Where every crossbar tile of a plan sits and when each crossbar is programmed: one entry per
 * partition, in the plan's order. Times are those of one steady-state batch period: time 0 is the
 * start of the previous batch's last partition, and the period ends when this batch's last
 * partition starts ({@code periodNs}), so the schedule repeats every {@code periodNs}.
 *
 * @param partitions one per partition of the plan
 * @param periodNs   batch latency of the schedule (steady state)
 */
public record Layout(List<PartitionLayout> partitions, double periodNs) {
    public Layout {
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition's tiles, the writes that program its crossbars, and when it computes.
     *
     * @param tiles          every tile of every unit copy of the partition
     * @param writes         crossbars programmed for this partition (a resident tile needs none)
     * @param computeStartNs when the partition starts computing
     * @param computeEndNs   when it ends
     */
    public record PartitionLayout(List<Tile> tiles, List<Write> writes, double computeStartNs, double computeEndNs) {
        public PartitionLayout {
            tiles = List.copyOf(tiles);
            writes = List.copyOf(writes);
        }
    }

    /**
     * One crossbar's worth of a unit copy: crossbar {@code index} (0-based) of copy {@code copy} of
     * unit {@code unit}, on crossbar {@code crossbar} of core {@code core}.
     */
    public record Tile(int unit, int copy, int index, int core, int crossbar) {}

    /** Programming of crossbar {@code crossbar} of core {@code core}, from {@code startNs} to {@code endNs}. */
    public record Write(int core, int crossbar, double startNs, double endNs) {}
}
