package org.pimopt.ir;

import java.util.ArrayList;
import java.util.List;

/** One op applied to named input tensors. Its outputs are named after it (see {@link #outputs}). */
public record Node(String name, Op op, List<String> inputs) {

    public Node {
        if (name == null || name.isBlank()) {
            throw new IrException("a node has no name");
        }
        inputs = List.copyOf(inputs);
    }

    /** The node's output tensors: its own name, or "name:i" for each piece of a split. */
    public List<String> outputs() {
        if (op.outputCount() == 1) {
            return List.of(name);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < op.outputCount(); i++) {
            out.add(name + ":" + i);
        }
        return out;
    }
}
