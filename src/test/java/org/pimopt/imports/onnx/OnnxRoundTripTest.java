package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.Conv;
import org.pimopt.ir.ConvTranspose;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.VectorOp;

/**
 * Export to ONNX and import back: the weighted layers (name, matrix, MVMs per sample) and the
 * parameter count must survive, for every zoo network and for networks using every op.
 */
class OnnxRoundTripTest {

    /** What a plan depends on: each weighted layer's name, matrix and output positions. */
    record WeightedLayer(String name, String kind, int rows, int cols, int groups, long positions) {}

    static List<WeightedLayer> weighted(Network n) {
        return n.weightedLayers().stream().map(l -> new WeightedLayer(l.name(), l.op().kind(), l.matrix().rows(),
                l.matrix().cols(), l.matrix().groups(), l.outputPositions())).toList();
    }

    static Network roundTrip(Network n, boolean weights) throws Exception {
        ModelProto model = OnnxExporter.export(n, weights);
        byte[] bytes = model.toByteArray();
        return Network.bind(OnnxImporter.convert(OnnxImporter.parse(bytes, n.name() + ".onnx"), n.name() + ".onnx", n.name(),
                ImportOptions.DEFAULT), Map.of());
    }

    static void assertSameWeights(Network original, Network back) {
        assertEquals(weighted(original), weighted(back), original.name());
        assertEquals(original.parameters(), back.parameters(), original.name() + " parameters");
        assertEquals(original.macs(), back.macs(), original.name() + " MACs");
    }

    @Test
    void everyZooNetworkSurvivesOnnx() throws Exception {
        List<String> names = ModelCatalog.zooNames();
        for (String name : names) {
            Network n = ModelCatalog.load(name, Map.of());
            Network back = roundTrip(n, false);
            assertSameWeights(n, back);
            assertEquals(n.outputs().size(), back.outputs().size(), name + " outputs");
            assertEquals(n.layer(n.outputs().get(0)).outputShape(), back.layer(back.outputs().get(0)).outputShape(), name);
        }
    }

    /** A network that uses every op pimopt has, so the loop above does not depend on the zoo's contents. */
    static Network everyOp() {
        var b = new NetworkBuilder("every-op");
        String x = b.input("image", "3x32x32");
        x = b.add("conv", new Conv(16, 3, 5, 1, 2, 1, 2, 0, 1, 1, 1, 1, true), x);
        x = b.batchNorm("bn", x);
        x = b.act("relu6", "relu6", x);
        String g = b.groupConv("dw", x, 16, 3, 1, 1, 16, false);
        x = b.eltwise("sum", "add", x, g);
        x = b.add("shuffle", new VectorOp.ChannelShuffle(4), x);
        x = b.add("lrn", new VectorOp.Lrn(5), x);
        x = b.add("pool", new VectorOp.Pool("max", 2, 2, 2, 2, 0, 0, 0, 0, true), x);
        x = b.add("up", new ConvTranspose(8, 4, 4, 2, 2, 1, 1, 1, 1, 0, 0, 1, 1, 2, true), x);
        x = b.add("pad", new VectorOp.Pad("reflect", List.of(0, 1, 2), List.of(0, 1, 0)), x);
        x = b.add("resize", new VectorOp.Resize("linear", List.of(1.0, 0.5, 0.5), List.of()), x);
        x = b.add("crop", new VectorOp.Slice(List.of(1, 2), List.of(1, 0), List.of(16, 16), List.of()), x);
        x = b.add("sizes", new VectorOp.Resize("nearest", List.of(), List.of(8, 30, 30)), x);
        x = b.add("apool", new VectorOp.AdaptivePool("avg", 7, 7), x);
        b.add("split", new VectorOp.Split(0, List.of(3, 5)), x);
        String cat = b.concat("cat", 0, "split:1", "split:0");
        String mean = b.add("mean", new VectorOp.Reduce("mean", List.of(1, 2), true), cat);
        String gp = b.add("gp", new VectorOp.GlobalPool("max"), cat);
        x = b.eltwise("scale", "mul", cat, b.add("sig", new VectorOp.Activation("sigmoid"), b.eltwise("both", "add", mean, gp)));
        x = b.flatten("flat", x);
        x = b.dropout("drop", x);
        x = b.linear("fc", x, 64, true);
        x = b.act("silu", "silu", x);
        x = b.reshape("tokens", x, 8, -1);
        x = b.layerNorm("ln", x);
        String tok = b.add("first", new VectorOp.Gather(0, List.of()), x);
        b.linear("head", tok, 10, false);
        String q = b.linear("q", x, 8, true);
        String k = b.transpose("kt", b.linear("k", x, 8, false), 1, 0);
        String att = b.softmax("att", b.matmul("scores", q, k), -1);
        String ids = b.add("ids", new VectorOp.Reduce("max", List.of(1), false), att);
        String table = b.parameter("table", "100x8", true);
        String emb = b.add("embed", new VectorOp.Embedding(), table, ids);
        String pos = b.parameter("pos", "8x8", true);
        String cls = b.parameter("cls", "1x8", true);
        String seq = b.concat("seq", 0, cls, b.eltwise("addpos", "add", emb, pos));
        String t = b.parameter("temperature", "1", false);
        b.eltwise("out", "div", b.add("gelu", new VectorOp.Activation("gelu"), seq), t);
        return Network.bind(b.build(), Map.of());
    }

