package org.pimopt.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Timeline;

/**
 * A Gantt chart of one simulated batch as an inline SVG element, written by hand (a few kinds of
 * shape, no library needed): one band per partition with three lanes, programming, compute (MVM
 * and vector work) and DRAM transfers (weight fetches and activations apart), along the batch's
 * time. The simulator's tasks of one lane that touch, or lie closer than a fraction of a pixel,
 * are drawn as one bar, so that a large network's batch stays a picture of a few hundred shapes.
 * Each bar has a tooltip with its span.
 */
final class GanttChart {
    private static final int WIDTH = 1000;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 46;
    private static final String WRITE = "#d64f3c";
    private static final String COMPUTE = "#2f6eba";
    private static final String FETCH = "#4f7a1f";
    private static final String ACTIVATION = "#9cc46a";
    /** Bars closer than this fraction of the plot's width merge: below what a screen can show. */
    private static final double MERGE = 0.5 / (WIDTH - LEFT - RIGHT);

    private GanttChart() {}

    /** Lanes of a band; DRAM has two colours (weights, activations) in one lane. */
    private enum Lane { WRITE, COMPUTE, FETCH, ACTIVATION }

    /** Merged bars of one partition and lane. */
    private record Bar(int partition, Lane lane, double start, double end, int tasks) {}

