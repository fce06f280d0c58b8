package org.pimopt.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.imports.common.ImportException;
import org.pimopt.ir.ConvTranspose;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.ir.Shape;
import org.pimopt.ir.VectorOp;

/** The ops added for ONNX models, in the pimopt-JSON format: written, read back, shapes inferred. */
class ImportedOpsJsonTest {

    static NetworkSpec sample() {
        var b = new NetworkBuilder("imported-ops");
        String x = b.input("image", "4x10x12");
        x = b.add("up", new ConvTranspose(6, 3, 2, 2, 2, 1, 0, 0, 1, 1, 0, 1, 1, 2, true), x);
        x = b.add("pad", new VectorOp.Pad("edge", List.of(0, 2, 0), List.of(0, -1, 3)), x);
        x = b.add("half", new VectorOp.Resize("linear", List.of(1.0, 0.5, 0.5), List.of()), x);
        x = b.add("fixed", new VectorOp.Resize("nearest", List.of(), List.of(6, 20, 20)), x);
        x = b.add("rev", new VectorOp.Slice(List.of(-1), List.of(-1), List.of(Integer.MIN_VALUE), List.of(-2)), x);
        x = b.add("mean", new VectorOp.Reduce("mean", List.of(2), false), x);
        x = b.add("row", new VectorOp.Gather(1, List.of(3, 2)), x);
        String ids = b.input("ids", "7");
        b.add("emb", new VectorOp.Embedding(), b.parameter("table", "50x16", true), ids);
        return b.build();
    }

    @Test
    void writeReadAndInferShapes() {
        NetworkSpec spec = sample();
        String text = PimoptJson.write(spec);
        assertEquals(spec, PimoptJson.read(text, "ops.json"));
        assertTrue(text.contains("\"convTranspose\":{\"outChannels\":6,\"kernel\":[3,2],\"stride\":[2],\"pads\":[1,0,0,1],"
                + "\"outputPadding\":[1,0],\"groups\":2,\"bias\":true}"), text);
        Network n = Network.bind(spec, Map.of());
        // (10-1)*2 - 1 + 3 + 1 = 21 rows, (12-1)*2 - 1 + 2 = 23 columns.
        assertEquals(Shape.of(6, 21, 23), n.layer("up").outputShape());
        assertEquals(Shape.of(6, 21 + 2 - 1, 23 + 3), n.layer("pad").outputShape());
        assertEquals(Shape.of(6, 11, 13), n.layer("half").outputShape());
        assertEquals(Shape.of(6, 20, 20), n.layer("fixed").outputShape());
        assertEquals(Shape.of(6, 20, 10), n.layer("rev").outputShape());
        assertEquals(Shape.of(6, 20), n.layer("mean").outputShape());
        assertEquals(Shape.of(6, 3, 2), n.layer("row").outputShape());
        assertEquals(Shape.of(7, 16), n.layer("emb").outputShape());
        assertEquals(2 * (4 / 2) * (6 / 2) * 3 * 2 + 6 + 50 * 16, n.parameters());
        assertEquals(10 * 12, n.layer("up").outputPositions());
    }

    @Test
    void badValuesAreErrorsNamingTheNode() {
        String empty = assertThrows(ImportException.class, () -> PimoptJson.read(
                "{\"name\":\"n\",\"inputs\":[{\"name\":\"x\",\"shape\":\"4\"}],\"nodes\":[{\"name\":\"r\",\"inputs\":[\"x\"],"
                        + "\"resize\":{\"mode\":\"nearest\"}}]}", "n.json")).getMessage();
        assertTrue(empty.startsWith("n.json: node 'r': resize takes either scales or sizes"), empty);
        String mode = assertThrows(ImportException.class, () -> PimoptJson.read(
                "{\"name\":\"n\",\"nodes\":[{\"name\":\"p\",\"pad\":{\"mode\":\"mirror\",\"begins\":[1],\"ends\":[1]}}]}",
                "n.json")).getMessage();
        assertTrue(mode.contains("node 'p': pad kind 'mirror' is not one of"), mode);
        String unknown = assertThrows(ImportException.class, () -> PimoptJson.read(
                "{\"name\":\"n\",\"nodes\":[{\"name\":\"g\",\"gather\":{\"axis\":0,\"indices\":[1]}}]}", "n.json")).getMessage();
        assertTrue(unknown.contains("indices"), unknown);
    }
}
