package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.PimoptException;

class ResultsCsvTest {
    static ResultRow row(String caseKey, String strategy, double latency, String note) {
        return new ResultRow("scaling", caseKey, "m", "compass-s", 16, "latency", strategy, "analytic", "FEASIBLE", "",
                latency, latency * (1 + 1e-12), Double.NaN, Double.NaN, latency, 16 / latency * 1e9, 1.0 / 3,
                2.5e13, 123456789012L, -1, 3, 10, 42, 5000, 1, note);
    }

    @Test
    void rowsSurviveAWriteReadRoundTripExactly(@TempDir Path dir) {
        Path f = dir.resolve("x.csv");
        List<ResultRow> rows = List.of(row("scaling/a", "dp", 841513.75, "plain"),
                row("scaling/a", "cpsat", 0.1 + 0.2, "with, comma and \"quotes\""),
                row("scaling/b", "dp", 1e300, "line\nbreak"));
        ResultsCsv.write(f, List.of("command: test", "date: now"), rows);
        ResultsCsv.Contents back = ResultsCsv.read(f);
        assertEquals(List.of("command: test", "date: now"), back.comments());
        assertEquals(rows.get(0), back.rows().get(0));
        assertEquals(rows.get(1), back.rows().get(1));
        assertEquals("line break", back.rows().get(2).note());
        assertEquals(0, back.malformedLines());
    }

    @Test
    void appendedRowsReplaceEarlierOnesWithTheSameKeyAndCutLinesAreSkipped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.csv");
        ResultsCsv.create(f, List.of("command: test"));
        ResultsCsv.append(f, List.of(), List.of(row("k", "dp", 1, ""), row("k", "greedy", 2, "")));
        ResultsCsv.append(f, List.of("resumed"), List.of(row("k", "dp", 3, "")));
        Files.writeString(f, "scaling,k2,m,compass-s,16,lat", java.nio.file.StandardOpenOption.APPEND);
        ResultsCsv.Contents back = ResultsCsv.read(f);
        assertEquals(2, back.rows().size());
        assertEquals(2, back.rows().get(0).objective());
        assertEquals(3, back.rows().get(1).objective());
        assertEquals(1, back.malformedLines());
        assertTrue(back.comments().contains("resumed"));
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("other.csv");
        Files.writeString(f, "a,b,c\n1,2,3\n");
        PimoptException e = assertThrows(PimoptException.class, () -> ResultsCsv.read(f));
        assertTrue(e.getMessage().contains("other.csv"), e.getMessage());
    }
    @Test
    void filesOfEarlierLayoutsAreReadAndACutRowIsNeverReadAsAnOlderLayout(@TempDir Path dir) throws Exception {
        ResultRow r = row("scaling/a", "dp", 5, "n").withPeak(123, 456);
        assertEquals(r, ResultRow.parse(r.cells()));
        assertEquals(123, ResultRow.parse(r.cells()).peakHeapMib());
        for (List<String> layout : List.of(ResultRow.COLUMNS_WITHOUT_PEAK_MEMORY, ResultRow.COLUMNS_WITHOUT_PROVEN_BY)) {
            Path f = dir.resolve(layout.size() + ".csv");
            StringBuilder text = new StringBuilder("# older\n").append(ResultsCsv.line(layout));
            List<String> cells = r.cells();
            text.append(ResultsCsv.line(layout.stream().map(c -> cells.get(ResultRow.COLUMNS.indexOf(c))).toList()));
            Files.writeString(f, text);
            assertEquals(layout, ResultsCsv.read(f).lastHeader());
            // A newer build resumes the file: it writes the current header, then rows of the current layout.
            ResultsCsv.resumeHeader(f);
            ResultsCsv.append(f, List.of("resumed"), List.of(row("scaling/b", "dp", 7, "new").withPeak(9, 10)));
            ResultsCsv.resumeHeader(f); // the last header is current now: nothing written
            text = new StringBuilder(Files.readString(f));
            // A current row cut short to an older layout's size is malformed, not misread.
            text.append(ResultsCsv.line(row("scaling/d", "dp", 8, "cut").withPeak(9, 10).cells().subList(0, layout.size())));
            Files.writeString(f, text);
            ResultsCsv.Contents back = ResultsCsv.read(f);
            assertEquals(2, back.rows().size(), layout.toString());
            ResultRow old = back.rows().get(0);
            assertEquals(-1, old.peakHeapMib());
            assertEquals(-1, old.peakRssMib());
            assertEquals(5, old.objective());
            assertEquals(42, old.wallMillis());
            assertEquals(5000, old.timeoutMillis());
            assertEquals("n", old.note());
            assertEquals(9, back.rows().get(1).peakHeapMib());
            assertEquals(10, back.rows().get(1).peakRssMib());
            assertEquals(1, back.malformedLines());
            assertEquals(ResultRow.COLUMNS, back.lastHeader());
        }
    }
}
