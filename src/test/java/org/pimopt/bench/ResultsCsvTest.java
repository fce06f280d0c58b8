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
        return new ResultRow("scaling", caseKey, "m", "compass-s", 16, "latency", strategy, "analytic", "FEASIBLE", "", "",
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
}
