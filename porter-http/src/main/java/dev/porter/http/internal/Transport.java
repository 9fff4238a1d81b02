package dev.porter.http.internal;

import dev.porter.core.ConnectionConfig;
import dev.porter.core.Connection;

import java.io.IOException;
import java.time.Duration;

/**
 * Opens connections for one URI scheme: the seam where TLS plugs in. The client's parsers read straight from a
 * {@link Connection}'s input buffer, so a transport hands back a connection whose buffers hold plain HTTP
 * bytes. The plain transport ({@code http}) is a TCP connection from {@link dev.porter.core.Client}; an
 * {@code https} transport would wrap the socket in an {@code SSLEngine} inside porter-core, decrypting into the
 * same buffers, and be registered in {@link Transports} — with no change to the client's public API (see
 * docs/client.md, "TLS").
 */
public interface Transport {

    /** @return the port used when a URI names none (80 for http, 443 for https) */
    int defaultPort();

    /**
     * Opens a connection.
     *
     * @param timeout longest wait for the connection to be established
     * @throws java.net.SocketTimeoutException if it was not established in time
     * @throws java.net.ConnectException       if refused
     * @throws java.net.UnknownHostException   if the host does not resolve
     */
    Connection connect(String host, int port, Duration timeout, ConnectionConfig config) throws IOException;
}
