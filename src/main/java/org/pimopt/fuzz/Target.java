package org.pimopt.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.pimopt.imports.PimoptJson;

/**
 * One kind of input file and the commands that read it: the seeds of the kind (valid files, each
 * with the extra flags it needs in a {@code NAME.args} file beside it) and the command lines an
 * execution picks from. Every command runs in-process through {@code pimopt}'s own entry point.
 */
public record Target(String name, List<Seed> seeds, List<Command> commands, Entry entry) {

    /** The command-line entry point: {@link org.pimopt.cli.Main#run(String[], PrintWriter, PrintWriter)} unless a test plants another. */
    @FunctionalInterface
    public interface Entry {
        int run(String[] args, PrintWriter out, PrintWriter err);
    }

    /** A valid file and the flags it needs (an ONNX model's --dim, --lenient). */
    public record Seed(String name, byte[] bytes, List<String> args) {
        /** The file name an input made from this seed is written under: {@code in} and the seed's extension. */
        public String inputName() {
            int dot = name.lastIndexOf('.');
            return "in" + (dot < 0 ? "" : name.substring(dot));
        }

        public Mutator.Format format() {
            return Mutator.Format.of(name);
        }
    }

    /**
     * A command line for an input file, and the file it writes (null when it writes none; when
     * {@code optional}, not every success writes it): the file must be absent when the command
     * fails and complete when it is there ({@code complete} reads it back). When {@code seedsRead}
     * is false, some seeds are refused (a plan for compass-s on another chip).
     */
    public record Command(String label, Args args, Run direct, String output, boolean optional, Check complete,
                          boolean seedsRead) {
        /** A command every seed of its target reads (exit 0). */
        public Command(String label, Args args, Run direct, String output, boolean optional, Check complete) {
            this(label, args, direct, output, optional, complete, true);
        }
    }

    /**
     * The command's work called without the command-line parser (see {@link Direct}); it answers
     * as the command would: its exit status, its error lines on {@code err}.
     */
    @FunctionalInterface
    public interface Run {
        int run(Path input, Path outDir, List<String> seedArgs, PrintWriter out, PrintWriter err, boolean verbose)
                throws Exception;
    }

    @FunctionalInterface
    public interface Args {
        /** The command line, or null when this input is run directly only. */
        List<String> of(Path input, Path outDir, List<String> seedArgs);
    }

    @FunctionalInterface
    public interface Check {
        /** Reads a written file back; throws when it is not a complete file of its kind. */
        void check(Path written) throws Exception;
    }

    /** The five targets over the repository's files, from {@code root} (the repository). */
    public static List<Target> standard(Path root) {
        Entry main = org.pimopt.cli.Main::run;
        Path seeds = root.resolve("src/test/resources/fuzz/seeds");
        Command importJson = new Command("import", (in, out, a) -> concat(List.of("import", in.toString(), "-o",
                out.resolve("net.json").toString()), a), Direct::importJson, "net.json", false, Target::readNetwork);
        Command inspect = new Command("inspect", (in, out, a) -> concat(List.of("inspect", "--model", in.toString(), "--hw",
                "compass-s"), a), Direct::inspectModel, null, false, null);
        return List.of(
                new Target("onnx", seeds(seeds.resolve("onnx")), List.of(importJson, inspect), main),
                new Target("network-json", seeds(root.resolve("models/networks")), List.of(importJson, inspect), main),
                new Target("pimcomp-json", seeds(seeds.resolve("pimcomp")), List.of(importJson, inspect), main),
                new Target("hardware-json", concat(seeds(root.resolve("models/hardware")), seeds(seeds.resolve("hardware"))),
                        List.of(new Command("hw", (in, out, a) -> List.of("hw", in.toString()), Direct::hardware, null, false, null),
                                new Command("inspect", (in, out, a) -> List.of("inspect", "--model", "lenet5", "--hw",
                                        in.toString()), Direct::hardware, null, false, null),
                                new Command("simulate", (in, out, a) -> List.of("simulate", "--plan",
                                        root.resolve(Direct.PLAN_FOR_HARDWARE).toString(), "--hw", in.toString()),
                                        (in, out, a, o, err, v) -> Direct.simulateOn(root.resolve(Direct.PLAN_FOR_HARDWARE), in,
                                                o, err, v), null, false, null, false)), main),
                new Target("plan", seeds(seeds.resolve("plan")),
                        List.of(new Command("simulate", (in, out, a) -> Direct.simulated(in) ? List.of("simulate", "--plan",
                                in.toString(), "--csv", out.resolve("layers.csv").toString()) : null, Direct::simulate,
                                "layers.csv", true, Target::readCsv)), main));
    }

    /** The seeds in a folder: every .json, .onnx and .pb file, with its NAME.args if there is one. */
    public static List<Seed> seeds(Path dir) {
        List<Seed> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".json") || n.endsWith(".onnx") || n.endsWith(".pb")) {
                    Path args = f.resolveSibling(n + ".args");
                    List<String> extra = Files.exists(args)
                            ? Arrays.stream(Files.readString(args).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList()
                            : List.of();
                    out.add(new Seed(n, Files.readAllBytes(f), extra));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no seed files (.json, .onnx, .pb)");
        }
        return out;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static void readNetwork(Path written) throws IOException {
        PimoptJson.read(Files.readString(written), written.toString());
    }

    static void readCsv(Path written) throws IOException {
        List<String> lines = Files.readAllLines(written);
        if (lines.size() < 2) {
            throw new IOException(written + ": " + lines.size() + " lines");
        }
        int columns = lines.get(0).split(",", -1).length;
        String last = lines.get(lines.size() - 1);
        if (last.isEmpty() || last.split(",", -1).length < columns) {
            throw new IOException(written + ": last line cut short: " + last);
        }
    }
}
