package org.pimopt.imports.onnx;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.ir.Shape;

/** What the importer knows about one ONNX tensor: a constant, or a tensor the network computes. */
sealed interface Value permits Value.Const, Value.Computed {

    /** A tensor known while importing (folded away or turned into a parameter node where used). */
    record Const(ConstTensor tensor) implements Value {}

    /**
     * A tensor of the pimopt network. {@code batched} tensors depend on a graph input: their ONNX
     * shape is the pimopt per-sample shape with a batch dimension of 1 inserted at {@code batchAxis}
     * (0 unless a Transpose moved it: pimopt binds the batch to 1 and plans one sample, so where a
     * size-1 axis sits changes no data). Tensors computed from constants alone (a position
     * embedding picked from its table) have no batch dimension.
     */
    record Computed(String tensor, Shape shape, boolean batched, int batchAxis) implements Value {
        Computed(String tensor, Shape shape, boolean batched) {
            this(tensor, shape, batched, 0);
        }

        /** The shape as ONNX sees it, the batch (bound to 1) at its axis for batched tensors. */
        List<Long> fullDims() {
            List<Long> dims = new ArrayList<>();
            shape.dims().forEach(d -> dims.add((long) d));
            if (batched) {
                dims.add(batchAxis, 1L);
            }
            return dims;
        }

        int fullRank() {
            return shape.rank() + (batched ? 1 : 0);
        }

        /** Whether the batch dimension is somewhere other than first, where most ops need it. */
        boolean displaced() {
            return batched && batchAxis != 0;
        }
    }

    /** The ONNX dims of either kind of value. */
    static List<Long> dimsOf(Value v) {
        return v instanceof Const c ? c.tensor().dims() : ((Computed) v).fullDims();
    }
}
