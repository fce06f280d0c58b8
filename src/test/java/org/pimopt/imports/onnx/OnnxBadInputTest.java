package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pimopt.imports.onnx.OnnxGraphs.node;
import static org.pimopt.imports.onnx.OnnxGraphs.tensor;
import static org.pimopt.imports.onnx.OnnxGraphs.weight;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.Network;

/** Files that are not (good) models: one clear line naming the file and node, quickly, every time. */
class OnnxBadInputTest {
    @TempDir
    Path dir;

    /** batch x 3 x 8 x 8 -> Conv(4, 3x3) -> Relu. */
    static GraphProto.Builder small() {
        return GraphProto.newBuilder().setName("small")
                .addInput(tensor("x", "batch", 3, 8, 8))
                .addInitializer(weight("W", 4, 3, 3, 3))
                .addNode(node("Conv", "conv", new String[] {"x", "W"}, "c"))
                .addNode(node("Relu", "relu", new String[] {"c"}, "y"))
                .addOutput(tensor("y", "batch", 4, 6, 6));
    }

    static byte[] model(GraphProto.Builder graph) {
        return OnnxGraphs.model(graph, 17);
    }

    Path file(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** The one-line message of importing {@code bytes}, which must fail fast. */
    String error(byte[] bytes) throws Exception {
        Path p = file("bad.onnx", bytes);
        String m = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ImportException.class, () -> ModelCatalog.loadSpec(p.toString())).getMessage());
        assertTrue(m.startsWith(p + ": "), m);
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    String error(UnaryOperator<GraphProto.Builder> change) throws Exception {
        return error(model(change.apply(small())));
    }

    @Test
    void theSmallModelIsFine() throws Exception {
        Path p = file("small.onnx", model(small()));
        Network n = ModelCatalog.load(p.toString(), Map.of());
        assertEquals(3 * 3 * 3 * 4, n.parameters());
        assertEquals(36, n.weightedLayers().get(0).outputPositions());
    }

    @Test
    void zeroBytes() throws Exception {
        assertTrue(error(new byte[0]).contains("empty"));
    }

    @Test
    void randomBytes() throws Exception {
        for (int seed = 0; seed < 20; seed++) {
            byte[] junk = new byte[4096];
            new Random(seed).nextBytes(junk);
            error(junk);
        }
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] whole = TribuoModelsTest.bytes(TribuoModelsTest.CNN);
        for (int cut : new int[] {whole.length / 2, whole.length - 1, 10}) {
            String m = error(Arrays.copyOf(whole, cut));
            assertTrue(m.contains("not an ONNX model") || m.contains("raw data"), m);
        }
    }

    @Test
    void aCycle() throws Exception {
        String m = error(g -> g.setNode(1, node("Relu", "relu", new String[] {"z"}, "y"))
                .addNode(node("Relu", "back", new String[] {"y"}, "z")));
        assertTrue(m.contains("cycle through node 'relu'") || m.contains("cycle through node 'back'"), m);
    }

    @Test
    void aMissingInitializer() throws Exception {
        String m = error(g -> g.clearInitializer());
        assertTrue(m.contains("node 'conv' (Conv) reads tensor 'W'") && m.contains("missing initializer"), m);
    }

    @Test
    void absurdDimensions() throws Exception {
        String input = error(g -> g.setInput(0, tensor("x", "batch", 3, 1_000_000_000_000L, 8)));
        assertTrue(input.contains("input 'x'") && input.contains("1000000000000"), input);
        String weight = error(g -> g.setInitializer(0, weight("W", 4, 3, 1_000_000_000_000L, 3)));
        assertTrue(weight.contains("initializer 'W'") && weight.contains("1000000000000"), weight);
        String product = error(g -> g.setInitializer(0, weight("W", 1L << 20, 1L << 20, 3, 3)));
        assertTrue(product.contains("2^40"), product);
        String folded = error(g -> g.addNode(node("ConstantOfShape", "huge", new String[] {"s"}, "h"))
                .addInitializer(TensorProto.newBuilder().setName("s").setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(2).addInt64Data(1L << 30).addInt64Data(1L << 30)));
        assertTrue(folded.contains("node 'huge' (ConstantOfShape)"), folded);
    }

    @Test
    void anUnknownOp() throws Exception {
        String m = error(g -> g.setNode(1, node("FancyActivation", "fancy", new String[] {"c"}, "y")));
        assertTrue(m.contains("node 'fancy' (FancyActivation): op FancyActivation (opset 17) is not supported"), m);
    }

    @Test
    void aSubgraph() throws Exception {
        AttributeProto branch = AttributeProto.newBuilder().setName("then_branch")
                .setType(AttributeProto.AttributeType.GRAPH).setG(GraphProto.newBuilder().setName("then")).build();
        String m = error(g -> g.setNode(1, node("If", "choose", new String[] {"c"}, "y").toBuilder().addAttribute(branch).build()));
        assertTrue(m.contains("node 'choose' (If)") && m.contains("subgraph"), m);
    }

    @Test
    void anUnboundDimensionAndAWrongShape() throws Exception {
        String m = error(g -> g.setInput(0, tensor("x", "batch", 3, "height", 8)));
        assertTrue(m.contains("input 'x' dimension 2 ('height') is not fixed") && m.contains("--input-shape x=1x"), m);
        String conv = error(g -> g.setInput(0, tensor("x", "batch", 5, 8, 8)));
        assertTrue(conv.contains("node 'conv' (Conv)") && conv.contains("5 input channels"), conv);
    }

    /** The message of loading the small model with a free height and the given options. */
    String bindError(Map<String, Integer> dims, org.pimopt.imports.common.ImportOptions options) throws Exception {
        Path p = file("free.onnx", model(small().setInput(0, tensor("x", "batch", 3, "height", 8))));
        String m = assertThrows(ImportException.class, () -> ModelCatalog.load(p.toString(), dims, options)).getMessage();
        assertTrue(m.startsWith(p + ": "), m);
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    /** A misspelt input name is the error to report, before the dimension it left unbound. */
    @Test
    void anInputShapeForAnInputTheModelDoesNotHave() throws Exception {
        String m = bindError(Map.of(), org.pimopt.imports.common.ImportOptions.DEFAULT.withInputShape("y", java.util.List.of(1L, 3L, 8L, 8L)));
        assertTrue(m.contains("--input-shape names 'y', which is not an input of the model (its inputs: x)"), m);
    }

    @Test
    void aDimThatNamesNoDimensionOfTheInputs() throws Exception {
        String m = bindError(Map.of("heigth", 8), org.pimopt.imports.common.ImportOptions.DEFAULT);
        assertTrue(m.contains("--dim names 'heigth'") && m.contains("height"), m);
    }

    /** The batch is bound to 1 whatever --dim says, so binding it is refused rather than ignored. */
    @Test
    void aDimThatNamesTheBatch() throws Exception {
        String m = bindError(Map.of("batch", 4, "height", 8), org.pimopt.imports.common.ImportOptions.DEFAULT);
        assertTrue(m.contains("--dim names 'batch', the batch dimension"), m);
    }

    @Test
    void aDimThatIsNotPositive() throws Exception {
        String m = bindError(Map.of("height", -3), org.pimopt.imports.common.ImportOptions.DEFAULT);
        assertTrue(m.contains("--dim height=-3: a dimension must be positive"), m);
    }
}
