package org.pimopt.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeInferenceTest {

    private static Network bind(NetworkBuilder b) {
        return Network.bind(b.build(), Map.of());
    }

    @Test
    void convOutputFollowsPaddingStrideAndDilation() {
        var b = new NetworkBuilder("t");
        String x = b.input("in", "3x224x224");
        x = b.conv("c1", x, 64, 7, 2, 3, false);                                            // (224+6-7)/2+1 = 112
        b.add("c2", new Conv(8, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1, true), x);                   // dilation 2, pad 2: 112
        Network n = bind(b);
        assertEquals(Shape.of(64, 112, 112), n.layer("c1").outputShape());
        assertEquals(Shape.of(8, 112, 112), n.layer("c2").outputShape());
        assertEquals(new MatrixView(147, 64, 1), n.layer("c1").matrix());
        assertEquals(112L * 112, n.layer("c1").outputPositions());
        assertEquals(147L * 64, n.layer("c1").parameters());
        assertEquals(3 * 3 * 64 * 8 + 8, n.layer("c2").parameters());
    }

    @Test
    void groupedConvDividesRowsAndColumnsByGroups() {
        var b = new NetworkBuilder("t");
        String x = b.input("in", "32x56x56");
        b.groupConv("dw", x, 32, 3, 1, 1, 32, false);
        Layer dw = bind(b).layer("dw");
        assertEquals(new MatrixView(9, 1, 32), dw.matrix());
        assertEquals(288, dw.parameters());
        assertEquals(56L * 56 * 288, dw.macs());
    }

    @Test
    void maxPoolCeilModeDropsAWindowThatStartsInThePadding() {
        var b = new NetworkBuilder("t");
        String x = b.input("in", "64x112x112");
        b.maxPool("p1", x, 3, 2, 0, true);   // ceil((112-3)/2)+1 = 56
        b.maxPool("p2", x, 3, 2, 1, false);  // (112+2-3)/2+1 = 56
        var b2 = new NetworkBuilder("t2");
        String y = b2.input("in", "8x5x5");
        b2.add("p", new VectorOp.Pool("max", 2, 2, 2, 2, 1, 1, 1, 1, true), y); // ceil((7-2)/2)+1 = 4, last starts at 6 >= 5+1 -> 3
        Network n = bind(b);
        assertEquals(Shape.of(64, 56, 56), n.layer("p1").outputShape());
        assertEquals(Shape.of(64, 56, 56), n.layer("p2").outputShape());
        assertEquals(Shape.of(8, 3, 3), bind(b2).layer("p").outputShape());
    }

    @Test
    void linearOnATokenSequenceHasOneMvmPerToken() {
        var b = new NetworkBuilder("t").symbol("seq", 128, "tokens");
        String x = b.input("h", "seqx768");
        b.linear("q", x, 3072, true);
        NetworkSpec spec = b.build();
        Layer q = Network.bind(spec, Map.of()).layer("q");
        assertEquals(Shape.of(128, 3072), q.outputShape());
        assertEquals(128, q.outputPositions());
        assertEquals(256, Network.bind(spec, Map.of("seq", 256)).layer("q").outputPositions());
    }

    @Test
    void attentionShapesThroughReshapeTransposeAndMatMul() {
        var b = new NetworkBuilder("t");
        String x = b.input("h", "10x768");
        String q = b.reshape("q", x, -1, 12, 64);
        String qh = b.transpose("qh", q, 1, 0, 2);       // 12x10x64
        String kt = b.transpose("kt", q, 1, 2, 0);       // 12x64x10
        String s = b.matmul("s", qh, kt);
        Network n = bind(b);
        assertEquals(Shape.of(12, 10, 10), n.layer(s).outputShape());
        assertEquals(12L * 10 * 10 * 64, n.layer(s).vectorOps());
    }

    @Test
    void concatSplitAndBroadcast() {
        var b = new NetworkBuilder("t");
        String a = b.input("a", "16x8x8");
        String c = b.input("c", "1x1x1");
        String cat = b.concat("cat", 0, a, a);
        String sp = b.add("sp", new VectorOp.Split(0, List.of(8, 24)), cat);
        b.eltwise("mul", "mul", "sp:1", c);
        Network n = bind(b);
        assertEquals(Shape.of(32, 8, 8), n.layer("cat").outputShape());
        assertEquals(List.of(Shape.of(8, 8, 8), Shape.of(24, 8, 8)), n.layer("sp").outputShapes());
        assertEquals(Shape.of(24, 8, 8), n.layer("mul").outputShape());
    }

    @Test
    void filesOutOfOrderAreSortedTopologically() {
        var spec = new NetworkSpec("t", "", "", List.of(),
                List.of(new NetworkSpec.Input("in", ShapeSpec.parse("4"))),
                List.of(new Node("b", new Linear(2, false), List.of("a")),
                        new Node("a", new Linear(3, false), List.of("in"))),
                List.of());
        Network n = Network.bind(spec, Map.of());
        assertEquals(List.of("a", "b"), n.layers().stream().map(Layer::name).toList());
        assertEquals(List.of("b"), n.outputs());
    }

    @Test
    void errorsNameTheNode() {
        var cycle = new NetworkSpec("t", "", "", List.of(),
                List.of(new NetworkSpec.Input("in", ShapeSpec.parse("4"))),
                List.of(new Node("a", new VectorOp.Eltwise("add"), List.of("in", "b")),
                        new Node("b", new VectorOp.Activation("relu"), List.of("a"))),
                List.of());
        assertTrue(assertThrows(IrException.class, () -> Network.bind(cycle, Map.of())).getMessage().contains("cycle"));

        var b = new NetworkBuilder("t");
        b.input("in", "3x8x8");
        b.conv("c", "missing", 4, 3, 1, 1, false);
        assertTrue(assertThrows(IrException.class, () -> bind(b)).getMessage().contains("node 'c' reads tensor 'missing'"));

        var g = new NetworkBuilder("t");
        String x = g.input("in", "3x8x8");
        g.groupConv("gc", x, 4, 3, 1, 1, 2, false);
        assertTrue(assertThrows(IrException.class, () -> bind(g)).getMessage().startsWith("node 'gc' (GroupConv)"));

        var small = new NetworkBuilder("t");
        String y = small.input("in", "3x2x2");
        small.conv("big", y, 4, 5, 1, 0, false);
        assertTrue(assertThrows(IrException.class, () -> bind(small)).getMessage().contains("node 'big'"));
    }

    @Test
    void symbolsMustBeBoundAndKnown() {
        var b = new NetworkBuilder("t");
        b.input("h", "seqx8");
        assertTrue(assertThrows(IrException.class, () -> Network.bind(b.build(), Map.of()))
                .getMessage().contains("'seq' is not bound"));
        var s = new NetworkBuilder("t").symbol("seq", 4, "");
        s.input("h", "seqx8");
        assertTrue(assertThrows(IrException.class, () -> Network.bind(s.build(), Map.of("len", 3)))
                .getMessage().contains("no dimension named 'len'"));
    }

    @Test
    void shapeTextRoundTripsAndRejectsNonsense() {
        assertEquals("1xseqx768", ShapeSpec.parse("1xseqx768").toString());
        assertThrows(IrException.class, () -> ShapeSpec.parse("3x0x4"));
        assertThrows(IrException.class, () -> ShapeSpec.parse("3x-1"));
        assertThrows(IrException.class, () -> ShapeSpec.parse("99999999999"));
        assertThrows(IrException.class, () -> ShapeSpec.parse("3xx4"));
        assertThrows(IrException.class, () -> Shape.of(1 << 30, 1 << 30, 4));
    }
}
