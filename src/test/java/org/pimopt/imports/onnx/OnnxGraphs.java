package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Arrays;
import java.util.Map;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.Network;

/** Small hand-built ONNX graphs for tests, written with the raw ONNX protobuf classes. */
final class OnnxGraphs {
    private OnnxGraphs() {}

    /** A graph input or output; a String dimension is symbolic. */
    static ValueInfoProto tensor(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String s) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            }
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    /** A float weight with dims and no values (pimopt needs only the dims). */
    static TensorProto weight(String name, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        Arrays.stream(dims).forEach(t::addDims);
        return t.build();
    }

    static TensorProto ints(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length);
        Arrays.stream(values).forEach(t::addInt64Data);
        return t.build();
    }

    static TensorProto floats(String name, float... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(values.length);
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    static NodeProto node(String type, String name, String[] in, String... out) {
        return NodeProto.newBuilder().setOpType(type).setName(name).addAllInput(Arrays.asList(in))
                .addAllOutput(Arrays.asList(out)).build();
    }

    static String[] in(String... names) {
        return names;
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto list(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        Arrays.stream(values).forEach(a::addInts);
        return a.build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto tensorAttr(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    static byte[] model(GraphProto.Builder graph, int opset) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(graph).build().toByteArray();
    }

    static Network load(GraphProto.Builder graph, int opset) {
        return load(graph, opset, ImportOptions.DEFAULT);
    }

    static Network load(GraphProto.Builder graph, int opset, ImportOptions options) {
        return Network.bind(OnnxImporter.convert(OnnxImporter.parse(model(graph, opset), "test.onnx"), "test.onnx", "test",
                options), Map.of());
    }
}
