package org.pimopt.report;

import com.google.gson.stream.JsonWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.PimoptException;
import org.pimopt.sim.Timeline;

/**
 * A simulation as Chrome/Perfetto trace-event JSON: one process per core, then the DRAM channel
 * and the write engine. Consecutive tasks of one layer (or one kind) on one track are merged
 * into one slice with a count, so a batch of a large network stays small; overlapping slices of
 * a track go to extra lanes (threads) of its process so that every slice is shown. Times are in
 * microseconds, as the format wants. Streamed to a temporary file, then renamed.
 */
public final class TraceWriter {
    private TraceWriter() {}

    /** An aggregated slice: a track, a key (layer or kind), a span and how many tasks it merges. */
    private record Slice(int track, String name, String category, double start, double end, int count, int partition) {}

    public static void write(Path target, Timeline tl, String title) {
        List<Slice> slices = aggregate(tl);
        try {
            Path tmp = org.pimopt.TempFiles.beside(target);
            try {
                try (JsonWriter w = new JsonWriter(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp),
                        StandardCharsets.UTF_8), 1 << 16))) {
                    writeJson(w, tl, slices, title);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PimoptException(target + ": cannot write: " + e.getMessage());
        }
    }

    /** Merges touching or overlapping tasks with the same name on the same track. */
    static List<Slice> aggregate(Timeline tl) {
        int n = tl.tasks();
        List<Integer> timed = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if (tl.track(t) >= 0 && tl.endNs(t) > tl.startNs(t)) {
                timed.add(t);
            }
        }
        Integer[] order = timed.toArray(new Integer[0]);
        Arrays.sort(order, (a, b) -> {
            int c = Integer.compare(tl.track(a), tl.track(b));
            return c != 0 ? c : Double.compare(tl.startNs(a), tl.startNs(b));
        });
        List<Slice> out = new ArrayList<>();
        Map<String, double[]> open = new HashMap<>();   // name -> {start, end, count, partition}
        int track = -1;
        for (int t : order) {
            if (tl.track(t) != track) {
                flush(out, track, open);
                track = tl.track(t);
            }
            String name = tl.label(t);
            double[] o = open.get(name);
            if (o != null && tl.startNs(t) <= o[1] && tl.partition(t) == (int) o[3]) {
                o[1] = Math.max(o[1], tl.endNs(t));
                o[2]++;
            } else {
                if (o != null) {
                    out.add(slice(track, name, tl, o));
                }
                open.put(name, new double[] {tl.startNs(t), tl.endNs(t), 1, tl.partition(t), tl.kind(t)});
            }
        }
        flush(out, track, open);
        return out;
    }

    private static void flush(List<Slice> out, int track, Map<String, double[]> open) {
        for (var e : open.entrySet()) {
            out.add(new Slice(track, e.getKey(), Timeline.kindName((byte) e.getValue()[4]), e.getValue()[0],
                    e.getValue()[1], (int) e.getValue()[2], (int) e.getValue()[3]));
        }
        open.clear();
    }

    private static Slice slice(int track, String name, Timeline tl, double[] o) {
        return new Slice(track, name, Timeline.kindName((byte) o[4]), o[0], o[1], (int) o[2], (int) o[3]);
    }

    private static void writeJson(JsonWriter w, Timeline tl, List<Slice> slices, String title) throws IOException {
        List<Slice> sorted = new ArrayList<>(slices);
        sorted.sort((a, b) -> a.track() != b.track() ? Integer.compare(a.track(), b.track()) : Double.compare(a.start(), b.start()));
        w.beginObject();
        w.name("displayTimeUnit").value("ns");
        w.name("otherData").beginObject().name("title").value(title).endObject();
        w.name("traceEvents").beginArray();
        int tracks = tl.cores() + 2;
        for (int track = 0; track < tracks; track++) {
            String name = track < tl.cores() ? "core " + track : track == tl.dramTrack() ? "DRAM" : "write engine";
            w.beginObject().name("ph").value("M").name("pid").value(track).name("name").value("process_name")
                    .name("args").beginObject().name("name").value(name).endObject().endObject();
            w.beginObject().name("ph").value("M").name("pid").value(track).name("name").value("process_sort_index")
                    .name("args").beginObject().name("sort_index").value(track).endObject().endObject();
        }
        // Lanes: each slice goes to the first lane of its track that is free at its start.
        int currentTrack = -1;
        List<Double> laneEnd = new ArrayList<>();
        for (Slice s : sorted) {
            if (s.track() != currentTrack) {
                currentTrack = s.track();
                laneEnd.clear();
            }
            int lane = 0;
            while (lane < laneEnd.size() && laneEnd.get(lane) > s.start()) {
                lane++;
            }
            if (lane == laneEnd.size()) {
                laneEnd.add(s.end());
                w.beginObject().name("ph").value("M").name("pid").value(s.track()).name("tid").value(lane)
                        .name("name").value("thread_name").name("args").beginObject().name("name")
                        .value("lane " + lane).endObject().endObject();
            } else {
                laneEnd.set(lane, s.end());
            }
            w.beginObject();
            w.name("ph").value("X").name("pid").value(s.track()).name("tid").value(lane);
            w.name("name").value(s.name()).name("cat").value(s.category());
            w.name("ts").value(s.start() / 1e3).name("dur").value((s.end() - s.start()) / 1e3);
            w.name("args").beginObject().name("tasks").value(s.count()).name("partition").value(s.partition()).endObject();
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
}
