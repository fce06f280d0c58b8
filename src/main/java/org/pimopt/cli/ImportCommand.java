package org.pimopt.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pimopt.PimoptException;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.imports.PimoptJson;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.imports.onnx.OnnxExporter;
import org.pimopt.ir.IrException;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.report.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pimopt import}: converts a model to pimopt JSON, or any network to ONNX. */
@Command(name = "import", sortOptions = false, mixinStandardHelpOptions = true,
        description = {
            "Convert a model to a pimopt-JSON network file, or (--export-onnx) any network to an ONNX file.",
            "MODEL is an ONNX file (.onnx), a PIMCOMP-NN network (.json with a top-level node_list), a pimopt-JSON"
                    + " network (.json) or a built-in network name (see 'pimopt models').",
            "ONNX shapes include the batch: the leading dimension of every input is the batch, bound to 1 whatever"
                    + " is given (pimopt plans per sample); every other symbolic dimension needs --input-shape or --dim."},
        footer = {"", "Examples:",
            "  pimopt import model.onnx -o net.json --input-shape input_ids=1x128",
            "  pimopt import bert.onnx -o bert.json --dim sequence=128 --lenient",
            "  pimopt import peer-models/pimcomp/vgg16.json -o vgg16.json --pimcomp-dense-groups",
            "  pimopt import --export-onnx resnet18 -o resnet18.onnx     # open it in Netron"})
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model to read.")
    String model;

    @Option(names = {"-o", "--out", "--output"}, required = true, paramLabel = "FILE",
            description = "Where to write: a pimopt-JSON network, or an ONNX file with --export-onnx (or a .onnx name).")
    Path output;

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "Full shape of an ONNX graph input, batch first (the batch is taken as 1 whatever it says),"
                    + " e.g. --input-shape image=1x3x224x224.")
    Map<String, String> inputShapes = new LinkedHashMap<>();

    @Option(names = "--dim", paramLabel = "NAME=VALUE",
            description = "Value of a named dimension: a symbolic ONNX input dimension (--dim sequence=128) or a"
                    + " pimopt-JSON symbol (--dim seq=256).")
    Map<String, Integer> dims = new LinkedHashMap<>();

    @Option(names = "--lenient",
            description = "Pass unknown ONNX ops with one computed input through as shape-preserving, with a warning,"
                    + " instead of failing.")
    boolean lenient;

    @Option(names = "--pimcomp-dense-groups",
            description = "Size grouped convolutions of a PIMCOMP file as dense ones, as PIMCOMP itself does.")
    boolean pimcompDenseGroups;

    @Option(names = "--export-onnx",
            description = "Write MODEL as an ONNX file (zero-filled weights) instead of pimopt JSON.")
    boolean exportOnnx;

    @Option(names = "--no-weights",
            description = "With --export-onnx: write weight shapes without values (a much smaller file, for viewing only).")
    boolean noWeights;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Files above this size are announced before they are written. */
    static final long LARGE_FILE_BYTES = 100L << 20;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ImportOptions options = ImportOptions.DEFAULT.withLenient(lenient).withPimcompDenseGroups(pimcompDenseGroups)
                .withWarnings(w -> err.println("pimopt: warning: " + Main.oneLine(w)));
        for (Map.Entry<String, String> e : inputShapes.entrySet()) {
            options = options.withInputShape(e.getKey(), ImportOptions.parseShape(e.getValue()));
        }
        boolean onnxIn = ModelCatalog.isOnnx(model);
        NetworkSpec network = ModelCatalog.loadSpec(model, onnxIn ? options.withDims(dims) : options);
        Network bound;
        try {
            bound = Network.bind(network, onnxIn ? Map.of() : dims);
        } catch (IrException e) {
            throw new ImportException(model + ": " + e.getMessage());
        }
        boolean toOnnx = exportOnnx || output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
        if (noWeights && !toOnnx) {
            throw new PimoptException("--no-weights applies to --export-onnx only");
        }
        if (toOnnx) {
            ModelProto onnx = OnnxExporter.export(bound, !noWeights);
            long bytes = onnx.getSerializedSize();
            if (bytes > LARGE_FILE_BYTES) {
                // A file of zeros that large is rarely what was wanted (vgg16: 553 MB); say so before writing it.
                err.printf(Locale.ROOT, "pimopt: warning: writing %,d MB to %s (zero-filled weights of %s parameters);"
                        + " --no-weights writes the shapes alone%n", bytes >> 20, output, Units.count(bound.parameters()));
                err.flush();
            }
            writeAtomically(output, onnx::writeTo);
        } else {
            byte[] text = PimoptJson.write(network).getBytes(StandardCharsets.UTF_8);
            writeAtomically(output, out -> out.write(text));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + output + ": " + bound.name() + ", " + bound.layers().size() + " nodes, "
                + bound.weightedLayers().size() + " weighted layers, " + Units.count(bound.parameters()) + " parameters"
                + (toOnnx ? " (ONNX opset " + 20 + (noWeights ? ", weights omitted" : ", zero-filled weights") + ")" : ""));
        out.flush();
        return 0;
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes to a temporary file beside the target, then renames it, so a failure leaves no half file. */
    private static void writeAtomically(Path target, Writer writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = dir.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE))) {
                writer.write(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PimoptException(target + ": cannot write: " + e.getMessage());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the rename already moved it, or there is nothing more to do
                }
            }
        }
    }
}
