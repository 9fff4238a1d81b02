package dev.porter.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart: grouped bars, one group per job, one colour per server, each job normalised so that its best
 * server is 100%. For the idle job's memory figures, where lower is better, a bar is best / value. Plain SVG
 * 1.1; each bar carries a {@code <title>} with the measured value.
 */
final class SvgChart {

    private static final String[] COLOURS = {
        "#e15759", "#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f", "#bab0ac",
    };
    private static final int BAR = 14;
    private static final int GROUP_GAP = 34;
    private static final int LEFT = 56;
    private static final int TOP = 52;
    private static final int PLOT_HEIGHT = 260;

    /** One group of bars: per server the normalised height (0..1) and the text for its tooltip. */
    private record Group(String label, Map<String, Double> heights, Map<String, String> values) {}

    private final Summary summary;

    SvgChart(Summary summary) {
        this.summary = summary;
    }

    /** @return the SVG document */
    String render() {
        List<Group> groups = groups();
        List<String> servers = summary.allServers();
        int groupWidth = servers.size() * BAR + GROUP_GAP;
        int width = LEFT + groups.size() * groupWidth + 16;
        int legendTop = TOP + PLOT_HEIGHT + 58;
        int height = legendTop + 34;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
            .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
            .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        Results r = summary.results;
        text(svg, LEFT, 20, 14, "start", "Porter and its peers, each job normalised to its best server = 100%");
        text(svg, LEFT, 38, 11, "start", r.meta("date") + ", " + r.meta("cores") + " cores, JDK " + r.meta("jdk")
            + ", " + r.meta("mode") + " run (" + r.meta("rounds") + " x " + r.meta("duration_s")
            + " s, medians); memory bars: lowest = 100%");

        for (int pct = 0; pct <= 100; pct += 25) {
            double y = TOP + PLOT_HEIGHT * (1 - pct / 100.0);
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n", LEFT, y, width - 16, y));
            text(svg, LEFT - 6, (int) y + 4, 10, "end", pct + "%");
        }
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            int x0 = LEFT + g * groupWidth + GROUP_GAP / 2;
            for (int s = 0; s < servers.size(); s++) {
                String server = servers.get(s);
                Double h = group.heights().get(server);
                if (h == null || h.isNaN()) continue;
                double barHeight = Math.max(1, PLOT_HEIGHT * Math.min(1, Math.max(0, h)));
                svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s (%.0f%%)</title></rect>\n",
                    x0 + s * BAR, TOP + PLOT_HEIGHT - barHeight, BAR - 2, barHeight, colour(s), escape(server),
                    escape(group.label().replace('|', ' ')), escape(group.values().get(server)), h * 100));
                if (server.equals(Summary.PORTER)) { // Porter's standing, readable without hovering
                    text(svg, x0 + s * BAR + BAR / 2 - 1, (int) (TOP + PLOT_HEIGHT - barHeight) - 3, 9, "middle",
                        String.format(Locale.ROOT, "%.0f%%", h * 100));
                }
            }
            int centre = x0 + servers.size() * BAR / 2;
            String[] words = group.label().split("\\|");
            for (int i = 0; i < words.length; i++) text(svg, centre, TOP + PLOT_HEIGHT + 16 + 13 * i, 11, "middle", words[i]);
        }
        int x = LEFT;
        for (int s = 0; s < servers.size(); s++) {
            String server = servers.get(s);
            String label = summary.available(server) ? server : server + " (not available)";
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                x, legendTop, colour(s)));
            text(svg, x + 16, legendTop + 10, 11, "start", label);
            x += 24 + label.length() * 7;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        for (Job job : Job.values()) {
            if (summary.jobs.get(job).isEmpty()) continue; // not run (e.g. the TLS jobs with --no-tls)
            Map<String, Double> heights = new LinkedHashMap<>();
            Map<String, String> values = new LinkedHashMap<>();
            // A WebSocket figure with errors is no figure: no bar (and not the 100% of its group).
            double best = summary.jobs.get(job).values().stream().filter(f -> Summary.counts(job, f))
                .mapToDouble(Summary.Figures::throughput).max().orElse(Double.NaN);
            summary.jobs.get(job).forEach((server, f) -> {
                if (!Summary.counts(job, f)) return;
                heights.put(server, f.throughput() / best);
                values.put(server, job.table == Job.Table.WEBSOCKET ? TextTable.wsCell(job, f, false) : TextTable.cell(job, f, false));
            });
            groups.add(new Group(job.chartLabel, heights, values));
        }
        if (!summary.idle.isEmpty()) {
            groups.add(idleGroup("idle: kept|throughput", Summary.IdleFigures::kept, true, Units::percent));
            groups.add(idleGroup("idle: RSS|per conn", Summary.IdleFigures::rssPerConn, false, Units::bytes));
            groups.add(idleGroup("idle: heap|per conn", Summary.IdleFigures::heapPerConn, false, Units::bytes));
        }
        if (!summary.wsIdle.isEmpty()) {
            groups.add(memoryGroup("WS idle: RSS|per conn", summary.wsIdle, Summary.WsIdleFigures::rssPerConn));
            groups.add(memoryGroup("WS idle: heap|per conn", summary.wsIdle, Summary.WsIdleFigures::heapPerConn));
        }
        return groups;
    }

    private Group idleGroup(String label, Summary.IdleMetric metric, boolean higherIsBetter,
                            java.util.function.DoubleFunction<String> format) {
        Map<String, Double> raw = new LinkedHashMap<>();
        summary.idle.forEach((server, figures) -> {
            double v = metric.of(figures);
            if (!Double.isNaN(v)) raw.put(server, v);
        });
        Map<String, Double> heights = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        // Memory growth can be zero or negative (a GC returned pages); one byte keeps the ratio finite.
        double best = higherIsBetter
            ? raw.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)
            : raw.values().stream().mapToDouble(v -> Math.max(1, v)).min().orElse(Double.NaN);
        raw.forEach((server, v) -> {
            heights.put(server, higherIsBetter ? v / best : best / Math.max(1, v));
            values.put(server, format.apply(v));
        });
        return new Group(label, heights, values);
    }

    private static <T> Group memoryGroup(String label, Map<String, T> figures,
                                         java.util.function.ToDoubleFunction<T> metric) {
        Map<String, Double> raw = new LinkedHashMap<>();
        figures.forEach((server, f) -> {
            double v = metric.applyAsDouble(f);
            if (!Double.isNaN(v)) raw.put(server, v);
        });
        double lowest = raw.values().stream().mapToDouble(v -> Math.max(1, v)).min().orElse(Double.NaN);
        Map<String, Double> heights = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        raw.forEach((server, v) -> {
            heights.put(server, lowest / Math.max(1, v));
            values.put(server, Units.bytes(v));
        });
        return new Group(label, heights, values);
    }

    private static String colour(int index) {
        return COLOURS[index % COLOURS.length];
    }

    private static void text(StringBuilder svg, int x, int y, int size, String anchor, String text) {
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" font-size=\"").append(size)
            .append("\" text-anchor=\"").append(anchor).append("\">").append(escape(text)).append("</text>\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
