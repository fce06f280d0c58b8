package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.pimopt.imports.onnx.OnnxGraphs.attr;
import static org.pimopt.imports.onnx.OnnxGraphs.in;
import static org.pimopt.imports.onnx.OnnxGraphs.ints;
import static org.pimopt.imports.onnx.OnnxGraphs.list;
import static org.pimopt.imports.onnx.OnnxGraphs.load;
import static org.pimopt.imports.onnx.OnnxGraphs.node;
import static org.pimopt.imports.onnx.OnnxGraphs.tensor;
import static org.pimopt.imports.onnx.OnnxGraphs.weight;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Linear;
import org.pimopt.ir.Network;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/**
 * Transposes that move the batch dimension. pimopt binds the batch to 1 and plans one sample, so
 * moving it moves no data: the sample is transposed without it and the batch's axis is followed
 * until an op puts it first again. Ops that need it first say so, naming the node that moved it.
 */
class OnnxBatchTransposeTest {

    static TensorProto scalarIndex(String name, long value) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(value).build();
    }

    static NodeProto transpose(String name, String from, String to, long... perm) {
        return node("Transpose", name, in(from), to).toBuilder().addAttribute(list("perm", perm)).build();
    }

    static NodeProto gather(String name, String from, String index, String to) {
        return node("Gather", name, in(from, index), to).toBuilder().addAttribute(attr("axis", 0)).build();
    }

    /** PaddleOCR v4's attention: qkv reshaped to [B, N, 3, heads, d], transposed [2, 0, 3, 1, 4], split by Gather. */
    @Test
    void theHeadSplitOfAttentionThatMovesTheBatchImports() {
        Network n = load(GraphProto.newBuilder().addInput(tensor("x", "N", 25, 96))
                .addInitializer(weight("Wqkv", 96, 288)).addInitializer(weight("Wo", 96, 96))
                .addInitializer(ints("heads", 0, -1, 3, 8, 12)).addInitializer(ints("merged", 0, -1, 96))
                .addInitializer(scalarIndex("i0", 0)).addInitializer(scalarIndex("i1", 1)).addInitializer(scalarIndex("i2", 2))
                .addNode(node("MatMul", "qkv", in("x", "Wqkv"), "qkv"))
                .addNode(node("Reshape", "split_heads", in("qkv", "heads"), "h"))
                .addNode(transpose("t", "h", "ht", 2, 0, 3, 1, 4))
                .addNode(gather("q", "ht", "i0", "q")).addNode(gather("k", "ht", "i1", "k")).addNode(gather("v", "ht", "i2", "v"))
                .addNode(transpose("kt", "k", "kT", 0, 1, 3, 2))
                .addNode(node("MatMul", "scores", in("q", "kT"), "s"))
                .addNode(node("Softmax", "attn", in("s"), "a"))
                .addNode(node("MatMul", "context", in("a", "v"), "c"))
                .addNode(transpose("ct", "c", "cT", 0, 2, 1, 3))
                .addNode(node("Reshape", "merge_heads", in("cT", "merged"), "m"))
                .addNode(node("MatMul", "out", in("m", "Wo"), "y"))
                .addOutput(tensor("y")), 13);
        assertEquals(new VectorOp.Transpose(List.of(1, 2, 0, 3)), n.layer("t").op(), "the sample's [25, 3, 8, 12] transposed");
        assertEquals(Shape.of(3, 8, 25, 12), n.layer("t").outputShape());
        assertEquals(Shape.of(8, 25, 12), n.layer("q").outputShape(), "the Gather puts the batch first again");
        assertEquals(Shape.of(8, 25, 25), n.layer("scores").outputShape());
        assertEquals(Shape.of(25, 96), n.layer("out").outputShape());
        assertEquals(List.of("qkv", "out"), n.weightedLayers().stream().map(Layer::name).toList());
        assertEquals(96 * 288 + 96 * 96, n.parameters());
    }

    /** PyTorch's sequence-first encoders: [B, S, E] to [S, B, E], per-token layers, and back. */
    @Test
    void aSequenceFirstStretchOfPerTokenLayersImports() {
        Network n = load(GraphProto.newBuilder().addInput(tensor("x", "N", 10, 16))
                .addInitializer(weight("W", 16, 16)).addInitializer(weight("b", 16))
                .addInitializer(weight("g", 16)).addInitializer(weight("beta", 16))
                .addNode(transpose("to_seq_first", "x", "xs", 1, 0, 2))
                .addNode(node("MatMul", "fc", in("xs", "W"), "f"))
                .addNode(node("Add", "fc_bias", in("f", "b"), "fb"))
                .addNode(node("LayerNormalization", "ln", in("fb", "g", "beta"), "l"))
                .addNode(node("Relu", "relu", in("l"), "r"))
                .addNode(transpose("to_batch_first", "r", "y", 1, 0, 2))
                .addOutput(tensor("y")), 17);
        assertEquals(List.of("fc", "ln", "relu"), n.layers().stream().map(Layer::name).toList(),
                "moving the batch is no node, the bias Add is folded");
        assertEquals(new Linear(16, true), n.layer("fc").op());
        assertEquals(Shape.of(10, 16), n.layer("relu").outputShape());
        assertEquals(16 * 16 + 16 + 2 * 16, n.parameters());
    }

    @Test
    void aConvAfterTheBatchWasMovedIsRefusedNamingTheTranspose() {
        String m = assertThrows(ImportException.class, () -> load(GraphProto.newBuilder().addInput(tensor("x", "N", 3, 8, 8))
                .addInitializer(weight("W", 4, 3, 3, 3))
                .addNode(transpose("t", "x", "xt", 1, 0, 2, 3))
                .addNode(node("Conv", "conv", in("xt", "W"), "y")).addOutput(tensor("y")), 13)).getMessage();
        assertEquals("test.onnx: node 'conv' (Conv): its input [3, 1, 8, 8] has the batch dimension at axis 1, moved there"
                + " by node 't' (Transpose); pimopt reads Conv only with the batch dimension first", m);
    }

    /** PyTorch's multi-head attention folds the batch into the heads ([S, B, E] to [S, B * heads, d]). */
    @Test
    void aReshapeThatMergesAMovedBatchIntoAnotherAxisIsRefused() {
        String m = assertThrows(ImportException.class, () -> load(GraphProto.newBuilder().addInput(tensor("x", "N", 10, 16))
                .addInitializer(ints("shape", 10, 4, 4))
                .addNode(transpose("t", "x", "xt", 1, 0, 2))
                .addNode(node("Reshape", "heads", in("xt", "shape"), "y")).addOutput(tensor("y")), 13)).getMessage();
        assertEquals("test.onnx: node 'heads' (Reshape): reshapes [10, 1, 16] (batch dimension at axis 1) to [10, 4, 4],"
                + " which merges the batch dimension into another axis; pimopt keeps it an axis of its own", m);
    }

    @Test
    void aTransposeThatOnlySwapsTheBatchWithAnotherOneKeepsItFirst() {
        Network n = load(GraphProto.newBuilder().addInput(tensor("x", "N", 1, 3, 8, 8))
                .addInitializer(weight("W", 4, 3, 3, 3))
                .addNode(transpose("t", "x", "xt", 1, 0, 2, 3, 4))
                .addNode(node("Squeeze", "s", in("xt"), "xs"))
                .addNode(node("Conv", "conv", in("xs", "W"), "y")).addOutput(tensor("y")), 13);
        assertEquals(Shape.of(4, 6, 6), n.layer("conv").outputShape());
    }
}
