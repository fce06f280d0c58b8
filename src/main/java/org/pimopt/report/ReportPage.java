package org.pimopt.report;

import java.util.List;

/**
 * A self-contained HTML page of titled sections: one file, its style in a {@code <style>}
 * element, pictures as inline SVG, no script, font or stylesheet from anywhere else, so it opens
 * the same offline, attached to a mail or years later. Laid out for a laptop screen (a column of
 * limited width; wide tables scroll by themselves) and for print (no backgrounds, rows and
 * pictures kept whole, table heads repeated on every page).
 */
public final class ReportPage {
    /**
     * One part of the page. {@code html} is markup that this package's builders made ({@link Html},
     * {@link HtmlTable}, SVG elements), trusted as it is: text from elsewhere must pass through
     * {@link Html#text} first. {@code id} is the anchor the contents link to.
     */
    public record Section(String id, String title, String html) {
        public Section {
            if (!id.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("section id must be a plain anchor name: " + id);
            }
        }

        /**
         * A picture with a caption under it: an {@code <svg>} element (as {@link Charts#linesElement}
         * gives) and plain text. A later section such as a Pareto front is one of these, with its
         * table appended by {@link #with}.
         */
        public static Section figure(String id, String title, String svgElement, String caption) {
            return new Section(id, title, "<figure>" + endTags(svgElement) + "<figcaption>" + Html.text(caption)
                    + "</figcaption></figure>\n");
        }

        /** A {@link #figure} that takes the column's whole width (a time line; a chart keeps a readable size). */
        public static Section wideFigure(String id, String title, String svgElement, String caption) {
            return new Section(id, title, "<figure class=\"wide\">" + endTags(svgElement) + "<figcaption>"
                    + Html.text(caption) + "</figcaption></figure>\n");
        }

        /** The section with more markup after what it has. */
        public Section with(String moreHtml) {
            return new Section(id, title, html + moreHtml);
        }
    }

    private ReportPage() {}

    private static final java.util.regex.Pattern SELF_CLOSING =
            java.util.regex.Pattern.compile("<([A-Za-z][\\w:-]*)([^<>]*?)\\s*/>");

    /**
     * SVG markup with every self-closing tag ({@code <rect .../>}) written with its end tag
     * ({@code <rect ...></rect>}). HTML allows both inside {@code <svg>}, but not every HTML parser
     * reads the short form right: HtmlUnit's misreads a {@code />} that falls on its read buffer's
     * boundary as a missing attribute. A tag with a {@code >} inside a value is left as it is.
     */
    static String endTags(String svg) {
        return SELF_CLOSING.matcher(svg).replaceAll("<$1$2></$1>");
    }

    /** The page: a heading, a line under it, contents linking to each section, the sections. */
    public static String render(String title, String subtitle, List<Section> sections) {
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.text(title)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<header>\n<h1>").append(Html.text(title)).append("</h1>\n<p class=\"sub\">")
                .append(Html.text(subtitle)).append("</p>\n<nav><ul>");
        for (Section s : sections) {
            out.append("<li><a href=\"#").append(s.id()).append("\">").append(Html.text(s.title())).append("</a></li>");
        }
        out.append("</ul></nav>\n</header>\n<main>\n");
        for (Section s : sections) {
            out.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(Html.text(s.title())).append("</h2>\n")
                    .append(s.html()).append("</section>\n");
        }
        return out.append("</main>\n</body>\n</html>\n").toString();
    }

    /**
     * The style: system fonts only (nothing to fetch), figures in tabular digits and right-aligned,
     * a light theme throughout so that the printed page and the screen agree.
     */
    private static final String CSS = """
            :root { --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --tint: #f3f6f9; --best: #fff6d6; }
            * { box-sizing: border-box; }
            body { margin: 0 auto; padding: 1.5rem 1.25rem 3rem; max-width: 90rem; color: var(--ink); background: #fff;
                   font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
            h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--rule); }
            p, li { max-width: 60rem; }
            .sub, .note, figcaption { color: var(--muted); }
            .note { font-size: .9rem; }
            nav ul { list-style: none; padding: 0; margin: .75rem 0 0; display: flex; flex-wrap: wrap; gap: .25rem 1.2rem; }
            a { color: #0b5cad; }
            code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
            .scroll { overflow-x: auto; margin: .5rem 0; }
            table { border-collapse: collapse; font-size: .82rem; }
            th, td { padding: .25rem .45rem; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
            th { background: var(--tint); font-weight: 600; white-space: nowrap; position: sticky; top: 0; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tbody tr:nth-child(even) { background: #fafbfc; }
            tr.best { background: var(--best); font-weight: 600; }
            td .second { font-size: .8em; font-weight: 400; color: var(--muted); }
            table.strategies td:nth-child(-n+2) { white-space: nowrap; }
            tfoot td { font-weight: 600; border-top: 2px solid var(--rule); }
            table.inputs th { text-align: left; background: none; position: static; padding-left: 0; }
            table.ops td:nth-child(2) { min-width: 18rem; max-width: 40rem; white-space: normal; }
            figure { margin: .75rem 0; }
            figure svg { display: block; width: 100%; height: auto; max-width: 62rem; border: 1px solid var(--rule); }
            figure.wide svg { max-width: 100%; }
            figcaption { font-size: .88rem; margin-top: .35rem; }
            @page { size: landscape; margin: 12mm; }
            @media print {
              body { max-width: none; padding: 0; font-size: 10pt; }
              * { background: transparent !important; color: #000 !important; }
              nav { display: none; }
              .scroll { overflow: visible; }
              table { font-size: 8pt; }
              th { position: static; }
              thead { display: table-header-group; }
              tr, figure, svg { break-inside: avoid; page-break-inside: avoid; }
              h2 { break-after: avoid; page-break-after: avoid; }
              tr.best td { font-weight: 700; }
              a { text-decoration: none; }
            }
            """;
}
