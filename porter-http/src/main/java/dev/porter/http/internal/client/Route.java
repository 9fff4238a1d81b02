package dev.porter.http.internal.client;

import dev.porter.http.HttpClientException;
import dev.porter.http.internal.Transport;

import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: scheme, host and port, the key of the connection pool. Two URIs with the same route share
 * connections, and redirects between different routes are cross-origin (RFC 6454) for credential handling.
 *
 * @param scheme    lower-case scheme, for example {@code http}
 * @param host      the host as written in the URI, lower-cased; IPv6 literals keep their brackets
 * @param port      the port, the scheme's default when the URI has none
 * @param transport opens connections for the scheme
 */
public record Route(String scheme, String host, int port, Transport transport) {

    /**
     * @return the route of an absolute URI
     * @throws HttpClientException.UnsupportedScheme if no transport speaks the URI's scheme
     */
    public static Route of(URI uri) throws HttpClientException.UnsupportedScheme {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Transport t = Transports.forScheme(scheme);
        int port = uri.getPort() < 0 ? t.defaultPort() : uri.getPort();
        return new Route(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, t);
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
        return o instanceof Route r && sameOrigin(r);
    }

    @Override
    public int hashCode() {
        return (scheme.hashCode() * 31 + host.hashCode()) * 31 + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
