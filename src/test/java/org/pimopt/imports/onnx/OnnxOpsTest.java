package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pimopt.imports.onnx.OnnxGraphs.attr;
import static org.pimopt.imports.onnx.OnnxGraphs.floats;
import static org.pimopt.imports.onnx.OnnxGraphs.in;
import static org.pimopt.imports.onnx.OnnxGraphs.ints;
import static org.pimopt.imports.onnx.OnnxGraphs.list;
import static org.pimopt.imports.onnx.OnnxGraphs.load;
import static org.pimopt.imports.onnx.OnnxGraphs.node;
import static org.pimopt.imports.onnx.OnnxGraphs.tensor;
import static org.pimopt.imports.onnx.OnnxGraphs.tensorAttr;
import static org.pimopt.imports.onnx.OnnxGraphs.weight;

import ai.onnx.proto.OnnxMl.GraphProto;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.ir.Conv;
import org.pimopt.ir.ConvTranspose;
import org.pimopt.ir.Linear;
import org.pimopt.ir.Network;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/** ONNX op semantics on hand-built graphs: padding rules, weights in Constant nodes, opset forms. */
class OnnxOpsTest {

    static GraphProto.Builder image(int c, int h, int w) {
        return GraphProto.newBuilder().setName("g").addInput(tensor("x", "N", c, h, w));
    }

    @Test
    void autoPadSameUpperLowerAndValid() {
        // 7x7 input, 4x4 kernel, stride 2: output ceil(7/2) = 4, total padding (4-1)*2 + 4 - 7 = 3.
        for (String mode : List.of("SAME_UPPER", "SAME_LOWER", "VALID")) {
            Network n = load(image(2, 7, 7).addInitializer(weight("W", 8, 2, 4, 4))
                    .addNode(node("Conv", "conv", in("x", "W"), "y").toBuilder().addAttribute(attr("auto_pad", mode))
                            .addAttribute(list("strides", 2, 2)).build())
                    .addOutput(tensor("y")), 13);
            Conv c = (Conv) n.layer("conv").op();
            switch (mode) {
                case "SAME_UPPER" -> assertEquals(List.of(1, 1, 2, 2), List.of(c.padTop(), c.padLeft(), c.padBottom(), c.padRight()));
                case "SAME_LOWER" -> assertEquals(List.of(2, 2, 1, 1), List.of(c.padTop(), c.padLeft(), c.padBottom(), c.padRight()));
                default -> assertEquals(List.of(0, 0, 0, 0), List.of(c.padTop(), c.padLeft(), c.padBottom(), c.padRight()));
            }
            assertEquals(mode.equals("VALID") ? Shape.of(8, 2, 2) : Shape.of(8, 4, 4), n.layer("conv").outputShape(), mode);
        }
    }

    @Test
    void groupedDilatedConvolution() {
        Network n = load(image(8, 16, 16).addInitializer(weight("W", 8, 2, 3, 3)).addInitializer(weight("B", 8))
                .addNode(node("Conv", "conv", in("x", "W", "B"), "y").toBuilder().addAttribute(attr("group", 4))
                        .addAttribute(list("dilations", 2, 2)).addAttribute(list("pads", 2, 2, 2, 2)).build())
                .addOutput(tensor("y")), 13);
        assertEquals(new Conv(8, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 4, true), n.layer("conv").op());
        assertEquals(List.of(18, 2, 4), List.of(n.layer("conv").matrix().rows(), n.layer("conv").matrix().cols(),
                n.layer("conv").matrix().groups()));
        assertEquals(8 * 2 * 9 + 8, n.parameters());
    }

    /** paddle2onnx writes weights as Constant nodes, not initializers. */
    @Test
    void weightsInConstantNodes() {
        Network n = load(GraphProto.newBuilder().addInput(tensor("x", "N", 64))
                .addNode(node("Constant", "w", in(), "W").toBuilder().addAttribute(tensorAttr("value", weight("", 64, 10))).build())
                .addNode(node("Constant", "b", in(), "B").toBuilder().addAttribute(tensorAttr("value", weight("", 10))).build())
                .addNode(node("MatMul", "fc", in("x", "W"), "m"))
                .addNode(node("Add", "bias", in("m", "B"), "y"))
                .addOutput(tensor("y")), 11);
        assertEquals(List.of("fc"), n.layers().stream().map(l -> l.name()).toList());
        assertEquals(new Linear(10, true), n.layer("fc").op());
        assertEquals(64 * 10 + 10, n.parameters());
    }

    @Test
    void gemmWithoutTransposeAndMatMulOfActivations() {
        Network n = load(GraphProto.newBuilder().addInput(tensor("x", "N", 6, 4)).addInput(tensor("v", "N", 16))
                .addInitializer(weight("W", 16, 3)).addInitializer(weight("C", 3))
                .addNode(node("Transpose", "t", in("x"), "xt").toBuilder().addAttribute(list("perm", 0, 2, 1)).build())
                .addNode(node("MatMul", "mm", in("x", "xt"), "s"))
                .addNode(node("Gemm", "gemm", in("v", "W", "C"), "y").toBuilder().addAttribute(attr("transB", 0)).build())
                .addOutput(tensor("s")).addOutput(tensor("y")), 13);
        assertEquals(new VectorOp.MatMul(), n.layer("mm").op());
        assertEquals(Shape.of(6, 6), n.layer("mm").outputShape());
        assertEquals(new Linear(3, true), n.layer("gemm").op());
        assertEquals(16 * 3 + 3, n.parameters());
    }