    /** The chart of the simulation's batch (tasks before its start, a layout's early programming, are cut at 0). */
    static String svg(SimResult sim) {
        List<SimResult.PartitionStats> parts = sim.partitions();
        Timeline tl = sim.timeline();
        double span = sim.latencyNs();
        for (int t = 0; t < tl.tasks(); t++) {
            span = Math.max(span, tl.endNs(t));
        }
        List<Bar> bars = bars(tl, parts.size(), span);
        int laneH = parts.size() <= 24 ? 9 : parts.size() <= 60 ? 6 : 3;
        int bandH = 3 * laneH + 6;
        int plotH = parts.size() * bandH;
        int height = TOP + plotH + 34;
        double plotW = WIDTH - LEFT - RIGHT;
        double scale = plotW / span;
        StringBuilder s = new StringBuilder(16 * 1024);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"Gantt chart of the simulated batch\" font-family=\"sans-serif\""
                        + " font-size=\"11\">\n");
        s.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" fill=\"#fff\"/>\n");
        legend(s);
        // Bands: a light stripe on every other partition, and the partition's own window (start to
        // the end of its compute) outlined, so that a thin bar can be found.
        for (int p = 0; p < parts.size(); p++) {
            double y = TOP + p * bandH;
            if (p % 2 == 1) {
                rect(s, LEFT, y, plotW, bandH, "#f3f5f8", null);
            }
            SimResult.PartitionStats ps = parts.get(p);
            double from = Math.max(0, ps.startNs());
            double to = Math.min(span, ps.startNs() + ps.writeNs() + ps.computeNs());
            if (to > from) {
                s.append("<rect x=\"").append(f(LEFT + from * scale)).append("\" y=\"").append(f(y + 1)).append("\" width=\"")
                        .append(f(Math.max(0.5, (to - from) * scale))).append("\" height=\"").append(bandH - 2)
                        .append("\" fill=\"none\" stroke=\"#9aa4b1\" stroke-width=\"0.6\"/>\n");
            }
            if (parts.size() <= 60 || p % 5 == 0) {
                s.append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(f(y + bandH / 2.0 + 4))
                        .append("\" text-anchor=\"end\" fill=\"#333\">P").append(p).append("</text>\n");
            }
        }
        for (Bar b : bars) {
            int lane = switch (b.lane()) {
                case WRITE -> 0;
                case COMPUTE -> 1;
                case FETCH, ACTIVATION -> 2;
            };
            String color = switch (b.lane()) {
                case WRITE -> WRITE;
                case COMPUTE -> COMPUTE;
                case FETCH -> FETCH;
                case ACTIVATION -> ACTIVATION;
            };
            double y = TOP + b.partition() * bandH + 3 + lane * laneH;
            String what = switch (b.lane()) {
                case WRITE -> "programming";
                case COMPUTE -> "compute";
                case FETCH -> "DRAM, weight fetch";
                case ACTIVATION -> "DRAM, activations";
            };
            String tip = String.format(Locale.ROOT, "P%d %s: %s to %s (%d task%s)", b.partition(), what,
                    SolveReport.time(b.start()), SolveReport.time(b.end()), b.tasks(), b.tasks() == 1 ? "" : "s");
            rect(s, LEFT + b.start() * scale, y, Math.max(0.6, (b.end() - b.start()) * scale), laneH - 1, color, tip);
        }
        // Axis: frame, ticks at round times, and the batch's end.
        s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(f(plotW))
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#888\" stroke-width=\"0.8\"/>\n");
        double step = niceStep(span / 6);
        for (int k = 0; k * step <= span * 1.0001; k++) {
            double t = k * step;
            double x = LEFT + t * scale;
            s.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(TOP + plotH).append("\" x2=\"").append(f(x))
                    .append("\" y2=\"").append(TOP + plotH + 5).append("\" stroke=\"#888\"/>\n");
            s.append("<text x=\"").append(f(x)).append("\" y=\"").append(TOP + plotH + 17)
                    .append("\" text-anchor=\"middle\" fill=\"#333\">").append(tick(t, span)).append("</text>\n");
        }
        s.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(TOP + plotH + 31)
                .append("\" text-anchor=\"end\" fill=\"#555\">time from the batch's start; the batch ends at ")
                .append(Html.text(SolveReport.time(sim.latencyNs()))).append("</text>\n");
        return s.append("</svg>").toString();
    }

    private static void legend(StringBuilder s) {
        String[][] items = {{WRITE, "programming (write)"}, {COMPUTE, "compute (MVM, vector)"},
                {FETCH, "DRAM: weight fetch"}, {ACTIVATION, "DRAM: activations"}};
        s.append("<text x=\"").append(LEFT).append("\" y=\"16\" fill=\"#333\">each band one partition; lanes top to"
                + " bottom: programming, compute, DRAM</text>\n");
        double x = LEFT;
        for (String[] item : items) {
            rect(s, x, 24, 14, 9, item[0], null);
            s.append("<text x=\"").append(f(x + 19)).append("\" y=\"33\" fill=\"#333\">").append(Html.text(item[1]))
                    .append("</text>\n");
            x += 30 + 7.0 * item[1].length();
        }
    }

    /**
     * The timeline's timed tasks as merged bars per partition and lane, cut to [0, span]: with a
     * layout, programming overlapping the previous batch starts before 0.
     */
    private static List<Bar> bars(Timeline tl, int partitions, double span) {
        int lanes = Lane.values().length;
        List<List<double[]>> spans = new ArrayList<>();
        for (int i = 0; i < partitions * lanes; i++) {
            spans.add(new ArrayList<>());
        }
        for (int t = 0; t < tl.tasks(); t++) {
            int p = tl.partition(t);
            double from = Math.max(0, tl.startNs(t));
            double to = Math.min(span, tl.endNs(t));
            Lane lane = lane(tl, t);
            if (lane == null || p < 0 || p >= partitions || to <= from) {
                continue;
            }
            spans.get(p * lanes + lane.ordinal()).add(new double[] {from, to});
        }
        List<Bar> out = new ArrayList<>();
        double gap = MERGE * span;
        for (int i = 0; i < spans.size(); i++) {
            List<double[]> list = spans.get(i);
            list.sort((a, b) -> Double.compare(a[0], b[0]));
            double start = Double.NaN;
            double end = Double.NaN;
            int tasks = 0;
            for (double[] iv : list) {
                if (tasks > 0 && iv[0] <= end + gap) {
                    end = Math.max(end, iv[1]);
                    tasks++;
                    continue;
                }
                if (tasks > 0) {
                    out.add(new Bar(i / lanes, Lane.values()[i % lanes], start, end, tasks));
                }
                start = iv[0];
                end = iv[1];
                tasks = 1;
            }
            if (tasks > 0) {
                out.add(new Bar(i / lanes, Lane.values()[i % lanes], start, end, tasks));
            }
        }
        return out;
    }

    /** The lane of a task, or null for what the chart leaves out (barriers, on-chip transfers). */
    private static Lane lane(Timeline tl, int t) {
        return switch (tl.kind(t)) {
            case Timeline.WRITE -> Lane.WRITE;
            case Timeline.MVM, Timeline.VECTOR -> Lane.COMPUTE;
            case Timeline.FETCH -> Lane.FETCH;
            case Timeline.LOAD, Timeline.STORE, Timeline.IO -> Lane.ACTIVATION;
            default -> null;
        };
    }

    private static void rect(StringBuilder s, double x, double y, double w, double h, String fill, String tip) {
        s.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w))
                .append("\" height=\"").append(f(h)).append("\" fill=\"").append(fill).append('"');
        if (tip == null) {
            s.append("/>\n");
        } else {
            s.append("><title>").append(Html.text(tip)).append("</title></rect>\n");
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= rough) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** A tick's time in the unit of the whole span, without trailing zeros: "0", "0.5 ms", "1 ms". */
    static String tick(double ns, double span) {
        if (ns == 0) {
            return "0";
        }
        double unit = span >= 1e9 ? 1e9 : span >= 1e6 ? 1e6 : span >= 1e3 ? 1e3 : 1;
        String name = unit == 1e9 ? "s" : unit == 1e6 ? "ms" : unit == 1e3 ? "us" : "ns";
        String v = new java.math.BigDecimal(ns / unit).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return v + " " + name;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
