package org.pimopt.cli;

import java.io.PrintWriter;
import org.pimopt.PimoptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code pimopt} command. User errors print one line and exit 2; bugs exit 1; a solve in which
 * one strategy failed while others found plans writes their results and exits 3.
 */
@Command(name = "pimopt", mixinStandardHelpOptions = true, version = org.pimopt.Version.LINE,
        description = "Optimal partitioning, replication and weight replacement of DNNs on crossbar PIM chips.",
        subcommands = {SolveCommand.class, SimulateCommand.class, PlaceCommand.class, InspectCommand.class, ModelsCommand.class,
                HwCommand.class, ImportCommand.class, ExportCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int USER_ERROR = 2;
    /** Exit code of a solve whose files were written although a strategy failed (its row says ERROR and why). */
    public static final int ENGINE_FAILED = 3;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * When the command began, on {@link System#nanoTime}'s clock: the JVM's start for a process
     * run from the shell (a user's timeout counts JVM start-up and class loading), the call of
     * {@link #run} in tests.
     */
    final long startNanos;

    Main(long startNanos) {
        this.startNanos = startNanos;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A message as one line: names taken from a user's file (a node, a unit, a model) may hold line
     * breaks or other control characters, which are shown escaped: a line break as {@code \n}, others by their code.
     */
    public static String oneLine(String message) {
        if (message == null) {
            return "null";
        }
        StringBuilder s = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean control = c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
            if (control && s == null) {
                s = new StringBuilder(message.length() + 8).append(message, 0, i);
            }
            if (s != null) {
                if (!control) {
                    s.append(c);
                } else if (c == '\n') {
                    s.append("\\n");
                } else if (c == '\r') {
                    s.append("\\r");
                } else {
                    s.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return s == null ? message : s.toString();
    }

    public static void main(String[] args) {
        long sinceJvmStart = Math.max(0, System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                System.nanoTime() - sinceJvmStart * 1_000_000L));
    }

    /** Runs the command line with the given streams; returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.nanoTime());
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, long startNanos) {
        return run(args, out, err, startNanos, org.pimopt.solve.registry.Strategies::byName);
    }

    /** With another way to find strategies by name (tests plant a failing one in a real solve). */
    static int run(String[] args, PrintWriter out, PrintWriter err, long startNanos,
                   java.util.function.Function<String, org.pimopt.solve.Strategy> strategies) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == SolveCommand.class ? (K) new SolveCommand(strategies) : defaults.create(type);
            }
        };
        CommandLine cli = new CommandLine(new Main(startNanos), factory);
        // Every command answers --help and --version, not only the top one.
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("pimopt: " + oneLine(ex.getMessage()) + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            if (ex instanceof PimoptException) {
                err.println("pimopt: " + oneLine(ex.getMessage()));
                if (verbose) {
                    ex.printStackTrace(err);
                }
                return USER_ERROR;
            }
            err.println("pimopt: internal error: " + oneLine(String.valueOf(ex)) + (verbose ? "" : " (run with --verbose for the stack trace)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Picocli lets errors through. The instance the user asked for is too large for the heap
            // (solve has already written what it found): one line, not a trace.
            err.println("pimopt: out of memory (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB heap): the instance is too large; give the JVM more with PIMOPT_JAVA_OPTS=-Xmx8g, or make it smaller");
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(err);
            }
            code = USER_ERROR;
        }
        out.flush();
        err.flush();
        return code;
    }
}
