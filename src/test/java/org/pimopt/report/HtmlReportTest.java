package org.pimopt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.cssparser.parser.CSSErrorHandler;
import org.htmlunit.cssparser.parser.CSSParseException;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.parser.HTMLParserListener;
import org.htmlunit.util.WebConnectionWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.TestNetworks;
import org.pimopt.cli.CliTest;
import org.pimopt.cost.Goal;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.solve.Convergence;
import org.pimopt.solve.SolveOptions;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.registry.Strategies;

/**
 * {@code solve --report}: the page opened in a headless browser (HtmlUnit, JavaScript on) parses
 * without a complaint, loads nothing from anywhere, and shows the figures summary.json holds.
 */
class HtmlReportTest {

    private static CliTest.Result solve(String... args) {
        return CliTest.run(args);
    }

    /** A browser that records every complaint of its HTML and CSS parsers and every URL it fetches from a network. */
    static final class Browser implements AutoCloseable {
        final WebClient client = new WebClient();
        final List<String> complaints = new ArrayList<>();
        final List<URL> fetched = new ArrayList<>();

        Browser() {
            client.getOptions().setJavaScriptEnabled(true);
            client.getOptions().setThrowExceptionOnScriptError(true);
            client.getOptions().setCssEnabled(true);
            client.setHTMLParserListener(new HTMLParserListener() {
                @Override
                public void error(String message, URL url, String html, int line, int column, String key) {
                    complaints.add("html error " + line + ":" + column + " " + message);
                }

                @Override
                public void warning(String message, URL url, String html, int line, int column, String key) {
                    complaints.add("html warning " + line + ":" + column + " " + message);
                }
            });
            client.setCssErrorHandler(new CSSErrorHandler() {
                @Override
                public void warning(CSSParseException e) {
                    complaints.add("css warning " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
                }

                @Override
                public void error(CSSParseException e) {
                    complaints.add("css error " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
                }

                @Override
                public void fatalError(CSSParseException e) {
                    complaints.add("css fatal " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
                }
            });
            client.setIncorrectnessListener((message, origin) -> complaints.add("incorrect: " + message));
            new WebConnectionWrapper(client) {
                @Override
                public WebResponse getResponse(WebRequest request) throws IOException {
                    fetched.add(request.getUrl());
                    return super.getResponse(request);
                }
            };
        }

        /** The page, its style sheet applied (HtmlUnit parses CSS only when a style is asked for). */
        HtmlPage open(Path file) throws IOException {
            HtmlPage page = client.getPage(file.toUri().toURL());
            for (DomElement e : page.getDocumentElement().getDomElementDescendants()) {
                page.getEnclosingWindow().getComputedStyle(e, null);
            }
            return page;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** Not one attribute or style of the page points outside it; nothing but the page itself was fetched. */
    static void assertSelfContained(HtmlPage page, Path file, Browser browser) throws IOException {
        // The page itself is a file: URL, which the client reads without its connection; anything
        // else the page asked for (a script, a style sheet, a font) would have gone through it.
        assertEquals(List.of(), browser.fetched);
        assertEquals(0, page.getElementsByTagName("script").getLength(), "the page needs no script");
        for (DomElement e : page.getDocumentElement().getDomElementDescendants()) {
            for (String attribute : List.of("src", "href", "xlink:href", "srcset", "action", "data")) {
                String v = e.getAttribute(attribute);
                assertFalse(v.matches("(?is)\\s*(https?:|//|file:|ftp:).*"), e.getTagName() + " " + attribute + "=" + v);
            }
        }
        String raw = Files.readString(file);
        assertFalse(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(raw).find(), "external src/href");
        // url(#clip) points inside the page (JFreeSVG clips with it); any other url( would fetch.
        assertFalse(Pattern.compile("(?i)url\\(\\s*['\"]?\\s*[^#'\"\\s]|@import").matcher(raw).find(), "CSS that fetches");
    }

    /** summary.json's value at a dotted path ("simulated.latencyNs"), or null. */
    static JsonElement at(JsonObject row, String key) {
        JsonElement e = row;
        for (String part : key.split("\\.")) {
            if (e == null || !e.isJsonObject()) {
                return null;
            }
            e = e.getAsJsonObject().get(part);
        }
        return e;
    }

    /**
     * A real solve (lenet5 on the tiny COMPASS chip: three partitions, the portfolio proves it in
     * well under a second, and records its convergence): every figure of the strategy table is
     * summary.json's, exactly and as shown; the best row, the partitions, the Gantt and the
     * convergence plot are there; no Pareto section, since the run has no front.
     */
    @Test
    void thePageOfASolveShowsSummaryJsonsFiguresAndLoadsNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path file = dir.resolve("report.html");
        CliTest.Result r = solve("solve", "--model", "lenet5", "--hw", "formulations/compass-tiny.json", "--strategy", "exact,greedy,dp",
                "--timeout", "10s", "--out", out.toString(), "--report", file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("wrote " + file), r.out());
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();

        try (Browser browser = new Browser()) {
            HtmlPage page = browser.open(file);
            assertEquals(List.of(), browser.complaints);
            assertSelfContained(page, file, browser);
            assertTrue(page.getTitleText().startsWith("pimopt: lenet5 on compass-tiny, batch 16, latency"), page.getTitleText());

            // The inputs say what made the page.
            String inputs = page.getElementById("inputs").asNormalizedText();
            for (String expected : List.of("pimopt solve --model lenet5 --hw formulations/compass-tiny.json", "compass-tiny",
                    "exact, greedy, dp", "10.0 s", "pimopt 0.1.0", "batch\t16", "writeNsPerRow")) {
                assertTrue(inputs.contains(expected), expected + " in " + inputs);
            }

            // The strategy table, row by row against summary.json.
            var results = summary.getAsJsonArray("results");
            List<DomNode> rows = page.querySelectorAll("table.strategies tbody tr");
            assertEquals(results.size(), rows.size());
            int figures = 0;
            for (int i = 0; i < results.size(); i++) {
                JsonObject row = results.get(i).getAsJsonObject();
                DomElement tr = (DomElement) rows.get(i);
                String strategy = row.get("strategy").getAsString();
                assertEquals(strategy, tr.getAttribute("data-strategy"));
                String cells = "table.strategies tr[data-strategy='" + strategy + "'] ";
                assertEquals(strategy.equals(summary.get("best").getAsString()), tr.getAttribute("class").equals("best"), strategy);
                String status = row.get("status").getAsString();
                String provenBy = row.has("provenBy") ? row.get("provenBy").getAsString() : strategy;
                assertEquals(provenBy.equals(strategy) ? status : status + " (" + provenBy + ")",
                        ((DomElement) page.querySelector(cells + "td[data-key=status]")).getTextContent(), strategy);
                Set<String> shown = new java.util.HashSet<>();
                for (DomNode n : page.querySelectorAll(cells + "[data-key]")) {
                    DomElement td = (DomElement) n;
                    String key = td.getAttribute("data-key");
                    shown.add(key);
                    if (key.equals("status")) {
                        continue;
                    }
                    JsonElement expected = at(row, key);
                    assertNotNull(expected, strategy + " shows " + key + ", which summary.json lacks");
                    assertEquals(expected.getAsDouble(), Double.parseDouble(td.getAttribute("data-value")), 0.0, strategy + " " + key);
                    figures++;
                }
                // Every figure summary.json has for the row is in the table.
                for (String key : List.of("objective", "gap", "latencyNs", "throughputPerS", "energyPerSamplePj", "edpPjNs",
                        "cellsWritten", "dramBytes", "partitions", "wallMillis", "simulated.latencyNs",
                        "simulated.energyPerSamplePj")) {
                    assertEquals(at(row, key) != null, shown.contains(key), strategy + " " + key);
                }
                // What is shown rounded is the same number: latency as "182.842 us", the simulated
                // one under it as "sim 183.149 us (-0.17%)".
                DomElement latency = (DomElement) page.querySelector(cells + "td[data-key=latencyNs]");
                String shownLatency = latency.getFirstChild().getTextContent();
                assertEquals(SolveReport.time(row.get("latencyNs").getAsDouble()), shownLatency);
                assertEquals(shownNs(shownLatency), row.get("latencyNs").getAsDouble(), 1e-3 * row.get("latencyNs").getAsDouble(),
                        strategy);
                String shownSim = page.querySelector(cells + "span[data-key='simulated.latencyNs']").getTextContent();
                double sim = at(row, "simulated.latencyNs").getAsDouble();
                assertTrue(shownSim.startsWith("sim " + SolveReport.time(sim) + " ("), shownSim);
                assertEquals(sim, shownNs(shownSim.substring(4)), 1e-3 * sim, strategy);
            }
            assertTrue(figures >= 3 * 11, "figures compared: " + figures);

            // The best plan, one row per partition.
            JsonObject best = null;
            for (JsonElement e : results) {
                if (e.getAsJsonObject().get("strategy").getAsString().equals(summary.get("best").getAsString())) {
                    best = e.getAsJsonObject();
                }
            }
            assertNotNull(best);
            assertEquals(best.get("partitions").getAsInt(), page.querySelectorAll("#plan table.ops tbody tr").size());
            assertTrue(page.getElementById("plan").asNormalizedText().contains("conv1"));

            // The Gantt: a bar per partition at least, each with its tooltip; the convergence plot.
            DomNode gantt = page.querySelector("#gantt svg");
            assertNotNull(gantt, "Gantt chart");
            int bars = page.querySelectorAll("#gantt svg rect > title").size();
            assertTrue(bars >= 3 * best.get("partitions").getAsInt(), "bars: " + bars);
            assertNotNull(page.querySelector("#convergence svg"), "convergence plot");
            assertTrue(page.getElementById("convergence").asNormalizedText().contains("dp-lattice"));
            assertNull(page.getElementById("pareto"), "no Pareto section without a front");
        }
    }

    /** "182.842 us" (and what follows) back to ns. */
    static double shownNs(String text) {
        String[] p = text.split(" ");
        double scale = switch (p[1]) {
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "us" -> 1e3;
            default -> 1;
        };
        return Double.parseDouble(p[0]) * scale;
    }

    /** A page that could not be written is refused in one line before the network is even read: nothing runs. */
    @Test
    void aReportThatCannotBeWrittenIsRefusedBeforeSolving(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path missing = dir.resolve("no-such-folder").resolve("report.html");
        CliTest.Result r = solve("solve", "--model", "resnet18", "--timeout", "60s", "--out", out.toString(), "--report", missing.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("pimopt: " + missing + ": cannot write the report: folder " + missing.getParent() + " does not exist\n",
                r.err());
        assertEquals("", r.out(), "refused before the network was read");
        assertFalse(Files.exists(out));

        CliTest.Result folder = solve("solve", "--model", "lenet5", "--out", out.toString(), "--report", dir.toString());
        assertEquals(2, folder.code(), folder.out() + folder.err());
        assertEquals(1, folder.err().lines().count(), folder.err());
        assertTrue(folder.err().startsWith("pimopt: " + dir + ": --report names a folder"), folder.err());
        assertFalse(Files.exists(out));
    }

    /** solve --help describes the flag. */
    @Test
    void solveHelpDescribesTheReport() {
        CliTest.Result r = solve("solve", "--help");
        assertEquals(0, r.code(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--report=FILE.html Also write one self-contained HTML page of the run"), help);
        assertTrue(help.contains("Gantt chart"), help);
    }

    /** A network whose layer names hold markup, quotes and a control character, greedily planned and simulated. */
    static HtmlReport.Run hostileRun() {
        var b = new NetworkBuilder("<i>net</i>");
        String x = b.input("input", "3x16x16");
        x = b.conv("<img src=x onerror=alert(1)>", x, 64, 3, 1, 1, false);
        x = b.relu("r\"'&\u0001", x);
        x = b.globalAvgPool("gap", x);
        x = b.flatten("flatten", x);
        b.linear("</td></tr></table><script>alert(2)</script>", x, 10, true);
        Network net = Network.bind(b.build(), Map.of());
        Instance instance = Instance.of(net, TestNetworks.chip(2, 4), 2, Goal.parse("latency"));
        SolveResult greedy = Strategies.byName("greedy").solve(instance, new SolveOptions(2_000, 1, 1, line -> {}));
        SimResult sim = Simulator.run(instance, greedy.plan(), SimConfig.physical(Schedule.PIPELINE));
        return new HtmlReport.Run(instance, List.of(greedy), Map.of("greedy", sim), Map.of(), Map.of(), new Convergence(),
                System.nanoTime());
    }

    static ReportInputs inputs(String model) {
        return new ReportInputs("pimopt solve --model '" + model + "'", model, "test-2x4", 5_000, List.of("greedy"), 1, 1,
                "pimopt test", Instant.parse("2025-01-01T00:00:00Z"));
    }

    /** Names from a user's file are text on the page, never markup; no convergence section without progress. */
    @Test
    void namesFromUsersFilesAreEscaped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hostile.html");
        HtmlReport.write(file, inputs("<b>evil</b>.onnx"), hostileRun(), List.of());
        try (Browser browser = new Browser()) {
            HtmlPage page = browser.open(file);
            assertEquals(List.of(), browser.complaints);
            assertSelfContained(page, file, browser);
            assertEquals(0, page.getElementsByTagName("img").getLength());
            assertEquals(0, page.getElementsByTagName("b").getLength());
            assertEquals(0, page.getElementsByTagName("i").getLength());
            String text = page.getDocumentElement().getTextContent();
            assertTrue(text.contains("<img src=x onerror=alert(1)>"), "the layer's name as text");
            assertTrue(text.contains("</td></tr></table><script>alert(2)</script>"));
            assertTrue(text.contains("<b>evil</b>.onnx"));
            assertTrue(page.getTitleText().contains("<i>net</i>"), page.getTitleText());
            assertFalse(Files.readString(file).contains("\u0001"), "control characters are replaced");
            assertNull(page.getElementById("convergence"), "no engine recorded progress: no section");
            assertEquals(1, page.querySelectorAll("table.strategies tbody tr").size());
        }
    }

    /** A section the caller adds (as a Pareto front will be) follows the others and is in the contents. */
    @Test
    void moreSectionsFollowTheStandardOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("more.html");
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>";
        ReportPage.Section pareto = ReportPage.Section.figure("pareto", "Pareto front", svg, "latency against energy & <more>")
                .with("<p>points</p>\n");
        HtmlReport.write(file, inputs("small"), hostileRun(), List.of(pareto));
        try (Browser browser = new Browser()) {
            HtmlPage page = browser.open(file);
            assertEquals(List.of(), browser.complaints);
            List<String> ids = page.querySelectorAll("main > section").stream().map(n -> ((DomElement) n).getId()).toList();
            assertEquals(List.of("inputs", "strategies", "plan", "gantt", "pareto"), ids);
            assertNotNull(page.querySelector("nav a[href='#pareto']"));
            assertEquals("latency against energy & <more>", page.querySelector("#pareto figcaption").getTextContent());
            assertNotNull(page.querySelector("#pareto circle"));
        }
    }
}
