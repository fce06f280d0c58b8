package org.pimopt.zoo;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.PimoptJson;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Linear;
import org.pimopt.ir.MatrixView;
import org.pimopt.ir.Network;

/**
 * The committed model zoo in {@code models/networks/}: every file is read as a user's file would
 * be, and checked against what {@link ZooGenerator} writes and against the published counts.
 */
class ZooTest {

    private static String committedText(String file) throws IOException {
        return Files.readString(ZooGenerator.DIRECTORY.resolve(file), StandardCharsets.UTF_8);
    }

    private static Network committed(String name, Map<String, Integer> dims) throws IOException {
        String file = name + ".json";
        return Network.bind(PimoptJson.read(committedText(file), file), dims);
    }

    private static Network committed(String name) throws IOException {
        return committed(name, Map.of());
    }

    static Stream<String> zooNames() {
        return ZooNetworks.all().keySet().stream();
    }

    // ----- the files cannot drift from the code -----

    @Test
    void indexListsTheFifteenNetworksInZooOrder() throws IOException {
        assertEquals(List.of("lenet5", "alexnet", "vgg11", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50",
                "squeezenet1_0", "squeezenet1_1", "mobilenet_v2", "googlenet", "densenet121", "bert-base", "vit-b16"),
                List.copyOf(ZooNetworks.all().keySet()));
        assertEquals(ZooGenerator.indexFile(), committedText("index.txt"),
                "models/networks/index.txt is stale: run scripts/regenerate-zoo");
    }

    @ParameterizedTest(name = "models/networks/{0}.json is what ZooGenerator writes")
    @MethodSource("zooNames")
    void committedFileIsWhatTheGeneratorWrites(String name) throws IOException {
        String expected = ZooGenerator.networkFile(ZooNetworks.all().get(name).get());
        assertEquals(expected, committedText(name + ".json"),
                "models/networks/" + name + ".json is stale: run scripts/regenerate-zoo");
    }

    @ParameterizedTest(name = "{0} is named after its file, says what it is and where it comes from")
    @MethodSource("zooNames")
    void everyNetworkIsDescribed(String name) throws IOException {
        Network n = committed(name);
        assertAll(
                () -> assertEquals(name, n.name()),
                () -> assertFalse(n.description().isBlank(), "description"),
                () -> assertFalse(n.source().isBlank(), "source"),
                () -> assertEquals(1, n.outputs().size(), "one output: " + n.outputs()));
    }

    @Test
    void everyIndexedNetworkLoadsByNameFromTheClasspath() {
        assertEquals(List.copyOf(ZooNetworks.all().keySet()), ModelCatalog.zooNames());
        for (String name : ModelCatalog.zooNames()) {
            assertEquals(name, ModelCatalog.load(name, Map.of()).name());
        }
    }

    // ----- parameters: exactly torchvision's sum(p.numel() for p in model.parameters()) -----

    static Stream<Arguments> publishedParameterCounts() {
        return Stream.of(
                // LeNet-5 by hand: conv1 6*1*5*5+6 = 156, conv2 16*6*5*5+16 = 2,416,
                // fc1 400*120+120 = 48,120, fc2 120*84+84 = 10,164, fc3 84*10+10 = 850.
                Arguments.of("lenet5", 61_706L),
                Arguments.of("alexnet", 61_100_840L),
                Arguments.of("vgg11", 132_863_336L),
                Arguments.of("vgg16", 138_357_544L),
                Arguments.of("vgg19", 143_667_240L),
                Arguments.of("resnet18", 11_689_512L),
                Arguments.of("resnet34", 21_797_672L),
                Arguments.of("resnet50", 25_557_032L),
                Arguments.of("squeezenet1_0", 1_248_424L),
                Arguments.of("squeezenet1_1", 1_235_496L),
                Arguments.of("mobilenet_v2", 3_504_872L),
                Arguments.of("googlenet", 6_624_904L),
                Arguments.of("densenet121", 7_978_856L),
                // BERT-base's 109,482,240 less the embeddings (23,837,184) and the pooler (590,592).
                Arguments.of("bert-base", 85_054_464L),
                Arguments.of("vit-b16", 86_567_656L));
    }

    @ParameterizedTest(name = "{0} has exactly {1} parameters")
    @MethodSource("publishedParameterCounts")
    void parameterCountIsExactlyThePublishedOne(String name, long parameters) throws IOException {
        assertEquals(parameters, committed(name).parameters());
    }

    // ----- work: conv and linear multiply-accumulates per 224x224 image -----

