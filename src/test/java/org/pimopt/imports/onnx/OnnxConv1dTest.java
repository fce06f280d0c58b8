package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.pimopt.imports.onnx.OnnxGraphs.attr;
import static org.pimopt.imports.onnx.OnnxGraphs.in;
import static org.pimopt.imports.onnx.OnnxGraphs.list;
import static org.pimopt.imports.onnx.OnnxGraphs.load;
import static org.pimopt.imports.onnx.OnnxGraphs.node;
import static org.pimopt.imports.onnx.OnnxGraphs.tensor;
import static org.pimopt.imports.onnx.OnnxGraphs.weight;

import ai.onnx.proto.OnnxMl.GraphProto;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.Conv;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/** 1-D convolution and pooling (audio front ends such as openWakeWord's) as height-1 2-D ones. */
class OnnxConv1dTest {

    static GraphProto.Builder sequence(int c, int l) {
        return GraphProto.newBuilder().addInput(tensor("x", "N", c, l));
    }

    static String rejection(GraphProto.Builder graph) {
        return assertThrows(ImportException.class, () -> load(graph, 13)).getMessage();
    }

    @Test
    void conv1dIsAHeightOneConvWithItsStridePadsAndBias() {
        Network n = load(sequence(16, 100).addInitializer(weight("W", 32, 16, 5)).addInitializer(weight("B", 32))
                .addNode(node("Conv", "conv", in("x", "W", "B"), "y").toBuilder().addAttribute(list("kernel_shape", 5))
                        .addAttribute(list("strides", 2)).addAttribute(list("pads", 2, 2)).build())
                .addOutput(tensor("y")), 13);
        assertEquals(new Conv(32, 1, 5, 1, 2, 0, 2, 0, 2, 1, 1, 1, true), n.layer("conv").op());
        assertEquals(Shape.of(32, 1, 50), n.layer("conv").outputShape());
        assertEquals(50, n.layer("conv").outputPositions());
        assertEquals(List.of(80, 32), List.of(n.layer("conv").matrix().rows(), n.layer("conv").matrix().cols()));
        assertEquals(32 * 16 * 5 + 32, n.parameters());
        assertEquals(List.of(Shape.of(32, 50)), n.outputs().stream().map(t -> n.layer(t).outputShape()).toList(),
                "the output is N x C x L again");
    }

    @Test
    void depthwiseDilatedConv1dWithSamePadding() {
        // Length 20, kernel 3, dilation 2, stride 1: SAME keeps 20, total padding (3-1)*2 = 4.
        Network n = load(sequence(8, 20).addInitializer(weight("W", 8, 1, 3))
                .addNode(node("Conv", "conv", in("x", "W"), "y").toBuilder().addAttribute(attr("group", 8))
                        .addAttribute(list("dilations", 2)).addAttribute(attr("auto_pad", "SAME_UPPER")).build())
                .addOutput(tensor("y")), 13);
        assertEquals(new Conv(8, 1, 3, 1, 1, 0, 2, 0, 2, 1, 2, 8, false), n.layer("conv").op());
        assertEquals(Shape.of(8, 1, 20), n.layer("conv").outputShape());
        assertEquals(8 * 3, n.parameters());
    }

    @Test
    void aBiasAddAfterAConv1dIsFoldedIntoIt() {
        Network n = load(sequence(4, 10).addInitializer(weight("W", 6, 4, 3)).addInitializer(weight("b", 6, 1))
                .addNode(node("Conv", "conv", in("x", "W"), "c"))
                .addNode(node("Add", "bias", in("c", "b"), "y"))
                .addOutput(tensor("y")), 13);
        assertEquals(true, ((Conv) n.layer("conv").op()).bias());
        assertFalse(n.layers().stream().anyMatch(l -> l.op() instanceof VectorOp.Eltwise), "no Add is left");
        assertEquals(6 * 4 * 3 + 6, n.parameters());
    }

    @Test
    void pooling1dAndGlobalPoolingOfASequenceFeedAClassifier() {
        Network n = load(sequence(4, 32).addInitializer(weight("W", 8, 4, 3)).addInitializer(weight("F", 8, 10))
                .addNode(node("Conv", "conv", in("x", "W"), "c").toBuilder().addAttribute(list("pads", 1, 1)).build())
                .addNode(node("Relu", "relu", in("c"), "r"))
                .addNode(node("MaxPool", "pool", in("r"), "p").toBuilder().addAttribute(list("kernel_shape", 2))
                        .addAttribute(list("strides", 2)).build())
                .addNode(node("AveragePool", "avg", in("p"), "a").toBuilder().addAttribute(list("kernel_shape", 3))
                        .addAttribute(list("pads", 1, 1)).build())
                .addNode(node("GlobalAveragePool", "gap", in("a"), "g"))
                .addNode(node("Flatten", "flat", in("g"), "f"))
                .addNode(node("Gemm", "fc", in("f", "F"), "y"))
                .addOutput(tensor("y")), 13);
        assertEquals(new VectorOp.Pool("max", 1, 2, 1, 2, 0, 0, 0, 0, false), n.layer("pool").op());
        assertEquals(Shape.of(8, 1, 16), n.layer("pool").outputShape());
        assertEquals(Shape.of(8, 1, 16), n.layer("avg").outputShape());
        assertEquals(Shape.of(8, 1, 1), n.layer("gap").outputShape());
        assertEquals(Shape.of(8), n.layer("flat").outputShape());
        assertEquals(Shape.of(10), n.layer("fc").outputShape());
        assertEquals(List.of("conv", "fc"), n.weightedLayers().stream().map(Layer::name).toList());
        assertEquals(8 * 4 * 3 + 8 * 10, n.parameters());
    }

    @Test
    void aConv1dWithATwoDimensionalWeightIsRefused() {
        String m = rejection(sequence(4, 10).addInitializer(weight("W", 6, 4, 3, 3))
                .addNode(node("Conv", "conv", in("x", "W"), "y")).addOutput(tensor("y")));
        assertEquals("test.onnx: node 'conv' (Conv): weight 'W' has dims [6, 4, 3, 3]; a 1-D Conv has a rank-3 weight", m);
    }

    @Test
    void aConv1dWithTwoDimensionalStridesIsRefused() {
        String m = rejection(sequence(4, 10).addInitializer(weight("W", 6, 4, 3))
                .addNode(node("Conv", "conv", in("x", "W"), "y").toBuilder().addAttribute(list("strides", 1, 1)).build())
                .addOutput(tensor("y")));
        assertEquals("test.onnx: node 'conv' (Conv): strides [1, 1] is not 1-D, as the input is", m);
    }

    @Test
    void aThreeDimensionalConvIsRefused() {
        String m = rejection(GraphProto.newBuilder().addInput(tensor("x", "N", 2, 4, 4, 4))
                .addInitializer(weight("W", 3, 2, 3, 3, 3))
                .addNode(node("Conv", "conv", in("x", "W"), "y")).addOutput(tensor("y")));
        assertEquals("test.onnx: node 'conv' (Conv): input of dims [1, 2, 4, 4, 4] is neither N x C x L nor"
                + " N x C x H x W; pimopt handles 1-D and 2-D Conv only", m);
    }
}
