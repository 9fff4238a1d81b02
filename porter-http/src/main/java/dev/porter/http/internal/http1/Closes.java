package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.http.internal.Linger;

import java.io.IOException;

/**
 * How an HTTP/1.1 connection ends after its last response (RFC 9112 §9.6): always by half-closing first, so the
 * response leaves before the close (with TLS, in one write with close_notify); then at once when the client asked
 * to close, or after a lingering read otherwise. The connection itself closes when the protocol returns.
 */
final class Closes {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpServer");
    /** Bytes read and discarded after a final response before closing, so the client sees it, not a reset. */
    private static final int LINGER_DISCARD_BYTES = 256 * 1024;
    private static final long LINGER_CLOSE_NANOS = 1_000_000_000L;

    private Closes() {
    }

    /**
     * The client asked to close ({@code Connection: close}, or HTTP/1.0 without keep-alive), its request was read
     * whole and nothing more is buffered: it sends no further request on this connection (RFC 9112 §9.6), so there
     * is nothing whose arrival could turn the close into a reset that destroys the response, and no lingering read
     * is needed (nginx lingers only while request body remains unread). Saves the lingering read's park, poller
     * registration and wake-up, per connection.
     */
    static void asAsked(Connection c) {
        try {
            c.shutdownOutput();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "close ended: {0}", e.getMessage());
        }
    }

    /**
     * Half-closes, then reads what the client still sends for a moment before the socket closes, so that unread
     * input does not make the kernel answer with a reset that destroys the response (RFC 9112 §9.6). For errors,
     * server-initiated closes, and anything still buffered.
     */
    static void lingering(Connection c) {
        try {
            // shutdownOutput flushes first, in one write with TLS's close_notify (a flush here would send it alone).
            c.shutdownOutput();
            Linger.discardInput(c.input(), LINGER_CLOSE_NANOS, LINGER_DISCARD_BYTES);
        } catch (IOException e) {
            // The client went away or was slow to close: either way the connection is done.
            LOG.log(System.Logger.Level.TRACE, "lingering close ended: {0}", e.getMessage());
        }
    }
}
