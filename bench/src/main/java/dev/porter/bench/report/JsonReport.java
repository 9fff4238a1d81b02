package dev.porter.bench.report;

import java.util.Locale;
import java.util.Map;

/**
 * The figures as JSON (results/latest.json), for tools and for comparing runs: meta, server status, per job
 * and server the medians, Porter's ratio per job, and the idle job. Numbers are plain JSON numbers; a figure
 * that does not apply is {@code null}.
 */
final class JsonReport {

    private final Summary summary;

    JsonReport(Summary summary) {
        this.summary = summary;
    }

    /** @return the JSON document */
    String render() {
        StringBuilder json = new StringBuilder("{\n  \"meta\": {");
        String sep = "\n";
        for (Map.Entry<String, String> e : summary.results.meta().entrySet()) {
            json.append(sep).append("    ").append(str(e.getKey())).append(": ").append(str(e.getValue()));
            sep = ",\n";
        }
        json.append("\n  },\n  \"servers\": {");
        sep = "\n";
        for (String s : summary.servers) {
            json.append(sep).append("    ").append(str(s)).append(": ").append(str(summary.status(s)));
            sep = ",\n";
        }
        json.append("\n  },\n  \"tls_servers\": {");
        sep = "\n";
        for (String s : summary.tlsServers) {
            json.append(sep).append("    ").append(str(s)).append(": {\"status\": ").append(str(summary.tlsStatus(s)))
                .append(", \"negotiated\": ").append(str(summary.negotiated(s))).append('}');
            sep = ",\n";
        }
        json.append("\n  },\n  \"h2_servers\": {");
        sep = "\n";
        for (String s : summary.h2Servers) {
            json.append(sep).append("    ").append(str(s)).append(": {\"h2c_status\": ").append(str(summary.h2Status(s, false)))
                .append(", \"h2_status\": ").append(str(summary.h2Status(s, true)))
                .append(", \"negotiated\": ").append(str(summary.h2Negotiated(s))).append('}');
            sep = ",\n";
        }
        json.append("\n  },\n  \"ws_servers\": {");
        sep = "\n";
        for (String s : summary.wsServers) {
            json.append(sep).append("    ").append(str(s)).append(": ").append(str(summary.wsStatus(s)));
            sep = ",\n";
        }
        json.append("\n  },\n  \"jobs\": {");
        sep = "\n";
        for (Job job : Job.values()) {
            json.append(sep).append("    ").append(str(job.id)).append(": {\"label\": ").append(str(job.label))
                .append(", \"throughput_unit\": ").append(str(job.bytesPerSecond ? "bytes/s"
                    : job.table == Job.Table.WEBSOCKET ? "messages/s" : "requests/s"))
                .append(", \"table\": ").append(str(job.table.name().toLowerCase(Locale.ROOT)))
                .append(", \"tls\": ").append(job.tls)
                .append(", \"porter_to_best_peer\": ").append(num(summary.porterRatio(job)));
            if (job.table == Job.Table.TLS) {
                json.append(", \"porter_to_best_jdk_tls_jvm_peer\": ").append(num(summary.porterToJvm(job)))
                    .append(", \"porter_to_nginx\": ").append(num(summary.porterToNginx(job)));
            } else if (job.table == Job.Table.HTTP2) {
                json.append(", \"porter_to_best_jvm_peer\": ").append(num(summary.porterToJvm(job)))
                    .append(", \"porter_to_nginx\": ").append(num(summary.porterToNginx(job)))
                    .append(", \"porter_to_h2o\": ").append(num(summary.porterToH2o(job)));
            }
            json.append(", \"servers\": {");
            String inner = "\n";
            for (Map.Entry<String, Summary.Figures> e : summary.jobs.get(job).entrySet()) {
                String f = figures(e.getValue());
                Double client = summary.clientCpu.getOrDefault(job, Map.of()).get(e.getKey());
                if (client != null) f = f.substring(0, f.length() - 1) + ", \"client_cpu_us_per_message\": " + num(client) + "}";
                json.append(inner).append("      ").append(str(e.getKey())).append(": ").append(f);
                inner = ",\n";
            }
            json.append("\n    }}");
            sep = ",\n";
        }
        json.append("\n  },\n  \"idle\": {");
        sep = "\n";
        for (Map.Entry<String, Summary.IdleFigures> e : summary.idle.entrySet()) {
            Summary.IdleFigures i = e.getValue();
            json.append(sep).append("    ").append(str(e.getKey())).append(": {\"connections\": ").append(i.connections())
                .append(", \"opened\": ").append(i.opened()).append(", \"alive_after_load\": ").append(i.alive())
                .append(", \"rss_bytes_per_connection\": ").append(num(i.rssPerConn()))
                .append(", \"live_heap_bytes_per_connection\": ").append(num(i.heapPerConn()))
                .append(", \"plaintext_kept\": ").append(num(i.kept()))
                .append(", \"plaintext\": ").append(i.load() == null ? "null" : figures(i.load())).append('}');
            sep = ",\n";
        }
        json.append("\n  },\n  \"ws_idle\": {");
        sep = "\n";
        for (Map.Entry<String, Summary.WsIdleFigures> e : summary.wsIdle.entrySet()) {
            Summary.WsIdleFigures i = e.getValue();
            json.append(sep).append("    ").append(str(e.getKey())).append(": {\"connections\": ").append(i.connections())
                .append(", \"opened\": ").append(i.opened()).append(", \"alive\": ").append(i.alive())
                .append(", \"rss_bytes_per_connection\": ").append(num(i.rssPerConn()))
                .append(", \"live_heap_bytes_per_connection\": ").append(num(i.heapPerConn())).append('}');
            sep = ",\n";
        }
        json.append("\n  },\n  \"porter_ws_idle\": {\"rss_to_lowest_peer\": ")
            .append(num(summary.porterWsIdleRatio(Summary.WsIdleFigures::rssPerConn)))
            .append(", \"live_heap_to_lowest_peer\": ")
            .append(num(summary.porterWsIdleRatio(Summary.WsIdleFigures::heapPerConn))).append("},\n  \"targets\": [");
        sep = "\n";
        for (Targets.Target t : Targets.of(summary)) {
            json.append(sep).append("    {\"target\": ").append(str(t.name())).append(", \"goal\": ").append(str(t.goal()))
                .append(", \"measured\": ").append(str(t.value())).append(", \"met\": ").append(t.met()).append('}');
            sep = ",\n";
        }
        json.append("\n  ]\n}\n");
        return json.toString();
    }

    /** A cell's figures; a cell that failed a check has "check": "error", its problems, and null figures. */
    private static String figures(Summary.Figures f) {
        StringBuilder problems = new StringBuilder("[");
        for (String p : f.problems()) problems.append(problems.length() > 1 ? ", " : "").append(str(p));
        return "{\"check\": " + str(f.ok() ? "ok" : "error") + ", \"problems\": " + problems.append(']')
            + ", \"throughput\": " + num(f.ok() ? f.throughput() : Double.NaN) + ", \"p99_us\": "
            + num(f.ok() ? f.p99Us() : Double.NaN) + ", \"cpu_us_per_request\": "
            + num(f.ok() ? f.cpuUsPerRequest() : Double.NaN) + ", \"errors\": " + f.errors() + "}";
    }

    private static String num(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.4f", value);
    }

    static String str(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
