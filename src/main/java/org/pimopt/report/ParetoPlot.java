package org.pimopt.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.pimopt.cost.Objective;
import org.pimopt.solve.SolveResult;
import org.pimopt.solve.pareto.ParetoFront;
import org.pimopt.solve.pareto.ParetoPoint;

/**
 * {@code pareto.svg}: the front as a staircase (the boundary of what its points dominate), proven
 * points filled, unproven ones hollow, and every heuristic's plan as a labelled marker, in the style
 * of the bench and convergence plots (JFreeChart on JFreeSVG). Axes are logarithmic when a goal spans
 * more than a factor of {@link #LOG_SPAN}. {@link #svg} returns the document, so a report page can
 * inline it.
 */
public final class ParetoPlot {
    /** A goal whose values span more than this factor gets a logarithmic axis. */
    static final double LOG_SPAN = 20;

    private static final Color FRONT = new Color(0x1f77b4);
    private static final Color[] PALETTE = {new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
            new Color(0x17becf)};

    private ParetoPlot() {}

    /** The SVG document (pareto.svg); {@code caption}: what instance it is (network, chip, batch), shown as the title. */
    public static String svg(ParetoFront front, List<SolveResult> heuristics, String caption, String footnote) {
        return draw(front, heuristics, caption, footnote).getSVGDocument();
    }

    /** The {@code <svg>} element alone, without the XML prolog and doctype: to inline in an HTML page. */
    public static String svgElement(ParetoFront front, List<SolveResult> heuristics, String caption, String footnote) {
        return draw(front, heuristics, caption, footnote).getSVGElement();
    }

    private static SVGGraphics2D draw(ParetoFront front, List<SolveResult> heuristics, String caption, String footnote) {
        Objective f = front.goals().f();
        Objective g = front.goals().g();
        XYSeries staircase = new XYSeries("front: " + front.points().size() + " point(s), " + front.proven() + " proven", false, true);
        XYSeries unproven = new XYSeries("front point, not proven (gap)", false, true);
        for (ParetoPoint p : front.points()) {
            staircase.add(f.of(p.metrics()), g.of(p.metrics()));
            if (!p.proven()) {
                unproven.add(f.of(p.metrics()), g.of(p.metrics()));
            }
        }
        XYSeriesCollection frontData = new XYSeriesCollection(staircase);
        XYSeriesCollection markerData = new XYSeriesCollection();
        markerData.addSeries(unproven);
        List<SolveResult> drawn = heuristics.stream().filter(r -> r.plan() != null && r.metrics() != null).toList();
        for (SolveResult r : drawn) {
            XYSeries s = new XYSeries(r.strategy(), false, true);
            s.add(f.of(r.metrics()), g.of(r.metrics()));
            markerData.addSeries(s);
        }
        ValueAxis x = axis(f, frontData, markerData, 0);
        ValueAxis y = axis(g, frontData, markerData, 1);

        XYStepRenderer stepRenderer = new XYStepRenderer();
        stepRenderer.setSeriesPaint(0, FRONT);
        stepRenderer.setSeriesStroke(0, new BasicStroke(2f));
        stepRenderer.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        stepRenderer.setSeriesShapesVisible(0, true);
        stepRenderer.setSeriesShapesFilled(0, true);

        XYLineAndShapeRenderer markers = new XYLineAndShapeRenderer(false, true);
        markers.setSeriesPaint(0, FRONT);
        markers.setSeriesShape(0, new Ellipse2D.Double(-6, -6, 12, 12));
        markers.setSeriesShapesFilled(0, false);
        markers.setSeriesVisibleInLegend(0, !unproven.isEmpty());
        for (int i = 0; i < drawn.size(); i++) {
            markers.setSeriesPaint(i + 1, PALETTE[i % PALETTE.length]);
            markers.setSeriesShape(i + 1, new Rectangle2D.Double(-4, -4, 8, 8));
        }
        XYPlot plot = new XYPlot(frontData, x, y, stepRenderer);
        plot.setDataset(1, markerData);
        plot.setRenderer(1, markers);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        // Plans at the same figures (pimcomp-fill and clsa-greedy often are) share one label.
        java.util.Map<String, List<Integer>> at = new java.util.LinkedHashMap<>();
        for (int i = 0; i < drawn.size(); i++) {
            SolveResult r = drawn.get(i);
            at.computeIfAbsent(String.format(java.util.Locale.ROOT, "%.4g %.4g", f.of(r.metrics()), g.of(r.metrics())),
                    k -> new java.util.ArrayList<>()).add(i);
        }
        for (List<Integer> same : at.values()) {
            SolveResult r = drawn.get(same.get(0));
            String names = same.stream().map(i -> drawn.get(i).strategy()).collect(java.util.stream.Collectors.joining(", "));
            XYTextAnnotation label = new XYTextAnnotation("  " + names, f.of(r.metrics()), g.of(r.metrics()));
            label.setFont(small);
            label.setPaint(PALETTE[same.get(0) % PALETTE.length].darker());
            label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(label);
        }
        for (int i = 0; i < front.points().size(); i++) {
            ParetoPoint p = front.points().get(i);
            XYTextAnnotation label = new XYTextAnnotation(String.valueOf(i + 1) + "  ", f.of(p.metrics()), g.of(p.metrics()));
            label.setFont(small);
            label.setPaint(FRONT.darker());
            label.setTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addAnnotation(label);
        }
        JFreeChart chart = new JFreeChart(caption, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        TextTitle note = new TextTitle(footnote, new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        note.setPosition(RectangleEdge.BOTTOM);
        note.setPaint(Color.DARK_GRAY);
        chart.addSubtitle(note);
        int width = 900;
        int height = 600;
        SVGGraphics2D svg = new SVGGraphics2D(width, height);
        chart.draw(svg, new Rectangle2D.Double(0, 0, width, height));
        return svg;
    }

    /** The goal's axis, logarithmic when its values span more than {@link #LOG_SPAN}; a margin around the points. */
    private static ValueAxis axis(Objective o, XYSeriesCollection a, XYSeriesCollection b, int coordinate) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (XYSeriesCollection c : List.of(a, b)) {
            for (int s = 0; s < c.getSeriesCount(); s++) {
                for (int i = 0; i < c.getItemCount(s); i++) {
                    double v = coordinate == 0 ? c.getXValue(s, i) : c.getYValue(s, i);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        String label = o.label() + " (" + o.unit() + ")";
        if (min > 0 && max / min > LOG_SPAN) {
            LogarithmicAxis log = new LogarithmicAxis(label + ", log scale");
            log.setStrictValuesFlag(false);
            log.setAllowNegativesFlag(false);
            log.setLog10TickLabelsFlag(false);
            log.setExpTickLabelsFlag(false);
            return log;
        }
        NumberAxis n = new NumberAxis(label);
        n.setAutoRangeIncludesZero(false);
        n.setAutoRangeStickyZero(false);
        return n;
    }
}
