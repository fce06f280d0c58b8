package org.pimopt.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.svg.SVGGraphics2D;
import org.pimopt.plan.PlanIo;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Timeline;

/**
 * An SVG picture of a simulated plan: a grid of partitions (rows) by cores (columns) shaded by
 * the crossbars each core holds, and below it a Gantt strip over the batch of programming,
 * compute and DRAM activity, so one sees at a glance where time goes. When the simulator executed
 * the plan's layout, the programming lane shows every crossbar write where it ran.
 */
public final class PlanPicture {
    private static final int WIDTH = 1000;
    private static final int MARGIN = 70;
    private static final int CELL_H = 14;
    private static final int LANE_H = 22;
    private static final Color WRITE = new Color(0xD6, 0x4F, 0x3C);
    private static final Color COMPUTE = new Color(0x2F, 0x6E, 0xBA);
    private static final Color DRAM = new Color(0x7A, 0x9E, 0x3B);

    private PlanPicture() {}

    public static String svg(SimResult sim, int crossbarsPerCore, String title) {
        List<SimResult.PartitionStats> parts = sim.partitions();
        int cores = parts.get(0).crossbarsPerCore().size();
        int gridH = parts.size() * CELL_H;
        int ganttTop = 50 + gridH + 50;
        int height = ganttTop + 3 * LANE_H + 60;
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, WIDTH, height));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, MARGIN, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.drawString("crossbars occupied per core (darker = fuller), one row per partition", MARGIN, 40);
        double cellW = (WIDTH - 2.0 * MARGIN) / cores;
        for (SimResult.PartitionStats p : parts) {
            double y = 50 + p.index() * CELL_H;
            if (parts.size() <= 40 || p.index() % 5 == 0) {
                g.setColor(Color.DARK_GRAY);
                g.drawString("P" + p.index(), 10, (float) (y + CELL_H - 3));
            }
            for (int c = 0; c < cores; c++) {
                double fill = Math.min(1, p.crossbarsPerCore().get(c) / (double) crossbarsPerCore);
                int shade = (int) Math.round(245 - 200 * fill);
                g.setColor(fill == 0 ? new Color(250, 250, 250) : new Color(shade, shade, 255));
                g.fill(new Rectangle2D.Double(MARGIN + c * cellW, y, cellW, CELL_H));
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(0.5f));
        g.draw(new Rectangle2D.Double(MARGIN, 50, cores * cellW, gridH));
        g.drawString("cores 0.." + (cores - 1), MARGIN, 50 + gridH + 14);
        // Gantt strip: programming, compute, DRAM over the batch.
        double span = sim.latencyNs();
        double scale = (WIDTH - 2.0 * MARGIN) / span;
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "time over one batch (%s), %s schedule%s", SolveReport.time(span),
                sim.schedule(), sim.layoutExecuted() ? "; programming as the plan's layout schedules it (%d cells, at most %d"
                        .formatted(sim.cellsWritten(), sim.worstCrossbarWrites()) + " writes of one crossbar)" : ""), MARGIN, ganttTop - 8);
        String[] lanes = {"program", "compute", "DRAM"};
        for (int i = 0; i < lanes.length; i++) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(lanes[i], 10, ganttTop + i * LANE_H + 15);
        }
        Timeline tl = sim.timeline();
        for (SimResult.PartitionStats p : parts) {
            if (!sim.layoutExecuted()) {
                bar(g, MARGIN + p.startNs() * scale, ganttTop, p.writeNs() * scale, WRITE);
            }
            bar(g, MARGIN + (p.startNs() + p.writeNs()) * scale, ganttTop + LANE_H, p.computeNs() * scale, COMPUTE);
        }
        for (int t = 0; t < tl.tasks(); t++) {
            // With a layout, each crossbar write where it ran (overlapping compute; those during the
            // previous batch's last partition start before 0 and are cut at the left edge).
            if (sim.layoutExecuted() && tl.kind(t) == Timeline.WRITE && tl.endNs(t) > Math.max(0, tl.startNs(t))) {
                double from = Math.max(0, tl.startNs(t));
                bar(g, MARGIN + from * scale, ganttTop, (tl.endNs(t) - from) * scale, WRITE);
            }
            if (tl.track(t) == tl.dramTrack() && tl.endNs(t) > tl.startNs(t)) {
                bar(g, MARGIN + tl.startNs(t) * scale, ganttTop + 2 * LANE_H, (tl.endNs(t) - tl.startNs(t)) * scale, DRAM);
            }
        }
        g.setColor(Color.GRAY);
        g.draw(new Rectangle2D.Double(MARGIN, ganttTop, WIDTH - 2.0 * MARGIN, 3 * LANE_H));
        g.setColor(Color.BLACK);
        for (int k = 0; k <= 4; k++) {
            double x = MARGIN + k * (WIDTH - 2.0 * MARGIN) / 4;
            g.drawString(SolveReport.time(span * k / 4), (float) x - 15, ganttTop + 3 * LANE_H + 14);
        }
        return g.getSVGDocument();
    }

    private static void bar(SVGGraphics2D g, double x, double y, double w, Color c) {
        g.setColor(c);
        g.fill(new Rectangle2D.Double(x, y + 3, Math.max(w, 0.3), LANE_H - 6));
    }

    public static void write(Path target, SimResult sim, int crossbarsPerCore, String title) {
        PlanIo.writeAtomically(target, svg(sim, crossbarsPerCore, title).getBytes(StandardCharsets.UTF_8));
    }
}