    @Test
    void everyOpSurvivesOnnx() throws Exception {
        Network n = everyOp();
        Network back = roundTrip(n, false);
        assertSameWeights(n, back);
        // Every node that comes back under its name computes the same shapes.
        int same = 0;
        for (Layer l : n.layers()) {
            if (back.layers().stream().anyMatch(m -> m.name().equals(l.name()))) {
                assertEquals(l.outputShapes(), back.layer(l.name()).outputShapes(), l.name());
                same++;
            }
        }
        assertTrue(same > n.layers().size() * 3 / 4, same + " of " + n.layers().size());
        // The ops that have an ONNX form of their own come back as themselves (a slice drops its whole-axis part).
        for (String name : List.of("up", "pad", "resize", "sizes", "mean", "embed", "first", "ln", "lrn", "split", "table", "cls")) {
            assertEquals(n.layer(name).op(), back.layer(name).op(), name);
        }
        assertEquals(new VectorOp.Slice(List.of(1), List.of(1), List.of(16), List.of()), back.layer("crop").op());
    }

    @Test
    void zeroFilledWeightsHoldEveryParameter() throws Exception {
        Network n = everyOp();
        ModelProto model = OnnxExporter.export(n, true);
        long floats = model.getGraph().getInitializerList().stream()
                .filter(t -> t.getDataType() == TensorProto.DataType.FLOAT_VALUE)
                .mapToLong(t -> t.getRawData().size() / 4).sum();
        assertTrue(floats >= n.parameters(), floats + " < " + n.parameters());
        assertTrue(model.getGraph().getInitializerList().stream().allMatch(t -> t.getRawData().isEmpty()
                || t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getName().contains("/")
                || t.getRawData().toByteArray().length == t.getRawData().size()));
        assertSameWeights(n, roundTrip(n, true));
        ModelProto shapesOnly = OnnxExporter.export(n, false);
        assertTrue(shapesOnly.getSerializedSize() < model.getSerializedSize() / 4);
        assertFalse(shapesOnly.getGraph().getValueInfoList().isEmpty(), "intermediate shapes are recorded for Netron");
    }

    @Test
    void convTransposeIsOneMvmPerInputPixel() throws Exception {
        Layer up = everyOp().layer("up");
        // 16 input channels in 2 groups, 8 output channels, a 4x4 kernel with stride 2 and pads 1 over 16x8 pixels.
        assertEquals(List.of(16, 16, 8), up.inputShapes().get(0).dims());
        assertEquals(16 * 8, up.outputPositions());
        assertEquals(16 / 2, up.matrix().rows());
        assertEquals(8 / 2 * 4 * 4, up.matrix().cols());
        assertEquals(2, up.matrix().groups());
        // (in - 1) * stride - pads + kernel: (16-1)*2 - 2 + 4 = 32 and (8-1)*2 - 2 + 4 = 16.
        assertEquals(List.of(8, 32, 16), up.outputShape().dims());
        assertEquals(16 * 4 * 4 * 4 + 8, up.parameters());
    }
}
