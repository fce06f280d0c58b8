package org.pimopt.solve.cpsat;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.ir.Layer;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * The DRAM traffic rules of {@link Instance#profiles} as constraints. A vector layer runs in the
 * latest partition of its producers (or, fed only from DRAM, the earliest of its readers); a tensor
 * read in a partition other than its producer's is loaded there and stored once by its producer;
 * a weighted op's output moves unit slice by unit slice; a slice received where it is produced
 * ({@link Instance.Flow#receivingLayers}) crosses the NoC (one transfer of its bytes). It also sums the vector work of each partition.
 */
final class Traffic implements PartitionCost.Flows {
    private final CpSatModel m;
    private final Instance in;
    private final LinearExprBuilder[] perSample;
    private final LinearExprBuilder[] perBatch;
    private final LinearExprBuilder[] noc;
    private final IntVar[] perSampleVar;
    private final IntVar[] perBatchVar;
    private final IntVar[] nocVar;
    private final LinearExprBuilder[] vectorOps;
    private long maxBytes;
    private long maxVectorOps;
    private long maxTransferTime;
    private final BoolVar[][] active;
    private final BoolVar[][] vp;

    Traffic(CpSatModel m, BoolVar[][] active, IntVar[] first, IntVar[] last) {
        this.m = m;
        this.in = m.instance;
        int k = m.k;
        int layers = in.network().layers().size();
        perSample = new LinearExprBuilder[k];
        perBatch = new LinearExprBuilder[k];
        noc = new LinearExprBuilder[k];
        for (int p = 0; p < k; p++) {
            perSample[p] = LinearExpr.newBuilder();
            perBatch[p] = LinearExpr.newBuilder();
            noc[p] = LinearExpr.newBuilder();
        }
        vectorOps = CpSatModel.builders(k);

        // Partition of each vector layer, as an integer and one-hot.
        this.active = active;
        IntVar[] vpart = new IntVar[layers];
        vp = new BoolVar[layers][];
        List<Layer> all = in.network().layers();
        for (Layer l : all) {
            if (in.opOfLayer(l.index()) >= 0 || CpSatModel.isConstant(l)) {
                continue;
            }
            vpart[l.index()] = m.model.newIntVar(0, k - 1, "vpart_" + l.index());
        }
        for (Layer l : all) {
            IntVar v = vpart[l.index()];
            if (v == null) {
                continue;
            }
            List<IntVar> producers = new ArrayList<>();
            // A producer fed only from DRAM runs where it is first read, so it never holds this layer back.
            for (int src : in.partitionProducersOf(l.index())) {
                int op = in.opOfLayer(src);
                producers.add(op >= 0 ? last[op] : vpart[src]);
            }
            if (producers.isEmpty()) {
                List<IntVar> readers = new ArrayList<>();
                for (int r : in.consumersOf(l.index())) {
                    int op = in.opOfLayer(r);
                    readers.add(op >= 0 ? first[op] : vpart[r]);
                }
                if (readers.isEmpty()) {
                    m.model.addEquality(v, 0);
                } else {
                    m.model.addMinEquality(v, readers);
                }
            } else {
                m.model.addMaxEquality(v, producers);
            }
            vp[l.index()] = new BoolVar[k];
            for (int p = 0; p < k; p++) {
                vp[l.index()][p] = m.model.newBoolVar("vp_" + l.index() + "_" + p);
                m.model.addEquality(v, p).onlyEnforceIf(vp[l.index()][p]);
            }
            m.model.addExactlyOne(vp[l.index()]);
            long ops = l.vectorOps();
            for (int p = 0; p < k; p++) {
                vectorOps[p].addTerm(vp[l.index()][p], ops);
            }
            maxVectorOps += ops;
        }

        for (Instance.Flow f : in.flows()) {
            if (f.producerLayer() >= 0 && !f.receivingLayers().isEmpty()) {
                maxTransferTime += transferTime(f) / CpSatModel.FINE + 1;
            }
        }
        for (Instance.Flow f : in.flows()) {
            if (f.consumerLayers().isEmpty() && !f.networkOutput()) {
                continue;
            }
            // read[q]: some layer reading f computes in q; recv[q]: some layer receiving it over the NoC does.
            BoolVar[] read = new BoolVar[k];
            BoolVar[] recv = f.receivingLayers().isEmpty() ? null : new BoolVar[k];
            for (int q = 0; q < k; q++) {
                read[q] = m.model.newBoolVar("read_" + f.name() + "_" + q);
                if (recv != null) {
                    recv[q] = m.model.newBoolVar("recv_" + f.name() + "_" + q);
                }
                for (int c : f.consumerLayers()) {
                    int op = in.opOfLayer(c);
                    BoolVar computes = op >= 0 ? active[op][q] : (vp[c] == null ? null : vp[c][q]);
                    if (computes != null) {
                        m.model.addImplication(computes, read[q]);
                        if (recv != null && f.receivingLayers().contains(c)) {
                            m.model.addImplication(computes, recv[q]);
                        }
                    }
                }
            }
            if (f.producerLayer() < 0) {
                for (int q = 0; q < k; q++) {
                    (f.perBatch() ? perBatch : perSample)[q].addTerm(read[q], f.bytes());
                }
                maxBytes += f.bytes();
                continue;
            }
            int op = in.opOfLayer(f.producerLayer());
            if (op < 0) {
                slice(f.bytes(), vp[f.producerLayer()], read, recv, f.networkOutput(), "v" + f.producerLayer());
            } else {
                OpInfo info = in.ops().get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    slice(in.sliceBytes(f, u), m.x[u], read, recv, f.networkOutput(), "u" + u);
                }
            }
        }
        perSampleVar = new IntVar[k];
        perBatchVar = new IntVar[k];
        nocVar = new IntVar[k];
        for (int p = 0; p < k; p++) {
            perSampleVar[p] = m.model.newIntVar(0, 2 * maxBytes + 1, "dram_per_sample_" + p);
            m.model.addEquality(perSampleVar[p], perSample[p].build());
            perBatchVar[p] = m.model.newIntVar(0, 2 * maxBytes + 1, "dram_per_batch_" + p);
            m.model.addEquality(perBatchVar[p], perBatch[p].build());
            nocVar[p] = m.model.newIntVar(0, (long) k * maxBytes + 1, "noc_" + p);
            m.model.addEquality(nocVar[p], noc[p].build());
        }
    }

    /**
     * One slice produced where {@code at} says: loaded into other reading partitions, stored once,
     * moved over the NoC where a receiving reader runs beside it ({@code recv}; null: none).
     */
    private void slice(long bytes, BoolVar[] at, BoolVar[] read, BoolVar[] recv, boolean output, String name) {
        int k = m.k;
        maxBytes += 2 * bytes;
        BoolVar leaves = m.model.newBoolVar("leaves_" + name);
        if (output) {
            m.model.addEquality(leaves, 1);
        }
        for (int q = 0; q < k; q++) {
            // load >= read[q] and not produced in q
            BoolVar load = m.model.newBoolVar("load_" + name + "_" + q);
            m.model.addBoolOr(new com.google.ortools.sat.Literal[] {read[q].not(), at[q], load});
            m.model.addImplication(load, leaves);
            perSample[q].addTerm(load, bytes);
            // on-chip: received where produced
            if (recv != null) {
                BoolVar local = m.model.newBoolVar("local_" + name + "_" + q);
                m.model.addBoolOr(new com.google.ortools.sat.Literal[] {recv[q].not(), at[q].not(), local});
                noc[q].addTerm(local, bytes);
            }
            // store where produced, if it leaves
            BoolVar store = m.model.newBoolVar("store_" + name + "_" + q);
            m.model.addBoolOr(new com.google.ortools.sat.Literal[] {leaves.not(), at[q].not(), store});
            perSample[q].addTerm(store, bytes);
        }
    }

    @Override
    public IntVar bytesPerSample(int p) {
        return perSampleVar[p];
    }

    @Override
    public IntVar bytesPerBatch(int p) {
        return perBatchVar[p];
    }

    @Override
    public IntVar nocBytes(int p) {
        return nocVar[p];
    }

    @Override
    public long maxBytesPerSample() {
        return maxBytes;
    }


    /** Vector operations per sample of the vector layers that run in partition {@code p}. */
    @Override
    public LinearExpr vectorOps(int p) {
        return vectorOps[p].build();
    }


    @Override
    public long maxVectorOps() {
        return maxVectorOps;
    }

    @Override
    public long maxTransferTime() {
        return maxTransferTime;
    }

    /**
     * The critical path over the partition's layers: a potential per layer that can run in
     * {@code p}, an op's at least its stage after each layer it reads, a vector layer's (no time of
     * its own: the pooled vector stage follows the path) at least each layer it reads; an edge into
     * a layer receiving its tensor over the NoC adds the transfers of the tensor's slices made in
     * {@code p}. The edges hold when the reading layer runs in {@code p}; nothing of {@code p} reads
     * through a layer outside it (partitions follow the dependencies).
     */
    @Override
    public void postCriticalPath(int p, LinearExpr[] stageTime, IntVar path, long maxTime) {
        List<Layer> all = in.network().layers();
        IntVar[] finish = new IntVar[all.size()];
        long fine = CpSatModel.FINE;
        for (Layer l : all) {
            int li = l.index();
            int op = in.opOfLayer(li);
            com.google.ortools.sat.Literal here = op >= 0 ? (stageTime[op] == null ? null : active[op][p])
                    : (vp[li] == null ? null : vp[li][p]);
            if (here == null) {
                continue;
            }
            finish[li] = m.model.newIntVar(0, maxTime, "finish_" + li + "_" + p);
            if (op >= 0) {
                m.model.addGreaterOrEqual(finish[li], stageTime[op]);
            }
            for (Instance.Read read : in.readsOf(li)) {
                IntVar from = finish[read.producerLayer()];
                if (from == null) {
                    continue;
                }
                LinearExprBuilder start = LinearExpr.newBuilder().addTerm(from, fine);
                if (op >= 0) {
                    start.addTerm(stageTime[op], fine);
                }
                if (read.received()) {
                    Instance.Flow f = in.flows().get(read.flow());
                    int producerOp = in.opOfLayer(read.producerLayer());
                    if (producerOp < 0) {
                        start.addTerm(vp[read.producerLayer()][p], transferTime(f));
                    } else {
                        OpInfo info = in.ops().get(producerOp);
                        for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                            start.addTerm(m.x[u][p], CpSatModel.fineTime(in.sliceTransferNs(f, u)));
                        }
                    }
                }
                m.model.addGreaterOrEqual(LinearExpr.term(finish[li], fine), start.build()).onlyEnforceIf(here);
            }
            m.model.addGreaterOrEqual(path, finish[li]);
        }
    }

    /**
     * Transfer time, in 1/FINE time units, of all of flow {@code f}'s slices (a vector layer's
     * output: the whole tensor, one transfer); Instance.sliceTransferNs.
     */
    private long transferTime(Instance.Flow f) {
        int op = in.opOfLayer(f.producerLayer());
        if (op < 0) {
            return CpSatModel.fineTime(in.sliceTransferNs(f, -1));
        }
        OpInfo info = in.ops().get(op);
        long total = 0;
        for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
            total += CpSatModel.fineTime(in.sliceTransferNs(f, u));
        }
        return total;
    }
}
