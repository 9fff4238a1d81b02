package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.http.internal.Ascii;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the bytes of a response head straight into the connection's output buffer (flushing first when it is
 * full): no intermediate String or array per field, which is what keeps the HTTP/1.1 hot path free of allocation.
 * Field names and values are ASCII (checked when the handler set them), so a char is a byte.
 */
final class HeadBytes {

    private HeadBytes() {
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Puts {@code b}, if not null. */
    static void put(Connection c, byte[] b) throws IOException {
        if (b != null) c.write(b, 0, b.length);
    }

    /** Puts the framing field of a message that may have a body: chunked, else a known length, else none. */
    static void putFraming(Connection c, boolean chunked, long length) throws IOException {
        if (chunked) {
            put(c, CHUNKED);
        } else if (length >= 0) {
            put(c, CONTENT_LENGTH);
            putLong(c, length);
            put(c, CRLF);
        }
    }

    /**
     * @param relayed field lines a proxy relayed (each {@code Name: value} CRLF), or null
     * @param lower   a field name in lower case
     * @return true if {@code headers} or {@code relayed} has a field named {@code lower}
     */
    static boolean has(dev.porter.http.Headers headers, byte[] relayed, String lower) {
        if (headers.contains(lower)) return true;
        if (relayed == null) return false;
        int n = lower.length();
        for (int i = 0; i < relayed.length; ) {
            if (relayed.length - i > n && relayed[i + n] == ':' && Ascii.equalsLower(relayed, i, n, lower)) return true;
            while (relayed[i] != '\n') i++;
            i++;
        }
        return false;
    }

    static void put(Connection c, byte a, byte b) throws IOException {
        byte[] o = c.output().array();
        if (o.length - c.output().length() < 2) c.flush();
        int p = c.output().length();
        o[p] = a;
        o[p + 1] = b;
        c.output().advance(2);
    }

    static void putAscii(Connection c, String s) throws IOException {
        int len = s.length();
        byte[] o = c.output().array();
        if (o.length - c.output().length() < len) {
            c.flush();
            if (len > o.length) {
                c.write(s.getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
        }
        int p = c.output().length();
        for (int i = 0; i < len; i++) o[p + i] = (byte) s.charAt(i);
        c.output().advance(len);
    }

    static void putLong(Connection c, long v) throws IOException {
        byte[] o = c.output().array();
        if (o.length - c.output().length() < 20) c.flush();
        int p = c.output().length();
        if (v == 0) {
            o[p] = '0';
            c.output().advance(1);
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) digits++;
        for (int i = digits - 1; i >= 0; i--) {
            o[p + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        c.output().advance(digits);
    }

    /**
     * Adds header lines as rendered for the wire ({@code Name: value} CRLF, each) to {@code headers}: the fields of
     * a prepared head, for whoever looks at the response's fields after it went out (a logging filter).
     */
    static void addLines(dev.porter.http.Headers headers, byte[] lines) {
        int i = 0;
        while (i < lines.length) {
            int colon = i;
            while (lines[colon] != ':') colon++;
            int eol = colon;
            while (lines[eol] != '\r') eol++;
            headers.add(new String(lines, i, colon - i, java.nio.charset.StandardCharsets.ISO_8859_1),
                    new String(lines, colon + 2, eol - colon - 2, java.nio.charset.StandardCharsets.ISO_8859_1));
            i = eol + 2;
        }
    }
}
