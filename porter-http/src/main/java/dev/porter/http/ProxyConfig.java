package dev.porter.http;

import dev.porter.core.ClientTls;
import dev.porter.http.internal.client.UriHosts;
import dev.porter.http.internal.proxy.AddressRange;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link ProxyHandler} forwards to and how. Immutable; build with {@link #builder()}.
 *
 * @param upstreams         the backends of the one upstream group, {@code http://HOST:PORT} (a path or query is
 *                          refused: the request's own target is forwarded); at least one
 * @param balance           how a backend is chosen. Default {@link Balance#ROUND_ROBIN}.
 * @param sticky            keeps a client on one backend while it is up. Default {@link Sticky#NONE}.
 * @param stickyCookie      the cookie naming a client's backend for {@link Sticky#COOKIE}. Default
 *                          {@code porter_upstream}.
 * @param health            active health checks, or null for none (then only passive checks: a backend that
 *                          refuses a connection is left out for {@code downTime})
 * @param connectTimeout    longest wait for a TCP connection to a backend; over it the next backend is tried
 *                          (or 504). Default 5 s.
 * @param readTimeout       longest wait for any byte of the backend's answer, and longest a write to it may block;
 *                          over it 504 (or the client connection is cut once the answer has begun). Default 60 s.
 * @param totalTimeout      the whole exchange with the backends, answer body included, or null for no limit
 *                          (the default)
 * @param buffering         read the whole request body before contacting a backend (memory, then a temp file,
 *                          up to a limit answered 413), or null to stream it (the default)
 * @param trustedProxies    addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}) whose
 *                          {@code X-Forwarded-*} and {@code Forwarded} fields are kept and appended to; from any
 *                          other peer they are replaced. Default none.
 * @param via               the pseudonym in {@code Via} (RFC 9110 §7.6.3). Default {@code porter}.
 * @param stripPrefix       a path prefix removed from the target before forwarding ({@code /api} makes
 *                          {@code /api/users} {@code /users}), or null to forward the path unchanged (the default)
 * @param preserveHost      forward the client's {@code Host}; false sends the backend's own authority. Default true.
 * @param maxIdlePerBackend idle keep-alive connections kept per backend. Default 128 (more concurrent clients than this
 *                          means new connections to the backend: keep it at or above the expected concurrency).
 * @param downTime          without active checks, how long a backend that refused a connection is left out.
 *                          Default 10 s.
 * @param maxTunnels        WebSocket tunnels open at once (each holds a client and a backend connection and one
 *                          more virtual thread); an upgrade over it is answered 503 with {@code Retry-After}.
 *                          Default 1024.
 * @param tunnelIdleTimeout a tunnel through which no byte passed either way for this long is closed (both
 *                          connections). Default 5 minutes: longer than the usual WebSocket ping intervals.
 * @param sendProxy         the PROXY protocol header written at the start of every new backend connection, naming
 *                          the client's address and port (HAProxy's {@code send-proxy}/{@code send-proxy-v2}).
 *                          Backend connections are then reused only for the same client address and port. To an
 *                          {@code https://} upstream it goes before the TLS handshake, as HAProxy sends it.
 *                          Default {@link SendProxy#NONE}.
 * @param upstreamTls       TLS toward {@code https://} upstreams: whom to trust (the JDK's trust store by default;
 *                          a CA file for an internal CA or a self-signed backend, as nginx's
 *                          {@code proxy_ssl_trusted_certificate}), a client certificate for backends that require
 *                          one. The backend's name is checked against the upstream's host unless trust is
 *                          {@link dev.porter.core.TrustSource.TrustAll}. Default {@link ClientTls#defaults()}.
 */
public record ProxyConfig(List<URI> upstreams, Balance balance, Sticky sticky, String stickyCookie,
                          HealthCheck health, Duration connectTimeout, Duration readTimeout, Duration totalTimeout,
                          Buffering buffering, List<String> trustedProxies, String via, String stripPrefix,
                          boolean preserveHost, int maxIdlePerBackend, Duration downTime, int maxTunnels,
                          Duration tunnelIdleTimeout, SendProxy sendProxy, ClientTls upstreamTls) {

    /** Whether and how the proxy tells each backend connection who the client is (PROXY protocol). */
    public enum SendProxy {
        /** No header: the backend sees the proxy's address (the client's is in the forwarded fields). */
        NONE,
        /** Version 1, the text line. */
        V1,
        /** Version 2, binary. */
        V2
    }

    /** How a backend is chosen among those that are up. */
    public enum Balance {
        /** Each in turn. */
        ROUND_ROBIN,
        /** The one with the fewest exchanges in flight (ties in turn). */
        LEAST_CONNECTIONS
    }

    /** What keeps a client on one backend. */
    public enum Sticky {
        /** Nothing: every request is balanced. */
        NONE,
        /** A hash of the client's address (the one the trusted forwarded fields name, else the peer's). */
        CLIENT_ADDRESS,
        /** A cookie the proxy sets naming the backend (its value is a hash of the backend's URI). */
        COOKIE
    }

    /**
     * Active health checks: a GET of {@code path} on every backend each {@code interval}, on a virtual thread per
     * backend. A 2xx or 3xx answer within {@code timeout} is a success. {@code rise} successes in a row bring a
     * backend that is down up; {@code fall} failures in a row take one that is up down. A backend marked down by a
     * refused connection (passive) comes back at its next successful check.
     */
    public record HealthCheck(String path, Duration interval, Duration timeout, int rise, int fall) {
        /** @throws IllegalArgumentException if the path is not absolute, a duration not positive or a count below 1 */
        public HealthCheck {
            if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("health path must start with /: " + path);
            positive(interval, "health interval");
            positive(timeout, "health timeout");
            if (rise < 1 || fall < 1) throw new IllegalArgumentException("rise and fall must be >= 1: " + rise + ", " + fall);
        }

        /** @return checks of {@code path} every 2 s, 1 s timeout, rise 2, fall 3 (HAProxy's counts) */
        public static HealthCheck of(String path) {
            return new HealthCheck(path, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3);
        }
    }

    /**
     * Request body buffering: up to {@code memoryThreshold} bytes in memory, beyond that in a temp file in
     * {@code tempDirectory} (the system's when null), deleted after the exchange; over {@code limit} bytes the
     * client gets 413. A buffered body can be sent again, so an idempotent request is retried on another backend
     * even after it was sent.
     */
    public record Buffering(long memoryThreshold, long limit, Path tempDirectory) {
        /** @throws IllegalArgumentException if a size is negative or the threshold exceeds the limit or 2 GiB */
        public Buffering {
            if (memoryThreshold < 0 || limit < 0) throw new IllegalArgumentException("negative buffering size");
            if (memoryThreshold > limit) memoryThreshold = limit;
            if (memoryThreshold > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("memory threshold over 2 GiB");
        }

        /** @return bodies up to {@code limit} bytes, the first MiB in memory */
        public static Buffering upTo(long limit) {
            return new Buffering(Math.min(limit, 1 << 20), limit, null);
        }
    }

    /** Validates every value. @throws IllegalArgumentException if one is out of range */
    public ProxyConfig {
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) throw new IllegalArgumentException("at least one upstream is needed");
        for (URI u : upstreams) checkUpstream(u);
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(sticky, "sticky");
        if (stickyCookie == null || stickyCookie.isEmpty() || !dev.porter.http.internal.Ascii.isToken(stickyCookie)) {
            throw new IllegalArgumentException("sticky cookie name is not a token: " + stickyCookie);
        }
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        if (totalTimeout != null) positive(totalTimeout, "totalTimeout");
        trustedProxies = List.copyOf(trustedProxies);
        for (String t : trustedProxies) AddressRange.parse(t);
        if (via == null || !dev.porter.http.internal.Ascii.isToken(via)) throw new IllegalArgumentException("via pseudonym is not a token: " + via);
        if (stripPrefix != null && (!stripPrefix.startsWith("/") || stripPrefix.length() < 2)) {
            throw new IllegalArgumentException("stripPrefix must start with / and name something: " + stripPrefix);
        }
        if (maxIdlePerBackend < 0) throw new IllegalArgumentException("maxIdlePerBackend must be >= 0: " + maxIdlePerBackend);
        positive(downTime, "downTime");
        if (maxTunnels < 0) throw new IllegalArgumentException("maxTunnels must be >= 0: " + maxTunnels);
        positive(tunnelIdleTimeout, "tunnelIdleTimeout");
        Objects.requireNonNull(sendProxy, "sendProxy");
        Objects.requireNonNull(upstreamTls, "upstreamTls");
    }

    private static void checkUpstream(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("upstream must be http:// or https://: " + u);
        if (!portInRange(u.getRawAuthority())) {
            throw new IllegalArgumentException("upstream port must be a number from 1 to 65535: " + u);
        }
        if (UriHosts.host(u) == null) throw new IllegalArgumentException("upstream has no host: " + u);
        if ((u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) || u.getRawQuery() != null
                || u.getRawUserInfo() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("upstream must be scheme://host:port only (the request's path is forwarded): " + u);
        }
    }

    /**
     * @return true if {@code authority} has no port, or one from 1 to 65535 (URI takes any digits as a port, and
     *         reads a sign or a letter there as an authority without a host, which would be reported as "no host")
     */
    private static boolean portInRange(String authority) {
        if (authority == null) return true;
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || colon < authority.lastIndexOf(']')) return true; // none, or inside an IPv6 literal
        int end = authority.length();
        if (colon + 1 == end) return true; // "host:": the scheme's default (RFC 3986 §3.2.3)
        if (end - colon - 1 > 5) return false;
        int port = 0;
        for (int i = colon + 1; i < end; i++) {
            char c = authority.charAt(i);
            if (c < '0' || c > '9') return false;
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535;
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }

    /** @return a builder for {@code upstreams}, each {@code http://HOST:PORT}, with every other value the default */
    public static Builder builder(String... upstreams) {
        Builder b = new Builder();
        for (String u : upstreams) b.upstream(u);
        return b;
    }

    /** @return a builder holding this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.upstreams.addAll(upstreams);
        b.balance = balance;
        b.sticky = sticky;
        b.stickyCookie = stickyCookie;
        b.health = health;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.totalTimeout = totalTimeout;
        b.buffering = buffering;
        b.trustedProxies.addAll(trustedProxies);
        b.via = via;
        b.stripPrefix = stripPrefix;
        b.preserveHost = preserveHost;
        b.maxIdlePerBackend = maxIdlePerBackend;
        b.downTime = downTime;
        b.maxTunnels = maxTunnels;
        b.tunnelIdleTimeout = tunnelIdleTimeout;
        b.sendProxy = sendProxy;
        b.upstreamTls = upstreamTls;
        return b;
    }

    /** Builds a {@link ProxyConfig}; values are validated at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final List<URI> upstreams = new ArrayList<>();
        private Balance balance = Balance.ROUND_ROBIN;
        private Sticky sticky = Sticky.NONE;
        private String stickyCookie = "porter_upstream";
        private HealthCheck health;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration totalTimeout;
        private Buffering buffering;
        private final List<String> trustedProxies = new ArrayList<>();
        private String via = "porter";
        private String stripPrefix;
        private boolean preserveHost = true;
        private int maxIdlePerBackend = 128;
        private Duration downTime = Duration.ofSeconds(10);
        private int maxTunnels = 1024;
        private Duration tunnelIdleTimeout = Duration.ofMinutes(5);
        private SendProxy sendProxy = SendProxy.NONE;
        private ClientTls upstreamTls = ClientTls.defaults();

        private Builder() {
        }

        /** Adds a backend, {@code http://HOST:PORT}. @throws IllegalArgumentException if it is no URI */
        public Builder upstream(String uri) { upstreams.add(URI.create(uri)); return this; }
        /** Sets the balancing. */
        public Builder balance(Balance b) { balance = b; return this; }
        /** Sets the stickiness. */
        public Builder sticky(Sticky s) { sticky = s; return this; }
        /** Sets the cookie name for {@link Sticky#COOKIE}. */
        public Builder stickyCookie(String name) { stickyCookie = name; return this; }
        /** Sets the active health checks, or null for none. */
        public Builder health(HealthCheck h) { health = h; return this; }
        /** Sets the connect timeout. */
        public Builder connectTimeout(Duration d) { connectTimeout = d; return this; }
        /** Sets the read timeout. */
        public Builder readTimeout(Duration d) { readTimeout = d; return this; }
        /** Sets the total timeout, or null for none. */
        public Builder totalTimeout(Duration d) { totalTimeout = d; return this; }
        /** Sets request body buffering, or null to stream. */
        public Builder buffering(Buffering b) { buffering = b; return this; }
        /** Adds a trusted proxy address or CIDR range. */
        public Builder trustedProxy(String addressOrRange) { trustedProxies.add(addressOrRange); return this; }
        /** Sets the {@code Via} pseudonym. */
        public Builder via(String pseudonym) { via = pseudonym; return this; }
        /** Sets the prefix removed before forwarding, or null. */
        public Builder stripPrefix(String prefix) { stripPrefix = prefix; return this; }
        /** Forwards the client's Host (true) or the backend's authority (false). */
        public Builder preserveHost(boolean on) { preserveHost = on; return this; }
        /** Sets the idle connections kept per backend. */
        public Builder maxIdlePerBackend(int n) { maxIdlePerBackend = n; return this; }
        /** Sets how long a refused backend is left out without active checks. */
        public Builder downTime(Duration d) { downTime = d; return this; }

        /** Sets the most WebSocket tunnels open at once (0: none, every upgrade is answered 503). */
        public Builder maxTunnels(int n) { maxTunnels = n; return this; }
        /** Sets how long a tunnel may pass no byte either way before it is closed. */
        public Builder tunnelIdleTimeout(Duration d) { tunnelIdleTimeout = d; return this; }
        /** Sets the PROXY protocol header sent on each new backend connection. */
        public Builder sendProxy(SendProxy v) { sendProxy = v; return this; }
        /** Sets the TLS toward {@code https://} upstreams (trust, client certificate). */
        public Builder upstreamTls(ClientTls t) { upstreamTls = t; return this; }

        /** @return the configuration @throws IllegalArgumentException if a value is out of range */
        public ProxyConfig build() {
            return new ProxyConfig(upstreams, balance, sticky, stickyCookie, health, connectTimeout, readTimeout,
                    totalTimeout, buffering, trustedProxies, via, stripPrefix, preserveHost, maxIdlePerBackend, downTime,
                    maxTunnels, tunnelIdleTimeout, sendProxy, upstreamTls);
        }
    }
}
