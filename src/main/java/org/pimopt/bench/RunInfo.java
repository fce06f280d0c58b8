package org.pimopt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What produced a results file, written at its top: the exact command, date, pimopt, Java,
 * OR-Tools and Choco versions, the machine (processors, OS), the settings, and the scorer.
 */
public record RunInfo(String command, String date, String machine, String java, String versions, String settings) {

    public static RunInfo capture(String command, String settings) {
        Runtime rt = Runtime.getRuntime();
        String machine = "nproc " + rt.availableProcessors() + cpuModel() + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ", max heap "
                + rt.maxMemory() / (1 << 20) + " MiB";
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String commit = System.getenv("PIMOPT_COMMIT");
        String versions = "pimopt " + version("org.pimopt", "pimopt")
                + (commit == null || commit.isBlank() ? "" : " (commit " + commit.strip() + ")") + ", OR-Tools "
                + version("com.google.ortools", "ortools-java") + ", Choco " + version("org.choco-solver", "choco-solver");
        return new RunInfo(command, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), machine, java, versions,
                settings);
    }

    /** The lines written as {@code # ...} comments. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("command: " + command);
        out.add("date: " + date);
        out.add("machine: " + machine);
        out.add("java: " + java);
        out.add("versions: " + versions);
        out.add("settings: " + settings);
        return out;
    }

    /** " (CPU model)" from /proc/cpuinfo where there is one, else nothing. */
    static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        try (var lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> " (" + l.substring(l.indexOf(':') + 1).strip() + ")").orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** A Maven artifact's version from its pom.properties on the class path (kept in the shaded jar). */
    static String version(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = RunInfo.class.getResourceAsStream(path)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        Package pkg = RunInfo.class.getPackage();
        return group.equals("org.pimopt") && pkg.getImplementationVersion() != null ? pkg.getImplementationVersion()
                : "unknown (not packaged)";
    }
}
