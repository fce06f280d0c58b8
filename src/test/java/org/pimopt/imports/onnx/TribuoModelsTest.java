package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.ir.Shape;

/**
 * ONNX files this project did not write: the test models shipped in Tribuo's tribuo-onnx tests
 * jar (a PyTorch CNN on MNIST, a one-layer BERT and an sklearn logistic regression). Expected
 * figures come from the raw ONNX protobuf, never from the importer.
 */
class TribuoModelsTest {
    static final String CNN = "org/tribuo/interop/onnx/cnn_mnist.onnx";
    static final String BERT = "org/tribuo/interop/onnx/extractors/tinybert.onnx";
    static final String LOGREG = "org/tribuo/interop/onnx/lr_mnist.onnx";

    static byte[] bytes(String resource) throws IOException {
        try (InputStream in = TribuoModelsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is on the test classpath (org.tribuo:tribuo-onnx:tests)");
            return in.readAllBytes();
        }
    }

    static Network load(String resource, ImportOptions options) throws IOException {
        return Network.bind(OnnxImporter.convert(OnnxImporter.parse(bytes(resource), resource), resource, "m", options), Map.of());
    }

    static GraphProto graph(String resource) throws IOException {
        return ModelProto.parseFrom(bytes(resource)).getGraph();
    }

    static long elements(TensorProto t) {
        return t.getDimsList().stream().reduce(1L, Math::multiplyExact);
    }

    static TensorProto initializer(GraphProto g, String name) {
        return g.getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    static long attribute(NodeProto n, String name, long fallback) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(AttributeProto::getI)
                .findFirst().orElse(fallback);
    }

