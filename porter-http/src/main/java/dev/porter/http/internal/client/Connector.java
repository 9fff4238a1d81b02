package dev.porter.http.internal.client;

import dev.porter.core.ClientTls;
import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.http.ClientConfig;
import dev.porter.http.HttpClientException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

/**
 * Opens the client's connections: TCP (and TLS) within the connect timeout, timeouts and refusals named after the
 * route, the route's preface first (before the TLS handshake, if any), the listener told. Stateless.
 */
final class Connector {

    private Connector() {
    }

    /** Connects for one attempt, within the connect timeout or what is left of the request's deadline if less. */
    static PooledConnection open(ClientConfig config, ConnectionConfig connectionConfig, ClientTls tls, Route route,
                                 URI uri, long deadline, Duration timeout) throws IOException {
        Duration connectTimeout = config.connectTimeout();
        boolean byDeadline = false;
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw requestTimeout(uri, timeout);
            if (left < connectTimeout.toNanos()) {
                connectTimeout = Duration.ofNanos(left);
                byDeadline = true;
            }
        }
        Connection c;
        try {
            c = route.transport().connect(route.connectHost(), route.port(), connectTimeout, connectionConfig,
                    tls, route.preface() == null ? null : route.preface().bytes());
        } catch (SocketTimeoutException e) {
            if (byDeadline) throw requestTimeout(uri, timeout);
            throw new HttpClientException.Timeout("connect to " + route.connectHost() + ":" + route.port()
                    + " timed out after " + connectTimeout.toMillis() + " ms", HttpClientException.Timeout.Kind.CONNECT);
        } catch (ConnectException e) {
            ConnectException named = new ConnectException("connect to " + route.connectHost() + ":" + route.port()
                    + " failed: " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        try {
            if (config.listener() != null) {
                config.listener().connected(uri, c.remoteAddress());
                if (c.tls().isPresent()) config.listener().secured(uri, c.tls().get());
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return new PooledConnection(c, route);
    }

    private static HttpClientException.Timeout requestTimeout(URI uri, Duration timeout) {
        return new HttpClientException.Timeout("request to " + uri + " did not complete within " + timeout.toMillis()
                + " ms", HttpClientException.Timeout.Kind.REQUEST);
    }

}
