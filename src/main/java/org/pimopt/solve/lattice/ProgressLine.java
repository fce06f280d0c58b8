package org.pimopt.solve.lattice;

import java.util.Locale;
import org.pimopt.solve.SolveOptions;

/** dp-lattice's progress lines while it works through the steps: at most one a second, so a long pass stays readable. */
final class ProgressLine {
    private final SolveOptions options;
    private final long start;
    private long last = System.nanoTime();

    ProgressLine(SolveOptions options, long start) {
        this.options = options;
        this.start = start;
    }

    synchronized void step(String pass, long done, long of) {
        long now = System.nanoTime();
        if (now - last > 1_000_000_000L) {
            last = now;
            options.progress().accept(String.format(Locale.ROOT, "dp-lattice: %.1fs, %s, step %d of %d",
                    (now - start) / 1e9, pass, done, of));
        }
    }
}
