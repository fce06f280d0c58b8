package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.solve.copies.SpanReplication;
import org.pimopt.solve.lattice.ClosedSets.ClosedSet;
import org.pimopt.solve.lattice.ClosedSets.Step;
import org.pimopt.solve.replication.IntervalScorer.Block;
import org.pimopt.solve.replication.IntervalScorer.Scored;
import org.pimopt.solve.replication.IntervalScorer;

/**
 * How far each step has been taken, and what takes it one tier further. Most steps never need
 * their optimal copies: a step climbs only while some chain through it could still beat the best
 * plan, from its cheap floor ({@link org.pimopt.solve.copies.StepFloor}) to the knapsacks' floors,
 * then the best rule's copies as a plan, then a copy search, each tier dearer than the last.
 * Counts the steps taken to each tier (the strategy's stats).
 */
final class StepTiers {
    /** Only its cheap floor. */
    static final int CHEAP = 0;
    /** The knapsacks' floors, no plan. */
    static final int BOUNDED = 1;
    /** A plan, searched or not. */
    static final int PLANNED = 2;

    final AtomicLong bounded = new AtomicLong();
    final AtomicLong priced = new AtomicLong();
    final AtomicLong searched = new AtomicLong();

    private final SpanReplication copies;
    private final IntervalScorer scorer;
    private final List<ClosedSet> sets;
    private final SearchMode mode;

    StepTiers(SpanReplication copies, IntervalScorer scorer, List<ClosedSet> sets, SearchMode mode) {
        this.copies = copies;
        this.scorer = scorer;
        this.sets = sets;
        this.mode = mode;
    }

    /** The tier of a step with these choices (null: none yet). */
    static int tier(SpanReplication.Choices step) {
        return step == null ? CHEAP : step.options().isEmpty() ? BOUNDED : PLANNED;
    }

    /** A step's floors: its choices' once it has them (which hold its cheap floor), else its cheap floor. */
    static List<BatchMetrics> floorsOf(SpanReplication.Choices step, BatchMetrics cheap) {
        return step == null ? List.of(cheap) : step.floors();
    }

    /** The step's cheap floor, below every choice of its copies. */
    BatchMetrics cheapFloor(ClosedSet from, Step step) {
        return copies.cheapFloor(ClosedSets.block(sets, from, step));
    }

    /** The step priced with the best rule's copies (a plan), and the knapsacks' floors; counted as priced. */
    SpanReplication.Choices price(ClosedSet from, Step step, BatchMetrics cheap) {
        SpanReplication.Choices out = choose(from, step, Long.MIN_VALUE, cheap);
        priced.incrementAndGet();
        return out;
    }

    /**
     * The step one tier further: with only its cheap floor, the knapsacks' floors; with floors
     * only, the best rule's copies (a plan); with a plan, a copy search from its options until
     * {@code share}, its answer merged with what it had.
     */
    SpanReplication.Choices advance(ClosedSet from, Step step, SpanReplication.Choices now, BatchMetrics cheap,
                                    long share) {
        if (tier(now) == CHEAP) {
            bounded.incrementAndGet();
            // No plan and no search: the knapsacks' floors, as a search started past its deadline has them.
            return copies.choose(ClosedSets.block(sets, from, step), List.of(), Long.MIN_VALUE, cheap);
        }
        if (tier(now) == BOUNDED) {
            priced.incrementAndGet();
            return choose(from, step, Long.MIN_VALUE, cheap);
        }
        searched.incrementAndGet();
        Block block = ClosedSets.block(sets, from, step);
        return better(copies.choose(block, now.options(), share, cheap), now);
    }

    /** One step's copy search: the block from {@code from} to the step's set; {@code cheap}: its cheap floor. */
    private SpanReplication.Choices choose(ClosedSet from, Step step, long stepDeadline, BatchMetrics cheap) {
        Block block = ClosedSets.block(sets, from, step);
        return copies.choose(block, List.of(scorer.bestOfRules(block)), stepDeadline, cheap);
    }

    /** A step searched again: its answer, keeping the first search's options where they are better. */
    private SpanReplication.Choices better(SpanReplication.Choices again, SpanReplication.Choices first) {
        if (again.proven()) {
            return again;
        }
        List<Scored> options = new ArrayList<>(again.options());
        options.addAll(first.options());
        options = mode.merge(options, Scored::metrics);
        Goal goal = mode.stepGoal();
        // Both floors are valid; keep the higher.
        double floorAgain = again.floors().stream().mapToDouble(goal::primaryValue).min().orElse(0);
        double floorFirst = first.floors().stream().mapToDouble(goal::primaryValue).min().orElse(0);
        return new SpanReplication.Choices(options, false, floorAgain >= floorFirst ? again.floors() : first.floors());
    }
}
