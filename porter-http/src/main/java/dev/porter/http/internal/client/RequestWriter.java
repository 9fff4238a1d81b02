package dev.porter.http.internal.client;

import dev.porter.core.Connection;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest.Body;
import dev.porter.http.ClientRequest;
import dev.porter.http.internal.http1.ResponseStreams;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a request (RFC 9112 §3) into a connection's output buffer: the request line with an origin-form target,
 * the caller's fields, the fields the client adds, and the body with its framing (Content-Length for a known
 * length, chunked otherwise, RFC 9112 §6-§7).
 */
final class RequestWriter {

    /** Thrown when the request body's own source fails (a file or stream), as opposed to the connection. */
    static final class BodySourceException extends IOException {
        BodySourceException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RequestWriter() {
    }

    /**
     * Builds the head lines, without line ends.
     *
     * @param expectContinue add {@code Expect: 100-continue} (unless the request sets Expect itself)
     * @param acceptGzip     add {@code Accept-Encoding: gzip}
     */
    static List<String> head(ClientRequest req, Route route, ClientConfig config, boolean expectContinue,
                             boolean acceptGzip) {
        List<String> lines = new ArrayList<>(12);
        lines.add(req.method() + " " + target(req.uri()) + " HTTP/1.1");
        var fields = req.headers();
        // RFC 9110 §7.2: Host first (a caller's Host wins: virtual hosting through an address).
        if (!fields.contains("Host")) lines.add("Host: " + route.authority());
        for (int i = 0; i < fields.size(); i++) lines.add(fields.name(i) + ": " + fields.value(i));
        if (config.userAgent() != null && !fields.contains("User-Agent")) lines.add("User-Agent: " + config.userAgent());
        if (acceptGzip) lines.add("Accept-Encoding: gzip");
        long length = req.body().length();
        if (length < 0) {
            lines.add("Transfer-Encoding: chunked");
        } else if (length > 0 || sendsZeroLength(req.method())) {
            lines.add("Content-Length: " + length);
        }
        if (expectContinue && !fields.contains("Expect")) lines.add("Expect: 100-continue");
        return lines;
    }

    /** RFC 9110 §8.6: a user agent should send Content-Length when the method defines a meaning for content. */
    static boolean sendsZeroLength(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * @return the origin-form request-target (RFC 9112 §3.2.1): absolute path (at least {@code /}) and query,
     *         non-ASCII characters percent-encoded as UTF-8
     */
    static String target(URI uri) {
        URI ascii = uri.toASCIIString().equals(uri.toString()) ? uri : URI.create(uri.toASCIIString());
        String path = ascii.getRawPath();
        String query = ascii.getRawQuery();
        String t = (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch > 0x7E || ch <= 0x20) throw new IllegalArgumentException("character not allowed in a request-target: " + uri);
        }
        return t;
    }

    /** Writes the head lines and the empty line that ends them. */
    static void writeHead(Connection c, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        for (String line : lines) sb.append(line).append("\r\n");
        sb.append("\r\n");
        byte[] b = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        c.write(b, 0, b.length);
    }

    /** Writes the body in the framing {@link #head} announced. Does not flush. */
    static void writeBody(Connection c, Body body) throws IOException {
        switch (body) {
            case Body.Empty e -> {
                // Nothing to send.
            }
            case Body.Bytes b -> c.write(b.bytes(), 0, b.bytes().length);
            case Body.FileContent f -> writeFile(c, f);
            case Body.Stream s -> {
                if (s.length() >= 0) writeFixedStream(c, s.in(), s.length());
                else writeChunkedStream(c, s.in());
            }
        }
    }

    private static void writeFile(Connection c, Body.FileContent f) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(f.path(), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new BodySourceException("cannot read request body file " + f.path() + ": " + e.getMessage(), e);
        }
        try (ch) {
            long sent = c.transferFrom(ch, 0, f.length());
            if (sent != f.length()) {
                throw new BodySourceException("request body file " + f.path() + " shrank while being sent: " + sent
                        + " of " + f.length() + " bytes", null);
            }
        }
    }

    private static void writeFixedStream(Connection c, InputStream in, long length) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, length))];
        long left = length;
        while (left > 0) {
            int n = readSource(in, buf, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new BodySourceException("request body stream ended after " + (length - left) + " of "
                        + length + " bytes", null);
            }
            c.write(buf, 0, n);
            left -= n;
        }
    }

    private static void writeChunkedStream(Connection c, InputStream in) throws IOException {
        ResponseStreams.Chunked out = new ResponseStreams.Chunked(c);
        byte[] buf = new byte[16 * 1024];
        for (int n; (n = readSource(in, buf, buf.length)) >= 0; ) {
            if (n > 0) out.write(buf, 0, n);
        }
        out.finish();
    }

    private static int readSource(InputStream in, byte[] buf, int len) throws BodySourceException {
        try {
            return in.read(buf, 0, len);
        } catch (IOException e) {
            throw new BodySourceException("reading the request body failed: " + e.getMessage(), e);
        }
    }
}
