package org.pimopt.cli;

import picocli.CommandLine;

/** Reads "60s", "2m", "500ms", "1h" or a plain number of seconds into milliseconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        double factor = 1000;
        String number = t;
        if (t.endsWith("ms")) {
            factor = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 60_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            factor = 3_600_000;
            number = t.substring(0, t.length() - 1);
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (e.g. 60s, 2m, 500ms)");
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a positive duration");
        }
        double millis = value * factor;
        if (millis < 1 || millis > Long.MAX_VALUE / 2_000_000L) {
            // Durations are kept in whole milliseconds: a smaller one would round to 0 and run unlimited
            // or at once; a larger one overflows the nanosecond clock.
            throw new CommandLine.TypeConversionException("'" + text + "' is " + (millis < 1 ? "shorter than a millisecond"
                    : "longer than the clock counts") + " (e.g. 60s, 2m, 500ms)");
        }
        return Math.round(millis);
    }
}
