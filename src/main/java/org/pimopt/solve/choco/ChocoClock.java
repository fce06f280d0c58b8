package org.pimopt.solve.choco;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chocosolver.solver.exception.ContradictionException;
import org.chocosolver.solver.variables.IVariableMonitor;
import org.chocosolver.solver.variables.IntVar;
import org.chocosolver.solver.variables.events.IEventType;
import org.chocosolver.util.criteria.Criterion;
import org.pimopt.problem.Instance;

/**
 * Choco's share of one deadline. Choco looks at its stop criteria ({@code limitTime} among them)
 * only between search decisions; the propagation after a decision, and the first one at the root
 * of a large model, run on unchecked. So this criterion is also a monitor of the decision
 * variables: every domain change during propagation looks at the clock, and once the deadline
 * has passed it raises a contradiction, which ends the propagation and hands control back to the
 * search loop, where the criterion stops it (Choco reports STOPPED). {@link #fired()} says so
 * as well: a search the clock cut is never read as complete, whatever state Choco reports.
 */
final class ChocoClock implements Criterion, IVariableMonitor<IntVar> {
    /**
     * Heap per model element (unit, layer or flow, times partitions), measured after building at
     * compass-s, batch 16: resnet18 (20 partitions) 10.0 KB, alexnet (46) 6.7 KB, the synthetic
     * DAGs of 100 (40) and 200 units (60) 10.4 and 9.3 KB; the building's peak is above what remains.
     */
    static final long BYTES_PER_ELEMENT = 12_000;
    /**
     * Building time per element, same models, load average 6 on 2 cores: 1.2-8.7 s, 1.3e-4 to
     * 3.7e-4 s each (the small ones pay the JIT's warm-up).
     */
    static final double SECONDS_PER_ELEMENT = 2.5e-4;
    /**
     * Kept back from the search's limit for reading the plan and freeing the model: the root
     * propagation stops at a domain change, not instantly, and the collector then frees the model.
     */
    static final double MARGIN_SECONDS_PER_ELEMENT = 2e-5;

    private final long deadlineNanos;
    private final AtomicBoolean cancelled;
    private final java.util.function.LongSupplier nanoTime;
    private boolean fired;

    ChocoClock(long deadlineNanos, AtomicBoolean cancelled) {
        this(deadlineNanos, cancelled, System::nanoTime);
    }

    /** With its own time source: a test passes the deadline at a chosen moment of the search. */
    ChocoClock(long deadlineNanos, AtomicBoolean cancelled, java.util.function.LongSupplier nanoTime) {
        this.deadlineNanos = deadlineNanos;
        this.cancelled = cancelled;
        this.nanoTime = nanoTime;
    }

    /** The model's size in elements: each unit, layer and flow is posted once per partition. */
    static long elements(Instance instance, int k) {
        return ((long) instance.units().size() + instance.network().layers().size() + instance.flows().size()) * k;
    }

    /** Nanoseconds to keep back from the search for a model of {@code elements}. */
    static long marginNanos(long elements) {
        return (long) (elements * MARGIN_SECONDS_PER_ELEMENT * 1e9);
    }

    /**
     * Why a model of {@code k} partitions is not built, or empty: its heap estimate is over
     * {@link org.pimopt.solve.HeapBudget}'s share, or its building would take more than half of
     * {@code nanosLeft}.
     */
    static Optional<String> decline(Instance instance, int k, long nanosLeft) {
        long elements = elements(instance, k);
        String what = String.format(Locale.ROOT, "the Choco model of %d units x %d partitions", instance.units().size(), k);
        Optional<String> memory = org.pimopt.solve.HeapBudget.decline(what, elements * BYTES_PER_ELEMENT);
        if (memory.isPresent()) {
            return memory;
        }
        double build = elements * SECONDS_PER_ELEMENT;
        double left = nanosLeft / 1e9;
        if (build <= left / 2) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s would take about %.1f s to build, %s; a longer timeout"
                + " lets it run", what, build,
                left < 0.05 ? "no time was left for it" : String.format(Locale.ROOT, "more than half of the %.1f s left", left)));
    }

    @Override
    public boolean isMet() {
        if (cancelled.get() || nanoTime.getAsLong() - deadlineNanos > 0) {
            fired = true;
        }
        return fired;
    }

    @Override
    public void onUpdate(IntVar var, IEventType evt) throws ContradictionException {
        if (isMet()) {
            var.getModel().getSolver().throwsException(this, var, "pimopt: time limit");
        }
    }

    /** Whether the deadline (or a cancel) stopped the search: then it is not complete. */
    boolean fired() {
        return fired;
    }
}
