package org.pimopt.imports.pimcomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.ir.VectorOp;

/**
 * PIMCOMP-NN's shipped networks (in the workplace's shared/ folder, beside the clone): each
 * imports, and the same architectures in pimopt's zoo have the same crossbar matrices, up to the
 * differences in the models themselves that each test states.
 */
class PimcompJsonTest {
    static final Path PEERS = Path.of("../shared/peer-models/pimcomp");

    @TempDir
    Path dir;

    static List<Path> peerFiles() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(PEERS), "no PIMCOMP peer models at " + PEERS.toAbsolutePath()
                + " (the shared/ folder lies beside the clone in the workplace and in CI)");
        try (var files = Files.list(PEERS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    static Network peer(String name, ImportOptions options) throws IOException {
        peerFiles();
        return ModelCatalog.load(PEERS.resolve(name + ".json").toString(), Map.of(), options);
    }

    static Network peer(String name) throws IOException {
        return peer(name, ImportOptions.DEFAULT);
    }

    /** Raw JSON nodes, read here without the importer. */
    static List<JsonObject> rawNodes(Path file) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(file)).getAsJsonObject().getAsJsonArray("node_list")) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    static int param(JsonObject node, String field, int fallback) {
        JsonObject p = node.getAsJsonObject("param");
        return p.has(field) ? p.get(field).getAsInt() : fallback;
    }

    /** Weights (per group), biases and batch-norm scale and shift, from the file's own fields. */
    static long rawParameters(List<JsonObject> nodes) {
        long total = 0;
        for (JsonObject n : nodes) {
            String op = n.get("operation").getAsString();
            if (op.equals("OP_CONV")) {
                int cout = param(n, "output_channel", 0);
                total += (long) param(n, "kernel_h", 0) * param(n, "kernel_w", 0)
                        * (param(n, "input_channel", 0) / param(n, "group", 1)) * cout;
                total += param(n, "with_bias", 0) * cout + 2L * n.get("with_bn").getAsInt() * cout;
            } else if (op.equals("OP_FC")) {
                int out = param(n, "num_output", 0);
                total += (long) param(n, "num_input", 0) * out + param(n, "with_bias", 0) * out
                        + 2L * n.get("with_bn").getAsInt() * out;
            }
        }
        return total;
    }

    @Test
    void everyPeerModelImportsWithTheFilesOwnCounts() throws IOException {
        List<Path> files = peerFiles();
        assertTrue(files.size() >= 12, files.toString());
        for (Path f : files) {
            Network n = ModelCatalog.load(f.toString(), Map.of());
            List<JsonObject> raw = rawNodes(f);
            long weighted = raw.stream().map(o -> o.get("operation").getAsString())
                    .filter(op -> op.equals("OP_CONV") || op.equals("OP_FC")).count();
            assertEquals(weighted, n.weightedLayers().size(), f.toString());
            assertEquals(rawParameters(raw), n.parameters(), f.toString());
            assertEquals(1, n.inputs().size(), f.toString());
            assertEquals(List.of(3, 224, 224), n.inputs().values().iterator().next().dims(), f.toString());
        }
    }

    @Test
    void theWeightedLayerCountsAre() throws IOException {
        Map<String, Integer> expected = Map.ofEntries(Map.entry("alexnet", 8), Map.entry("caffenet", 8),
                Map.entry("googlenet", 58), Map.entry("inception_v3", 95), Map.entry("mobilenetv2", 53),
                Map.entry("rcnn-ilsvrc13", 8), Map.entry("resnet18", 21), Map.entry("resnet34", 37),
                Map.entry("resnet50", 54), Map.entry("shufflenet", 50), Map.entry("squeezenet", 26), Map.entry("vgg16", 16));
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), peer(e.getKey()).weightedLayers().size(), e.getKey());
        }
    }

    record Mapping(int rows, int cols, int groups, long positions) {}

    static List<Mapping> mappings(Network n) {
        return n.weightedLayers().stream().map(l -> new Mapping(l.matrix().rows(), l.matrix().cols(), l.matrix().groups(),
                l.outputPositions())).toList();
    }

    static List<Mapping> sorted(List<Mapping> m) {
        return m.stream().sorted(Comparator.comparingInt(Mapping::rows).thenComparingInt(Mapping::cols)
                .thenComparingLong(Mapping::positions)).toList();
    }

    /** VGG-16 and SqueezeNet (PIMCOMP's is version 1.1) are the zoo's networks layer for layer. */
    @Test
    void vgg16AndSqueezeNetMatchTheZooExactly() throws IOException {
        for (String[] pair : new String[][] {{"vgg16", "vgg16"}, {"squeezenet", "squeezenet1_1"}}) {
            Network p = peer(pair[0]);
            Network z = ModelCatalog.load(pair[1], Map.of());
            assertEquals(mappings(z), mappings(p), pair[0]);
            assertEquals(z.parameters(), p.parameters(), pair[0]);
        }
    }

    /**
     * ResNet-18/34 (MXNet Gluon's resnet*_v1, "resnetv15/16") have the zoo's layers and parameters,
     * but list each stage's projection shortcut before the block's convolutions.
     */
    @Test
    void resnet18And34MatchTheZooUpToLayerOrder() throws IOException {
        for (String name : List.of("resnet18", "resnet34")) {
            Network p = peer(name);
            Network z = ModelCatalog.load(name, Map.of());
            assertEquals(sorted(mappings(z)), sorted(mappings(p)), name);
            assertEquals(z.parameters(), p.parameters(), name);
        }
    }

    /**
     * Gluon's resnet50_v1 strides in the first 1x1 convolution of a stage's first block, torchvision's
     * (v1.5) in the 3x3: the matrices are the same, but three 1x1 layers run a quarter of the MVMs.
     * Its 1x1 convolutions also carry biases, which torchvision's do not.
     */
    @Test
    void resnet50DiffersFromTheZooInStridePlacementAndBiases() throws IOException {
        Network p = peer("resnet50");
        Network z = ModelCatalog.load("resnet50", Map.of());
        List<Mapping> pm = mappings(p);
        List<Mapping> zm = mappings(z);
        assertEquals(zm.size(), pm.size());
        assertEquals(zm.stream().map(m -> List.of(m.rows(), m.cols())).sorted(Comparator.comparing(Object::toString)).toList(),
                pm.stream().map(m -> List.of(m.rows(), m.cols())).sorted(Comparator.comparing(Object::toString)).toList());
        int differ = 0;
        for (int i = 0; i < pm.size(); i++) {
            if (!pm.get(i).equals(zm.get(i))) {
                differ++;
                assertEquals(zm.get(i).positions(), 4 * pm.get(i).positions(), "layer " + i);
            }
        }
        assertEquals(3, differ);
        long biases = rawNodes(PEERS.resolve("resnet50.json")).stream()
                .filter(o -> o.get("operation").getAsString().equals("OP_CONV") && param(o, "with_bias", 0) == 1)
                .mapToLong(o -> param(o, "output_channel", 0)).sum();
        assertEquals(z.parameters() + biases, p.parameters());
    }

    /**
     * PIMCOMP's MobileNetV2 has batch norm folded into conv biases: the same crossbar layers, and
     * one bias per channel where torchvision counts a scale and a shift.
     */
    @Test
    void mobileNetV2MatchesTheZooWithFoldedBatchNorm() throws IOException {
        Network p = peer("mobilenetv2");
        Network z = ModelCatalog.load("mobilenet_v2", Map.of());
        assertEquals(mappings(z), mappings(p));
        long bnChannels = z.layers().stream().filter(l -> l.op() instanceof VectorOp.BatchNorm)
                .mapToLong(l -> l.parameters() / 2).sum();
        assertEquals(z.parameters() - bnChannels, p.parameters());
    }

    /**
     * PIMCOMP's GoogLeNet is Caffe's BVLC original, whose "5x5" branches really are 5x5; torchvision
     * (and the zoo) use 3x3 there. Every other layer is the same.
     */
    @Test
    void googLeNetDiffersFromTheZooInItsFiveByFiveBranches() throws IOException {
        List<Mapping> p = mappings(peer("googlenet"));
        List<Mapping> z = mappings(ModelCatalog.load("googlenet", Map.of()));
        assertEquals(z.size(), p.size());
        int differ = 0;
        for (int i = 0; i < p.size(); i++) {
            if (!p.get(i).equals(z.get(i))) {
                differ++;
                assertEquals(25 * z.get(i).rows(), 9 * p.get(i).rows(), "layer " + i);
                assertEquals(z.get(i).cols(), p.get(i).cols());
            }
        }
        assertEquals(9, differ);
    }

    /**
     * PIMCOMP's AlexNet is Caffe's two-GPU original (96-384-384-256 filters, grouped conv2/4/5, no
     * padding in conv1), the zoo's torchvision's one-GPU variant; only the classifier is the same.
     */
    @Test
    void alexNetSharesOnlyItsClassifierWithTheZoo() throws IOException {
        List<Mapping> p = mappings(peer("alexnet"));
        List<Mapping> z = mappings(ModelCatalog.load("alexnet", Map.of()));
        assertEquals(z.subList(5, 8), p.subList(5, 8));
        assertEquals(List.of(1, 2, 1, 2, 2), p.subList(0, 5).stream().map(Mapping::groups).toList());
    }

    @Test
    void denseGroupsSizeGroupedConvolutionsAsPimcompDoes() throws IOException {
        Network grouped = peer("mobilenetv2");
        Network dense = peer("mobilenetv2", ImportOptions.DEFAULT.withPimcompDenseGroups(true));
        int changed = 0;
        for (int i = 0; i < grouped.weightedLayers().size(); i++) {
            Layer g = grouped.weightedLayers().get(i);
            Layer d = dense.weightedLayers().get(i);
            assertEquals(1, d.matrix().groups());
            assertEquals(g.outputPositions(), d.outputPositions());
            assertEquals((long) g.matrix().rows() * g.matrix().groups(), d.matrix().rows());
            assertEquals((long) g.matrix().cols() * g.matrix().groups(), d.matrix().cols());
            changed += g.matrix().groups() > 1 ? 1 : 0;
        }
        assertEquals(17, changed, "MobileNetV2 has 17 depthwise convolutions");
        assertTrue(dense.stationaryWeights() > grouped.stationaryWeights());
    }

    String error(String json) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        String m = assertThrows(ImportException.class, () -> ModelCatalog.loadSpec(f.toString())).getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    static final String INPUT = "{\"index\":0,\"name\":\"data\",\"operation\":\"OP_INPUT\",\"output_dim\":[1,3,8,8],\"provider_index\":[]}";

    @Test
    void badFilesNameTheNode() throws IOException {
        assertTrue(error("{\"node_list\":[" + INPUT + ",{\"index\":1,\"name\":\"odd\",\"operation\":\"OP_MAGIC\","
                + "\"provider_index\":[0],\"output_dim\":[1,3,8,8]}]}").contains("node 'odd' (OP_MAGIC): operation 'OP_MAGIC' is not supported"));
        assertTrue(error("{\"node_list\":[" + INPUT + ",{\"index\":1,\"name\":\"r\",\"operation\":\"OP_RELU\","
                + "\"provider_index\":[2],\"output_dim\":[1,3,8,8]}]}").contains("node 'r' (OP_RELU): provider index 2 is not an earlier node"));
        String shape = error("{\"node_list\":[" + INPUT + ",{\"index\":1,\"name\":\"p\",\"operation\":\"OP_POOL\",\"provider_index\":[0],"
                + "\"output_dim\":[1,3,5,5],\"param\":{\"kernel_h\":2,\"kernel_w\":2,\"stride_h\":2,\"stride_w\":2,\"pool_method\":0}}]}");
        assertTrue(shape.contains("node 'p' (OP_POOL): pimopt computes output 3x4x4 but the file says 3x5x5"), shape);
        assertTrue(error("{\"node_list\":[]}").contains("empty"));
        assertTrue(error("{\"node_list\":[" + INPUT + ",{\"index\":1,\"name\":\"c\",\"operation\":\"OP_CONV\",\"provider_index\":[0],"
                + "\"output_dim\":[1,4,8,8],\"param\":{\"input_channel\":3,\"output_channel\":4,\"kernel_h\":\"three\"}}]}")
                .contains("node 'c' (OP_CONV): field 'kernel_h' is not a number"));
    }
}