    @Test
    void convTransposeWithOutputShape() {
        // 5x5 -> 10x10 with a 3x3 kernel, stride 2: full output 11, so one row and column are padded away.
        Network n = load(image(4, 5, 5).addInitializer(weight("W", 4, 2, 3, 3))
                .addNode(node("ConvTranspose", "up", in("x", "W"), "y").toBuilder().addAttribute(list("strides", 2, 2))
                        .addAttribute(list("output_shape", 10, 10)).build())
                .addOutput(tensor("y")), 13);
        ConvTranspose up = (ConvTranspose) n.layer("up").op();
        assertEquals(Shape.of(2, 10, 10), n.layer("up").outputShape());
        assertEquals(1, up.padTop() + up.padBottom());
        assertEquals(25, n.layer("up").outputPositions());
        assertEquals(List.of(4, 18), List.of(n.layer("up").matrix().rows(), n.layer("up").matrix().cols()));
    }

    @Test
    void opset13FormsAndClipBounds() {
        Network n = load(GraphProto.newBuilder().addInput(tensor("x", "N", 12, 4))
                .addInitializer(ints("sizes", 4, 8)).addInitializer(ints("axes", 1)).addInitializer(ints("last", -1))
                .addInitializer(floats("lo", 0)).addInitializer(floats("hi", 6))
                .addNode(node("Split", "split", in("x", "sizes"), "a", "b").toBuilder().addAttribute(attr("axis", 1)).build())
                .addNode(node("Unsqueeze", "u", in("a", "axes"), "au"))
                .addNode(node("Squeeze", "s", in("au", "axes"), "as"))
                .addNode(node("Clip", "clip", in("as", "lo", "hi"), "c"))
                .addNode(node("ReduceSum", "sum", in("b", "last"), "r"))
                .addNode(node("Softmax", "soft", in("c"), "p"))
                .addOutput(tensor("p")).addOutput(tensor("r")), 13);
        assertEquals(new VectorOp.Split(0, List.of(4, 8)), n.layer("split").op());
        assertEquals(Shape.of(1, 4, 4), n.layer("u").outputShape());
        assertEquals(Shape.of(4, 4), n.layer("s").outputShape());
        assertEquals(new VectorOp.Activation("relu6"), n.layer("clip").op());
        assertEquals(new VectorOp.Reduce("sum", List.of(1), true), n.layer("sum").op());
        assertEquals(new VectorOp.Softmax(1), n.layer("soft").op(), "opset 13's default axis is the last");
    }

    @Test
    void poolingPaddingResizeAndFlatten() {
        Network n = load(image(3, 9, 9).addInitializer(ints("pads", 0, 0, 1, 1, 0, 0, 1, 1))
                .addInitializer(floats("scales", 1, 1, 2, 2))
                .addNode(node("MaxPool", "pool", in("x"), "p").toBuilder().addAttribute(list("kernel_shape", 3, 3))
                        .addAttribute(list("strides", 2, 2)).addAttribute(attr("ceil_mode", 1)).build())
                .addNode(node("Pad", "pad", in("p", "pads"), "q"))
                .addNode(node("Resize", "up", in("q", "", "scales"), "r"))
                .addNode(node("GlobalAveragePool", "gap", in("r"), "g"))
                .addNode(node("Flatten", "flat", in("g"), "f"))
                .addOutput(tensor("f")), 13);
        assertEquals(Shape.of(3, 4, 4), n.layer("pool").outputShape());
        assertEquals(Shape.of(3, 6, 6), n.layer("pad").outputShape());
        assertEquals(Shape.of(3, 12, 12), n.layer("up").outputShape());
        assertEquals(Shape.of(3), n.layer("flat").outputShape());
    }

    @Test
    void layerNormalizationAndItsDecomposedForm() {
        Network fused = load(GraphProto.newBuilder().addInput(tensor("x", "N", 5, 32))
                .addInitializer(weight("g", 32)).addInitializer(weight("b", 32))
                .addNode(node("LayerNormalization", "ln", in("x", "g", "b"), "y"))
                .addOutput(tensor("y")), 17);
        assertEquals(new VectorOp.LayerNorm(true), fused.layer("ln").op());
        assertEquals(64, fused.parameters());
        Network scaleOnly = load(GraphProto.newBuilder().addInput(tensor("x", "N", 5, 32)).addInitializer(weight("g", 32))
                .addNode(node("LayerNormalization", "ln", in("x", "g"), "y")).addOutput(tensor("y")), 17);
        assertEquals(32, scaleOnly.parameters());
        assertTrue(scaleOnly.layers().stream().anyMatch(l -> l.op().equals(new VectorOp.Eltwise("mul"))));
    }
}
