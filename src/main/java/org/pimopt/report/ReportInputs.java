package org.pimopt.report;

import java.time.Instant;
import java.util.List;

/**
 * What a report was made from, as the user gave it, so that the page says how to make it again.
 *
 * @param command       the command line, arguments as given
 * @param model         the {@code --model} argument (a built-in name or a file)
 * @param hardware      the {@code --hw} argument (a preset name or a file)
 * @param timeoutMillis the wall-clock budget
 * @param strategies    the strategies asked for, in order
 * @param seed          seed of the randomized strategies
 * @param workers       solver threads
 * @param version       pimopt's version line
 * @param date          when the report was written
 */
public record ReportInputs(String command, String model, String hardware, long timeoutMillis, List<String> strategies,
                           long seed, int workers, String version, Instant date) {
    public ReportInputs {
        strategies = List.copyOf(strategies);
    }
}
