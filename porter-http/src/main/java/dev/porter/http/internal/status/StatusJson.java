package dev.porter.http.internal.status;

import dev.porter.core.IpText;
import dev.porter.core.ConnectionInfo;
import dev.porter.http.internal.JsonStrings;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The figures as JSON ({@code status.json}, and each event the page receives). Written by hand: the shape is
 * fixed and small, and porter-http has no dependencies. Field names are documented in docs/status.md.
 */
final class StatusJson {

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private StatusJson() {
    }

    static String render(Snapshot s) {
        StringBuilder j = new StringBuilder(1024 + 256 * s.listed().size());
        Figures f = s.figures();
        j.append("{\"time\":").append(JsonStrings.of(s.at().toString()))
                .append(",\"started\":").append(JsonStrings.of(s.started().toString()))
                .append(",\"uptimeSeconds\":").append(Duration.between(s.started(), s.at()).toSeconds())
                .append(",\"ready\":").append(s.ready());
        long total = 0;
        for (long c : s.classes()) total += c;
        j.append(",\"requests\":{\"total\":").append(total)
                .append(",\"perSecond\":").append(num(f.perSecond()))
                .append(",\"perSecondLastMinute\":[");
        for (int i = 0; i < f.series().length; i++) j.append(i == 0 ? "" : ",").append(num(f.series()[i]));
        j.append("],\"latencyMs\":{\"windowSeconds\":").append(f.windowSeconds())
                .append(",\"count\":").append(f.timed())
                .append(",\"p50\":").append(num(f.p50()))
                .append(",\"p90\":").append(num(f.p90()))
                .append(",\"p99\":").append(num(f.p99()))
                .append(",\"max\":").append(num(f.max()))
                .append("},\"byClass\":{");
        for (int i = 0; i < CLASSES.length; i++) {
            j.append(i == 0 ? "" : ",").append(JsonStrings.of(CLASSES[i])).append(':').append(s.classes()[i]);
        }
        j.append("},\"errors\":{");
        boolean first = true;
        for (Map.Entry<Integer, Long> e : s.errors().entrySet()) {
            j.append(first ? "" : ",").append(JsonStrings.of(e.getKey().toString())).append(':').append(e.getValue());
            first = false;
        }
        j.append("}},\"connections\":{\"open\":").append(s.open())
                .append(",\"accepted\":").append(s.stats().accepted())
                .append(",\"rejected\":").append(s.stats().rejected())
                .append(",\"closed\":").append(s.stats().closed())
                .append(",\"byState\":{");
        for (int i = 0; i < Snapshot.STATES.length; i++) {
            j.append(i == 0 ? "" : ",").append(JsonStrings.of(state(i))).append(':').append(s.byState()[i]);
        }
        j.append("},\"listed\":[");
        first = true;
        for (ConnectionInfo c : s.listed()) {
            j.append(first ? "" : ",");
            connection(j, c, s);
            first = false;
        }
        j.append("],\"truncated\":").append(s.listed().size() < s.open())
                .append("},\"http2\":{\"connectionsOpen\":").append(s.http2ConnectionsOpen())
                .append(",\"connections\":").append(s.http2()[Metrics.H2_CONNECTIONS])
                .append(",\"streamsOpen\":").append(s.http2StreamsOpen())
                .append(",\"streams\":").append(s.http2()[Metrics.H2_STREAMS])
                .append(",\"resetsReceived\":").append(s.http2()[Metrics.H2_RESETS_RECEIVED])
                .append(",\"resetsSent\":").append(s.http2()[Metrics.H2_RESETS_SENT])
                .append("},\"threads\":{\"platform\":").append(s.platformThreads())
                .append(",\"daemon\":").append(s.daemonThreads())
                .append(",\"peakPlatform\":").append(s.peakThreads())
                .append(",\"connectionThreads\":").append(s.stats().threads())
                .append("},\"heap\":{\"used\":").append(s.heapUsed())
                .append(",\"committed\":").append(s.heapCommitted())
                .append(",\"max\":").append(s.heapMax())
                .append("}}");
        return j.toString();
    }

    private static void connection(StringBuilder j, ConnectionInfo c, Snapshot s) {
        j.append("{\"id\":").append(c.id())
                .append(",\"peer\":").append(JsonStrings.of(peer(c)))
                .append(",\"ageSeconds\":").append(num(c.age(s.at()).toMillis() / 1000.0))
                .append(",\"state\":").append(JsonStrings.of(c.state().name().toLowerCase(Locale.ROOT)))
                .append(",\"bytesIn\":").append(c.bytesIn())
                .append(",\"bytesOut\":").append(c.bytesOut())
                .append(",\"tls\":").append(c.secure())
                .append(",\"activity\":").append(c.activity() == null ? "null" : JsonStrings.of(c.activity()))
                .append('}');
    }

    static String state(int ordinal) {
        return Snapshot.STATES[ordinal].name().toLowerCase(Locale.ROOT);
    }

    static String peer(ConnectionInfo c) {
        String host = c.peer().getAddress() == null ? c.peer().getHostString() : IpText.of(c.peer().getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + c.peer().getPort();
    }

    /** A number as JSON: finite, at most three decimals, no exponent. */
    static String num(double v) {
        if (!Double.isFinite(v)) return "0";
        long scaled = Math.round(v * 1000);
        if (scaled % 1000 == 0) return Long.toString(scaled / 1000);
        return java.math.BigDecimal.valueOf(scaled, 3).stripTrailingZeros().toPlainString();
    }
}
