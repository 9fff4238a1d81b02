package dev.porter.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The {@code Date} header line (RFC 9110 §6.6.1, IMF-fixdate), formatted once per second and shared by every
 * response: formatting a date per request would cost more than the rest of a small response.
 */
public final class DateCache {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private record Line(long second, byte[] bytes, String value) {
    }

    private static volatile Line current = new Line(-1, new byte[0], "");

    private DateCache() {
    }

    /** @return {@code "Date: Tue, 24 Nov 2026 09:34:07 GMT\r\n"} for the current second */
    public static byte[] headerLine() {
        return now().bytes;
    }

    /** @return {@code "Tue, 24 Nov 2026 09:34:07 GMT"} for the current second (an HTTP/2 field value) */
    public static String value() {
        return now().value;
    }

    private static Line now() {
        long second = System.currentTimeMillis() / 1000;
        Line l = current;
        if (l.second != second) {
            String v = format(second);
            l = new Line(second, ("Date: " + v + "\r\n").getBytes(StandardCharsets.US_ASCII), v);
            current = l;
        }
        return l;
    }

    /** @return {@code epochSecond} as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    public static String format(long epochSecond) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(29);
        sb.append(DAYS[t.getDayOfWeek().getValue() - 1]).append(", ");
        two(sb, t.getDayOfMonth());
        sb.append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ').append(t.getYear()).append(' ');
        two(sb, t.getHour());
        sb.append(':');
        two(sb, t.getMinute());
        sb.append(':');
        two(sb, t.getSecond());
        return sb.append(" GMT").toString();
    }

    private static void two(StringBuilder sb, int v) {
        if (v < 10) sb.append('0');
        sb.append(v);
    }
}