    /** rows x cols of every Conv / Gemm / MatMul-with-initializer, read straight from the weight dims. */
    static List<List<Long>> matricesFromWeights(GraphProto g) {
        List<List<Long>> out = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            boolean hasWeight = n.getInputCount() > 1 && g.getInitializerList().stream().anyMatch(t -> t.getName().equals(n.getInput(1)));
            if (!hasWeight) {
                continue;
            }
            List<Long> w = initializer(g, n.getInput(1)).getDimsList();
            switch (n.getOpType()) {
                case "Conv" -> out.add(List.of(w.get(1) * w.get(2) * w.get(3), w.get(0)));
                case "Gemm" -> out.add(attribute(n, "transB", 0) == 1 ? List.of(w.get(1), w.get(0)) : List.of(w.get(0), w.get(1)));
                case "MatMul" -> out.add(List.of(w.get(0), w.get(1)));
                default -> { }
            }
        }
        return out;
    }

    static List<List<Long>> matrices(Network n) {
        return n.weightedLayers().stream().map(l -> List.of((long) l.matrix().rows(), (long) l.matrix().cols())).toList();
    }

    @Test
    void cnnMnistHasItsWeightsLayersAndShapes() throws IOException {
        GraphProto g = graph(CNN);
        long expected = g.getInitializerList().stream().mapToLong(TribuoModelsTest::elements).sum();
        Network n = load(CNN, ImportOptions.DEFAULT);
        assertEquals(expected, n.parameters());
        assertEquals(21_840, expected);
        assertEquals(matricesFromWeights(g), matrices(n));
        assertEquals(List.of("Conv", "MaxPool", "Relu", "Conv", "MaxPool", "Relu", "Reshape", "Linear", "Relu", "Linear",
                "Relu", "Softmax"), n.layers().stream().map(l -> l.op().kind()).toList());
        // 28x28 through two valid 5x5 convolutions and two 2x2 pools: 24x24, 12x12, 8x8, 4x4.
        assertEquals(List.of(24L * 24, 8L * 8, 1L, 1L), n.weightedLayers().stream().map(Layer::outputPositions).toList());
        assertEquals(Shape.of(1, 28, 28), n.inputs().get("input_image"));
        assertEquals(Shape.of(20 * 4 * 4), n.layers().get(6).outputShape());
        assertEquals(List.of("output_probs"), n.outputs());
        assertEquals(Shape.of(10), n.layer("output_probs").outputShape());
    }

    @Test
    void tinyBertHasItsWeightsLayersAndShapes() throws IOException {
        GraphProto g = graph(BERT);
        long floats = g.getInitializerList().stream().filter(t -> t.getDataType() == TensorProto.DataType.FLOAT_VALUE)
                .mapToLong(TribuoModelsTest::elements).sum();
        int seq = 16;
        Network n = load(BERT, ImportOptions.DEFAULT.withDims(Map.of("sequence", seq)));
        assertEquals(floats, n.parameters());
        assertEquals(121_200, floats);
        assertEquals(matricesFromWeights(g), matrices(n));
        // Q, K, V, attention output, FFN in and out run once per token; the pooler once per sample.
        assertEquals(List.of((long) seq, (long) seq, (long) seq, (long) seq, (long) seq, (long) seq, 1L),
                n.weightedLayers().stream().map(Layer::outputPositions).toList());
        // Biases that follow a MatMul are folded into its layer: all seven have one.
        assertTrue(n.weightedLayers().stream().allMatch(l -> l.parameters() == l.matrix().weights() + l.matrix().cols()));
        assertEquals(Shape.of(seq), n.inputs().get("input_ids"));
        assertEquals(List.of(Shape.of(seq, 50), Shape.of(50)),
                n.outputs().stream().map(o -> n.layer(o).outputShape()).toList());
        assertEquals(1, n.layers().stream().filter(l -> l.op().kind().equals("Softmax")).count());
        assertEquals(2, n.layers().stream().filter(l -> l.op().kind().equals("MatMul")).count());
        assertEquals(2, n.layers().stream().filter(l -> l.op().kind().equals("Embedding")).count());
    }

    @Test
    void tinyBertSequenceLengthCanBeGivenAsInputShapes() throws IOException {
        ImportOptions shapes = ImportOptions.DEFAULT;
        for (String input : List.of("input_ids", "attention_mask", "token_type_ids")) {
            shapes = shapes.withInputShape(input, List.of(1L, 32L));
        }
        Network n = load(BERT, shapes);
        assertEquals(32, n.weightedLayers().get(0).outputPositions());
        assertEquals(n.parameters(), load(BERT, ImportOptions.DEFAULT.withDims(Map.of("sequence", 32))).parameters());
    }

    @Test
    void anUnboundSequenceLengthNamesTheInput() {
        String m = assertThrows(ImportException.class, () -> load(BERT, ImportOptions.DEFAULT)).getMessage();
        assertTrue(m.contains("input 'input_ids'") && m.contains("'sequence'") && m.contains("--dim sequence="), m);
        assertEquals(1, m.lines().count());
    }

    @Test
    void aLongerSequenceThanThePositionTableIsAnError() {
        // tinybert has 100 positions: slicing 0:101 of them gives 100 rows, which no longer add to 101 tokens.
        String m = assertThrows(ImportException.class,
                () -> load(BERT, ImportOptions.DEFAULT.withDims(Map.of("sequence", 101)))).getMessage();
        assertTrue(m.startsWith(BERT + ": node 'Add_19' (Add)"), m);
    }

    @Test
    void anOnnxMlClassifierIsUnsupportedUnlessLenient() throws IOException {
        String m = assertThrows(ImportException.class, () -> load(LOGREG, ImportOptions.DEFAULT)).getMessage();
        assertTrue(m.contains("node 'LinearClassifier'") && m.contains("ai.onnx.ml.LinearClassifier")
                && m.contains("opset 1") && m.contains("--lenient"), m);
        List<String> warnings = new ArrayList<>();
        Network n = load(LOGREG, ImportOptions.DEFAULT.withLenient(true).withWarnings(warnings::add));
        assertEquals(0, n.weightedLayers().size());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("ai.onnx.ml.LinearClassifier x1") && warnings.get(0).contains("ai.onnx.ml.ZipMap"),
                warnings.get(0));
    }
}
