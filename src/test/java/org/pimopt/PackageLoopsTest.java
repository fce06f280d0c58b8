package org.pimopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between pimopt's packages point one way: no package reaches itself through the
 * packages it uses. A use is any mention of a pimopt class in code, imported or written out in
 * full (comments and strings aside), so a loop cannot hide in a qualified name.
 */
class PackageLoopsTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package (org\\.pimopt[\\w.]*);", Pattern.MULTILINE);
    private static final Pattern USE = Pattern.compile("\\borg\\.pimopt((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

    @Test
    void noPackageReachesItself() throws IOException {
        Map<String, Set<String>> uses = packageUses(SOURCES);
        assertTrue(uses.size() > 20, "too few packages read: " + uses.keySet());
        List<List<String>> loops = loops(uses);
        assertEquals(List.of(), loops, "package loops (each: packages that reach one another)");
    }

    /** The pipeline runs below the commands that call it: cli and bench use it, it uses neither. */
    @Test
    void thePipelineUsesNeitherTheCommandsNorTheBenchmarks() throws IOException {
        Set<String> used = packageUses(SOURCES).get("org.pimopt.pipeline");
        assertTrue(used != null && used.contains("org.pimopt.solve"), "pipeline's uses not read: " + used);
        assertEquals(List.of(), used.stream().filter(p -> p.startsWith("org.pimopt.cli") || p.startsWith("org.pimopt.bench"))
                .toList());
    }

    @Test
    void aLoopIsFound() {
        Map<String, Set<String>> uses = new TreeMap<>();
        uses.put("a", Set.of("b"));
        uses.put("b", Set.of("c"));
        uses.put("c", Set.of("a"));
        uses.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), loops(uses));
    }

    /** Package to the other pimopt packages its code mentions. */
    static Map<String, Set<String>> packageUses(Path root) throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(text);
                assertTrue(pkg.find(), file + " has no package line");
                String own = pkg.group(1);
                Set<String> mine = uses.computeIfAbsent(own, k -> new TreeSet<>());
                Matcher use = USE.matcher(codeOnly(text));
                while (use.find()) {
                    String other = "org.pimopt" + use.group(1);
                    if (!other.equals(own)) {
                        mine.add(other);
                    }
                }
            }
        }
        return uses;
    }

    /** The text without comments and string literals. */
    private static String codeOnly(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ").replaceAll("\"[^\"\\\\\\n]*+(?:\\\\.[^\"\\\\\\n]*+)*+\"", "\"\"");
    }

    /** The strongly connected groups of more than one package (Tarjan), each sorted, in order of their first package. */
    static List<List<String>> loops(Map<String, Set<String>> uses) {
        Set<String> nodes = new TreeSet<>(uses.keySet());
        uses.values().forEach(nodes::addAll);
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                connect(n, uses, index, low, stack, onStack, out);
            }
        }
        out.sort(java.util.Comparator.comparing(l -> l.get(0)));
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> uses, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<List<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : uses.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, uses, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> group = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                group.add(w);
            } while (!w.equals(v));
            if (group.size() > 1) {
                group.sort(null);
                out.add(group);
            }
        }
    }
}
