package dev.porter.http.internal.client;

import dev.porter.http.HttpClientException;
import dev.porter.http.internal.Transport;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a request goes: scheme, host and port, the key of the connection pool. Two URIs with the same route share
 * connections, and redirects between different routes are cross-origin (RFC 6454) for credential handling.
 *
 * @param scheme    lower-case scheme, for example {@code http}
 * @param host      the host as written in the URI, lower-cased; IPv6 literals keep their brackets
 * @param port      the port, the scheme's default when the URI has none
 * @param transport opens connections for the scheme
 * @param preface   bytes written first on every new connection of this route (a PROXY protocol header), or
 *                  null. Part of the pool's key: a connection is only reused for requests whose preface is the
 *                  same bytes, so what it said at its start stays true for every request it carries.
 */
public record Route(String scheme, String host, int port, Transport transport, Preface preface) {

    /** A connection's first bytes, compared by content. */
    public record Preface(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Preface p && Arrays.equals(bytes, p.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /**
     * @return the route of an absolute URI
     * @throws HttpClientException.UnsupportedScheme if no transport speaks the URI's scheme
     */
    public static Route of(URI uri) throws HttpClientException.UnsupportedScheme {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Transport t = Transports.forScheme(scheme);
        int given = UriHosts.port(uri);
        int port = given < 0 ? t.defaultPort() : given;
        return new Route(scheme, UriHosts.host(uri), port, t, null);
    }

    /** @return this route with every new connection opening with {@code p} (null: nothing) */
    public Route with(Preface p) {
        return new Route(scheme, host, port, transport, p);
    }

    /** @return the host to connect to: without the brackets of an IPv6 literal */
    public String connectHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** @return the Host header value (RFC 9110 §7.2): the host, and the port unless it is the scheme's default */
    public String authority() {
        return port == transport.defaultPort() ? host : host + ":" + port;
    }

    /** @return true if {@code other} is the same origin: scheme, host and port all equal */
    public boolean sameOrigin(Route other) {
        return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && sameOrigin(r) && java.util.Objects.equals(preface, r.preface);
    }

    @Override
    public int hashCode() {
        return ((scheme.hashCode() * 31 + host.hashCode()) * 31 + port) * 31 + (preface == null ? 0 : preface.hashCode());
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
