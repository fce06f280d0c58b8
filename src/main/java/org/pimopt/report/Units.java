package org.pimopt.report;

import java.util.Locale;

/** Human-readable numbers for tables. */
public final class Units {
    private Units() {}

    /** 11689512 -> "11,689,512". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes with a binary prefix: "44.6 MiB". */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] prefix = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < prefix.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, prefix[i]);
    }
}
