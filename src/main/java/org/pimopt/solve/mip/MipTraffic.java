package org.pimopt.solve.mip;

import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.ir.Layer;
import org.pimopt.ir.VectorOp;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * Where vector layers run and the traffic of every tensor in the MILP ({@link Instance#profiles}):
 * a vector layer runs once its producers' outputs exist (fed only from DRAM: where its first
 * reader starts); a tensor read in a partition other than its producer's is loaded there and
 * stored once by its producer, slice by unit slice; a slice read where it is produced by a
 * receiving layer crosses the NoC. Each rule is linearized with continuous 0/1 variables that the
 * objective pushes down to their logical values.
 */
final class MipTraffic {
    private final MPSolver solver;
    private final Instance instance;
    private final List<OpInfo> ops;
    private final int k;
    private final MPVariable[][] x;
    private final Lin[][] cum;        // cum[u][p] = sum_{q <= p} x[u][q]
    private final Lin[][] act;        // act[o][p]: op o computes in p
    final Lin[] perSample;            // DRAM bytes per sample, per partition
    final Lin[] perBatch;             // DRAM bytes loaded once per batch, per partition
    final Lin[] noc;                  // on-chip bytes per sample, per partition
    final Lin[][] layerAt;            // vector layer l runs in p (one-hot, linear in the variables)
    private final Lin[][] readyMemo;  // vector layer's output done by the end of p (cumulative)

    MipTraffic(MPSolver solver, Instance instance, int k, MPVariable[][] x, Lin[][] cum, Lin[][] act) {
        this.solver = solver;
        this.instance = instance;
        this.ops = instance.ops();
        this.k = k;
        this.x = x;
        this.cum = cum;
        this.act = act;

        // 5. Where vector layers run, and the DRAM traffic of every tensor.
        perSample = new Lin[k];
        perBatch = new Lin[k];
        noc = new Lin[k];
        for (int p = 0; p < k; p++) {
            perSample[p] = new Lin();
            perBatch[p] = new Lin();
            noc[p] = new Lin();
        }
        int layers = instance.network().layers().size();
        layerAt = new Lin[layers][];
        readyMemo = new Lin[layers][];
        for (Layer l : instance.network().layers()) {
            if (isVector(l)) {
                Lin[] ready = ready(l.index());
                layerAt[l.index()] = new Lin[k];
                for (int p = 0; p < k; p++) {
                    layerAt[l.index()][p] = new Lin().add(ready[p]).add(p > 0 ? ready[p - 1] : new Lin(), -1);
                }
            }
        }
        traffic();
    }

    private boolean isVector(Layer l) {
        return instance.opOfLayer(l.index()) < 0 && !(l.op() instanceof VectorOp.Parameter);
    }

    /**
     * Whether layer l's output exists by the end of partition p, cumulative in p. A weighted op's
     * output exists once all its units ran (AND); a vector layer's once all its producers' outputs
     * exist (AND), so it runs in the latest partition of its producers; a vector layer fed only
     * from DRAM runs where its first reader starts (OR of the readers' "started by p"). With
     * integral x these continuous variables take exactly 0 or 1.
     */
    private Lin[] ready(int layer) {
        if (readyMemo[layer] != null) {
            return readyMemo[layer];
        }
        int op = instance.opOfLayer(layer);
        Lin[] out = new Lin[k];
        if (op >= 0) {
            OpInfo info = ops.get(op);
            for (int p = 0; p < k; p++) {
                List<Lin> parts = new ArrayList<>();
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    parts.add(cum[u][p]);
                }
                out[p] = and(parts, "done_l" + layer + "_p" + p);
            }
            readyMemo[layer] = out;
            return out;
        }
        List<Integer> producers = instance.partitionProducersOf(layer);
        if (!producers.isEmpty()) {
            for (int p = 0; p < k; p++) {
                List<Lin> parts = new ArrayList<>();
                for (int src : producers) {
                    parts.add(ready(src)[p]);
                }
                out[p] = and(parts, "ready_l" + layer + "_p" + p);
            }
        } else {
            List<Lin[]> readers = new ArrayList<>();
            for (int r : instance.consumersOf(layer)) {
                readers.add(started(r));
            }
            for (int p = 0; p < k; p++) {
                if (readers.isEmpty()) {
                    out[p] = Lin.constant(1);
                    continue;
                }
                List<Lin> parts = new ArrayList<>();
                for (Lin[] r : readers) {
                    parts.add(r[p]);
                }
                out[p] = or(parts, "first_l" + layer + "_p" + p);
            }
        }
        readyMemo[layer] = out;
        return out;
    }

    /** Whether layer r has begun computing by the end of p: a weighted op, any of its units. */
    private Lin[] started(int layer) {
        int op = instance.opOfLayer(layer);
        if (op < 0) {
            return ready(layer);
        }
        OpInfo info = ops.get(op);
        Lin[] out = new Lin[k];
        for (int p = 0; p < k; p++) {
            List<Lin> parts = new ArrayList<>();
            for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                parts.add(cum[u][p]);
            }
            out[p] = or(parts, "started_l" + layer + "_p" + p);
        }
        return out;
    }

    /** y = AND of 0/1 expressions: y <= each, y >= sum - (n - 1). */
    private Lin and(List<Lin> parts, String name) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        MPVariable y = solver.makeNumVar(0, 1, name);
        Lin sum = new Lin();
        for (int i = 0; i < parts.size(); i++) {
            Lin.geq(solver, parts.get(i), Lin.of(y), name + "_le" + i);
            sum.add(parts.get(i));
        }
        Lin.geq(solver, Lin.of(y), sum.addConstant(-(parts.size() - 1)), name + "_ge");
        return Lin.of(y);
    }

    /** y = OR of 0/1 expressions: y >= each, y <= sum. */
    private Lin or(List<Lin> parts, String name) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        MPVariable y = solver.makeNumVar(0, 1, name);
        Lin sum = new Lin();
        for (int i = 0; i < parts.size(); i++) {
            Lin.geq(solver, Lin.of(y), parts.get(i), name + "_ge" + i);
            sum.add(parts.get(i));
        }
        Lin.geq(solver, sum, Lin.of(y), name + "_le");
        return Lin.of(y);
    }

    /** The traffic rules of {@link Instance#profiles}, one flow at a time. */
    private void traffic() {
        int fi = 0;
        for (Instance.Flow f : instance.flows()) {
            fi++;
            if (f.consumerLayers().isEmpty() && !f.networkOutput()) {
                continue;
            }
            // read[q] >= "a reader of f computes in q"; recv[q] >= "a reader receiving it over the NoC does".
            Lin[] read = new Lin[k];
            Lin[] recv = f.receivingLayers().isEmpty() ? null : new Lin[k];
            for (int q = 0; q < k; q++) {
                read[q] = Lin.of(solver.makeNumVar(0, 1, "read_f" + fi + "_p" + q));
                if (recv != null) {
                    recv[q] = Lin.of(solver.makeNumVar(0, 1, "recv_f" + fi + "_p" + q));
                }
                for (int c : f.consumerLayers()) {
                    int op = instance.opOfLayer(c);
                    Lin computes = op >= 0 ? act[op][q] : layerAt[c] == null ? null : layerAt[c][q];
                    if (computes != null) {
                        Lin.geq(solver, read[q], computes, "reads_f" + fi + "_l" + c + "_p" + q);
                        if (recv != null && f.receivingLayers().contains(c)) {
                            Lin.geq(solver, recv[q], computes, "receives_f" + fi + "_l" + c + "_p" + q);
                        }
                    }
                }
            }
            if (f.producerLayer() < 0) {
                for (int q = 0; q < k; q++) {
                    (f.perBatch() ? perBatch : perSample)[q].add(read[q], f.bytes());
                }
                continue;
            }
            int op = instance.opOfLayer(f.producerLayer());
            if (op < 0) {
                slice(f.bytes(), layerAt[f.producerLayer()], read, recv, f.networkOutput(), "f" + fi);
            } else {
                OpInfo info = ops.get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    long share = instance.sliceBytes(f, u);
                    Lin[] at = new Lin[k];
                    for (int q = 0; q < k; q++) {
                        at[q] = Lin.of(x[u][q]);
                    }
                    slice(share, at, read, recv, f.networkOutput(), "f" + fi + "_u" + u);
                }
            }
        }
    }

    /**
     * One slice of a tensor produced where {@code at} says: {@code load[q] >= read[q] - at[q]},
     * {@code leaves >= load[q]} (1 for a network output), {@code store[q] >= leaves + at[q] - 1},
     * {@code local[q] >= recv[q] + at[q] - 1} (none when no reader receives it over the NoC). The
     * objective pushes each down to its logical value.
     */
    private void slice(long bytes, Lin[] at, Lin[] read, Lin[] recv, boolean output, String name) {
        MPVariable leaves = solver.makeNumVar(output ? 1 : 0, 1, "leaves_" + name);
        for (int q = 0; q < k; q++) {
            MPVariable load = solver.makeNumVar(0, 1, "load_" + name + "_p" + q);
            Lin.geq(solver, Lin.of(load), new Lin().add(read[q]).add(at[q], -1), "loadif_" + name + "_p" + q);
            Lin.geq(solver, Lin.of(leaves), Lin.of(load), "leavesif_" + name + "_p" + q);
            MPVariable store = solver.makeNumVar(0, 1, "store_" + name + "_p" + q);
            Lin.geq(solver, Lin.of(store), new Lin().add(leaves, 1).add(at[q]).addConstant(-1), "storeif_" + name + "_p" + q);
            perSample[q].add(load, bytes).add(store, bytes);
            if (recv != null) {
                MPVariable local = solver.makeNumVar(0, 1, "local_" + name + "_p" + q);
                Lin.geq(solver, Lin.of(local), new Lin().add(recv[q]).add(at[q]).addConstant(-1), "localif_" + name + "_p" + q);
                noc[q].add(local, bytes);
            }
        }
    }
}
