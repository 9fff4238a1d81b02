package dev.porter.http;

import dev.porter.core.TlsInfo;

import java.net.URI;
import java.util.Optional;

/**
 * The client's end of a WebSocket conversation, opened by {@link HttpClient#websocket}. It is a {@link WebSocket}
 * like the server's end, so code that reads and writes messages serves either: {@link #receive()} joins fragments,
 * answers pings, inflates and checks UTF-8; the {@code send} methods are thread-safe and block while the server
 * does not read; every limit is the request's {@link WebSocketConfig}. What differs for a client:
 * <ul>
 *   <li>every frame it sends is masked with a fresh key (RFC 6455 §5.3), and a masked frame from the server fails
 *       the connection with 1002 (§5.1);</li>
 *   <li>messages that arrive after this side sent its Close are still returned by {@code receive()} (a server may
 *       finish what it was sending, §1.4), until the server's Close;</li>
 *   <li>after the Close frames were exchanged the server closes TCP first (§7.1.1): the client waits for that, at
 *       most {@link WebSocketConfig#closeTimeout()}, then closes its side;</li>
 *   <li>{@link #request()} is the opening handshake as this client sent it: method {@code GET}, target, version and
 *       header fields as written; {@link Request#remoteAddress()} is the server's address and
 *       {@link Request#localAddress()} this end's, {@link Request#tls()} the connection's TLS; no path parameters,
 *       no body.</li>
 * </ul>
 * Only the thread in {@code receive()} reads: a client that stops calling it answers no pings, and the server's
 * messages wait in the socket (TCP back-pressure). {@link #close()} (from {@link AutoCloseable}) starts the closing
 * handshake with 1000 and, unlike the server's handler-driven end, waits for it to finish, reading and discarding
 * what still arrives, so a try-with-resources block leaves nothing open.
 */
public interface ClientWebSocket extends WebSocket, AutoCloseable {

    /** @return the URI the conversation was opened with, as given ({@code ws}, {@code wss}, {@code http} or {@code https}) */
    URI uri();

    /** @return the header fields of the server's {@code 101 Switching Protocols} (a copy) */
    Headers responseHeaders();

    /**
     * @return the permessage-deflate parameters agreed ({@code Sec-WebSocket-Extensions} of the response, for
     *         example {@code permessage-deflate; server_no_context_takeover}), or null without compression
     */
    String extensions();

    /**
     * @return the code of the server's Close frame (1005 if it had none), or 0 while none came (or if none ever
     *         came: the connection failed, or this side gave up waiting). Tells who ended the conversation:
     *         {@link #closeCode()} is the first code known, which may be this side's
     */
    int serverCloseCode();

    /** @return the TLS the conversation runs over ({@code wss}), or empty ({@code ws}) */
    default Optional<TlsInfo> tls() {
        return request().tls();
    }

    /**
     * Ends the conversation: sends Close 1000 unless a Close was already sent, reads (and discards) until the
     * server's Close and the end of the connection, at most {@link WebSocketConfig#closeTimeout()}, then closes the
     * socket. Idempotent; never throws for a network failure (the conversation is over either way).
     */
    @Override
    void close();
}
