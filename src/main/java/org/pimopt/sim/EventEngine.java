package org.pimopt.sim;

import java.util.Arrays;

/**
 * A discrete-event engine over a task graph, on primitive arrays. A task has a duration, an
 * optional resource (a server of some capacity: a crossbar replica, a core's vector units, the
 * DRAM channel, the write engine) and predecessors. A task becomes ready when its last
 * predecessor finishes; it starts at once if its resource has a free slot, else it waits in the
 * resource's queue, which serves the lowest task id first (tasks are created sample by sample, layer
 * by layer, so the oldest sample goes first). Completion events are processed in time order (ties by task id), so a
 * run is deterministic.
 */
final class EventEngine {
    /** Observer of task starts and ends, for the checks the simulator makes as the plan runs. */
    interface Listener {
        void started(int task, double timeNs);

        void finished(int task, double timeNs);
    }

    // Tasks.
    private int n;
    private double[] duration = new double[1024];
    private int[] resource = new int[1024];
    private byte[] kind = new byte[1024];
    private int[] tag = new int[1024];
    private int[] partition = new int[1024];
    private int[] sample = new int[1024];
    private double[] amount = new double[1024];
    private int[] waiting = new int[1024];
    private int[] firstEdge = new int[1024];
    private int[] lastEdge = new int[1024];
    private int[] queueNext = new int[1024];
    private double[] start = new double[1024];
    private double[] finish = new double[1024];
    // Successor edges as linked lists.
    private int m;
    private int[] edgeTo = new int[4096];
    private int[] edgeNext = new int[4096];
    // Resources.
    private int resources;
    private int[] capacity = new int[64];
    private int[] busy = new int[64];
    private int[] queueHead = new int[64];
    private int[] queueTail = new int[64];
    // Completion heap of task ids, keyed by finish time.
    private int[] heap = new int[1024];
    private int heapSize;
    private long events;

    int addResource(int slots) {
        if (resources == capacity.length) {
            int size = resources * 2;
            capacity = Arrays.copyOf(capacity, size);
            busy = Arrays.copyOf(busy, size);
            queueHead = Arrays.copyOf(queueHead, size);
            queueTail = Arrays.copyOf(queueTail, size);
        }
        capacity[resources] = slots;
        queueHead[resources] = -1;
        queueTail[resources] = -1;
        return resources++;
    }

    /** A task; {@code res} -1 for one that needs no resource (a barrier, a zero-time step). */
    int addTask(byte taskKind, int res, double ns, int taskTag, int part, int smp, double amt) {
        if (n == duration.length) {
            grow();
        }
        duration[n] = ns;
        resource[n] = res;
        kind[n] = taskKind;
        tag[n] = taskTag;
        partition[n] = part;
        sample[n] = smp;
        amount[n] = amt;
        firstEdge[n] = -1;
        queueNext[n] = -1;
        lastEdge[n] = -1;
        start[n] = Double.NaN;
        finish[n] = Double.NaN;
        return n++;
    }

    /** {@code task} may start only after {@code before} has finished. */
    void depend(int task, int before) {
        if (before < 0) {
            return;
        }
        if (m == edgeTo.length) {
            edgeTo = Arrays.copyOf(edgeTo, m * 2);
            edgeNext = Arrays.copyOf(edgeNext, m * 2);
        }
        // Successors in insertion order, so that simultaneous releases follow creation order.
        edgeTo[m] = task;
        edgeNext[m] = -1;
        if (firstEdge[before] < 0) {
            firstEdge[before] = m;
        } else {
            edgeNext[lastEdge[before]] = m;
        }
        lastEdge[before] = m++;
        waiting[task]++;
    }

