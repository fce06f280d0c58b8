package org.pimopt.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak memory of the JVM while a strategy runs, in two measures:
 *
 * <ul>
 *   <li><b>heap</b>: the largest Java heap in use (all heap pools, live objects and garbage not yet
 *       collected). Heap use only falls at a collection, so its peak is the use just before some
 *       collection or at the end; both are taken (each collection's "before" figure from the JVM's
 *       GC notifications, plus a sample every {@value #PERIOD_MILLIS} ms), so the figure is exact
 *       up to notifications delivered after the window closed. It is what an {@code -Xmx} limit
 *       compares against.</li>
 *   <li><b>rss</b>: the largest resident set of the whole process ({@code VmRSS} of
 *       {@code /proc/self/status}, sampled every {@value #PERIOD_MILLIS} ms; -1 where there is no
 *       /proc). It includes native memory (CP-SAT and SCIP solve in native code, outside the heap)
 *       and every heap page the JVM has touched so far, which it rarely returns: within one JVM it
 *       is at least the peak of every earlier case. It is what the kernel's OOM killer compares.</li>
 * </ul>
 *
 * Both are of the whole JVM: with several cases at once ({@code --jobs} above 1) a window also
 * sees the other cases' memory.
 */
final class MemoryPeak {
    static final long PERIOD_MILLIS = 10;
    private static final long MIB = 1024 * 1024;
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Set<Window> OPEN = new CopyOnWriteArraySet<>();
    private static final Object LOCK = new Object();
    private static Thread sampler;
    private static boolean listening;

    private MemoryPeak() {}

    /** The peaks of a window in MiB; -1 when not measured. */
    record Peak(long heapMib, long rssMib) {
        static final Peak NONE = new Peak(-1, -1);
    }

    /** A measuring window: from {@link #open()} to {@link #close()}. */
    static final class Window implements AutoCloseable {
        private final long startUptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        private final AtomicLong heap = new AtomicLong(-1);
        private final AtomicLong rss = new AtomicLong(-1);
        private volatile Peak result;

        private void offer(long heapBytes, long rssBytes) {
            heap.accumulateAndGet(heapBytes, Math::max);
            rss.accumulateAndGet(rssBytes, Math::max);
        }

        /** Ends the window and returns its peaks (the same on every later call). */
        @Override
        public void close() {
            if (result == null) {
                offer(heapUsed(), rssBytes());
                OPEN.remove(this);
                result = new Peak(toMib(heap.get()), toMib(rss.get()));
            }
        }

        Peak peak() {
            close();
            return result;
        }
    }

    /** Opens a window, starting the sampler (a daemon thread, one per JVM) and the GC listener when needed. */
    static Window open() {
        Window w = new Window();
        w.offer(heapUsed(), rssBytes());
        OPEN.add(w);
        synchronized (LOCK) {
            if (!listening) {
                listening = true;
                listen();
            }
            if (sampler == null) {
                sampler = new Thread(MemoryPeak::sample, "pimopt-memory-peak");
                sampler.setDaemon(true);
                sampler.start();
            }
        }
        return w;
    }

    private static void sample() {
        while (true) {
            if (!OPEN.isEmpty()) {
                long h = heapUsed();
                long r = rssBytes();
                for (Window w : OPEN) {
                    w.offer(h, r);
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Each collection's heap use before it ran, credited to the windows open when it started. */
    private static void listen() {
        Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heapPools.add(p.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) {
                continue;
            }
            emitter.addNotificationListener((n, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                long before = 0;
                for (var e : info.getMemoryUsageBeforeGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        before += e.getValue().getUsed();
                    }
                }
                for (Window w : OPEN) {
                    if (info.getStartTime() >= w.startUptimeMillis) {
                        w.offer(before, -1);
                    }
                }
            }, null, null);
        }
    }

    static long heapUsed() {
        MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return u.getUsed();
    }

    /** The process's resident set in bytes, or -1 without /proc. */
    static long rssBytes() {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long toMib(long bytes) {
        return bytes < 0 ? -1 : (bytes + MIB - 1) / MIB;
    }
}
