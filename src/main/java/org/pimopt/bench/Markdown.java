package org.pimopt.bench;

import java.util.List;
import java.util.Locale;

/** Markdown pieces for the suite reports. */
final class Markdown {
    private Markdown() {}

    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            out.append(i == 0 ? "---|" : "---:|");
        }
        out.append('\n');
        for (List<String> r : rows) {
            out.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
        return out.toString();
    }

    /** The producing run's header lines, as a fenced block. */
    static String provenance(List<String> comments) {
        StringBuilder out = new StringBuilder("```\n");
        for (String c : comments) {
            out.append(c).append('\n');
        }
        return out.append("```\n").toString();
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String num(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    static String seconds(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }

    static double geomean(List<Double> values) {
        List<Double> ok = values.stream().filter(v -> v != null && v > 0 && Double.isFinite(v)).toList();
        if (ok.isEmpty()) {
            return Double.NaN;
        }
        return Math.exp(ok.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
    }
}
