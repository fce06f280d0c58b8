package org.pimopt.solve.choco;

import java.util.ArrayList;
import java.util.List;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;
import org.pimopt.ir.Layer;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * The DRAM traffic rules of {@link Instance#profiles} as Choco constraints: a vector layer runs in
 * the latest partition of its producers (fed only from DRAM: the earliest of its readers); a
 * tensor read in a partition other than its producer's is loaded there and stored once by its
 * producer; a weighted op's output moves unit slice by unit slice; a slice received where it is
 * produced ({@link Instance.Flow#receivingLayers}) crosses the NoC (one transfer of its bytes).
 */
final class ChocoTraffic {
    private final ChocoModel m;
    private final Model model;
    private final Instance in;
    private final List<List<IntVar>> perSample = new ArrayList<>();
    private final List<List<Integer>> perSampleBytes = new ArrayList<>();
    private final List<List<IntVar>> perBatch = new ArrayList<>();
    private final List<List<Integer>> perBatchBytes = new ArrayList<>();
    private final List<List<IntVar>> noc = new ArrayList<>();
    private final List<List<Integer>> nocBytes = new ArrayList<>();
    private final IntVar[] perSampleVar;
    private final IntVar[] perBatchVar;
    private final IntVar[] nocVar;
    /** Per vector layer (null for weighted and constant ones): runs in partition p. */
    final BoolVar[][] vectorAt;

    ChocoTraffic(ChocoModel m, BoolVar[][] active, IntVar[] first, IntVar[] last, ChocoModel.Bounds bounds) {
        this.m = m;
        this.model = m.model;
        this.in = m.instance;
        int k = m.k;
        for (int p = 0; p < k; p++) {
            perSample.add(new ArrayList<>());
            perSampleBytes.add(new ArrayList<>());
            perBatch.add(new ArrayList<>());
            perBatchBytes.add(new ArrayList<>());
            noc.add(new ArrayList<>());
            nocBytes.add(new ArrayList<>());
        }
        List<Layer> all = in.network().layers();
        IntVar[] vpart = new IntVar[all.size()];
        BoolVar[][] vp = new BoolVar[all.size()][];
        for (Layer l : all) {
            if (in.opOfLayer(l.index()) < 0 && !ChocoModel.isConstant(l)) {
                vpart[l.index()] = model.intVar("vpart_" + l.index(), 0, k - 1);
            }
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
                    model.arithm(v, "=", 0).post();
                } else {
                    model.min(v, readers.toArray(new IntVar[0])).post();
                }
            } else {
                model.max(v, producers.toArray(new IntVar[0])).post();
            }
            vp[l.index()] = model.boolVarArray("vp_" + l.index(), k);
            model.boolsIntChanneling(vp[l.index()], v, 0).post();
        }

        long maxBytes = 0;
        int fi = 0;
        for (Instance.Flow f : in.flows()) {
            fi++;
            if (f.consumerLayers().isEmpty() && !f.networkOutput()) {
                continue;
            }
            BoolVar[] read = model.boolVarArray("read_" + fi, k);
            BoolVar[] recv = f.receivingLayers().isEmpty() ? null : model.boolVarArray("recv_" + fi, k);
            for (int q = 0; q < k; q++) {
                for (int c : f.consumerLayers()) {
                    int op = in.opOfLayer(c);
                    BoolVar computes = op >= 0 ? active[op][q] : (vp[c] == null ? null : vp[c][q]);
                    if (computes != null) {
                        model.addClausesBoolLe(computes, read[q]);
                        if (recv != null && f.receivingLayers().contains(c)) {
                            model.addClausesBoolLe(computes, recv[q]);
                        }
                    }
                }
            }
            if (f.producerLayer() < 0) {
                for (int q = 0; q < k; q++) {
                    add(f.perBatch() ? perBatch : perSample, f.perBatch() ? perBatchBytes : perSampleBytes, q, read[q], f.bytes());
                }
                maxBytes += f.bytes();
                continue;
            }
            int op = in.opOfLayer(f.producerLayer());
            if (op < 0) {
                maxBytes += 2 * f.bytes();
                slice(f.bytes(), vp[f.producerLayer()], read, recv, f.networkOutput(), "v" + fi);
            } else {
                OpInfo info = in.ops().get(op);
                for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                    long share = in.sliceBytes(f, u);
                    maxBytes += 2 * share;
                    slice(share, m.x[u], read, recv, f.networkOutput(), "u" + u + "_" + fi);
                }
            }
        }
        vectorAt = vp;
        perSampleVar = new IntVar[k];
        perBatchVar = new IntVar[k];
        nocVar = new IntVar[k];
        int cap = bounds.int32(maxBytes + 1);
        for (int p = 0; p < k; p++) {
            perSampleVar[p] = post(perSample.get(p), perSampleBytes.get(p), cap, "dram_per_sample_" + p);
            perBatchVar[p] = post(perBatch.get(p), perBatchBytes.get(p), cap, "dram_per_batch_" + p);
            nocVar[p] = post(noc.get(p), nocBytes.get(p), cap, "noc_" + p);
        }
    }

    private static void add(List<List<IntVar>> vars, List<List<Integer>> coefs, int q, IntVar v, long bytes) {
        vars.get(q).add(v);
        coefs.get(q).add(Math.toIntExact(bytes));
    }

    private IntVar post(List<IntVar> vars, List<Integer> coefs, int cap, String name) {
        IntVar s = model.intVar(name, 0, cap);
        if (vars.isEmpty()) {
            model.arithm(s, "=", 0).post();
        } else {
            model.scalar(vars.toArray(new IntVar[0]), coefs.stream().mapToInt(Integer::intValue).toArray(), "=", s).post();
        }
        return s;
    }

    /**
     * One slice produced where {@code at} says: loaded into other reading partitions, stored once,
     * moved over the NoC where a receiving reader runs beside it ({@code recv}; null: none).
     */
    private void slice(long bytes, BoolVar[] at, BoolVar[] read, BoolVar[] recv, boolean output, String name) {
        BoolVar leaves = output ? model.boolVar(true) : model.boolVar("leaves_" + name);
        for (int q = 0; q < m.k; q++) {
            BoolVar load = model.boolVar("load_" + name + "_" + q);
            // read[q] and not at[q] => load
            model.addClauses(new BoolVar[] {at[q], load}, new BoolVar[] {read[q]});
            model.addClausesBoolLe(load, leaves);
            add(perSample, perSampleBytes, q, load, bytes);
            if (recv != null) {
                BoolVar local = model.boolVar("local_" + name + "_" + q);
                model.addClauses(new BoolVar[] {local}, new BoolVar[] {recv[q], at[q]});
                add(noc, nocBytes, q, local, bytes);
            }
            BoolVar store = model.boolVar("store_" + name + "_" + q);
            model.addClauses(new BoolVar[] {store}, new BoolVar[] {leaves, at[q]});
            add(perSample, perSampleBytes, q, store, bytes);
        }
    }

    IntVar bytesPerSample(int p) {
        return perSampleVar[p];
    }

    IntVar bytesPerBatch(int p) {
        return perBatchVar[p];
    }

    IntVar nocBytes(int p) {
        return nocVar[p];
    }

}
