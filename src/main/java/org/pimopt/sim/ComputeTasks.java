package org.pimopt.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.Rates;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.problem.Instance;

/**
 * One partition's compute: every sample through its layers as the {@link Schedule} says. A sample
 * enters after its DRAM traffic; a weighted layer's work is split among its op's replicas (MVM
 * tasks), a vector layer runs on the partition's pooled vector units, and an input produced in the
 * partition is waited for through {@link NocRoutes}. The switches off put each effect in the cost
 * model's form (sample I/O as one transfer, samples issued at the model's period, the vector
 * stage as one task at the end of a sample's chain, on-chip transfers at the model's time).
 */
final class ComputeTasks {
    private final PartitionTasks tasks;
    private final EventEngine engine;
    private final Instance instance;
    private final Chip chip;
    private final SimConfig config;
    private final Rates rates;
    private final DataMovement moves;
    private final int p;
    private final NocRoutes routes;
    /** The partition's pooled vector units (every core's, one resource), made when first needed. */
    private int vectorPool = -1;

    ComputeTasks(PartitionTasks tasks) {
        this.tasks = tasks;
        this.engine = tasks.engine;
        this.instance = tasks.instance;
        this.chip = tasks.chip;
        this.config = tasks.graph.config;
        this.rates = tasks.graph.rates;
        this.moves = tasks.moves;
        this.p = tasks.p;
        this.routes = new NocRoutes(tasks);
    }

    /** Samples through the layers, once programmed; returns a barrier after which the partition's compute is over. */
    int tasks(int start) {
        int programmed = tasks.programmed;
        int batch = instance.batch();
        Schedule schedule = config.schedule();
        int preload = programmed;
        if (moves.loadPerBatch[p] > 0) {
            preload = tasks.task(Timeline.LOAD, tasks.graph.dram, moves.loadPerBatch[p] / chip.dramGBps(), -1, -1,
                    moves.loadPerBatch[p]);
            engine.depend(preload, programmed);
        }
        long in = moves.loadPerSample[p];
        long out = moves.storePerSample[p];
        int[] gate = sampleGates(preload, in, out);
        if (schedule == Schedule.PIPELINE && !config.freeIssue()) {
            issueAtModelRate(gate, in + out);
        }
        List<Layer> layers = tasks.layers();
        double partialSumBytes = routes.partialSumByteHopsPerSample();
        int last = preload;   // the layer schedule's running sequence
        for (int s = 0; s < batch; s++) {
            Map<Integer, int[]> rowDone = new HashMap<>();
            Map<Integer, Integer> layerDone = new HashMap<>();
            int sampleDone = engine.addTask(Timeline.BARRIER, -1, 0, -1, p, s, 0);
            for (Layer l : layers) {
                int li = l.index();
                int op = instance.opOfLayer(li);
                boolean cross = schedule == Schedule.CROSS_LAYER;
                int rows = cross ? RowWindow.rows(l.outputShape()) : 1;
                long positions = op >= 0 ? instance.ops().get(op).positions() : 0;
                if (op >= 0 && positions % rows != 0) {
                    rows = 1;
                }
                // In-partition producers of each input, and whether any input comes from DRAM.
                List<String> inputs = l.node().inputs();
                int[] producer = new int[inputs.size()];
                boolean fromDram = false;
                for (int i = 0; i < inputs.size(); i++) {
                    Integer src = tasks.producerOf(inputs.get(i));
                    producer[i] = src != null && tasks.here(src) && rowDone.containsKey(src) ? src : -1;
                    fromDram |= producer[i] < 0 || (src != null && moves.partitionsOfLayer[src].first() < p);
                }
                int[] done = new int[rows];
                for (int y = 0; y < rows; y++) {
                    List<Integer> pieces = op >= 0 ? mvmPieces(op, li, s, y, rows, positions) : vectorPiece(l, s, y, rows);
                    List<Integer> inputDeps = routes.inputDependencies(l, inputs, producer, rowDone, layerDone, y, cross, s);
                    for (int t : pieces) {
                        if (fromDram) {
                            engine.depend(t, gate[s]);
                        }
                        engine.depend(t, programmed);
                        for (int d : inputDeps) {
                            engine.depend(t, d);
                        }
                        if (schedule == Schedule.LAYER) {
                            engine.depend(t, last);
                        }
                    }
                    done[y] = pieces.size() == 1 ? pieces.get(0) : tasks.barrier(pieces, s);
                }
                int whole = rows == 1 ? done[0] : tasks.barrier(Arrays.stream(done).boxed().toList(), s);
                rowDone.put(li, done);
                layerDone.put(li, whole);
                engine.depend(sampleDone, whole);
                last = whole;
            }
            tasks.waitAtEnd(sampleDone);
            int sampleEnd = modelledStages(sampleDone, s);
            if (config.fillIo() && out > 0) {
                int st = tasks.task(Timeline.STORE, tasks.graph.dram, out / chip.dramGBps(), -1, s, out);
                engine.depend(st, sampleEnd);
            }
            double noc = routes.transferByteHopsPerSample() + partialSumBytes;
            if (noc > 0) {
                int n = tasks.task(Timeline.NOC, -1, 0, -1, s, noc);
                engine.depend(n, sampleEnd);
            }
        }
        int done = engine.addTask(Timeline.BARRIER, -1, 0, p, p, -1, 0);
        engine.depend(done, programmed);
        engine.depend(done, start);
        return done;
    }

