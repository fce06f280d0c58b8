package org.pimopt.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs one input through one command of a target, in a thread of its own under a time limit, and
 * says what happened. The classes:
 * <ul>
 * <li>OK: exit 0, and the file the command writes is there and complete;</li>
 * <li>REJECT: exit 2 with exactly one line on stderr (warnings aside) that starts with "pimopt: ",
 * carries no stack trace, exception class name or "internal error", and names the input file or
 * a field; no file written, no temporary file left;</li>
 * <li>CRASH: anything else: exit 1 (an internal error), another status, a stack trace, a Throwable
 * out of the entry point (StackOverflowError, OutOfMemoryError), the out-of-memory line, several
 * error lines, an error naming nothing, or a file written half-way or left behind;</li>
 * <li>HANG: not done within the time limit.</li>
 * </ul>
 * A harness is used by one thread at a time; a hung execution's thread is abandoned (interrupted,
 * a daemon) and the harness goes on in a new folder with a new thread.
 */
public final class Harness implements AutoCloseable {
    public enum Kind { OK, REJECT, CRASH, HANG }

    /** What an execution did: its class, why (for CRASH and HANG), stderr, and how long it took. */
    public record Outcome(Kind kind, String why, String err, long millis) {}

    private final Path base;
    private final long limitMillis;
    private final boolean verbose;
    private ExecutorService thread;
    private Path dir;
    private int generation;

    /**
     * @param base folder for the input and output files (made if missing)
     * @param limitMillis time limit per execution
     * @param verbose run commands with --verbose (stack traces of crashes, for the findings)
     */
    public Harness(Path base, long limitMillis, boolean verbose) {
        this.base = base;
        this.limitMillis = limitMillis;
        this.verbose = verbose;
        fresh();
    }

    private void fresh() {
        if (thread != null) {
            thread.shutdownNow();
        }
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-exec");
            t.setDaemon(true);
            return t;
        });
        dir = base.resolve("g" + generation++);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code command} of {@code target} on {@code input} (written as {@code inputName}):
     * through the command line when {@code cli} (or when the command has no direct form), else
     * directly (see {@link Direct}).
     */
    public Outcome run(Target target, Target.Command command, String inputName, byte[] input, List<String> seedArgs,
                       boolean cli) {
        Path in = dir.resolve(inputName);
        Path outDir = dir.resolve("out");
        try {
            clear(outDir);
            Files.createDirectories(outDir);
            Files.write(in, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> line = cli || command.direct() == null || verbose ? command.args().of(in, outDir, seedArgs) : null;
        List<String> args = new ArrayList<>(line == null ? List.of(command.label(), in.toString()) : line);
        if (verbose) {
            args.add("--verbose");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        boolean viaCli = (cli && line != null) || command.direct() == null;
        Future<Integer> done = thread.submit(() -> viaCli
                ? target.entry().run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err))
                : command.direct().run(in, outDir, seedArgs, new PrintWriter(out), new PrintWriter(err), verbose));
        int code;
        try {
            code = done.get(limitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done.cancel(true);
            fresh(); // the old thread may go on; leave it its folder
            return new Outcome(Kind.HANG, "no answer within " + limitMillis + " ms: " + String.join(" ", args),
                    err.toString(), elapsed(start));
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            return new Outcome(Kind.CRASH, "uncaught " + t.getClass().getName(), err + trace.toString(), elapsed(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long millis = elapsed(start);
        String why = classify(code, err.toString(), in, outDir, command);
        if (why == null) {
            return new Outcome(code == 0 ? Kind.OK : Kind.REJECT, null, err.toString(), millis);
        }
        return new Outcome(Kind.CRASH, why, err.toString(), millis);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Null when the execution ended well (OK or a clean rejection), else what went wrong. */
    static String classify(int code, String err, Path input, Path outDir, Target.Command command) {
        List<String> files = listing(outDir);
        if (code == 0) {
            if (command.output() == null) {
                return files.isEmpty() ? null : "wrote " + files + " although it writes no file";
            }
            if (files.isEmpty() && command.optional()) {
                return null;
            }
            if (!files.equals(List.of(command.output()))) {
                return "exit 0 but the folder holds " + files + ", not " + command.output() + " alone";
            }
            try {
                command.complete().check(outDir.resolve(command.output()));
            } catch (Exception e) {
                return "exit 0 but " + command.output() + " is not complete: " + e.getMessage();
            }
            return null;
        }
        List<String> lines = err.lines().filter(l -> !l.startsWith("pimopt: warning: ")).toList();
        if (code == 1 || err.contains("internal error")) {
            return "internal error (exit " + code + "): " + firstLine(err);
        }
        if (code != 2) {
            return "exit " + code + ": " + firstLine(err);
        }
        if (err.contains("\tat ") || err.contains("Exception in thread")) {
            return "stack trace on stderr: " + firstLine(err);
        }
        if (lines.isEmpty()) {
            return "exit 2 with nothing on stderr";
        }
        String line = lines.get(0);
        if (line.contains("out of memory")) {
            return "out of memory: " + line;
        }
        if (lines.size() != 1) {
            return "exit 2 with " + lines.size() + " lines on stderr: " + String.join(" | ", lines);
        }
        if (!line.startsWith("pimopt: ")) {
            return "exit 2 but the line does not start with 'pimopt: ': " + line;
        }
        if (line.matches(".*\\b(java|com|org)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*")) {
            return "exit 2 but the line names an exception class: " + line;
        }
        if (!names(line, input)) {
            return "exit 2 but the line names neither the file nor a field: " + line;
        }
        if (!files.isEmpty()) {
            return "exit 2 but left " + files + " behind";
        }
        return null;
    }

    /** Whether an error line names the input file, another file of the command, or some field, layer, node or flag. */
    static boolean names(String line, Path input) {
        return line.contains(input.toString()) || line.contains(input.getFileName().toString()) || line.contains("'")
                || line.contains("--") || NAMES_A_FILE.matcher(line).find();
    }

    /** "FILE: why", as messages about another file of the command name it (the plan simulated on a chip). */
    private static final java.util.regex.Pattern NAMES_A_FILE = java.util.regex.Pattern.compile("\\S+\\.(json|pb|onnx): ");

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }

    static List<String> listing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void clear(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            clear(dir);
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
