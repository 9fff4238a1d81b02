package dev.porter.http.internal.http1;

import dev.porter.core.AddressRange;
import dev.porter.core.Connection;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Request} a handler sees: views over the parsed head, computed lazily. One per connection, reused for
 * each of its requests ({@link #next}): a handler may use it only until it returns ({@link Request}'s contract).
 */
public final class ServerRequest implements Request, ClientPresence {

    private final RequestHead head;
    private final RequestFraming framing;
    private final Connection c;
    private final long maxBodySize;
    private final List<AddressRange> trustedProxies;
    BodyStream body;
    /** The target {@link #rawPath} and {@link #path} were computed for (the head reuses a repeated target's String). */
    private String splitOf;
    private String splitMethod;
    /** The client and scheme forwarded fields name, computed on first use. */
    private ForwardedFields.Origin origin;
    private String rawPath;
    private String rawQuery;
    private String path;
    private Map<String, List<String>> query;

    ServerRequest(RequestHead head, RequestFraming framing, Connection c, long maxBodySize,
                  List<AddressRange> trustedProxies, BodyStream body) {
        this.head = head;
        this.framing = framing;
        this.c = c;
        this.maxBodySize = maxBodySize;
        this.trustedProxies = trustedProxies;
        next(body);
    }

    /** Makes this request the view of the head just parsed, with this body. */
    void next(BodyStream body) {
        this.body = body;
        origin = null;
        query = null;
        String t = head.target;
        // Same target and method (CONNECT splits otherwise) as the connection's last request, the same Strings:
        // the split and the decoded path stand.
        if (t == splitOf && head.method == splitMethod) return;
        splitOf = t;
        splitMethod = head.method;
        rawPath = null;
        rawQuery = null;
        path = null;
        splitTarget(t);
    }

    private void splitTarget(String t) {
        int hash = t.indexOf('#');
        if (hash >= 0) t = t.substring(0, hash); // a fragment is not part of the resource (RFC 9110 §4.2.5)
        int start = 0;
        if (t.charAt(0) != '/' && t.charAt(0) != '*' && Targets.isAbsoluteForm(t)) {
            // absolute-form: the path starts after the authority (RFC 9112 §3.2.2).
            int authority = t.indexOf("://") + 3;
            int slash = t.indexOf('/', authority);
            int q = t.indexOf('?', authority);
            start = slash < 0 || (q >= 0 && q < slash) ? -1 : slash;
            if (start < 0) {
                rawPath = "/";
                rawQuery = q < 0 ? null : t.substring(q + 1);
                return;
            }
        } else if ("CONNECT".equals(head.method)) {
            rawPath = t;
            return;
        }
        int q = t.indexOf('?', start);
        if (q < 0) {
            rawPath = start == 0 ? t : t.substring(start);
        } else {
            rawPath = t.substring(start, q);
            rawQuery = t.substring(q + 1);
        }
    }

    /**
     * The peer's end of stream or reset, seen by waiting for input: nginx looks the same way (a peek at the socket)
     * before it gives a request up.
     */
    @Override
    public Sign look(java.time.Duration wait) {
        if (!c.isOpen() || c.writeFailed()) return Sign.LEFT;
        if (c.hasBufferedInput()) return Sign.THERE; // a pipelined request, or body bytes
        try {
            if (!c.awaitInputWhileBusy(wait)) return Sign.NONE;
            return c.hasBufferedInput() ? Sign.THERE : Sign.LEFT;
        } catch (IOException e) {
            return Sign.LEFT; // reset by the peer
        }
    }

    @Override public String method() { return head.method; }
    @Override public String target() { return head.target; }
    @Override public String version() { return head.version == 11 ? "HTTP/1.1" : "HTTP/1.0"; }
    @Override public Headers headers() { return head.headers; }
    @Override public InetSocketAddress remoteAddress() { return origin().client(); }
    @Override public String scheme() { return origin().scheme(); }
    @Override public InetSocketAddress localAddress() { return c.localAddress(); }
    @Override public java.util.Optional<dev.porter.core.TlsInfo> tls() { return c.tls(); }
    @Override public String rawPath() { return rawPath; }
    @Override public String rawQuery() { return rawQuery; }
    @Override public long contentLength() { return framing.chunked ? -1 : framing.contentLength; }
    @Override public PathParams pathParams() { return PathParams.NONE; } // the Router's wrapper carries a match

    private ForwardedFields.Origin origin() {
        if (origin == null) {
            origin = ForwardedFields.resolve(c.remoteAddress(), c.tls().isPresent() ? "https" : "http", head.headers, trustedProxies);
        }
        return origin;
    }

    /** @return the host the request was sent to: the absolute-form authority, else the Host header */
    public String host() {
        return framing.host;
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
    public InputStream body() {
        return body;
    }

    @Override
    public byte[] bodyBytes(int maxBytes) throws IOException {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        long declared = contentLength();
        if (declared > maxBytes) {
            throw new HttpException(Status.CONTENT_TOO_LARGE, "request body is over the limit of " + maxBytes + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] buf = new byte[8192];
        for (int n; (n = body.read(buf, 0, buf.length)) > 0; ) {
            if (out.size() + n > maxBytes) {
                throw body.fail(new HttpException(Status.CONTENT_TOO_LARGE, "request body is over the limit of " + maxBytes + " bytes"));
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Override
    public String bodyString() throws IOException {
        return new String(bodyBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize)), StandardCharsets.UTF_8);
    }
}
