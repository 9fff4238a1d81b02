package dev.porter.http;

import dev.porter.core.AddressRange;
import dev.porter.core.ServerConfig;
import dev.porter.core.TlsConfig;
import dev.porter.http.internal.Ascii;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link HttpServer} allows, with safe defaults. Immutable; build with {@link #builder()}.
 *
 * @param server                   the socket: address, backlog, connection limit, body read timeout
 *                                 ({@code connection().readTimeout()}, default 30 s) and write timeout
 * @param maxRequestLineLength     longest request line in bytes; longer gets 414. Default 8192.
 * @param maxHeaderBytes           largest header section (all field lines) in bytes; larger gets 431. Default 16384.
 * @param maxHeaderCount           most header fields; more gets 431. Default 100.
 * @param maxBodySize              largest request body in bytes; larger gets 413. Default 16 MiB.
 * @param headerTimeout            time allowed to receive a whole request head once its first byte arrived;
 *                                 then 408 and close (stops slowloris). Default 10 s.
 * @param keepAliveTimeout         how long an idle persistent connection stays open. Default 60 s.
 * @param idleLinger               how long an idle persistent connection keeps its thread before it is parked
 *                                 without one (a speed/memory trade-off). Default 250 ms.
 * @param maxRequestsPerConnection requests served on one connection before it is closed. Default 10,000.
 * @param maxDrainBytes            unread request body the server reads and discards to keep a connection alive
 *                                 after the handler; a larger rest closes it. Default 64 KiB.
 * @param serverHeader             value of the {@code Server} header, or null to send none. Default "Porter".
 * @param lenientLineEnds          accept a bare LF as a line end (RFC 9112 §2.2 allows it; off by default
 *                                 because parsers that disagree on line ends enable request smuggling)
 * @param accessLog                where one line per request goes, or null for none
 * @param strictTransportSecurity  for responses over TLS, {@code Strict-Transport-Security: max-age=N} with this
 *                                 age (RFC 6797), unless the handler sets the header; null sends none (the
 *                                 default: once a browser saw it, plain http to the host stops working for that
 *                                 long, so it is the operator's decision). Never sent over plaintext (§7.2)
 * @param http2                    HTTP/2 on or off, and its limits; default on ({@link Http2Config#defaults()})
 * @param websocket                the limits of WebSocket conversations ({@link Router#websocket}); default
 *                                 {@link WebSocketConfig#defaults()}
 * @param trustedProxies           peers whose forwarded fields ({@code Forwarded}, RFC 7239, else
 *                                 {@code X-Forwarded-For} and {@code X-Forwarded-Proto}) name the real client and
 *                                 scheme: {@link Request#remoteAddress()}, {@link Request#scheme()} and the access
 *                                 log then show those, walking the list from the nearest hop past every trusted
 *                                 address. Empty (the default): the fields are ignored, as any client can send them.
 *                                 The peer is {@code Connection.remoteAddress()}, so behind a PROXY protocol header
 *                                 it is the client that header named
 * @param statusPage               the live status page, metrics and health checks under {@code /.porter/}, or
 *                                 null for none (the default); see {@link StatusPage}
 */
public record HttpConfig(ServerConfig server, int maxRequestLineLength, int maxHeaderBytes, int maxHeaderCount,
                         long maxBodySize, Duration headerTimeout, Duration keepAliveTimeout, Duration idleLinger,
                         int maxRequestsPerConnection, long maxDrainBytes, String serverHeader,
                         boolean lenientLineEnds, AccessLog accessLog, Duration strictTransportSecurity,
                         Http2Config http2, WebSocketConfig websocket,
                         List<AddressRange> trustedProxies, StatusPage statusPage) {

    /** Validates every value. */
    public HttpConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(idleLinger, "idleLinger");
        Objects.requireNonNull(http2, "http2");
        Objects.requireNonNull(websocket, "websocket");
        trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, "trustedProxies"));
        if (maxRequestLineLength < 16) throw new IllegalArgumentException("maxRequestLineLength must be >= 16");
        if (maxHeaderBytes < 64) throw new IllegalArgumentException("maxHeaderBytes must be >= 64");
        if (maxHeaderCount < 1) throw new IllegalArgumentException("maxHeaderCount must be >= 1");
        if (maxBodySize < 0) throw new IllegalArgumentException("maxBodySize must be >= 0");
        if (maxRequestsPerConnection < 1) throw new IllegalArgumentException("maxRequestsPerConnection must be >= 1");
        if (maxDrainBytes < 0) throw new IllegalArgumentException("maxDrainBytes must be >= 0");
        // A zero or negative timeout would close every connection before its first request.
        if (!headerTimeout.isPositive()) throw new IllegalArgumentException("headerTimeout must be positive: " + headerTimeout);
        if (!keepAliveTimeout.isPositive()) {
            throw new IllegalArgumentException("keepAliveTimeout must be positive: " + keepAliveTimeout);
        }
        if (idleLinger.isNegative()) throw new IllegalArgumentException("idleLinger must not be negative: " + idleLinger);
        if (strictTransportSecurity != null && strictTransportSecurity.isNegative()) {
            throw new IllegalArgumentException("strictTransportSecurity must not be negative");
        }
        if (serverHeader != null && Ascii.fieldValueProblem(serverHeader) != null) {
            throw new IllegalArgumentException("serverHeader: " + Ascii.fieldValueProblem(serverHeader));
        }
    }

    private static final String BODY = "This port speaks HTTPS: the plain HTTP request was sent to an HTTPS port.\n";
    /** What a plaintext HTTP client gets from a TLS port: a 400 it can read (RFC 9110 §15.5.1). */
    static final String PLAINTEXT_REPLY = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY;

    /** @return the defaults, bound to 127.0.0.1 on a free port */
    public static HttpConfig defaults() {
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

    /** Builds an {@link HttpConfig}; every setter validates at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private ServerConfig server = ServerConfig.defaults()
                .withConnection(ServerConfig.defaults().connection().withIdleTimeout(Duration.ofSeconds(60)));
        private int maxRequestLineLength = 8192;
        private int maxHeaderBytes = 16 * 1024;
        private int maxHeaderCount = 100;
        private long maxBodySize = 16L * 1024 * 1024;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration keepAliveTimeout = Duration.ofSeconds(60);
        private Duration idleLinger = Duration.ofMillis(250);
        private int maxRequestsPerConnection = 10_000;
        private long maxDrainBytes = 64 * 1024;
        private String serverHeader = "Porter";
        private boolean lenientLineEnds;
        private AccessLog accessLog;
        private Duration strictTransportSecurity;
        private Http2Config http2 = Http2Config.defaults();
        private WebSocketConfig websocket = WebSocketConfig.defaults();
        private List<AddressRange> trustedProxies = List.of();
        private StatusPage statusPage;

        Builder() {
        }

        Builder(HttpConfig c) {
            server = c.server;
            maxRequestLineLength = c.maxRequestLineLength;
            maxHeaderBytes = c.maxHeaderBytes;
            maxHeaderCount = c.maxHeaderCount;
            maxBodySize = c.maxBodySize;
            headerTimeout = c.headerTimeout;
            keepAliveTimeout = c.keepAliveTimeout;
            idleLinger = c.idleLinger;
            maxRequestsPerConnection = c.maxRequestsPerConnection;
            maxDrainBytes = c.maxDrainBytes;
            serverHeader = c.serverHeader;
            lenientLineEnds = c.lenientLineEnds;
            accessLog = c.accessLog;
            strictTransportSecurity = c.strictTransportSecurity;
            http2 = c.http2;
            websocket = c.websocket;
            trustedProxies = c.trustedProxies;
            statusPage = c.statusPage;
        }

        /** The socket settings (address, backlog, connection limit, timeouts). */
        public Builder server(ServerConfig s) { server = s; return this; }
        /** Address to bind. */
        public Builder host(String h) { server = server.withHost(h); return this; }
        /** Port to bind; 0 for a free one. */
        public Builder port(int p) { server = server.withPort(p); return this; }
        /** Longest request line; see {@link HttpConfig#maxRequestLineLength()}. */
        public Builder maxRequestLineLength(int n) { maxRequestLineLength = n; return this; }
        /** Largest header section; see {@link HttpConfig#maxHeaderBytes()}. */
        public Builder maxHeaderBytes(int n) { maxHeaderBytes = n; return this; }
        /** Most header fields; see {@link HttpConfig#maxHeaderCount()}. */
        public Builder maxHeaderCount(int n) { maxHeaderCount = n; return this; }
        /** Largest request body; see {@link HttpConfig#maxBodySize()}. */
        public Builder maxBodySize(long n) { maxBodySize = n; return this; }
        /** Time to receive a request head; see {@link HttpConfig#headerTimeout()}. */
        public Builder headerTimeout(Duration d) { headerTimeout = d; return this; }
        /** Idle time of a persistent connection; see {@link HttpConfig#keepAliveTimeout()}. */
        public Builder keepAliveTimeout(Duration d) { keepAliveTimeout = d; return this; }
        /** Thread linger of an idle connection; see {@link HttpConfig#idleLinger()}. */
        public Builder idleLinger(Duration d) { idleLinger = d; return this; }
        /** Longest wait for each read of a request body. */
        public Builder bodyReadTimeout(Duration d) { server = server.withConnection(server.connection().withReadTimeout(d)); return this; }
        /** Longest a write may block on a client that does not read. */
        public Builder writeTimeout(Duration d) { server = server.withConnection(server.connection().withWriteTimeout(d)); return this; }
        /** Requests per connection; see {@link HttpConfig#maxRequestsPerConnection()}. */
        public Builder maxRequestsPerConnection(int n) { maxRequestsPerConnection = n; return this; }
        /** Unread body drained after a handler; see {@link HttpConfig#maxDrainBytes()}. */
        public Builder maxDrainBytes(long n) { maxDrainBytes = n; return this; }
        /** The {@code Server} header value, or null for none. */
        public Builder serverHeader(String s) { serverHeader = s; return this; }
        /** Accept bare LF line ends; see {@link HttpConfig#lenientLineEnds()}. */
        public Builder lenientLineEnds(boolean on) { lenientLineEnds = on; return this; }
        /** Where access-log lines go, or null. */
        public Builder accessLog(AccessLog log) { accessLog = log; return this; }
        /** See {@link HttpConfig#http2()}. */
        public Builder http2(Http2Config h) { http2 = h; return this; }
        /** See {@link HttpConfig#websocket()}. */
        public Builder websocket(WebSocketConfig w) { websocket = w; return this; }
        /** Peers whose forwarded fields are believed; see {@link HttpConfig#trustedProxies()}. */
        public Builder trustedProxies(List<AddressRange> ranges) { trustedProxies = ranges; return this; }
        /** See {@link HttpConfig#statusPage()}; null for none. */
        public Builder statusPage(StatusPage s) { statusPage = s; return this; }
        /** See {@link HttpConfig#strictTransportSecurity()}; null for none. */
        public Builder strictTransportSecurity(Duration maxAge) { strictTransportSecurity = maxAge; return this; }

        /**
         * Serves HTTPS: every connection runs TLS first. Unless set, ALPN accepts {@code h2} (while HTTP/2 is
         * enabled), {@code http/1.1} and {@code http/1.0} (in that order of preference; curl's {@code --http1.0}
         * offers that name alone, and nginx and h2o accept it), and a client
         * that sends plain HTTP to the port is answered {@code 400} in plaintext saying so (as nginx does).
         */
        public Builder tls(TlsConfig t) {
            if (t != null) {
                if (t.applicationProtocols().isEmpty()) {
                    t = t.withApplicationProtocols(List.of("h2", "http/1.1", "http/1.0"));
                }
                if (t.plaintextReply() == null) t = t.withPlaintextReply(PLAINTEXT_REPLY);
            }
            server = server.withTls(t);
            return this;
        }

        /** @return the configuration. @throws IllegalArgumentException if a value is out of range */
        public HttpConfig build() {
            TlsConfig tls = server.tls();
            if (tls != null && !http2.enabled() && tls.applicationProtocols().contains("h2")) {
                // HTTP/2 is off: never let ALPN choose it.
                server = server.withTls(tls.withApplicationProtocols(tls.applicationProtocols().stream()
                        .filter(p -> !p.equals("h2")).toList()));
            }
            return new HttpConfig(server, maxRequestLineLength, maxHeaderBytes, maxHeaderCount, maxBodySize,
                    headerTimeout, keepAliveTimeout, idleLinger, maxRequestsPerConnection, maxDrainBytes,
                    serverHeader, lenientLineEnds, accessLog, strictTransportSecurity, http2, websocket,
                    trustedProxies, statusPage);
        }
    }
}
