package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.HashMap;
import java.util.Map;

/** Turns one ONNX node into pimopt nodes (or constants), defining the node's outputs in the context. */
@FunctionalInterface
interface Converter {
    void convert(NodeProto node, ImportContext ctx);

    /** Every op type of the default ONNX domain that pimopt reads. */
    static Map<String, Converter> registry() {
        Map<String, Converter> ops = new HashMap<>();
        LayerOps.register(ops);
        ElementwiseOps.register(ops);
        ShapeOps.register(ops);
        PoolOps.register(ops);
        return Map.copyOf(ops);
    }
}