    /**
     * Per sample, the task it enters after: with fill-io its loads (after the per-batch preload);
     * otherwise the model's view, a sample enters once the DRAM channel has moved its traffic
     * (loads and stores of one sample as one transfer, the first sample's included).
     */
    private int[] sampleGates(int preload, long in, long out) {
        int batch = instance.batch();
        int[] gate = new int[batch];
        for (int s = 0; s < batch; s++) {
            if (config.fillIo()) {
                gate[s] = preload;
                if (in > 0) {
                    gate[s] = tasks.task(Timeline.LOAD, tasks.graph.dram, in / chip.dramGBps(), -1, s, in);
                    engine.depend(gate[s], preload);
                }
            } else {
                int sampleIo = -1;
                if (in + out > 0) {
                    double ns = (in + out) / chip.dramGBps();
                    sampleIo = tasks.task(Timeline.IO, tasks.graph.dram, ns, -1, s, in + out);
                    engine.depend(sampleIo, preload);
                }
                gate[s] = sampleIo < 0 ? preload : sampleIo;
            }
        }
        return gate;
    }

    /**
     * The model's pipeline: sample {@code s} enters once its inputs are in ({@code gate[s]}) and
     * one period after sample {@code s - 1} entered, the period being the model's slowest stage
     * (an op's steps per copy, the vector stage or the DRAM traffic per sample). No sample then
     * waits at a stage, and each takes the partition's critical path.
     */
    private void issueAtModelRate(int[] gate, long ioBytes) {
        double period = ioBytes / chip.dramGBps();
        long vectorOps = 0;
        for (Layer l : tasks.layers()) {
            int op = instance.opOfLayer(l.index());
            if (op >= 0) {
                long positions = instance.ops().get(op).positions();
                int r = tasks.part.replicasOf(op);
                period = Math.max(period, (positions + r - 1) / r * chip.mvmLatencyNs());
            } else {
                vectorOps += l.vectorOps();
            }
        }
        period = Math.max(period, vectorOps * rates.vectorNsPerOp());
        int issue = tasks.graph.resource(1, -1);
        int previous = -1;
        for (int s = 0; s < gate.length; s++) {
            int entry = engine.addTask(Timeline.BARRIER, -1, 0, -1, p, s, 0);
            tasks.waitAtEnd(entry);
            engine.depend(entry, gate[s]);
            engine.depend(entry, previous);
            // The slot only spaces the samples: the partition's end does not wait for the last one.
            previous = engine.addTask(Timeline.BARRIER, issue, period, -1, p, s, 0);
            engine.depend(previous, entry);
            gate[s] = entry;
        }
    }

    /**
     * The model's form of the vector stage when vector time is off: the partition's vector work as
     * one task on the pooled vector units at the end of the sample's chain. Returns the task after
     * which the sample is done.
     */
    private int modelledStages(int sampleDone, int s) {
        int end = sampleDone;
        if (!config.vectorTime()) {
            long ops = 0;
            for (Layer l : tasks.layers()) {
                ops += instance.opOfLayer(l.index()) < 0 ? l.vectorOps() : 0;
            }
            if (ops > 0) {
                int v = tasks.task(Timeline.VECTOR, vectorPool(), ops * rates.vectorNsPerOp(), -1, s, 0);
                engine.depend(v, end);
                end = v;
            }
        }
        return end;
    }

    private int vectorPool() {
        if (vectorPool < 0) {
            vectorPool = tasks.graph.resource(1, -1);
        }
        return vectorPool;
    }

    /**
     * MVM tasks of row {@code y} of an op: the row's positions split among the replicas. With one
     * row (pipeline, layer) that is the op's whole work per sample, replica j taking every r-th share.
     */
    private List<Integer> mvmPieces(int op, int layer, int s, int y, int rows, long positions) {
        int[] res = tasks.replicasOfOp.get(op);
        int r = res.length;
        long perRow = positions / rows;
        int pieces = Math.max(1, r / rows);
        List<Integer> out = new ArrayList<>(pieces);
        for (int i = 0; i < pieces; i++) {
            long share = perRow / pieces + (i < perRow % pieces ? 1 : 0);
            if (share == 0) {
                continue;
            }
            int replica = res[(int) (((long) y * pieces + i) % r)];
            double mvms = (double) share * tasks.graph.replicas.crossbars.get(replica);
            out.add(tasks.task(Timeline.MVM, replica, share * chip.mvmLatencyNs(), layer, s, mvms));
        }
        return out;
    }

    /**
     * A vector layer's row: its share of the layer's vector ops. With vector time on it runs on
     * the partition's pooled vector units (every core's, formulations/partitioning.md "Vector
     * stage"), one layer's row at a time; off, it takes no time here and the sample's vector work
     * runs as one stage at the end of its chain ({@link #modelledStages}).
     */
    private List<Integer> vectorPiece(Layer l, int s, int y, int rows) {
        long ops = l.vectorOps();
        long share = ops * (y + 1) / rows - ops * y / rows;
        int res = -1;
        double ns = 0;
        if (config.vectorTime()) {
            res = vectorPool();
            ns = share * rates.vectorNsPerOp();
        }
        return List.of(tasks.task(Timeline.VECTOR, res, ns, l.index(), s, share));
    }
}