    private void grow() {
        int size = n * 2;
        duration = Arrays.copyOf(duration, size);
        resource = Arrays.copyOf(resource, size);
        kind = Arrays.copyOf(kind, size);
        tag = Arrays.copyOf(tag, size);
        partition = Arrays.copyOf(partition, size);
        sample = Arrays.copyOf(sample, size);
        amount = Arrays.copyOf(amount, size);
        waiting = Arrays.copyOf(waiting, size);
        firstEdge = Arrays.copyOf(firstEdge, size);
        lastEdge = Arrays.copyOf(lastEdge, size);
        queueNext = Arrays.copyOf(queueNext, size);
        start = Arrays.copyOf(start, size);
        finish = Arrays.copyOf(finish, size);
    }

    /** Runs every task; returns the tasks that never became ready (a dependency cycle), or 0. */
    int run(Listener listener) {
        heap = new int[Math.max(16, n)];
        heapSize = 0;
        for (int t = 0; t < n; t++) {
            if (waiting[t] == 0) {
                dispatch(t, 0, listener);
            }
        }
        int done = 0;
        while (heapSize > 0) {
            int t = pop();
            double now = finish[t];
            events++;
            done++;
            listener.finished(t, now);
            int r = resource[t];
            if (r >= 0) {
                busy[r]--;
                int next = queueHead[r];
                if (next >= 0) {
                    queueHead[r] = queueNext[next];
                    if (queueHead[r] < 0) {
                        queueTail[r] = -1;
                    }
                    begin(next, now, listener);
                }
            }
            for (int e = firstEdge[t]; e >= 0; e = edgeNext[e]) {
                int s = edgeTo[e];
                if (--waiting[s] == 0) {
                    dispatch(s, now, listener);
                }
            }
        }
        return n - done;
    }

    private void dispatch(int t, double now, Listener listener) {
        int r = resource[t];
        if (r < 0 || busy[r] < capacity[r]) {
            begin(t, now, listener);
        } else if (queueTail[r] < 0) {
            queueHead[r] = t;
            queueTail[r] = t;
        } else if (queueTail[r] < t) {
            queueNext[queueTail[r]] = t;
            queueTail[r] = t;
        } else if (t < queueHead[r]) {
            queueNext[t] = queueHead[r];
            queueHead[r] = t;
        } else {
            // Keep the queue sorted by task id: earlier samples and earlier layers first.
            int q = queueHead[r];
            while (queueNext[q] >= 0 && queueNext[q] < t) {
                q = queueNext[q];
            }
            queueNext[t] = queueNext[q];
            queueNext[q] = t;
        }
    }

    private void begin(int t, double now, Listener listener) {
        if (resource[t] >= 0) {
            busy[resource[t]]++;
        }
        start[t] = now;
        finish[t] = now + duration[t];
        listener.started(t, now);
        push(t);
    }

    private boolean before(int a, int b) {
        return finish[a] < finish[b] || (finish[a] == finish[b] && a < b);
    }

    private void push(int t) {
        int i = heapSize++;
        heap[i] = t;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(heap[i], heap[parent])) {
                break;
            }
            int tmp = heap[i];
            heap[i] = heap[parent];
            heap[parent] = tmp;
            i = parent;
        }
    }

    private int pop() {
        int top = heap[0];
        heap[0] = heap[--heapSize];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int best = i;
            if (l < heapSize && before(heap[l], heap[best])) {
                best = l;
            }
            if (l + 1 < heapSize && before(heap[l + 1], heap[best])) {
                best = l + 1;
            }
            if (best == i) {
                return top;
            }
            int tmp = heap[i];
            heap[i] = heap[best];
            heap[best] = tmp;
            i = best;
        }
    }

    int tasks() {
        return n;
    }

    long events() {
        return events;
    }

    int resourceCount() {
        return resources;
    }

    byte kind(int t) {
        return kind[t];
    }

    int resource(int t) {
        return resource[t];
    }

    int tag(int t) {
        return tag[t];
    }

    int partition(int t) {
        return partition[t];
    }

    int sample(int t) {
        return sample[t];
    }

    double amount(int t) {
        return amount[t];
    }

    double duration(int t) {
        return duration[t];
    }

    double start(int t) {
        return start[t];
    }

    double finish(int t) {
        return finish[t];
    }
}
