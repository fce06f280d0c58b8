package org.pimopt.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pimopt.imports.onnx.OnnxGraphs.floats;
import static org.pimopt.imports.onnx.OnnxGraphs.in;
import static org.pimopt.imports.onnx.OnnxGraphs.list;
import static org.pimopt.imports.onnx.OnnxGraphs.node;
import static org.pimopt.imports.onnx.OnnxGraphs.tensor;
import static org.pimopt.imports.onnx.OnnxGraphs.weight;

import ai.onnx.proto.OnnxMl.GraphProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.cli.CliTest;

/** The new operators through the command line, as a user with their own model meets them. */
class OnnxUserModelsCliTest {
    @TempDir
    Path dir;

    private static CliTest.Result run(String... args) {
        return CliTest.run(args);
    }

    /** An openWakeWord-like audio model: 1-D convolutions, ReLU6 as Max/Min, 1-D pooling, a classifier. */
    static GraphProto.Builder audio() {
        return GraphProto.newBuilder().addInput(tensor("mel", "batch", 32, 76))
                .addInitializer(weight("W1", 64, 32, 3)).addInitializer(weight("B1", 64))
                .addInitializer(weight("W2", 64, 64, 3)).addInitializer(weight("Fc", 64, 2))
                .addInitializer(floats("zero", 0)).addInitializer(floats("six", 6))
                .addNode(node("Conv", "conv1", in("mel", "W1", "B1"), "c1").toBuilder().addAttribute(list("pads", 1, 1)).build())
                .addNode(node("Max", "relu6_max", in("c1", "zero"), "m1"))
                .addNode(node("Min", "relu6_min", in("m1", "six"), "r1"))
                .addNode(node("MaxPool", "pool", in("r1"), "p").toBuilder().addAttribute(list("kernel_shape", 2))
                        .addAttribute(list("strides", 2)).build())
                .addNode(node("Conv", "conv2", in("p", "W2"), "c2").toBuilder().addAttribute(list("strides", 2)).build())
                .addNode(node("Clip", "clip", in("c2", "zero", "six"), "r2"))
                .addNode(node("GlobalAveragePool", "gap", in("r2"), "g"))
                .addNode(node("Flatten", "flat", in("g"), "f"))
                .addNode(node("Gemm", "fc", in("f", "Fc"), "y"))
                .addOutput(tensor("y"));
    }

    @Test
    void anAudioModelWithOneDimensionalLayersImportsAndInspects() throws Exception {
        Path model = dir.resolve("audio.onnx");
        Files.write(model, OnnxGraphs.model(audio(), 13));
        CliTest.Result r = run("import", model.toString(), "-o", dir.resolve("audio.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 weighted layers, " + String.format("%,d", 64 * 32 * 3 + 64 + 64 * 64 * 3 + 64 * 2)
                + " parameters"), r.out());
        CliTest.Result inspect = run("inspect", "--model", model.toString(), "--hw", "compass-s");
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("conv2"), inspect.out());
        CliTest.Result solve = run("solve", "--model", model.toString(), "--hw", "compass-s", "--batch", "2", "--strategy",
                "greedy,exact", "--timeout", "20s", "--out", dir.resolve("plan").toString());
        assertEquals(0, solve.code(), solve.err() + solve.out());
        assertTrue(Files.exists(dir.resolve("plan").resolve("plan.json")));
    }

    @Test
    void aClipWithAComputedBoundIsOneLineAndStatus2() throws Exception {
        Path model = dir.resolve("bad.onnx");
        Files.write(model, OnnxGraphs.model(GraphProto.newBuilder().addInput(tensor("x", "batch", 4, 8))
                .addNode(node("ReduceMax", "top", in("x"), "m"))
                .addNode(node("Clip", "clip", in("x", "", "m"), "y")).addOutput(tensor("y")), 13));
        CliTest.Result r = run("import", model.toString(), "-o", dir.resolve("bad.json").toString());
        assertEquals(2, r.code());
        assertEquals("pimopt: " + model + ": node 'clip' (Clip): bound 'max' (m) is computed by the network;"
                + " pimopt reads Clip with constant bounds only", r.err().strip());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(dir.resolve("bad.json")), "no file written");
    }
}
