package org.pimopt.solve;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a model of an estimated size may be built in this JVM's heap (or, for native solvers,
 * in the machine's memory). A model that does not fit does not fail fast: the collector runs ever
 * longer as the heap fills, and everything else in the JVM slows with it. In `bench --suite
 * scaling --jobs 2` the Choco model of the 1000-unit DAG filled the 6 GB heap for 341 s, and
 * beside it dp on vgg11 took 161 s and the MILP on alexnet 94 s of their 30 s (alone, the Choco
 * model took 316 s, 247 s of it in full collections). So an engine estimates its model's size
 * first and declines, with a one-line reason, one that would take more than {@link #SHARE} of
 * the heap still free.
 */
public final class HeapBudget {
    /** Share of the free heap one model may take: room for a second case beside it and for the search. */
    public static final double SHARE = 0.4;
    /** Share of the system's available memory one native model may take. */
    public static final double NATIVE_SHARE = 0.75;

    private HeapBudget() {}

    /** The reason to decline a model of {@code bytes} estimated bytes, or empty when it fits. */
    public static Optional<String> decline(String what, long bytes) {
        return decline(what, bytes, freeBytes());
    }

    /** {@link #decline(String, long)} against a given free heap (tests). */
    public static Optional<String> decline(String what, long bytes, long freeBytes) {
        if (bytes <= SHARE * freeBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s would take about %s of Java heap, more than %.0f%% of the %s"
                + " free (PIMOPT_JAVA_OPTS=-Xmx... gives the JVM more)", what, mib(bytes), 100 * SHARE, mib(freeBytes)));
    }

    /**
     * The heap not held by objects that outlive a young collection: the maximum less what the
     * survivor and old pools hold now. Eden is left out (it is emptied by the next young
     * collection); what the old pool holds is counted whole, garbage too, as G1 reports its old
     * pool's use after a collection only once a mixed or full one has run.
     */
    public static long freeBytes() {
        long max = Runtime.getRuntime().maxMemory();
        long held = 0;
        boolean known = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || !pool.isValid()) {
                continue;
            }
            known = true;
            if (!pool.getName().contains("Eden")) {
                held += pool.getUsage().getUsed();
            }
        }
        if (!known) {
            Runtime rt = Runtime.getRuntime();
            held = rt.totalMemory() - rt.freeMemory();
        }
        return Math.max(0, max - held);
    }

    /**
     * The reason to decline a model held outside the Java heap (a native solver's) of {@code bytes}
     * estimated bytes, or empty when it fits: more than {@link #NATIVE_SHARE} of the memory the system
     * has available (MemAvailable of /proc/meminfo; where the system does not say, nothing is declined).
     * The estimates are the worst measured per unit of size, so a share near all of it is kept. The
     * machine is shared, and a native model that does not fit takes it down with the JVM (the
     * MILP of a 1000-unit network was killed by the operating system at 24 GB).
     */
    public static Optional<String> declineNative(String what, long bytes) {
        long available = availableSystemBytes();
        if (available <= 0 || bytes <= NATIVE_SHARE * available) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s would take about %s of memory, more than %.0f%% of the %s the"
                + " system has available", what, mib(bytes), 100 * NATIVE_SHARE, mib(available)));
    }

    /** MemAvailable of /proc/meminfo in bytes, or 0 where it cannot be read. */
    static long availableSystemBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException notLinux) {
            // not Linux, or a format this does not know: no check
        }
        return 0;
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
