package dev.porter.core;

/**
 * The rules of the conversation between two connected sockets.
 *
 * <p>The welcome socket ({@link Server}) calls {@link #serve(Connection)} once for every accepted client socket,
 * on a new virtual thread of its own, so an implementation reads and writes in plain blocking style: read a
 * request, write the reply, repeat. When {@code serve} returns or throws, the connection is closed (unless the
 * protocol asked to be resumed with {@link Connection#parkUntilReadable()}).
 *
 * <p>Thread-safety: one instance serves every connection at once, from many virtual threads; keep per-connection
 * state in local variables and shared state in thread-safe objects. An exception thrown by {@code serve} is
 * logged once with the remote address and closes that connection only; the server and other connections go on.
 */
@FunctionalInterface
public interface Protocol {

    /**
     * Holds one conversation with a connected client.
     *
     * @param connection the client socket; owned by this call until it returns
     * @throws Exception anything; it closes this connection and nothing else
     */
    void serve(Connection connection) throws Exception;

    /**
     * A connection parked with {@link Connection#parkUntilReadable()} stayed silent for its whole idle timeout and
     * is about to be closed. Called on a virtual thread of its own, with the output usable (bounded by the write
     * timeout; nothing should be read), so a protocol can say goodbye first — HTTP/2 sends a GOAWAY (RFC 9113
     * §9.1), which tells the client that a request it sent at that moment was not processed. The connection is
     * closed when this returns or throws. Not called when the server stops (a graceful stop drains instead).
     * The default does nothing, and a protocol that does not override it costs no thread.
     *
     * @param connection the expiring connection
     * @throws Exception anything; the connection is closed either way
     */
    default void expired(Connection connection) throws Exception {
    }
}
