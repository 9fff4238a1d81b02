package dev.porter.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tables bench/run prints: a row per job, a column per server (req/s or GB/s, p99, CPU µs per request),
 * and Porter's ratio to the best peer; the idle job takes four rows. The TLS jobs have a table of their own,
 * with Porter's ratios to the best JVM peer on the JDK's TLS and to nginx; so do the HTTP/2 jobs, with Porter's
 * ratios to the best JVM peer, to nginx and to h2o; and the WebSocket jobs, with Porter's ratio to the best peer
 * and the WebSocket idle job's rows. Plain text, fixed width.
 */
final class TextTable {

    private static final int JOB_WIDTH = 26;
    private static final int CELL_WIDTH = 22;

    private final Summary summary;

    TextTable(Summary summary) {
        this.summary = summary;
    }

    /** @return the table with its heading and footnotes, lines ending in '\n' */
    String render() {
        Results r = summary.results;
        StringBuilder out = new StringBuilder();
        out.append("Porter bench (").append(r.meta("mode")).append("): ").append(r.meta("rounds"))
            .append(" round(s) x ").append(r.meta("duration_s")).append(" s per job, median of rounds | ")
            .append(r.meta("date")).append(" | ").append(r.meta("cores")).append(" cores | JDK ")
            .append(r.meta("jdk")).append('\n');
        out.append("cell: throughput (req/s; GB/s for 1 MiB)  p99  CPU us/request;  * = best;  ")
            .append("porter/best = Porter / best peer;\n")
            .append("error = an answer was not 2xx with the right body size, or a socket error (reasons under the table; ")
            .append("no figure, never the best)\n\n");
        if (!summary.servers.isEmpty()) cleartext(out);
        if (!summary.tlsServers.isEmpty()) {
            if (!summary.servers.isEmpty()) out.append('\n');
            tls(out);
        }
        if (!summary.h2Servers.isEmpty()) {
            if (!summary.servers.isEmpty() || !summary.tlsServers.isEmpty()) out.append('\n');
            http2(out);
        }
        if (!summary.wsServers.isEmpty()) {
            if (!summary.servers.isEmpty() || !summary.tlsServers.isEmpty() || !summary.h2Servers.isEmpty()) out.append('\n');
            websocket(out);
        }
        if (!summary.servers.isEmpty()) out.append('\n').append(Targets.text(summary));
        return out.toString();
    }

    private void cleartext(StringBuilder out) {
        List<String> head = new ArrayList<>();
        head.add(pad("job", JOB_WIDTH));
        for (String s : summary.servers) head.add(pad(s, CELL_WIDTH));
        head.add("porter/best");
        line(out, head);
        out.append("-".repeat(JOB_WIDTH + (CELL_WIDTH + 3) * summary.servers.size() + 11)).append('\n');

        for (Job job : Job.cleartext()) {
            if (job.loaded() && summary.jobs.get(job).isEmpty()) continue; // not run (--no-loaded)
            List<String> row = new ArrayList<>();
            row.add(pad(job.label, JOB_WIDTH));
            String best = summary.best(job);
            for (String s : summary.servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                row.add(pad(f == null ? missing(s) : cell(job, f, s.equals(best)), CELL_WIDTH));
            }
            row.add(Units.ratio(summary.porterRatio(job)));
            line(out, row);
        }
        int connections = summary.idle.values().stream().mapToInt(Summary.IdleFigures::connections).max().orElse(0);
        String idle = "idle " + connections + ": ";
        idleRow(out, idle + "plaintext c=64", i -> i.load() == null ? "n/a" : cell(Job.PLAINTEXT_C64, i.load(), false),
            summary.porterIdleRatio(Summary.IdleFigures::loadThroughput, true));
        idleRow(out, idle + "kept", TextTable::kept,
            summary.porterIdleRatio(Summary.IdleFigures::kept, true));
        idleRow(out, idle + "RSS/conn", i -> Units.bytes(i.rssPerConn()),
            summary.porterIdleRatio(Summary.IdleFigures::rssPerConn, false));
        idleRow(out, idle + "heap/conn", i -> Units.bytes(i.heapPerConn()),
            summary.porterIdleRatio(Summary.IdleFigures::heapPerConn, false));

        out.append('\n');
        out.append("idle: kept = throughput with the idle connections held / own plaintext c=64 (open = idle ")
            .append("connections still open after the load, \"all\" or open/opened);\n")
            .append("      RSS and live heap (after a full GC) growth per idle connection; for these memory rows ")
            .append("porter/best is Porter / lowest peer (lower is better).\n");
        if (Job.cleartext().stream().anyMatch(j -> j.loaded() && !summary.jobs.get(j).isEmpty())) {
            out.append("loaded: the same wrk run with a CPU hog pinned to core 1 (taskset -c 1 sh -c 'while :; do :; done') ")
                .append("for its length\n");
        }
        for (String s : summary.servers) {
            if (!summary.status(s).equals("ok")) out.append(s).append(": ").append(summary.status(s)).append('\n');
        }
        errors(out, Job.cleartext());
        summary.idle.forEach((s, i) -> {
            if (i.load() != null && !i.load().ok()) {
                out.append(s).append(' ').append(idle).append("plaintext c=64: error: ")
                    .append(String.join("; ", i.load().problems())).append('\n');
            }
        });
    }

