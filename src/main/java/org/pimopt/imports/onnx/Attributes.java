package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed access to a node's attributes, with the defaults the ONNX operator specs give. */
final class Attributes {
    private final Map<String, AttributeProto> byName = new HashMap<>();

    Attributes(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    long i(String name, long fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getI();
    }

    float f(String name, float fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getF();
    }

    String s(String name, String fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    Optional<List<Long>> ints(String name) {
        AttributeProto a = byName.get(name);
        return a == null ? Optional.empty() : Optional.of(a.getIntsList());
    }

    Optional<List<Float>> floats(String name) {
        AttributeProto a = byName.get(name);
        return a == null ? Optional.empty() : Optional.of(a.getFloatsList());
    }

    Optional<AttributeProto> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Whether a node carries a subgraph (If, Loop, Scan): pimopt plans straight-line graphs only. */
    static boolean hasSubgraph(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG() || a.getGraphsCount() > 0
                    || a.getType() == AttributeProto.AttributeType.GRAPH
                    || a.getType() == AttributeProto.AttributeType.GRAPHS) {
                return true;
            }
        }
        return false;
    }
}
