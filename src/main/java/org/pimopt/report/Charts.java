package org.pimopt.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;
import org.pimopt.plan.PlanIo;

/** SVG plots of results (JFreeChart drawn on JFreeSVG). */
public final class Charts {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {}

    /** A line series: named points (x, y). */
    public record Series(String name, List<double[]> points, boolean dashed, boolean connected) {
        public Series(String name, List<double[]> points, boolean dashed) {
            this(name, points, dashed, true);
        }
    }

    /** One panel of a line chart, stacked over a shared x axis. */
    public record Panel(String yLabel, List<Series> series) {}

    /** Stacked line panels sharing the x axis, written to {@code svg}. */
    public static void lines(Path svg, String title, String footnote, String xLabel, boolean logX, boolean logY,
                      List<Panel> panels) {
        write(svg, linesChart(title, footnote, xLabel, logX, logY, panels), WIDTH, linesHeight(panels));
    }

    /**
     * The same chart as an {@code <svg>} element to put inside an HTML page: no XML prolog, a
     * view box instead of a fixed size so that the page's CSS can scale it to the column.
     */
    public static String linesElement(String title, String footnote, String xLabel, boolean logX, boolean logY,
                                      List<Panel> panels) {
        int height = linesHeight(panels);
        SVGGraphics2D g = draw(linesChart(title, footnote, xLabel, logX, logY, panels), WIDTH, height);
        return g.getSVGElement(null, false, new ViewBox(0, 0, WIDTH, height), null, null);
    }

    private static final int WIDTH = 900;

    private static int linesHeight(List<Panel> panels) {
        return 260 * panels.size() + 140;
    }

    private static JFreeChart linesChart(String title, String footnote, String xLabel, boolean logX, boolean logY,
                                         List<Panel> panels) {
        ValueAxis x = logX ? logAxis(xLabel) : new NumberAxis(xLabel);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
        combined.setGap(12);
        java.util.Map<String, Color> colors = new java.util.LinkedHashMap<>();
        for (Panel p : panels) {
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
            int i = 0;
            for (Series s : p.series()) {
                XYSeries xy = new XYSeries(s.name(), false, true);
                for (double[] pt : s.points()) {
                    if (!logY || pt[1] > 0) {
                        xy.add(pt[0], pt[1]);
                    }
                }
                data.addSeries(xy);
                Color c = colors.computeIfAbsent(s.name().replace(" (not proven)", ""),
                        k -> PALETTE[colors.size() % PALETTE.length]);
                renderer.setSeriesPaint(i, c);
                renderer.setSeriesStroke(i, s.dashed() ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f) : new BasicStroke(1.5f));
                renderer.setSeriesLinesVisible(i, s.connected());
                i++;
            }
            ValueAxis y;
            if (logY) {
                y = logAxis(p.yLabel());
            } else {
                NumberAxis n = new NumberAxis(p.yLabel());
                n.setAutoRangeIncludesZero(true);
                y = n;
            }
            XYPlot plot = new XYPlot(data, null, y, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            combined.add(plot);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        footnote(chart, footnote);
        return chart;
    }

    /** A logarithmic axis labelled with plain numbers (0.1, 1, 10, ...). */
    private static ValueAxis logAxis(String label) {
        LogarithmicAxis axis = new LogarithmicAxis(label);
        axis.setStrictValuesFlag(false);
        axis.setAllowNegativesFlag(false);
        axis.setLog10TickLabelsFlag(false);
        axis.setExpTickLabelsFlag(false);
        return axis;
    }

    /** Grouped bars: category -> series -> value. */
    public static void bars(Path svg, String title, String footnote, String categoryLabel, String valueLabel,
                     Map<String, Map<String, Double>> values) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (var cat : values.entrySet()) {
            for (var s : cat.getValue().entrySet()) {
                data.addValue(s.getValue(), s.getKey(), cat.getKey());
            }
        }
        CategoryAxis x = new CategoryAxis(categoryLabel);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis(valueLabel);
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        footnote(chart, footnote);
        write(svg, chart, Math.max(760, 60 * values.size() + 200), 540);
    }

    /** What produced the plot (date, versions, machine), in small type under it. */
    private static void footnote(JFreeChart chart, String text) {
        TextTitle note = new TextTitle(text, new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        note.setPosition(RectangleEdge.BOTTOM);
        note.setPaint(Color.DARK_GRAY);
        chart.addSubtitle(note);
    }

    private static SVGGraphics2D draw(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        return g;
    }

    private static void write(Path svg, JFreeChart chart, int width, int height) {
        PlanIo.writeAtomically(svg, draw(chart, width, height).getSVGDocument().getBytes(StandardCharsets.UTF_8));
    }
}
