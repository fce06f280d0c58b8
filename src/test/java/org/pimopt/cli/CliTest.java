package org.pimopt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, as a user runs it; {@link #run} is every package's way to run it in tests. */
public class CliTest {

    /** A command's exit status and what it printed. */
    public record Result(int code, String out, String err) {}

    /** Runs the command line in this JVM, as {@code ./pimopt ARGS} would. */
    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void inspectWithoutOptionsShowsResnet18OnCompassS() {
        Result r = run("inspect");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("resnet18 on compass-s: 16 cores x 9 crossbars of 256x256"), r.out());
        assertTrue(r.out().contains("layer1.0.conv1"), r.out());
        assertTrue(r.out().contains("parameters            11,689,512"), r.out());
        assertTrue(r.out().contains("fits on chip          no"), r.out());
    }

    @Test
    void inspectJsonAgreesWithTheTable() {
        Result r = run("inspect", "--model", "vgg16", "--hw", "compass-s", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject totals = root.getAsJsonObject("totals");
        assertEquals(138_357_544L, totals.get("parameters").getAsLong());
        assertEquals(16, root.getAsJsonArray("layers").size());
        long needed = totals.get("crossbarsNeeded").getAsLong();
        assertEquals((needed + 143) / 144, totals.get("minPartitions").getAsLong());
        assertFalse(totals.get("fitsOnChip").getAsBoolean());
    }

    @Test
    void aSmallNetworkFitsOnALargeChip() {
        Result r = run("inspect", "--model", "lenet5", "--hw", "puma");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("partitions            at least 1"), r.out());
        assertTrue(r.out().contains("fits on chip          yes"), r.out());
    }

    @Test
    void dimensionsBindTransformerSequenceLength() {
        Result r = run("inspect", "--model", "bert-base", "--dim", "seq=256", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(256, root.getAsJsonObject("dimensions").get("seq").getAsInt());
        assertEquals(256, root.getAsJsonArray("layers").get(0).getAsJsonObject().get("mvmStepsPerSample").getAsInt());
    }

    @Test
    void modelsAndHwListWhatIsBuiltIn() {
        Result models = run("models");
        assertEquals(0, models.code(), models.err());
        for (String n : new String[] {"lenet5", "resnet50", "densenet121", "bert-base", "vit-b16"}) {
            assertTrue(models.out().lines().anyMatch(l -> l.startsWith(n + " ")), n);
        }
        Result hw = run("hw");
        assertEquals(0, hw.code(), hw.err());
        assertEquals(2 + 6, hw.out().lines().count());
        Result one = run("hw", "isaac");
        assertTrue(one.out().contains("bitsPerCell"), one.out());
    }

    @Test
    void unknownModelListsTheKnownNamesInOneLine() {
        Result r = run("inspect", "--model", "resnet19");
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().startsWith("pimopt: unknown model 'resnet19'"), r.err());
        assertTrue(r.err().contains("resnet18"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void malformedFilesGiveOneLineAndNoStackTrace(@TempDir Path dir) throws Exception {
        Path hw = dir.resolve("chip.json");
        Files.writeString(hw, "{\"name\": \"bad\", \"crossbarRows\": 0}");
        Result r = run("inspect", "--hw", hw.toString());
        assertEquals(Main.USER_ERROR, r.code());
        assertEquals("pimopt: " + hw + ": field 'crossbarRows' = 0 is out of range [1, 65536] cells", r.err().strip());

        Path net = dir.resolve("net.json");
        Files.writeString(net, "{\"name\": \"n\", \"inputs\": [{\"name\": \"x\", \"shape\": \"3x8x8\"}], "
                + "\"nodes\": [{\"name\": \"c\", \"inputs\": [\"y\"], \"linear\": {\"outFeatures\": 2}}]}");
        Result n = run("inspect", "--model", net.toString());
        assertEquals(Main.USER_ERROR, n.code());
        assertTrue(n.err().contains("node 'c' reads tensor 'y' that nothing produces"), n.err());
        assertEquals(1, n.err().lines().count(), n.err());

        Files.write(dir.resolve("junk.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        Result j = run("inspect", "--model", dir.resolve("junk.json").toString());
        assertEquals(Main.USER_ERROR, j.code());
        assertEquals(1, j.err().lines().count(), j.err());

        Result verbose = run("inspect", "--hw", hw.toString(), "--verbose");
        assertTrue(verbose.err().contains("at org.pimopt"), verbose.err());
    }

    @Test
    void badFlagsGiveOneLine() {
        Result r = run("inspect", "--dim", "seq=abc", "--model", "bert-base");
        assertEquals(Main.USER_ERROR, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        Result u = run("inspect", "--frobnicate");
        assertEquals(Main.USER_ERROR, u.code());
        assertTrue(u.err().contains("--frobnicate"), u.err());
        Result d = run("inspect", "--model", "resnet18", "--dim", "seq=3");
        assertEquals(Main.USER_ERROR, d.code());
        assertTrue(d.err().contains("no dimension named 'seq'"), d.err());
    }
}
