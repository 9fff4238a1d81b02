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
        md.append('\n');
        md.append("- Load: wrk ").append(r.meta("wrk")).append(", `-t2`, all on 127.0.0.1; ").append(r.meta("rounds"))
            .append(" round(s) of ").append(r.meta("duration_s"))
            .append(" s per job, interleaved across servers; medians")
            .append(summary.h2Servers.isEmpty() ? "" : "; HTTP/2 with h2load " + r.meta("h2load") + " `-t2`")
            .append(". Idle job: ")
            .append(r.meta("idle_connections")).append(" connections.\n");
        md.append("- Command: `").append(r.meta("command").strip()).append("` (").append(r.meta("elapsed_s"))
            .append(" s)\n\n");
        md.append("Cell: throughput (req/s; GB/s for 1 MiB) / p99 / CPU µs per request. `*` marks the best server; ")
            .append("the last column is Porter ÷ best peer (for memory rows Porter ÷ lowest peer: lower is better).\n\n");

        if (!summary.servers.isEmpty()) cleartext(md);
        if (!summary.tlsServers.isEmpty()) tls(md);
        if (!summary.h2Servers.isEmpty()) http2(md);
        md.append("\n![chart](results.svg)\n");
        return md.toString();
    }

    private void cleartext(StringBuilder md) {
        List<String> servers = summary.servers;
        md.append("| job | ").append(String.join(" | ", servers)).append(" | Porter ÷ best peer |\n");
        md.append("|---|").append("---|".repeat(servers.size())).append("---|\n");
        for (Job job : Job.cleartext()) {
            md.append("| ").append(job.label).append(" | ");
            String best = summary.best(job);
            for (String s : servers) {
                Summary.Figures f = summary.jobs.get(job).get(s);
                md.append(f == null ? "n/a" : TextTable.cell(job, f, s.equals(best)).replace(" ", " / ")
                    .replace("*", "**best** ")).append(" | ");
            }
            md.append(Units.ratio(summary.porterRatio(job))).append(" |\n");
        }
        int connections = summary.idle.values().stream().mapToInt(Summary.IdleFigures::connections).max().orElse(0);
        idleRow(md, "idle " + connections + ": plaintext c=64", i -> i.load() == null ? "n/a"
            : TextTable.cell(Job.PLAINTEXT_C64, i.load(), false).replace(" ", " / "),
            summary.porterIdleRatio(i -> i.load() == null ? Double.NaN : i.load().throughput(), true));
        idleRow(md, "idle " + connections + ": kept", TextTable::kept,
            summary.porterIdleRatio(Summary.IdleFigures::kept, true));
        idleRow(md, "idle " + connections + ": RSS/conn", i -> Units.bytes(i.rssPerConn()),
            summary.porterIdleRatio(Summary.IdleFigures::rssPerConn, false));
        idleRow(md, "idle " + connections + ": live heap/conn", i -> Units.bytes(i.heapPerConn()),
            summary.porterIdleRatio(Summary.IdleFigures::heapPerConn, false));
        md.append('\n');
        for (String s : servers) {
            if (!summary.status(s).equals("ok")) md.append("- ").append(s).append(": ").append(summary.status(s)).append('\n');
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
                md.append(f == null ? "n/a" : TextTable.cell(job, f, s.equals(best)).replace(" ", " / ")
                    .replace("*", "**best** ")).append(" | ");
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
                md.append(f == null ? "n/a" : TextTable.cell(job, f, s.equals(best)).replace(" ", " / ")
                    .replace("*", "**best** ")).append(" | ");
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
