package dev.porter.http.internal.http1;

import dev.porter.http.Status;

import java.nio.charset.StandardCharsets;

/**
 * Prebuilt status lines. Porter always answers {@code HTTP/1.1}, also to HTTP/1.0 requests: RFC 9110 §2.5 has a
 * server send its highest minor version within the request's major version.
 */
final class StatusLines {

    private static final byte[][] CACHE = new byte[1000][];

    private StatusLines() {
    }

    static byte[] of(Status s) {
        byte[] line = CACHE[s.code()];
        if (line != null && s == Status.of(s.code())) return line;
        byte[] built = ("HTTP/1.1 " + s.code() + " " + s.reason() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        if (s == Status.of(s.code())) CACHE[s.code()] = built;
        return built;
    }
}
