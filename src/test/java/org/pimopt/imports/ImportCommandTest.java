package org.pimopt.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cli.CliTest;
import org.pimopt.cli.Main;
import org.pimopt.ir.Network;

/** {@code pimopt import} end to end, as a user runs it. */
class ImportCommandTest {
    @TempDir
    Path dir;

    private static CliTest.Result run(String... args) {
        return CliTest.run(args);
    }

    /** A Tribuo test model copied out of its jar, as a user would have it on disk. */
    Path tribuo(String resource) throws Exception {
        Path p = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void importsAnOnnxBertWithItsSequenceLength() throws Exception {
        Path model = tribuo("org/tribuo/interop/onnx/extractors/tinybert.onnx");
        Path out = dir.resolve("bert.json");
        CliTest.Result r = run("import", model.toString(), "-o", out.toString(), "--dim", "sequence=16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": tinybert, "), r.out());
        assertTrue(r.out().contains("7 weighted layers, 121,200 parameters"), r.out());
        Network n = ModelCatalog.load(out.toString(), Map.of());
        assertEquals(121_200, n.parameters());
        assertEquals(16, n.weightedLayers().get(0).outputPositions());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("bert.json", "tinybert.onnx"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void inputShapesBindTheBatchAndTheRest() throws Exception {
        Path model = tribuo("org/tribuo/interop/onnx/cnn_mnist.onnx");
        Path out = dir.resolve("cnn.json");
        CliTest.Result r = run("import", model.toString(), "-o", out.toString(), "--input-shape", "input_image=8x1x28x28");
        assertEquals(0, r.code(), r.err());
        Network n = ModelCatalog.load(out.toString(), Map.of());
        assertEquals(List.of(1, 28, 28), n.inputs().get("input_image").dims(), "the batch of 8 is planned per sample");
        CliTest.Result wrong = run("import", model.toString(), "-o", out.toString(), "--input-shape", "input_image=1x1x32x32");
        assertEquals(Main.USER_ERROR, wrong.code());
        assertTrue(wrong.err().contains("fixes it at 28"), wrong.err());
        CliTest.Result unknown = run("import", model.toString(), "-o", out.toString(), "--input-shape", "pixels=1x1x28x28");
        assertEquals(Main.USER_ERROR, unknown.code());
        assertTrue(unknown.err().contains("'pixels', which is not an input of the model (its inputs: input_image)"), unknown.err());
    }

    @Test
    void unknownOpsFailUnlessLenient() throws Exception {
        Path model = tribuo("org/tribuo/interop/onnx/lr_mnist.onnx");
        Path out = dir.resolve("lr.json");
        CliTest.Result strict = run("import", model.toString(), "-o", out.toString());
        assertEquals(Main.USER_ERROR, strict.code());
        assertEquals(1, strict.err().lines().count(), strict.err());
        assertTrue(strict.err().startsWith("pimopt: " + model + ": node 'LinearClassifier'"), strict.err());
        assertFalse(Files.exists(out));
        CliTest.Result lenient = run("import", model.toString(), "-o", out.toString(), "--lenient");
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.err().startsWith("pimopt: warning: ") && lenient.err().contains("LinearClassifier"), lenient.err());
        assertTrue(Files.exists(out));
    }

    @Test
    void exportsZooNetworksToOnnxAndBack() throws Exception {
        Assumptions.assumeTrue(ModelCatalog.zooNames().contains("resnet18"), "the zoo has resnet18");
        Path onnx = dir.resolve("resnet18.onnx");
        CliTest.Result r = run("import", "--export-onnx", "resnet18", "-o", onnx.toString(), "--no-weights");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("weights omitted"), r.out());
        assertTrue(Files.size(onnx) < 1 << 20);
        Path back = dir.resolve("back.json");
        CliTest.Result imported = run("import", onnx.toString(), "-o", back.toString());
        assertEquals(0, imported.code(), imported.err());
        assertEquals(11_689_512, ModelCatalog.load(back.toString(), Map.of()).parameters());

        Path lenet = dir.resolve("lenet.onnx");
        CliTest.Result weights = run("import", "lenet5", "-o", lenet.toString());
        assertEquals(0, weights.code(), weights.err());
        long params = ModelCatalog.load("lenet5", Map.of()).parameters();
        assertTrue(Files.size(lenet) >= 4 * params, "zero-filled weights are written");
        assertEquals(params, ModelCatalog.load(lenet.toString(), Map.of()).parameters());
    }

    @Test
    void readsPimcompNetworks() throws Exception {
        Path peer = Path.of("../shared/peer-models/pimcomp/alexnet.json");
        Assumptions.assumeTrue(Files.exists(peer), "no PIMCOMP peer models beside the clone");
        Path out = dir.resolve("alexnet.json");
        CliTest.Result grouped = run("import", peer.toString(), "-o", out.toString());
        assertEquals(0, grouped.code(), grouped.err());
        long groupedWeights = ModelCatalog.load(out.toString(), Map.of()).stationaryWeights();
        CliTest.Result dense = run("import", peer.toString(), "-o", out.toString(), "--pimcomp-dense-groups");
        assertEquals(0, dense.code(), dense.err());
        assertTrue(ModelCatalog.load(out.toString(), Map.of()).stationaryWeights() > groupedWeights);
    }

    @Test
    void mistakesAreOneLine() throws Exception {
        CliTest.Result missing = run("import", dir.resolve("nothing.onnx").toString(), "-o", dir.resolve("x.json").toString());
        assertEquals(Main.USER_ERROR, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        CliTest.Result noOutput = run("import", "lenet5");
        assertEquals(Main.USER_ERROR, noOutput.code());
        assertTrue(noOutput.err().contains("--output"), noOutput.err());
        CliTest.Result noWeights = run("import", "lenet5", "-o", dir.resolve("x.json").toString(), "--no-weights");
        assertEquals(Main.USER_ERROR, noWeights.code());
        CliTest.Result badShape = run("import", "lenet5", "-o", dir.resolve("x.json").toString(), "--input-shape", "x=1xAx3");
        assertEquals(Main.USER_ERROR, badShape.code());
        assertTrue(badShape.err().contains("cannot read dimension 'A'"), badShape.err());
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        CliTest.Result zero = run("import", empty.toString(), "-o", dir.resolve("x.json").toString());
        assertEquals(Main.USER_ERROR, zero.code());
        assertEquals("pimopt: " + empty + ": the file is empty, not an ONNX model", zero.err().strip());
    }

    @Test
    void helpStatesTheBatchDefault() {
        CliTest.Result r = run("import", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("bound to 1"), r.out());
        assertTrue(r.out().contains("--export-onnx") && r.out().contains("--lenient") && r.out().contains("--input-shape"), r.out());
    }
}
