package dev.porter.http;

import dev.porter.core.TlsInfo;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Observes what an {@link HttpClient} sends and receives, for logging and tracing ({@code porter get -v} prints
 * these). Every method has an empty default; override what you need. Called on the thread that calls
 * {@link HttpClient#send}, so implementations shared by several threads must be thread-safe, and should be quick:
 * the exchange waits for them. An exception thrown here fails the request.
 */
public interface ExchangeListener {

    /**
     * A new connection was opened (reused connections are not reported).
     *
     * @param uri    the request it was opened for
     * @param remote the server's address
     */
    default void connected(URI uri, InetSocketAddress remote) {
    }

    /**
     * The new connection's TLS handshake is done (for {@code https}; called right after {@link #connected}).
     *
     * @param uri the request it was opened for
     * @param tls what the handshake settled: protocol version, cipher suite, ALPN protocol, the server's chain
     */
    default void secured(URI uri, TlsInfo tls) {
    }

    /**
     * A request head was sent: the request line and the header fields exactly as written, without line ends and
     * without the empty line that ends the head. Called once per attempt (redirects and retries included). Over
     * HTTP/2 the first line ends in {@code HTTP/2}, {@code Host} stands for {@code :authority}, and the HTTP/1.1
     * framing fields (Transfer-Encoding, Connection) are absent, as they are not sent.
     */
    default void requestHead(List<String> lines) {
    }

    /**
     * A response head was received: the status line and header fields (as {@code Name: value}, whitespace around
     * the value removed), without line ends. Called for interim (1xx) responses and redirects too. Over HTTP/2
     * the status line is {@code HTTP/2 200} (HTTP/2 has no reason phrase) and field names are lower case.
     */
    default void responseHead(List<String> lines) {
    }
}
