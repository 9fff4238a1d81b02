package dev.porter.http.internal.status;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The figures in the Prometheus text exposition format 0.0.4: a {@code # HELP} and a {@code # TYPE} line per
 * metric family, counters ending in {@code _total}, the latency histogram as cumulative {@code _bucket{le="…"}}
 * lines (one per power of two of microseconds from 64 µs, then {@code +Inf}) with {@code _sum} and
 * {@code _count}. Counters are read live from {@link Metrics}; gauges come from the {@link Snapshot}.
 */
final class PrometheusText {

    /** The Content-Type of the format (version 0.0.4). */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /** The first bucket bound shown: 2^6 µs. Finer bounds would make long output for little use. */
    private static final int FIRST_BOUND_EXPONENT = 6;

    private PrometheusText() {
    }

    static String render(Metrics m, Snapshot s) {
        StringBuilder p = new StringBuilder(4096);
        family(p, "porter_http_responses_total", "counter", "HTTP responses sent, by status class.");
        long[] classes = s.classes();
        for (int i = 0; i < CLASSES.length; i++) {
            p.append("porter_http_responses_total{class=\"").append(CLASSES[i]).append("\"} ").append(classes[i]).append('\n');
        }
        family(p, "porter_http_errors_total", "counter", "HTTP responses with a 4xx or 5xx status, by status.");
        for (Map.Entry<Integer, Long> e : s.errors().entrySet()) {
            p.append("porter_http_errors_total{code=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
        }
        histogram(p, m);
        family(p, "porter_connections_open", "gauge", "Connections open now, parked idle ones included.");
        p.append("porter_connections_open ").append(s.open()).append('\n');
        family(p, "porter_connections", "gauge", "Open connections by state.");
        for (int i = 0; i < Snapshot.STATES.length; i++) {
            p.append("porter_connections{state=\"").append(StatusJson.state(i)).append("\"} ").append(s.byState()[i]).append('\n');
        }
        counter(p, "porter_connections_accepted_total", "Connections accepted since the start.", s.stats().accepted());
        counter(p, "porter_connections_rejected_total", "Connections refused at the connection limit.", s.stats().rejected());
        counter(p, "porter_connections_closed_total", "Connections closed after being served.", s.stats().closed());
        gauge(p, "porter_http2_connections_open", "HTTP/2 connections open now, parked idle ones included.", s.http2ConnectionsOpen());
        counter(p, "porter_http2_connections_total", "Connections that spoke HTTP/2, since the start.", s.http2()[Metrics.H2_CONNECTIONS]);
        gauge(p, "porter_http2_streams_open", "HTTP/2 streams open now.", s.http2StreamsOpen());
        counter(p, "porter_http2_streams_total", "HTTP/2 streams started since the start (refused ones not included).", s.http2()[Metrics.H2_STREAMS]);
        counter(p, "porter_http2_resets_received_total", "RST_STREAM frames received from clients.", s.http2()[Metrics.H2_RESETS_RECEIVED]);
        counter(p, "porter_http2_resets_sent_total", "RST_STREAM frames sent to clients, NO_ERROR included.", s.http2()[Metrics.H2_RESETS_SENT]);
        gauge(p, "porter_connection_threads", "Virtual threads serving connections now.", s.stats().threads());
        gauge(p, "porter_jvm_threads_platform", "Live platform threads of the JVM.", s.platformThreads());
        gauge(p, "porter_jvm_heap_used_bytes", "Heap in use.", s.heapUsed());
        gauge(p, "porter_jvm_heap_committed_bytes", "Heap the JVM holds from the operating system.", s.heapCommitted());
        if (s.heapMax() >= 0) gauge(p, "porter_jvm_heap_max_bytes", "The heap's limit.", s.heapMax());
        gauge(p, "porter_ready", "1 while ready for traffic, 0 once a graceful stop began.", s.ready() ? 1 : 0);
        family(p, "porter_start_time_seconds", "gauge", "When the server started, in seconds since the Unix epoch.");
        p.append("porter_start_time_seconds ").append(seconds(s.started().toEpochMilli() * 1000)).append('\n');
        return p.toString();
    }

    private static void histogram(StringBuilder p, Metrics m) {
        String name = "porter_http_request_duration_seconds";
        family(p, name, "histogram", "Time from a request head's arrival to the end of its response (event streams not timed).");
        long[] buckets = m.buckets();
        long cumulative = 0;
        int i = 0;
        // A bound 2^k µs is the exclusive upper bound of bucket 4(k-2)+3: everything below it is counted at "le".
        for (int k = FIRST_BOUND_EXPONENT; k <= 26; k++) {
            int last = 4 * (k - 2) + 3;
            for (; i <= last; i++) cumulative += buckets[i];
            p.append(name).append("_bucket{le=\"").append(seconds(1L << k)).append("\"} ").append(cumulative).append('\n');
        }
        for (; i < buckets.length; i++) cumulative += buckets[i];
        p.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        p.append(name).append("_sum ").append(BigDecimal.valueOf(m.sumNanos(), 9).toPlainString()).append('\n');
        p.append(name).append("_count ").append(cumulative).append('\n');
    }

    /** @return microseconds as seconds, exactly, in plain decimal notation */
    private static String seconds(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private static void family(StringBuilder p, String name, String type, String help) {
        p.append("# HELP ").append(name).append(' ').append(help).append('\n');
        p.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder p, String name, String help, long value) {
        family(p, name, "counter", help);
        p.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder p, String name, String help, long value) {
        family(p, name, "gauge", help);
        p.append(name).append(' ').append(value).append('\n');
    }
}
