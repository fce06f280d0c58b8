package org.pimopt.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.Conv;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.ir.VectorOp;

class PimoptJsonTest {

    private static NetworkSpec sample() {
        var b = new NetworkBuilder("sample").description("every op once").source("test").symbol("seq", 4, "tokens");
        String x = b.input("image", "3x32x32");
        x = b.add("c", new Conv(8, 3, 5, 1, 2, 1, 2, 0, 1, 1, 1, 1, true), x);
        x = b.batchNorm("bn", x);
        x = b.act("r", "relu6", x);
        x = b.add("p", new VectorOp.Pool("avg", 2, 2, 2, 2, 0, 0, 0, 0, true), x);
        String g = b.groupConv("g", x, 8, 3, 1, 1, 8, false);
        x = b.eltwise("sum", "add", x, g);
        x = b.add("sh", new VectorOp.ChannelShuffle(2), x);
        x = b.add("lrn", new VectorOp.Lrn(5), x);
        String cat = b.concat("cat", 0, x, x);
        b.add("split", new VectorOp.Split(0, List.of(4, 12)), cat);
        x = b.adaptiveAvgPool("ap", "split:1", 2, 2);
        x = b.add("gp", new VectorOp.GlobalPool("max"), x);
        x = b.flatten("f", x);
        x = b.dropout("d", x);
        x = b.linear("fc", x, 10, true);
        x = b.softmax("sm", x, -1);
        String t = b.input("tokens", "seqx16");
        String ln = b.layerNorm("ln", t);
        String r = b.reshape("rs", ln, -1, 2, 8);
        String tr = b.transpose("tr", r, 1, 0, 2);
        String mm = b.matmul("mm", tr, b.transpose("tr2", r, 1, 2, 0));
        b.eltwise("scale", "mul", mm, b.parameter("k", "1", false));
        b.parameter("pos", "seqx16", true);
        return b.build();
    }

    @Test
    void writeThenReadGivesTheSameSpec() {
        NetworkSpec spec = sample();
        String text = PimoptJson.write(spec);
        assertEquals(spec, PimoptJson.read(text, "sample.json"));
        // One node per line keeps files readable.
        assertTrue(text.lines().anyMatch(l -> l.startsWith("    {\"name\":\"c\"")), text);
        Network n = Network.bind(PimoptJson.read(text, "sample.json"), Map.of("seq", 6));
        assertEquals(6 * 16 + 8 * 3 * 5 * 3 + 8 + 2 * 8 + 8 * 9 + 12 * 10 + 10 + 2 * 16, n.parameters());
    }

    private static String error(String json) {
        String m = assertThrows(ImportException.class, () -> PimoptJson.read(json, "net.json")).getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith("net.json: "), m);
        return m;
    }

    @Test
    void errorsNameTheFileTheNodeAndTheField() {
        String head = "{\"name\": \"n\", \"inputs\": [{\"name\": \"x\", \"shape\": \"3x8x8\"}], \"nodes\": [";
        assertTrue(error(head + "{\"name\": \"c\", \"inputs\": [\"x\"], \"conv\": {\"outChanels\": 4}}]}").contains("outChanels"));
        assertTrue(error(head + "{\"name\": \"c\", \"inputs\": [\"x\"], \"conv\": {\"outChannels\": 4}}]}")
                .contains("node 'c': field 'conv.kernel' is missing"));
        assertTrue(error(head + "{\"name\": \"c\", \"inputs\": [\"x\"]}]}").contains("node 'c': no operation"));
        assertTrue(error(head + "{\"name\": \"p\", \"inputs\": [\"x\"], \"pool\": {\"kind\": \"min\", \"kernel\": [2]}}]}")
                .contains("node 'p': pool kind 'min'"));
        assertTrue(error("{\"name\": \"n\", \"inputs\": [{\"name\": \"x\", \"shape\": \"3x0\"}]}").contains("input 'x'"));
        assertTrue(error("{\"inputs\": []}").contains("'name' is missing"));
        assertTrue(error("").contains("not a pimopt network file") || error("").contains("'name' is missing"));
        assertTrue(error("{\"name\": ").contains("not a pimopt network file"));
    }
}