    static Stream<Arguments> publishedMacs() {
        return Stream.of(
                Arguments.of("resnet18", 1.82e9),
                Arguments.of("resnet50", 4.1e9),
                Arguments.of("vgg16", 15.5e9),
                Arguments.of("mobilenet_v2", 0.30e9));
    }

    @ParameterizedTest(name = "{0} does {1} MACs per sample, within 1%")
    @MethodSource("publishedMacs")
    void macsAreWithinOnePercentOfThePublishedCount(String name, double macs) throws IOException {
        assertEquals(macs, committed(name).macs(), 0.01 * macs);
    }

    // ----- outputs -----

    static Stream<Arguments> outputShapes() {
        return Stream.of(
                Arguments.of("lenet5", "10"),
                Arguments.of("alexnet", "1000"),
                Arguments.of("vgg11", "1000"),
                Arguments.of("vgg16", "1000"),
                Arguments.of("vgg19", "1000"),
                Arguments.of("resnet18", "1000"),
                Arguments.of("resnet34", "1000"),
                Arguments.of("resnet50", "1000"),
                Arguments.of("squeezenet1_0", "1000"),
                Arguments.of("squeezenet1_1", "1000"),
                Arguments.of("mobilenet_v2", "1000"),
                Arguments.of("googlenet", "1000"),
                Arguments.of("densenet121", "1000"),
                // Hidden states of every token.
                Arguments.of("bert-base", "128x768"),
                // The head reads the class token's row, a 1x768 piece of the 197x768 sequence.
                Arguments.of("vit-b16", "1x1000"));
    }

    @ParameterizedTest(name = "{0} outputs {1}")
    @MethodSource("outputShapes")
    void outputShape(String name, String shape) throws IOException {
        assertEquals(shape, outputShape(committed(name)));
    }

    private static String outputShape(Network n) {
        String tensor = n.outputs().get(0);
        for (Layer layer : n.layers()) {
            int i = layer.node().outputs().indexOf(tensor);
            if (i >= 0) {
                return layer.outputShapes().get(i).toString();
            }
        }
        throw new AssertionError(n.name() + ": no layer produces output " + tensor);
    }

    // ----- transformers -----

    @Test
    void bertBaseHoldsFourSquareAndTwoFeedForwardMatricesPerLayer() throws IOException {
        Network bert = committed("bert-base");
        // Q, K, V and the attention output are 768x768; the FFN is 768x3072 then 3072x768.
        Map<String, Long> matrices = bert.weightedLayers().stream()
                .map(Layer::matrix)
                .collect(Collectors.groupingBy(ZooTest::format, TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("768x768", 48L, "768x3072", 12L, "3072x768", 12L), matrices);
        assertTrue(bert.weightedLayers().stream().allMatch(l -> l.op() instanceof Linear),
                "every weighted layer of the encoder is a Linear");
    }

    private static String format(MatrixView m) {
        return m.rows() + "x" + m.cols() + (m.groups() == 1 ? "" : " x" + m.groups() + " groups");
    }

    @Test
    void bertBaseProcessesOneMatrixVectorProductPerTokenOf128ByDefault() throws IOException {
        Network bert = committed("bert-base");
        assertEquals(Map.of("seq", 128), bert.bindings());
        assertTrue(bert.weightedLayers().stream().allMatch(l -> l.outputPositions() == 128));
    }

    @Test
    void bertBaseFollowsTheSequenceLengthItIsGiven() throws IOException {
        Network bert = committed("bert-base", Map.of("seq", 256));
        assertAll(
                () -> assertTrue(bert.weightedLayers().stream().allMatch(l -> l.outputPositions() == 256)),
                () -> assertEquals("256x768", outputShape(bert)),
                // Weights do not depend on the sequence length.
                () -> assertEquals(85_054_464L, bert.parameters()));
    }

    @Test
    void vitB16RunsItsEncoderOn197TokensAndItsHeadOnTheClassToken() throws IOException {
        Network vit = committed("vit-b16");
        assertAll(
                () -> assertEquals(196, vit.layer("conv_proj").outputPositions(), "14x14 patches"),
                () -> assertTrue(vit.weightedLayers().stream()
                        .filter(l -> l.name().startsWith("encoder."))
                        .allMatch(l -> l.outputPositions() == 197), "196 patches + the class token"),
                () -> assertEquals(1, vit.layer("heads.head").outputPositions()),
                () -> assertEquals(12 * 6, vit.weightedLayers().stream()
                        .filter(l -> l.name().startsWith("encoder.")).count(), "q, k, v, out_proj, mlp.0, mlp.3 per block"));
    }
}
