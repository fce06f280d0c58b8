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
     * shape is the pimopt per-sample shape behind a batch dimension of 1. Tensors computed from
     * constants alone (a position embedding picked from its table) have no batch dimension.
     */
    record Computed(String tensor, Shape shape, boolean batched) implements Value {
        /** The shape as ONNX sees it, batch (bound to 1) first for batched tensors. */
        List<Long> fullDims() {
            List<Long> dims = new ArrayList<>();
            if (batched) {
                dims.add(1L);
            }
            shape.dims().forEach(d -> dims.add((long) d));
            return dims;
        }

        int fullRank() {
            return shape.rank() + (batched ? 1 : 0);
        }
    }

    /** The ONNX dims of either kind of value. */
    static List<Long> dimsOf(Value v) {
        return v instanceof Const c ? c.tensor().dims() : ((Computed) v).fullDims();
    }
}