    private void tls(StringBuilder out) {
        List<String> servers = summary.tlsServers;
        out.append("TLS: the same servers over https (TLS instances, a test certificate made for the run; ")
            .append("tls new conn: Connection: close, every request a new TLS connection, so req/s = handshakes/s)\n");
        List<String> head = new ArrayList<>();
        head.add(pad("job", JOB_WIDTH));
        for (String s : servers) head.add(pad(s, CELL_WIDTH));
        head.add(pad("porter/jvm", 12));
        head.add("porter/nginx");
        line(out, head);
        out.append("-".repeat(JOB_WIDTH + (CELL_WIDTH + 3) * servers.size() + 27)).append('\n');
        for (Job job : Job.overTls()) {
            List<String> row = new ArrayList<>();
            row.add(pad(job.label, JOB_WIDTH));
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                row.add(pad(f == null ? (summary.available(s, job) ? "n/a" : "not available")
                    : cell(job, f, s.equals(best)), CELL_WIDTH));
            }
            row.add(pad(Units.ratio(summary.porterToJvm(job)), 12));
            row.add(Units.ratio(summary.porterToNginx(job)));
            line(out, row);
        }
        out.append('\n');
        List<String> jvm = servers.stream().filter(s -> Summary.jvmPeer(s, Job.TLS_PLAINTEXT_C64)).toList();
        out.append("porter/jvm = Porter / best JVM peer on the JDK's TLS (")
            .append(jvm.isEmpty() ? "none in this run" : String.join(", ", jvm)).append("); porter/nginx = Porter / nginx\n");
        out.append("negotiated with wrk's client (OpenSSL defaults):\n");
        for (String s : servers) {
            if (!summary.negotiated(s).isEmpty()) out.append("  ").append(s).append(": ").append(summary.negotiated(s)).append('\n');
        }
        for (String s : servers) {
            if (!summary.tlsStatus(s).equals("ok")) out.append(s).append(" (TLS): ").append(summary.tlsStatus(s)).append('\n');
        }
        errors(out, Job.overTls());
    }

    private void http2(StringBuilder out) {
        List<String> servers = summary.h2Servers;
        out.append("HTTP/2 (h2load -t2): h2c = cleartext with prior knowledge, h2 = over TLS by ALPN; ")
            .append("c = connections, m = concurrent streams per connection\n");
        List<String> head = new ArrayList<>();
        head.add(pad("job", JOB_WIDTH));
        for (String s : servers) head.add(pad(s, CELL_WIDTH));
        head.add(pad("porter/jvm", 12));
        head.add(pad("porter/nginx", 12));
        head.add("porter/h2o");
        line(out, head);
        out.append("-".repeat(JOB_WIDTH + (CELL_WIDTH + 3) * servers.size() + 40)).append('\n');
        for (Job job : Job.http2()) {
            if (summary.jobs.get(job).isEmpty() && job.tls && servers.stream().noneMatch(s -> summary.available(s, job))) {
                continue; // h2 over TLS not run (--no-tls)
            }
            List<String> row = new ArrayList<>();
            row.add(pad(job.label, JOB_WIDTH));
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                row.add(pad(f == null ? (summary.available(s, job) ? "n/a" : "not available")
                    : cell(job, f, s.equals(best)), CELL_WIDTH));
            }
            row.add(pad(Units.ratio(summary.porterToJvm(job)), 12));
            row.add(pad(Units.ratio(summary.porterToNginx(job)), 12));
            row.add(Units.ratio(summary.porterToH2o(job)));
            line(out, row);
        }
        out.append('\n');
        List<String> jvm = servers.stream().filter(s -> Summary.jvmPeer(s, Job.H2C_PLAINTEXT_C10M10)).toList();
        out.append("porter/jvm = Porter / best JVM peer (").append(jvm.isEmpty() ? "none in this run" : String.join(", ", jvm))
            .append("); porter/nginx, porter/h2o = Porter / nginx, h2o; p99 from h2load's per-request log\n");
        for (String s : servers) {
            if (!summary.h2Negotiated(s).isEmpty()) out.append("  ").append(s).append(" (h2): ").append(summary.h2Negotiated(s)).append('\n');
        }
        for (String s : servers) {
            if (!summary.h2Status(s, false).equals("ok")) out.append(s).append(" (h2c): ").append(summary.h2Status(s, false)).append('\n');
            if (!summary.h2Status(s, true).equals("ok")) out.append(s).append(" (h2): ").append(summary.h2Status(s, true)).append('\n');
        }
        errors(out, Job.http2());
    }

    private void websocket(StringBuilder out) {
        List<String> servers = summary.wsServers;
        out.append("WebSocket (WsLoad, 2 threads; c = connections, k = messages in flight per connection; 64 B text, ")
            .append("64 KiB binary messages, no compression):\n")
            .append("cell: messages echoed/s  p99  server CPU us/message;  error (N) = a run had N errors, no figure\n");
        List<String> head = new ArrayList<>();
        head.add(pad("job", JOB_WIDTH));
        for (String s : servers) head.add(pad(s, CELL_WIDTH));
        head.add("porter/best");
        line(out, head);
        out.append("-".repeat(JOB_WIDTH + (CELL_WIDTH + 3) * servers.size() + 11)).append('\n');
        for (Job job : Job.websocket()) {
            List<String> row = new ArrayList<>();
            row.add(pad(job.label, JOB_WIDTH));
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                row.add(pad(f == null ? (summary.available(s, job) ? "n/a" : "not available")
                    : wsCell(job, f, s.equals(best)), CELL_WIDTH));
            }
            row.add(Units.ratio(summary.porterRatio(job)));
            line(out, row);
        }
        if (!summary.wsIdle.isEmpty()) {
            int connections = summary.wsIdle.values().stream().mapToInt(Summary.WsIdleFigures::connections).max().orElse(0);
            String idle = "ws idle " + connections + ": ";
            wsIdleRow(out, idle + "open", TextTable::wsOpen, Double.NaN);
            wsIdleRow(out, idle + "RSS/conn", i -> Units.bytes(i.rssPerConn()),
                summary.porterWsIdleRatio(Summary.WsIdleFigures::rssPerConn));
            wsIdleRow(out, idle + "heap/conn", i -> Units.bytes(i.heapPerConn()),
                summary.porterWsIdleRatio(Summary.WsIdleFigures::heapPerConn));
        }
        out.append('\n');
        out.append("porter/best = Porter / best peer (memory rows: Porter / lowest peer, lower is better); ws idle: ")
            .append("connections upgraded, one message echoed each, then held; RSS and live heap (after a full GC)\n")
            .append("growth per connection; open = still open at the end\n");
        for (Job job : Job.websocket()) {
            Map<String, Double> client = summary.clientCpu.get(job);
            if (client == null || client.isEmpty()) continue;
            out.append("client CPU us/message, ").append(job.label).append(":");
            client.forEach((s, us) -> out.append(' ').append(s).append(' ').append(Units.cpu(us)));
            out.append('\n');
        }
        for (String s : servers) {
            if (!summary.wsStatus(s).equals("ok")) out.append(s).append(" (ws): ").append(summary.wsStatus(s)).append('\n');
        }
        errors(out, Job.websocket());
    }

    /** A WebSocket cell: the figures, or "error (N)" when its runs had N errors (any failed check: "error"). */
    static String wsCell(Job job, Summary.Figures f, boolean best) {
        if (!f.ok()) return f.errors() > 0 ? "error (" + f.errors() + ")" : "error";
        return (best ? "*" : "") + Units.rate(f.throughput()) + " " + Units.latency(f.p99Us()) + " "
            + Units.cpu(f.cpuUsPerRequest());
    }

    /** "10000 (all open)", or "9990/10000 open" when the server closed some, or "9000/10000 opened" when some failed. */
    static String wsOpen(Summary.WsIdleFigures i) {
        if (i.opened() < i.connections()) return i.opened() + "/" + i.connections() + " opened, " + i.alive() + " open";
        return i.alive() == i.opened() ? i.opened() + " (all open)" : i.alive() + "/" + i.opened() + " open";
    }

    private void wsIdleRow(StringBuilder out, String label, Function<Summary.WsIdleFigures, String> cell, double ratio) {
        List<String> row = new ArrayList<>();
        row.add(pad(label, JOB_WIDTH));
        for (String s : summary.wsServers) {
            Summary.WsIdleFigures i = summary.wsIdle.get(s);
            row.add(pad(i == null ? (summary.wsStatus(s).startsWith("ok") ? "n/a" : "not available") : cell.apply(i), CELL_WIDTH));
        }
        row.add(Units.ratio(ratio));
        line(out, row);
    }

    /** The reasons of every cell shown as "error", one line each. */
    private void errors(StringBuilder out, List<Job> jobs) {
        for (Job job : jobs) {
            summary.jobs.get(job).forEach((s, f) -> {
                if (!f.ok()) {
                    out.append(s).append(' ').append(job.label).append(": error: ")
                        .append(String.join("; ", f.problems())).append('\n');
                }
            });
        }
    }

    private void idleRow(StringBuilder out, String label, Function<Summary.IdleFigures, String> cell, double ratio) {
        List<String> row = new ArrayList<>();
        row.add(pad(label, JOB_WIDTH));
        for (String s : summary.servers) {
            Summary.IdleFigures i = summary.idle.get(s);
            row.add(pad(i == null ? missing(s) : cell.apply(i), CELL_WIDTH));
        }
        row.add(Units.ratio(ratio));
        line(out, row);
    }

    /** "97% (all open)", or "97% (9500/10000 open)" when the server closed some idle connections; "error". */
    static String kept(Summary.IdleFigures i) {
        if (i.load() != null && !i.load().ok()) return "error";
        String open = i.alive() == i.opened() ? "all" : i.alive() + "/" + i.opened();
        return Units.percent(i.kept()) + " (" + open + " open)";
    }

    private String missing(String server) {
        return summary.available(server) ? "n/a" : "not available";
    }

    /** The figures of a cell, or "error" when a check failed: then there is no figure to show. */
    static String cell(Job job, Summary.Figures f, boolean best) {
        if (!f.ok()) return "error";
        String throughput = job.bytesPerSecond ? Units.gbps(f.throughput()) : Units.rate(f.throughput());
        return (best ? "*" : "") + throughput + " " + Units.latency(f.p99Us()) + " " + Units.cpu(f.cpuUsPerRequest());
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append(String.join(" | ", cells).stripTrailing()).append('\n');
    }

    static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
