package dev.porter.http;

import dev.porter.core.TlsInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as received (RFC 9112 §3). Its head was fully validated before the handler saw it.
 * Valid only during {@link Handler#handle}; not thread-safe (it belongs to the connection's thread).
 */
public interface Request {

    /** @return the method token, e.g. {@code GET}; case-sensitive (RFC 9110 §9.1) */
    String method();

    /** @return the request-target exactly as sent, e.g. {@code /a%20b?x=1} */
    String target();

    /**
     * @return the path of the target, percent-decoded once (UTF-8), without the query; {@code *} for OPTIONS *
     * @throws HttpException 400 if the path holds a malformed {@code %} escape
     */
    String path();

    /** @return the raw (still percent-encoded) path of the target, without the query */
    String rawPath();

    /** @return the raw query after {@code ?}, or {@code null} if there is none */
    String rawQuery();

    /**
     * @return the first value of query parameter {@code name}, decoded (form rules: {@code +} is a space), or null
     * @throws HttpException 400 if the query holds a malformed {@code %} escape (in any parameter)
     */
    String query(String name);

    /**
     * @return all query parameters, decoded, in order of appearance
     * @throws HttpException 400 if the query holds a malformed {@code %} escape
     */
    Map<String, List<String>> queryParams();

    /** @return {@code HTTP/1.1} or {@code HTTP/1.0}; {@code HTTP/2.0} for a request over HTTP/2 */
    String version();

    /** @return the header fields, looked up case-insensitively */
    Headers headers();

    /** @return the first value of header {@code name} (case-insensitive), or null */
    default String header(String name) {
        return headers().first(name);
    }

    /**
     * The values the {@link Router} pattern that routed this request bound, raw and decoded.
     * {@link PathParams#NONE} for a request that no pattern routed (an exact path, or no router at all).
     * A {@code Request} that wraps another must return the wrapped request's unless it means to change them:
     * {@link Wrapper} does.
     *
     * @return the bound values, never null
     */
    PathParams pathParams();

    /** @return the value bound to {@code {name}} (or {@code *}) by the {@link Router} pattern, decoded; or null */
    default String pathParam(String name) {
        return pathParams().get(name);
    }

    /**
     * @return the value bound to {@code {name}} (or {@code *}) by the {@link Router} pattern exactly as sent, still
     *         percent-encoded; or null
     */
    default String rawPathParam(String name) {
        return pathParams().raw(name);
    }

    /**
     * @return the client's address: the connection's peer (or the client a trusted PROXY protocol header named),
     *         or, when that peer is one of {@link HttpConfig#trustedProxies()}, the client its forwarded fields
     *         name (port 0 when they give none)
     */
    InetSocketAddress remoteAddress();

    /** @return the server's address the request arrived on */
    InetSocketAddress localAddress();

    /**
     * @return what the TLS handshake of this request's connection settled (protocol, cipher, SNI name, the
     *         client's certificate under mTLS), or empty for a plaintext ({@code http}) connection
     */
    Optional<TlsInfo> tls();

    /**
     * @return {@code https} for a request that came over TLS, else {@code http}; from a peer in
     *         {@link HttpConfig#trustedProxies()}, the scheme its forwarded fields name instead
     */
    default String scheme() {
        return tls().isPresent() ? "https" : "http";
    }

    /**
     * The body as a stream bounded by its framing (Content-Length or chunked), empty when there is none.
     * The first read answers {@code Expect: 100-continue}. Reading past the server's body limit throws
     * {@link HttpException} with 413.
     */
    InputStream body();

    /**
     * Reads the whole body.
     *
     * @param maxBytes the most bytes accepted
     * @throws HttpException            413 if the body is longer than {@code maxBytes}
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    byte[] bodyBytes(int maxBytes) throws IOException;

    /** Reads the whole body (at most the server's body limit) as UTF-8. */
    String bodyString() throws IOException;

    /** @return the declared body length, or -1 when chunked or unknown */
    long contentLength();

    /**
     * A {@code Request} that forwards every call to another, for a {@link Filter} that changes part of what a
     * handler sees (as a servlet filter uses {@code HttpServletRequestWrapper}): subclass it and override what
     * differs. Every method is forwarded, the default ones too, so what the wrapped request overrides stays; a
     * subclass that changes one value overrides each method that reads it (for the path parameters:
     * {@code pathParams}, {@code pathParam} and {@code rawPathParam}). What is not overridden, path parameters
     * included, is the wrapped request's: a filter that wraps before or after a {@link Router} matched keeps the
     * values it bound. The router itself hands its handlers such a wrapper, carrying the match.
     *
     * <pre>{@code
     * // In a test: every request seems to come from 192.0.2.7 (behind real proxies, see HttpConfig.trustedProxies).
     * Filter elsewhere = (req, res, next) -> next.handle(new Request.Wrapper(req) {
     *     @Override public InetSocketAddress remoteAddress() {
     *         return new InetSocketAddress("192.0.2.7", 0);
     *     }
     * }, res);
     * }</pre>
     *
     * <p>Valid while the wrapped request is; as thread-safe as it (that is, not).
     */
    class Wrapper implements Request {

        private final Request wrapped;

        /** @param wrapped the request every call is forwarded to */
        public Wrapper(Request wrapped) {
            this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
        }

        /** @return the request this one forwards to */
        public Request wrapped() {
            return wrapped;
        }

        @Override public String method() { return wrapped.method(); }
        @Override public String target() { return wrapped.target(); }
        @Override public String path() { return wrapped.path(); }
        @Override public String rawPath() { return wrapped.rawPath(); }
        @Override public String rawQuery() { return wrapped.rawQuery(); }
        @Override public String query(String name) { return wrapped.query(name); }
        @Override public Map<String, List<String>> queryParams() { return wrapped.queryParams(); }
        @Override public String version() { return wrapped.version(); }
        @Override public Headers headers() { return wrapped.headers(); }
        @Override public String header(String name) { return wrapped.header(name); }
        @Override public PathParams pathParams() { return wrapped.pathParams(); }
        @Override public String pathParam(String name) { return wrapped.pathParam(name); }
        @Override public String rawPathParam(String name) { return wrapped.rawPathParam(name); }
        @Override public InetSocketAddress remoteAddress() { return wrapped.remoteAddress(); }
        @Override public InetSocketAddress localAddress() { return wrapped.localAddress(); }
        @Override public Optional<TlsInfo> tls() { return wrapped.tls(); }
        @Override public String scheme() { return wrapped.scheme(); }
        @Override public InputStream body() { return wrapped.body(); }
        @Override public byte[] bodyBytes(int maxBytes) throws IOException { return wrapped.bodyBytes(maxBytes); }
        @Override public String bodyString() throws IOException { return wrapped.bodyString(); }
        @Override public long contentLength() { return wrapped.contentLength(); }
    }
}
