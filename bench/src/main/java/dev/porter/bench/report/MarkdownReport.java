package dev.porter.bench.report;

import java.util.List;

/**
 * The figures as Markdown (results/latest.md): the run's facts, the command, and the table. It is written
 * so that a full run's file can be copied into bench/RESULTS.md as it is.
 */
final class MarkdownReport {

    private final Summary summary;

    MarkdownReport(Summary summary) {
        this.summary = summary;
    }

    /** @return the Markdown document */
    String render() {
        Results r = summary.results;
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append("- Date: ").append(r.meta("date")).append('\n');
        md.append("- Machine: ").append(r.meta("cores")).append(" cores, ").append(r.meta("cpu")).append(", Linux ")
            .append(r.meta("kernel")).append('\n');
        md.append("- JDK: ").append(r.meta("jdk")).append(", JVM options for every JVM server: `")
            .append(r.meta("jvm_opts")).append("`\n");
        md.append("- Peers: nginx ").append(r.meta("nginx")).append(", Jetty ").append(r.meta("jetty"))
            .append(", Netty ").append(r.meta("netty")).append(" (epoll), Undertow ").append(r.meta("undertow"))
            .append(", Helidon ").append(r.meta("helidon")).append(", JDK com.sun.net.httpserver (virtual threads)");
        if (!summary.tlsServers.isEmpty()) {
            md.append("; over TLS: OpenSSL ").append(r.meta("openssl")).append(" (nginx, wrk), the JDK's TLS (JVM servers), ")
                .append("netty-tcnative ").append(r.meta("tcnative")).append(" BoringSSL (netty-openssl); certificate: ")
                .append(r.meta("tls_cert"));
        }
        if (!summary.h2Servers.isEmpty()) {
            md.append("; over HTTP/2: nginx's http2 module, Jetty's http2-server and ALPN (JDK), Netty's codec-http2, h2o ")
                .append(r.meta("h2o"));
        }
        if (!summary.wsServers.isEmpty()) {
            md.append("; over WebSocket: Jetty's websocket-jetty-server (core API), Netty's WebSocketServerProtocolHandler, ")
                .append("Node ").append(r.meta("node")).append(" with ws ").append(r.meta("node_ws")).append(" and bufferutil ")
                .append(r.meta("node_bufferutil"));
        }
        md.append('\n');
        md.append("- Load: wrk ").append(r.meta("wrk")).append(", `-t2`, all on 127.0.0.1; ").append(r.meta("rounds"))
            .append(" round(s) of ").append(r.meta("duration_s"))
            .append(" s per job, interleaved across servers; medians")
            .append(summary.h2Servers.isEmpty() ? "" : "; HTTP/2 with h2load " + r.meta("h2load") + " `-t2`")
            .append(summary.wsServers.isEmpty() ? "" : "; WebSocket with " + r.meta("ws_client"))
            .append(". Idle job: ")
            .append(r.meta("idle_connections")).append(" connections")
            .append(summary.wsServers.isEmpty() ? "" : "; WebSocket idle job: " + r.meta("ws_idle_connections"))
            .append(".\n");
        md.append("- Command: `").append(r.meta("command").strip()).append("` (").append(r.meta("elapsed_s"))
            .append(" s)\n\n");
        md.append("Cell: throughput (req/s; GB/s for 1 MiB) / p99 / CPU µs per request. `*` marks the best server; ")
            .append("the last column is Porter ÷ best peer (for memory rows Porter ÷ lowest peer: lower is better). ")
            .append("*error*: a server's answers were not all 2xx with the right body size, or it had socket errors ")
            .append("(checked before and during every run; the reasons are listed under the table): no figure, never the ")
            .append("best peer.\n");
        if (!summary.servers.isEmpty()) md.append(Targets.markdown(summary)).append("\n## HTTP/1.1\n");
        md.append('\n');

        if (!summary.servers.isEmpty()) cleartext(md);
        if (!summary.tlsServers.isEmpty()) tls(md);
        if (!summary.h2Servers.isEmpty()) http2(md);
        if (!summary.wsServers.isEmpty()) websocket(md);
        md.append("\n![chart](results.svg)\n");
        return md.toString();
    }

