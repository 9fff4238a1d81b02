package dev.porter.http.internal;

import dev.porter.core.ClientTls;
import dev.porter.core.ConnectionConfig;
import dev.porter.core.Connection;

import java.io.IOException;
import java.time.Duration;

/**
 * Opens connections for one URI scheme: plain TCP for {@code http}, TLS for {@code https} (both from
 * {@link dev.porter.core.Client}). The client's parsers read the returned {@link Connection}'s buffers, which hold
 * plain HTTP bytes either way: TLS decrypts beneath them.
 */
public interface Transport {

    /** @return the port used when a URI names none (80 for http, 443 for https) */
    int defaultPort();

    /**
     * Opens a connection.
     *
     * @param timeout longest wait for the connection to be established
     * @param tls     TLS settings, used by the {@code https} transport only
     * @param preface bytes the connection opens with, in the clear (a PROXY protocol header), or null: with TLS
     *                written before the handshake; without, buffered to leave with the first request's head
     * @throws java.net.SocketTimeoutException if it was not established in time
     * @throws java.net.ConnectException       if refused
     * @throws java.net.UnknownHostException   if the host does not resolve
     * @throws javax.net.ssl.SSLException      if the TLS handshake failed
     */
    Connection connect(String host, int port, Duration timeout, ConnectionConfig config, ClientTls tls, byte[] preface)
            throws IOException;
}
