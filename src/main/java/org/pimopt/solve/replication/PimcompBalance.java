package org.pimopt.solve.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PIMCOMP-NN's weight replication in balance mode ({@code ReplicationByBalance} in
 * {@code backend/WeightReplication.cpp} of github sunxt99/PIMCOMP-NN, commit 2ed10c8), rule for
 * rule, so that {@code pimcomp-balance} is the baseline PIMCOMP's authors ran and not a stronger
 * one:
 * <ol>
 *   <li>fully connected layers keep one copy, and their crossbars come off the chip's;
 *   <li>every convolution starts with one copy, and these first copies are <em>not</em> charged:
 *       the budget is {@code chip crossbars - FC crossbars};
 *   <li>a max-heap holds each convolution keyed by its sliding windows per copy, the integer
 *       {@code ceil(windows / copies)}; the top gets the next copy, which costs its crossbars;
 *   <li>the loop runs while the budget left exceeds both the top's crossbars per copy and half
 *       of the starting budget (PIMCOMP's margin factor 0.5, truncated to an integer): it ends at
 *       the first copy that does not fit, even if a smaller layer's would;
 *   <li>ties between equal keys go the way libstdc++'s {@code std::priority_queue} sends them,
 *       which depends on the order the layers were pushed (network order) and on every pop and
 *       push since; {@link StlHeap} repeats those sift steps so the ties fall the same way.
 * </ol>
 * Nothing here looks at cores: PIMCOMP counts one pool of crossbars. Callers that need a plan
 * that packs into cores cut the sequence of copies short themselves ({@link Replicator}).
 */
public final class PimcompBalance {
    private PimcompBalance() {}

    /**
     * A weighted layer as PIMCOMP's rule sees it.
     *
     * @param id             the caller's name for it (pimopt's op index)
     * @param crossbars      crossbars of one copy
     * @param windows        sliding windows (output positions) per sample
     * @param fullyConnected an FC layer: never copied, its crossbars taken off the budget
     */
    public record Layer(int id, long crossbars, long windows, boolean fullyConnected) {}

    /**
     * The extra copies in the order PIMCOMP gives them: one id per copy beyond the first.
     * Layers must come in network order, as PIMCOMP pushes them.
     */
    public static List<Integer> extraCopies(List<Layer> layers, long chipCrossbars) {
        StlHeap heap = new StlHeap(layers.size());
        long fc = 0;
        for (Layer l : layers) {
            if (l.fullyConnected()) {
                fc += l.crossbars();
            } else {
                heap.push(new StlHeap.Entry(l, l.windows(), 1));
            }
        }
        long available = chipCrossbars - fc;
        // PIMCOMP stores available * 0.5f into an int: truncation toward zero, as Java's division.
        long margin = available / 2;
        List<Integer> picks = new ArrayList<>();
        while (heap.size() > 0 && available > heap.top().layer().crossbars() && available > margin) {
            StlHeap.Entry top = heap.top();
            heap.pop();
            int copies = top.copies() + 1;
            // PIMCOMP divides in float; for windows below 2^24 that rounds to the same ceiling.
            long key = (top.layer().windows() + copies - 1) / copies;
            heap.push(new StlHeap.Entry(top.layer(), key, copies));
            available -= top.layer().crossbars();
            picks.add(top.layer().id());
        }
        return picks;
    }

    /** Copies per layer id after PIMCOMP's rule (every layer present, FC layers at 1). */
    public static Map<Integer, Integer> copies(List<Layer> layers, long chipCrossbars) {
        Map<Integer, Integer> out = new TreeMap<>();
        for (Layer l : layers) {
            out.put(l.id(), 1);
        }
        for (int id : extraCopies(layers, chipCrossbars)) {
            out.merge(id, 1, Integer::sum);
        }
        return out;
    }

    /**
     * A binary max-heap whose sift steps are libstdc++'s {@code push_heap} and {@code pop_heap}
     * (the ones behind {@code std::priority_queue}), so that among equal keys the same entry
     * comes out on top as in PIMCOMP. Ordered by key alone, as PIMCOMP's {@code operator<}.
     */
    static final class StlHeap {
        record Entry(Layer layer, long key, int copies) {}

        private final List<Entry> a;

        StlHeap(int capacity) {
            a = new ArrayList<>(capacity);
        }

        int size() {
            return a.size();
        }

        Entry top() {
            return a.get(0);
        }

        private static boolean less(Entry x, Entry y) {
            return x.key() < y.key();
        }

        void push(Entry e) {
            a.add(e);
            siftUp(a.size() - 1, 0, e);
        }

        /**
         * Moves the last entry into the root's place by walking the hole down to a leaf along the
         * larger child (the right one unless the left is strictly larger), then sifting it up.
         */
        void pop() {
            int len = a.size() - 1;
            Entry value = a.get(len);
            a.set(len, a.get(0));
            int hole = 0;
            int child = 0;
            while (child < (len - 1) / 2) {
                child = 2 * (child + 1);
                if (less(a.get(child), a.get(child - 1))) {
                    child--;
                }
                a.set(hole, a.get(child));
                hole = child;
            }
            if ((len & 1) == 0 && child == (len - 2) / 2) {
                child = 2 * (child + 1);
                a.set(hole, a.get(child - 1));
                hole = child - 1;
            }
            siftUp(hole, 0, value);
            a.remove(len);
        }

        /** Moves parents down while they are strictly smaller, then puts the value in the hole. */
        private void siftUp(int hole, int topIndex, Entry value) {
            int parent = (hole - 1) / 2;
            while (hole > topIndex && less(a.get(parent), value)) {
                a.set(hole, a.get(parent));
                hole = parent;
                parent = (hole - 1) / 2;
            }
            a.set(hole, value);
        }
    }
}
