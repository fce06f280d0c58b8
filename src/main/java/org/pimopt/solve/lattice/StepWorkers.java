package org.pimopt.solve.lattice;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.pimopt.solve.SolveOptions;

/**
 * Runs work on dp-lattice's steps on several threads. A step's copies depend on its block alone,
 * not on the path to it, so steps can be bounded, priced and searched apart, each writing only its
 * own cells; the steps are handed out in their order, so with one worker the order is fixed.
 */
final class StepWorkers {
    private StepWorkers() {}

    /** Work on one step; {@code left}: the steps not yet taken, this one included. */
    interface StepWork {
        void run(Candidate at, long left);
    }

    /**
     * Runs {@code work} on the steps in their order on {@code workers} threads, until all are done
     * or {@code until} or a stop; the number done.
     */
    static long inParallel(List<Candidate> steps, int workers, long until, SolveOptions options, StepWork work) {
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable loop = () -> {
            try {
                for (int i = next.getAndIncrement(); i < steps.size(); i = next.getAndIncrement()) {
                    if (failure.get() != null || System.nanoTime() >= until || options.shouldStop(until)) {
                        return;
                    }
                    work.run(steps.get(i), steps.size() - i);
                    done.incrementAndGet();
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            Thread t = new Thread(loop, "dp-lattice-" + w);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        loop.run();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return done.get();
    }
}