    private void cleartext(StringBuilder md) {
        List<String> servers = summary.servers;
        md.append("| job | ").append(String.join(" | ", servers)).append(" | Porter ÷ best peer |\n");
        md.append("|---|").append("---|".repeat(servers.size())).append("---|\n");
        for (Job job : Job.cleartext()) {
            if (job.loaded() && summary.jobs.get(job).isEmpty()) continue; // not run (--no-loaded)
            md.append("| ").append(job.label).append(" | ");
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                md.append(cell(job, f, s.equals(best))).append(" | ");
            }
            md.append(Units.ratio(summary.porterRatio(job))).append(" |\n");
        }
        int connections = summary.idle.values().stream().mapToInt(Summary.IdleFigures::connections).max().orElse(0);
        idleRow(md, "idle " + connections + ": plaintext c=64", i -> i.load() == null ? "n/a"
            : TextTable.cell(Job.PLAINTEXT_C64, i.load(), false).replace(" ", " / "),
            summary.porterIdleRatio(Summary.IdleFigures::loadThroughput, true));
        idleRow(md, "idle " + connections + ": kept", TextTable::kept,
            summary.porterIdleRatio(Summary.IdleFigures::kept, true));
        idleRow(md, "idle " + connections + ": RSS/conn", i -> Units.bytes(i.rssPerConn()),
            summary.porterIdleRatio(Summary.IdleFigures::rssPerConn, false));
        idleRow(md, "idle " + connections + ": live heap/conn", i -> Units.bytes(i.heapPerConn()),
            summary.porterIdleRatio(Summary.IdleFigures::heapPerConn, false));
        md.append('\n');
        if (Job.cleartext().stream().anyMatch(j -> j.loaded() && !summary.jobs.get(j).isEmpty())) {
            md.append("- *loaded*: the same wrk run with a CPU hog pinned to core 1 (`taskset -c 1 sh -c 'while :; do :; done'`) ")
                .append("for its length\n");
        }
        for (String s : servers) {
            if (!summary.status(s).equals("ok")) md.append("- ").append(s).append(": ").append(summary.status(s)).append('\n');
        }
        summary.idle.forEach((s, i) -> {
            if (i.load() != null && !i.load().ok()) {
                md.append("- ").append(s).append(", idle ").append(connections).append(": plaintext c=64: error: ")
                    .append(String.join("; ", i.load().problems())).append('\n');
            }
        });
        problems(md, Job.cleartext());
    }

    /** The reasons of every cell shown as an error, a list item each. */
    private void problems(StringBuilder md, List<Job> jobs) {
        for (Job job : jobs) {
            summary.jobs.get(job).forEach((s, f) -> {
                if (!f.ok()) {
                    md.append("- ").append(s).append(", ").append(job.label).append(": error: ")
                        .append(String.join("; ", f.problems())).append('\n');
                }
            });
        }
    }

    private void tls(StringBuilder md) {
        List<String> servers = summary.tlsServers;
        md.append("\n## TLS\n\nThe same servers over https, each its own TLS instance. *tls new conn*: `Connection: close`, ")
            .append("every request on a new TLS connection, so req/s = handshakes/s. Porter ÷ best JVM peer counts the JVM ")
            .append("peers on the JDK's TLS only (not netty-openssl).\n\n");
        md.append("| job | ").append(String.join(" | ", servers)).append(" | Porter ÷ best JVM peer | Porter ÷ nginx |\n");
        md.append("|---|").append("---|".repeat(servers.size())).append("---|---|\n");
        for (Job job : Job.overTls()) {
            md.append("| ").append(job.label).append(" | ");
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                md.append(cell(job, f, s.equals(best))).append(" | ");
            }
            md.append(Units.ratio(summary.porterToJvm(job))).append(" | ").append(Units.ratio(summary.porterToNginx(job)))
                .append(" |\n");
        }
        md.append('\n');
        for (String s : servers) {
            List<String> facts = new java.util.ArrayList<>();
            if (!summary.tlsStatus(s).equals("ok")) facts.add(summary.tlsStatus(s));
            if (!summary.negotiated(s).isEmpty()) facts.add("negotiated " + summary.negotiated(s));
            if (!facts.isEmpty()) md.append("- ").append(s).append(": ").append(String.join("; ", facts)).append('\n');
        }
        problems(md, Job.overTls());
    }

    private void http2(StringBuilder md) {
        List<String> servers = summary.h2Servers;
        Results r = summary.results;
        md.append("\n## HTTP/2\n\nh2load ").append(r.meta("h2load")).append(" `-t2`: *h2c* is cleartext with prior knowledge, ")
            .append("*h2* over TLS by ALPN (each server's own instances); c = connections, m = concurrent streams per ")
            .append("connection; p99 from h2load's per-request log. h2o ").append(r.meta("h2o"))
            .append(". Porter ÷ best JVM peer counts Jetty and Netty.\n\n");
        md.append("| job | ").append(String.join(" | ", servers))
            .append(" | Porter ÷ best JVM peer | Porter ÷ nginx | Porter ÷ h2o |\n");
        md.append("|---|").append("---|".repeat(servers.size())).append("---|---|---|\n");
        for (Job job : Job.http2()) {
            if (summary.jobs.get(job).isEmpty() && job.tls) continue; // h2 over TLS not run
            md.append("| ").append(job.label).append(" | ");
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                md.append(cell(job, f, s.equals(best))).append(" | ");
            }
            md.append(Units.ratio(summary.porterToJvm(job))).append(" | ").append(Units.ratio(summary.porterToNginx(job)))
                .append(" | ").append(Units.ratio(summary.porterToH2o(job))).append(" |\n");
        }
        md.append('\n');
        for (String s : servers) {
            List<String> facts = new java.util.ArrayList<>();
            if (!summary.h2Status(s, false).equals("ok")) facts.add("h2c: " + summary.h2Status(s, false));
            if (!summary.h2Status(s, true).equals("ok")) facts.add("h2: " + summary.h2Status(s, true));
            if (!summary.h2Negotiated(s).isEmpty()) facts.add("negotiated " + summary.h2Negotiated(s));
            if (!facts.isEmpty()) md.append("- ").append(s).append(": ").append(String.join("; ", facts)).append('\n');
        }
        problems(md, Job.http2());
    }

    private void websocket(StringBuilder md) {
        List<String> servers = summary.wsServers;
        md.append("\n## WebSocket\n\nEach server's echo at `/ws` (no compression), loaded by WsLoad (2 threads): c = connections, ")
            .append("k = messages in flight per connection (else one, waiting for its echo); 64 B messages are text, 64 KiB ")
            .append("ones binary. Cell: messages echoed/s / p99 / server CPU µs per message; *error (N)*: a run had N ")
            .append("errors (a wrong or missing echo, a dropped connection) and gives no figure.\n\n");
        md.append("| job | ").append(String.join(" | ", servers)).append(" | Porter ÷ best peer |\n");
        md.append("|---|").append("---|".repeat(servers.size())).append("---|\n");
        for (Job job : Job.websocket()) {
            md.append("| ").append(job.label).append(" | ");
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                md.append(f == null ? (summary.available(s, job) ? "n/a" : "not available")
                    : !f.ok() ? "*" + TextTable.wsCell(job, f, false) + "*"
                    : TextTable.wsCell(job, f, s.equals(best)).replace(" ", " / ").replace("*", "**best** ")).append(" | ");
            }
            md.append(Units.ratio(summary.porterRatio(job))).append(" |\n");
        }
        if (!summary.wsIdle.isEmpty()) {
            int connections = summary.wsIdle.values().stream().mapToInt(Summary.WsIdleFigures::connections).max().orElse(0);
            wsIdleRow(md, "ws idle " + connections + ": open", TextTable::wsOpen, Double.NaN);
            wsIdleRow(md, "ws idle " + connections + ": RSS/conn", i -> Units.bytes(i.rssPerConn()),
                summary.porterWsIdleRatio(Summary.WsIdleFigures::rssPerConn));
            wsIdleRow(md, "ws idle " + connections + ": live heap/conn", i -> Units.bytes(i.heapPerConn()),
                summary.porterWsIdleRatio(Summary.WsIdleFigures::heapPerConn));
        }
        md.append('\n');
        for (Job job : Job.websocket()) {
            java.util.Map<String, Double> client = summary.clientCpu.get(job);
            if (client == null || client.isEmpty()) continue;
            md.append("- WsLoad's own CPU µs per message, ").append(job.label).append(':');
            client.forEach((s, us) -> md.append(' ').append(s).append(' ').append(Units.cpu(us)));
            md.append('\n');
        }
        for (String s : servers) {
            if (!summary.wsStatus(s).equals("ok")) md.append("- ").append(s).append(": ").append(summary.wsStatus(s)).append('\n');
        }
        problems(md, Job.websocket());
    }

    /** A cell of the HTTP tables: "n/a", "*error*", or the figures with the best marked. */
    private static String cell(Job job, Summary.Figures f, boolean best) {
        if (f == null) return "n/a";
        if (!f.ok()) return "*error*";
        return TextTable.cell(job, f, best).replace(" ", " / ").replace("*", "**best** ");
    }

    private void wsIdleRow(StringBuilder md, String label, java.util.function.Function<Summary.WsIdleFigures, String> cell,
                           double ratio) {
        md.append("| ").append(label).append(" | ");
        for (String s : summary.wsServers) {
            Summary.WsIdleFigures i = summary.wsIdle.get(s);
            md.append(i == null ? (summary.wsStatus(s).startsWith("ok") ? "n/a" : "not available") : cell.apply(i)).append(" | ");
        }
        md.append(Units.ratio(ratio)).append(" |\n");
    }

    private void idleRow(StringBuilder md, String label, java.util.function.Function<Summary.IdleFigures, String> cell,
                         double ratio) {
        md.append("| ").append(label).append(" | ");
        for (String s : summary.servers) {
            Summary.IdleFigures i = summary.idle.get(s);
            md.append(i == null ? "n/a" : cell.apply(i)).append(" | ");
        }
        md.append(Units.ratio(ratio)).append(" |\n");
    }
}
