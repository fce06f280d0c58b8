package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.pimopt.imports.onnx.OnnxGraphs.floats;
import static org.pimopt.imports.onnx.OnnxGraphs.in;
import static org.pimopt.imports.onnx.OnnxGraphs.load;
import static org.pimopt.imports.onnx.OnnxGraphs.node;
import static org.pimopt.imports.onnx.OnnxGraphs.tensor;
import static org.pimopt.imports.onnx.OnnxGraphs.tensorAttr;
import static org.pimopt.imports.onnx.OnnxGraphs.weight;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/** Max, Min and Clip as exporters write ReLU, ReLU6 and clamps: with constants, of tensors, and what is refused. */
class OnnxMinMaxClipTest {

    /** A scalar float constant (dims []) as a Constant node, the way PyTorch writes Clip's bounds. */
    static NodeProto constant(String name, float value) {
        TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(value).build();
        return node("Constant", name, in(), name).toBuilder().addAttribute(tensorAttr("value", t)).build();
    }

    static GraphProto.Builder features() {
        return GraphProto.newBuilder().addInput(tensor("x", "N", 4, 8));
    }

    static List<VectorOp> ops(Network n) {
        return n.layers().stream().map(Layer::op).filter(op -> op instanceof VectorOp).map(op -> (VectorOp) op)
                .filter(op -> !(op instanceof VectorOp.Parameter)).toList();
    }

    static String rejection(GraphProto.Builder graph) {
        return assertThrows(ImportException.class, () -> load(graph, 13)).getMessage();
    }

    @Test
    void clipWithBoundsInConstantNodesIsRelu6() {
        Network n = load(features().addNode(constant("lo", 0)).addNode(constant("hi", 6))
                .addNode(node("Clip", "clip", in("x", "lo", "hi"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("relu6")), ops(n));
        assertEquals(Shape.of(4, 8), n.layer("clip").outputShape());
    }

    @Test
    void clipWithOnlyALowerBoundOfZeroIsRelu() {
        Network n = load(features().addInitializer(floats("lo", 0))
                .addNode(node("Clip", "clip", in("x", "lo"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("relu")), ops(n));
    }

    @Test
    void clipWithOtherBoundsIsAClip() {
        Network n = load(features().addInitializer(floats("lo", -1)).addInitializer(floats("hi", 1))
                .addNode(node("Clip", "clip", in("x", "lo", "hi"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("clip")), ops(n));
    }

    @Test
    void clipWhoseBoundIsComputedIsRefused() {
        String m = rejection(features().addInput(tensor("t", "N", 1))
                .addNode(node("ReduceMax", "top", in("t"), "m"))
                .addNode(node("Clip", "clip", in("x", "", "m"), "y")).addOutput(tensor("y")));
        assertEquals("test.onnx: node 'clip' (Clip): bound 'max' (m) is computed by the network;"
                + " pimopt reads Clip with constant bounds only", m);
    }

    @Test
    void clipWhoseBoundIsNotAScalarIsRefused() {
        String m = rejection(features().addInitializer(floats("lo", 0, 0, 0, 0))
                .addNode(node("Clip", "clip", in("x", "lo"), "y")).addOutput(tensor("y")));
        assertEquals("test.onnx: node 'clip' (Clip): bound 'min' (lo) has dims [4]; a Clip bound is a scalar", m);
    }

    @Test
    void maxWithZeroIsRelu() {
        Network n = load(features().addNode(constant("zero", 0))
                .addNode(node("Max", "max", in("x", "zero"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("relu")), ops(n));
        assertEquals(Shape.of(4, 8), n.layer("max").outputShape());
    }

    @Test
    void maxWithZeroReadOnlyByMinWithSixIsOneRelu6() {
        Network n = load(features().addInitializer(floats("zero", 0)).addInitializer(floats("six", 6))
                .addNode(node("Max", "max", in("x", "zero"), "a"))
                .addNode(node("Min", "min", in("six", "a"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("relu6")), ops(n));
        assertEquals(List.of("max"), n.layers().stream().map(Layer::name).toList(), "the Min is folded into the Max");
    }

    @Test
    void maxReadByOthersBesidesTheMinStaysTwoActivations() {
        Network n = load(features().addInitializer(floats("zero", 0)).addInitializer(floats("six", 6))
                .addNode(node("Max", "max", in("x", "zero"), "a"))
                .addNode(node("Min", "min", in("a", "six"), "y")).addOutput(tensor("a")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("relu"), new VectorOp.Activation("clip")), ops(n));
    }

    @Test
    void minWithAScalarIsAClip() {
        Network n = load(features().addInitializer(floats("c", 0.5f))
                .addNode(node("Min", "min", in("x", "c"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("clip")), ops(n));
        assertEquals(Shape.of(4, 8), n.layer("min").outputShape());
    }

    @Test
    void maxOfTwoTensorsIsAnElementwiseMaxWithBroadcasting() {
        Network n = load(features().addInput(tensor("z", "N", 1, 8))
                .addNode(node("Max", "max", in("x", "z"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Eltwise("max")), ops(n));
        assertEquals(Shape.of(4, 8), n.layer("max").outputShape());
    }

    @Test
    void minAgainstAPerChannelConstantIsAnElementwiseMinWithThatConstant() {
        Network n = load(features().addInitializer(weight("caps", 4, 1))
                .addNode(node("Min", "min", in("x", "caps"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Eltwise("min")), ops(n));
        assertEquals(List.of(Shape.of(4, 8), Shape.of(4, 1)), n.layer("min").inputShapes());
        assertEquals(Shape.of(4, 8), n.layer("min").outputShape());
    }

    @Test
    void maxOfManyOperandsCombinesTheTensorsThenAppliesTheScalars() {
        Network n = load(features().addInput(tensor("z", "N", 4, 8)).addInitializer(floats("zero", 0))
                .addInitializer(floats("minus", -3))
                .addNode(node("Max", "max", in("x", "zero", "z", "minus"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Eltwise("max"), new VectorOp.Activation("relu")), ops(n),
                "max(x, z, 0, -3) = relu(max(x, z))");
    }

    @Test
    void maxOfOneOperandIsThatOperand() {
        Network n = load(features().addNode(node("Max", "max", in("x"), "m"))
                .addNode(node("Relu", "relu", in("m"), "y")).addOutput(tensor("y")), 13);
        assertEquals(List.of(new VectorOp.Activation("relu")), ops(n));
        assertEquals(List.of("relu"), n.layers().stream().map(Layer::name).toList());
    }
}
