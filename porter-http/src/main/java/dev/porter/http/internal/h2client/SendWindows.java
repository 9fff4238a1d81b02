package dev.porter.http.internal.h2client;

import dev.porter.http.HttpClientException;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;
import dev.porter.http.internal.h2.Settings;

import java.io.IOException;
import java.time.Duration;

/**
 * What the server lets us send (RFC 9113 §5.2, §6.9): the connection's send window, here, and each stream's
 * ({@link Http2ClientStream#sendWindow}). A request body takes window before each DATA frame ({@link #reserve}),
 * the server's WINDOW_UPDATE opens a window ({@link #opened}), and a change of its SETTINGS_INITIAL_WINDOW_SIZE
 * moves every stream's ({@link #initialWindowChanged}); no window may pass 2^31-1 (§6.9.1). Guarded by the
 * {@link ClientStreamTable}'s lock: whether to send or to wait also depends on the connection's failure.
 */
final class SendWindows {

    private static final long MAX_WINDOW = Integer.MAX_VALUE;

    private final ClientStreamTable table;
    private final String remote;
    private final long readTimeoutNanos;
    /** The connection's send window; guarded by the table's lock. */
    private long window = Settings.DEFAULT_WINDOW_SIZE;

    SendWindows(ClientStreamTable table, String remote, long readTimeoutNanos) {
        this.table = table;
        this.remote = remote;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    /**
     * Takes send window for up to {@code want} bytes: the least of the stream's and the connection's windows and
     * the server's frame size.
     *
     * @param wait     with a window closed: true to wait for WINDOW_UPDATE until {@code until} or {@code deadline},
     *                 false to return 0 at once (what the caller wrote may be what the server waits for: it flushes
     *                 first, then asks again)
     * @param deadline whole-request deadline ({@link System#nanoTime()}) or 0, with its {@code timeout}
     * @return the bytes granted; 0 if a window is closed and {@code wait} is false; -1 if the server reset the
     *         stream or answered for good (stop sending)
     * @throws HttpClientException.Timeout of kind WRITE if the window stayed closed for the read timeout
     */
    int reserve(Http2ClientStream s, int want, boolean wait, long until, long deadline, Duration timeout)
            throws IOException {
        table.lock();
        try {
            while (true) {
                if (s.remoteDone()) return -1;
                IOException failure = table.failure();
                if (failure != null) throw s.connectionEnded(failure, remote);
                long w = Math.min(s.sendWindow, window);
                if (w > 0) {
                    int k = (int) Math.min(want, Math.min(w, table.peerMaxFrameSize()));
                    s.sendWindow -= k;
                    window -= k;
                    return k;
                }
                if (!wait) return 0;
                try {
                    table.await(until, deadline);
                } catch (StreamTimeout e) {
                    if (e.deadline) throw e.toClientTimeout(remote, timeout, readTimeoutNanos, "");
                    throw new HttpClientException.Timeout(remote + " did not open its HTTP/2 flow-control window for "
                            + readTimeoutNanos / 1_000_000 + " ms (write timeout)", HttpClientException.Timeout.Kind.WRITE);
                }
            }
        } finally {
            table.unlock();
        }
    }

    /**
     * The server's WINDOW_UPDATE: opens the connection's window ({@code streamId} 0) or a stream's.
     *
     * @throws Http2Exception FLOW_CONTROL_ERROR past 2^31-1 (a connection error for the connection's window, a stream
     *                        error for a stream's), or PROTOCOL_ERROR for a stream never opened
     */
    void opened(int streamId, int increment) {
        table.lock();
        try {
            if (streamId == 0) {
                window += increment;
                if (window > MAX_WINDOW) {
                    throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "connection window above 2^31-1 (RFC 9113 §6.9.1)");
                }
            } else {
                Http2ClientStream s = table.get(streamId);
                if (s == null) {
                    table.checkNotIdle(streamId, "WINDOW_UPDATE"); // the lock is reentrant
                    return;
                }
                s.sendWindow += increment;
                if (s.sendWindow > MAX_WINDOW) {
                    throw Http2Exception.stream(streamId, Http2Error.FLOW_CONTROL_ERROR, "stream window above 2^31-1 (RFC 9113 §6.9.1)");
                }
            }
            table.signalAll();
        } finally {
            table.unlock();
        }
    }

    /**
     * The server changed SETTINGS_INITIAL_WINDOW_SIZE by {@code delta}: every open stream's window moves by it
     * (§6.9.2), and may go negative; the table's lock is held.
     *
     * @throws Http2Exception FLOW_CONTROL_ERROR, a connection error, if a window passes 2^31-1
     */
    static void initialWindowChanged(Iterable<Http2ClientStream> streams, long delta) {
        for (Http2ClientStream s : streams) {
            s.sendWindow += delta;
            if (s.sendWindow > MAX_WINDOW) {
                throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR,
                        "SETTINGS_INITIAL_WINDOW_SIZE makes a stream's window larger than 2^31-1");
            }
        }
    }
}
