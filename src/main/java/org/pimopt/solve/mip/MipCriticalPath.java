package org.pimopt.solve.mip;

import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.List;
import org.pimopt.ir.Layer;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * The critical path of each partition's dataflow in the MILP, with the on-chip transfers on its
 * edges (formulations/partitioning.md, "Critical path"; as cpsat/Traffic states it): a potential per
 * layer and partition; an op's at least its stage after each layer it reads, a vector layer's at
 * least each layer it reads (vector work is the pooled stage after the path); an edge into a layer
 * receiving its tensor over the NoC adds the transfers of the tensor's slices made in the
 * partition. An edge holds only when its reading layer runs there, by a big-M on that layer's
 * 0/1 presence: nothing of a partition reads through a layer outside it.
 */
final class MipCriticalPath {
    private MipCriticalPath() {}

    /** Per partition, a variable at least every path of its dataflow, in ns. */
    static MPVariable[] post(MPSolver solver, Instance instance, int k, MPVariable[][] x, MipCopies copies,
                             MipTraffic traffic) {
        double inf = MPSolver.infinity();
        double tMvm = instance.chip().mvmLatencyNs();
        List<Layer> layers = instance.network().layers();
        List<Instance.Flow> flows = instance.flows();
        // The longest any path can be (every op's steps at one copy, every transfer): the big M.
        double bigM = 1;
        for (OpInfo op : instance.ops()) {
            bigM += op.positions() * tMvm;
        }
        for (Instance.Flow f : flows) {
            if (f.producerLayer() >= 0 && !f.receivingLayers().isEmpty()) {
                bigM += transfer(instance, f);
            }
        }
        MPVariable[] path = new MPVariable[k];
        for (int p = 0; p < k; p++) {
            path[p] = solver.makeNumVar(0, inf, "critical_path_p" + p);
            MPVariable[] finish = new MPVariable[layers.size()];
            for (Layer l : layers) {
                int li = l.index();
                int o = instance.opOfLayer(li);
                Lin here = o >= 0 ? copies.act[o][p] : (traffic.layerAt[li] == null ? null : traffic.layerAt[li][p]);
                if (here == null) {
                    continue;
                }
                finish[li] = solver.makeNumVar(0, inf, "finish_l" + li + "_p" + p);
                Lin own = o >= 0 ? new Lin().add(copies.stage[o][p], tMvm) : new Lin();
                if (o >= 0) {
                    Lin.geq(solver, Lin.of(finish[li]), own, "finishes_l" + li + "_p" + p);
                }
                for (Instance.Read read : instance.readsOf(li)) {
                    int a = read.producerLayer();
                    if (finish[a] == null) {
                        continue;
                    }
                    Lin start = new Lin().add(finish[a], 1).add(own);
                    if (read.received()) {
                        Instance.Flow f = flows.get(read.flow());
                        int producerOp = instance.opOfLayer(a);
                        if (producerOp < 0) {
                            start.add(traffic.layerAt[a][p], transfer(instance, f));
                        } else {
                            OpInfo info = instance.ops().get(producerOp);
                            for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
                                start.add(x[u][p], instance.sliceTransferNs(f, u));
                            }
                        }
                    }
                    // finish >= start - M (1 - here)
                    start.add(here, bigM).addConstant(-bigM);
                    Lin.geq(solver, Lin.of(finish[li]), start, "after_l" + li + "_l" + a + "_p" + p);
                }
                Lin.geq(solver, Lin.of(path[p]), Lin.of(finish[li]), "path_l" + li + "_p" + p);
            }
        }
        return path;
    }

    /** Transfer time of all of flow {@code f}'s slices; a vector layer's output whole. */
    private static double transfer(Instance instance, Instance.Flow f) {
        int op = instance.opOfLayer(f.producerLayer());
        if (op < 0) {
            return instance.sliceTransferNs(f, -1);
        }
        OpInfo info = instance.ops().get(op);
        double ns = 0;
        for (int u = info.firstUnit(); u <= info.lastUnit(); u++) {
            ns += instance.sliceTransferNs(f, u);
        }
        return ns;
    }
}
