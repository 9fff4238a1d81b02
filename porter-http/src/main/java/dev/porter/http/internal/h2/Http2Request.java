package dev.porter.http.internal.h2;

import dev.porter.core.TlsInfo;
import dev.porter.http.Headers;
import dev.porter.http.HttpException;
import dev.porter.http.PathParams;
import dev.porter.http.Request;
import dev.porter.http.Status;
import dev.porter.http.internal.ClientPresence;
import dev.porter.http.internal.ForwardedFields;
import dev.porter.http.internal.Targets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Request} a handler sees on an HTTP/2 stream: the same view as over HTTP/1.1, built from the
 * pseudo-header fields (RFC 9113 §8.3.1) — {@code :path} is the target, {@code :authority} the host (also visible
 * as a {@code Host} field, so handlers written for HTTP/1.1 find it) — and a body read from the stream's DATA.
 */
final class Http2Request implements Request, ClientPresence {

    private final Http2Connection connection;
    private final Http2Stream stream;
    private final String method;
    private final String target;
    private final Headers headers;
    private final long contentLength;
    private final boolean expectContinue;
    /** Made on first use: most requests (a GET) never read a body, and this saves an object per stream. */
    private Body body;
    private String rawPath;
    private String rawQuery;
    private String path;
    private Map<String, List<String>> query;
    /** The client and scheme forwarded fields name, computed on first use. */
    private ForwardedFields.Origin origin;

    Http2Request(Http2Connection connection, Http2Stream stream, String method, String target, Headers headers,
                 long contentLength, boolean expectContinue) {
        this.connection = connection;
        this.stream = stream;
        this.method = method;
        this.target = target;
        this.headers = headers;
        this.contentLength = contentLength;
        this.expectContinue = expectContinue;
        int q = target.indexOf('?');
        rawPath = q < 0 ? target : target.substring(0, q);
        rawQuery = q < 0 ? null : target.substring(q + 1);
    }

    @Override public String method() { return method; }
    @Override public String target() { return target; }
    @Override public String rawPath() { return rawPath; }
    @Override public String rawQuery() { return rawQuery; }
    @Override public String version() { return "HTTP/2.0"; }
    @Override public Headers headers() { return headers; }
    @Override public PathParams pathParams() { return PathParams.NONE; }
    @Override public InetSocketAddress remoteAddress() { return origin().client(); }
    @Override public String scheme() { return origin().scheme(); }
    @Override public InetSocketAddress localAddress() { return connection.connection().localAddress(); }
    @Override public Optional<TlsInfo> tls() { return connection.connection().tls(); }
    @Override public long contentLength() { return contentLength; }
    @Override
    public InputStream body() {
        if (body == null) body = new Body(expectContinue);
        return body;
    }

    private ForwardedFields.Origin origin() {
        if (origin == null) {
            var c = connection.connection();
            origin = ForwardedFields.resolve(c.remoteAddress(), c.tls().isPresent() ? "https" : "http", headers,
                    connection.config().trustedProxies());
        }
        return origin;
    }

    @Override
    public String path() {
        if (path == null) path = Targets.decodePath(rawPath);
        return path;
    }

    @Override
    public String query(String name) {
        return Targets.first(queryParams(), name);
    }

    @Override
    public Map<String, List<String>> queryParams() {
        if (query == null) query = Targets.parseQuery(rawQuery);
        return query;
    }

    @Override
    public byte[] bodyBytes(int maxBytes) throws IOException {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        if (contentLength > maxBytes) throw tooLarge(maxBytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream(contentLength > 0 ? (int) contentLength : 256);
        byte[] buf = new byte[8192];
        for (int n; (n = body().read(buf, 0, buf.length)) > 0; ) {
            if (out.size() + n > maxBytes) throw tooLarge(maxBytes);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static HttpException tooLarge(long max) {
        return new HttpException(Status.CONTENT_TOO_LARGE, "request body is over the limit of " + max + " bytes");
    }

    @Override
    public String bodyString() throws IOException {
        return new String(bodyBytes((int) Math.min(Integer.MAX_VALUE - 8, connection.config().maxBodySize())),
                StandardCharsets.UTF_8);
    }

    /**
     * The client reset the stream, closed the connection, or closed its side of it: nginx gives a request up then
     * too (an HTTP/2 client half-closes only to leave; the streams still running are kept for a moment in case).
     */
    @Override
    public Sign look(java.time.Duration wait) {
        if (gone()) return Sign.LEFT;
        try {
            Thread.sleep(wait); // the reader thread sees a reset; this only asks it again later
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return gone() ? Sign.LEFT : Sign.NONE;
    }

    private boolean gone() {
        return stream.cancelled() != null || connection.clientClosed() || !connection.connection().isOpen();
    }

    /** The body: DATA of this stream, bounded by the server's body limit; asks for it with 100 if the client waits. */
    private final class Body extends InputStream {
        private boolean continuePending;
        private long read;

        Body(boolean expectContinue) {
            this.continuePending = expectContinue;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (continuePending) {
                // RFC 9110 §10.1.1: only once the handler wants the body; on HTTP/2 a HEADERS frame with :status 100.
                continuePending = false;
                // (The writer drops it if the final head already went out: §8.1.)
                if (!stream.remoteEnded()) connection.writer().headers(stream, List.of(":status", "100"), false);
            }
            int n = stream.read(b, off, len, connection.bodyTimeoutNanos());
            if (n > 0) {
                read += n;
                if (read > connection.config().maxBodySize()) throw tooLarge(connection.config().maxBodySize());
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int available() {
            return stream.available();
        }
    }
}
