package dev.porter.http;


import dev.porter.core.ClientTls;
import dev.porter.http.internal.Ascii;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything an {@link HttpClient} does by default, with safe values. Immutable; build with {@link #builder()}.
 *
 * @param connectTimeout          longest wait for a TCP connection. Default 10 s.
 * @param readTimeout             longest wait for any byte of a response (head or body), and longest a write may
 *                                block on a server that does not read. Default 30 s.
 * @param requestTimeout          the whole exchange (connecting, sending, redirects, and reading the head and
 *                                body) must end within this, or null for no limit (the default). A request may
 *                                override it ({@link ClientRequest#timeout()}).
 * @param maxIdlePerHost          idle keep-alive connections kept per scheme, host and port; 0 disables reuse.
 *                                Default 16.
 * @param idleTimeout             an idle pooled connection older than this is closed, not reused. Default 30 s.
 * @param followRedirects         follow 301, 302, 303, 307 and 308 responses with a Location. Default true.
 * @param maxRedirects            redirects followed for one request before
 *                                {@link HttpClientException.TooManyRedirects}. Default 10.
 * @param decompress              ask for gzip ({@code Accept-Encoding: gzip}) unless the request sets its own
 *                                Accept-Encoding, and decode {@code Content-Encoding: gzip} bodies transparently.
 *                                Default false.
 * @param expectContinueThreshold request bodies of at least this many bytes (or of unknown length) are sent with
 *                                {@code Expect: 100-continue}; -1 never. Default 1 MiB.
 * @param expectContinueTimeout   how long to wait for {@code 100 Continue} before sending the body anyway (RFC 9110
 *                                §10.1.1: servers may not answer it). Default 1 s.
 * @param userAgent               the {@code User-Agent} sent unless a request sets one, or null for none
 * @param maxHeaderBytes          largest response head (status line and fields) accepted. Default 64 KiB.
 * @param maxHeaderCount          most response header fields accepted. Default 256.
 * @param listener                observes connections and heads (for logging, {@code porter get -v}), or null
 * @param tls                     TLS for {@code https} URIs: whom to trust (the JDK's trust store by default; a CA
 *                                file, a trust store, or {@link dev.porter.core.TrustSource.TrustAll} for
 *                                {@code -k}), an optional client certificate. ALPN offers what
 *                                {@code httpVersion} allows ({@code h2, http/1.1} by default) unless this sets its
 *                                own list of names (from which {@link HttpVersion#HTTP_1_1} removes {@code h2})
 * @param httpVersion             the HTTP versions spoken: HTTP/2 where ALPN agrees on it over TLS (the default,
 *                                {@link HttpVersion#HTTP_2}), HTTP/1.1 only, or h2c with prior knowledge for
 *                                {@code http} URIs as well ({@link HttpVersion#HTTP_2_PRIOR_KNOWLEDGE})
 */
public record ClientConfig(Duration connectTimeout, Duration readTimeout, Duration requestTimeout,
                           int maxIdlePerHost, Duration idleTimeout, boolean followRedirects, int maxRedirects,
                           boolean decompress, long expectContinueThreshold, Duration expectContinueTimeout,
                           String userAgent, int maxHeaderBytes, int maxHeaderCount, ExchangeListener listener,
                           ClientTls tls, HttpVersion httpVersion) {

    /** Validates every value. @throws IllegalArgumentException if one is out of range */
    public ClientConfig {
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        if (requestTimeout != null) positive(requestTimeout, "requestTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(expectContinueTimeout, "expectContinueTimeout");
        if (maxIdlePerHost < 0) throw new IllegalArgumentException("maxIdlePerHost must be >= 0: " + maxIdlePerHost);
        if (maxRedirects < 0) throw new IllegalArgumentException("maxRedirects must be >= 0: " + maxRedirects);
        if (expectContinueThreshold < -1) throw new IllegalArgumentException("expectContinueThreshold must be >= -1");
        if (maxHeaderBytes < 256) throw new IllegalArgumentException("maxHeaderBytes must be >= 256: " + maxHeaderBytes);
        if (maxHeaderCount < 1) throw new IllegalArgumentException("maxHeaderCount must be >= 1: " + maxHeaderCount);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(httpVersion, "httpVersion");
        if (userAgent != null && Ascii.fieldValueProblem(userAgent) != null) {
            throw new IllegalArgumentException("userAgent: " + Ascii.fieldValueProblem(userAgent));
        }
    }

    /** @return the defaults */
    public static ClientConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }

    /** Builds a {@link ClientConfig}; values are validated at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout;
        private int maxIdlePerHost = 16;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private boolean followRedirects = true;
        private int maxRedirects = 10;
        private boolean decompress;
        private long expectContinueThreshold = 1024 * 1024;
        private Duration expectContinueTimeout = Duration.ofSeconds(1);
        private String userAgent = "porter/0.1.0";
        private int maxHeaderBytes = 64 * 1024;
        private int maxHeaderCount = 256;
        private ClientTls tls = ClientTls.defaults(); // no ALPN names of its own: httpVersion decides
        private ExchangeListener listener;
        private HttpVersion httpVersion = HttpVersion.HTTP_2;

        Builder() {
        }

        Builder(ClientConfig c) {
            connectTimeout = c.connectTimeout;
            readTimeout = c.readTimeout;
            requestTimeout = c.requestTimeout;
            maxIdlePerHost = c.maxIdlePerHost;
            idleTimeout = c.idleTimeout;
            followRedirects = c.followRedirects;
            maxRedirects = c.maxRedirects;
            decompress = c.decompress;
            expectContinueThreshold = c.expectContinueThreshold;
            expectContinueTimeout = c.expectContinueTimeout;
            userAgent = c.userAgent;
            maxHeaderBytes = c.maxHeaderBytes;
            maxHeaderCount = c.maxHeaderCount;
            listener = c.listener;
            tls = c.tls;
            httpVersion = c.httpVersion;
        }

        /** See {@link ClientConfig#connectTimeout()}. */
        public Builder connectTimeout(Duration d) { connectTimeout = d; return this; }
        /** See {@link ClientConfig#readTimeout()}. */
        public Builder readTimeout(Duration d) { readTimeout = d; return this; }
        /** See {@link ClientConfig#requestTimeout()}; null for none. */
        public Builder requestTimeout(Duration d) { requestTimeout = d; return this; }
        /** See {@link ClientConfig#maxIdlePerHost()}. */
        public Builder maxIdlePerHost(int n) { maxIdlePerHost = n; return this; }
        /** See {@link ClientConfig#idleTimeout()}. */
        public Builder idleTimeout(Duration d) { idleTimeout = d; return this; }
        /** See {@link ClientConfig#followRedirects()}. */
        public Builder followRedirects(boolean on) { followRedirects = on; return this; }
        /** See {@link ClientConfig#maxRedirects()}. */
        public Builder maxRedirects(int n) { maxRedirects = n; return this; }
        /** See {@link ClientConfig#decompress()}. */
        public Builder decompress(boolean on) { decompress = on; return this; }
        /** See {@link ClientConfig#expectContinueThreshold()}; -1 never sends the expectation. */
        public Builder expectContinueThreshold(long bytes) { expectContinueThreshold = bytes; return this; }
        /** See {@link ClientConfig#expectContinueTimeout()}. */
        public Builder expectContinueTimeout(Duration d) { expectContinueTimeout = d; return this; }
        /** See {@link ClientConfig#userAgent()}; null sends none. */
        public Builder userAgent(String ua) { userAgent = ua; return this; }
        /** See {@link ClientConfig#maxHeaderBytes()}. */
        public Builder maxHeaderBytes(int n) { maxHeaderBytes = n; return this; }
        /** See {@link ClientConfig#maxHeaderCount()}. */
        public Builder maxHeaderCount(int n) { maxHeaderCount = n; return this; }
        /** See {@link ClientConfig#listener()}; null for none. */
        public Builder listener(ExchangeListener l) { listener = l; return this; }
        /** See {@link ClientConfig#tls()}. */
        public Builder tls(ClientTls t) { tls = t; return this; }
        /** See {@link ClientConfig#httpVersion()}. */
        public Builder httpVersion(HttpVersion v) { httpVersion = v; return this; }

        /** @return the configuration. @throws IllegalArgumentException if a value is out of range */
        public ClientConfig build() {
            return new ClientConfig(connectTimeout, readTimeout, requestTimeout, maxIdlePerHost, idleTimeout,
                    followRedirects, maxRedirects, decompress, expectContinueThreshold, expectContinueTimeout,
                    userAgent, maxHeaderBytes, maxHeaderCount, listener, tls, httpVersion);
        }
    }
}
