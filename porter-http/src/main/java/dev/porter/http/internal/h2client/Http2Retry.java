package dev.porter.http.internal.h2client;

import java.io.IOException;

/**
 * A request that may be sent again on another connection, because the server did not act on it:
 * <ul>
 *   <li>{@link #unprocessed()}: the server said so (RFC 9113 §8.7): its GOAWAY's last stream identifier is below
 *       the stream, or it reset the stream with REFUSED_STREAM, or the connection stopped taking streams before
 *       the request was sent. Any method may be retried (its body too, if it can be sent again);</li>
 *   <li>otherwise, a connection that had carried earlier exchanges failed before any byte of this stream's
 *       response: like a stale HTTP/1.1 keep-alive connection, only idempotent requests are retried.</li>
 * </ul>
 * {@link #afterProgress()} tells an unprocessed request left over by a connection that served others (a server
 * retiring connections after so many streams, as nginx's {@code keepalive_requests} does) from one refused by a
 * connection that served nothing: only the second kind counts against the client's retry limit.
 */
public final class Http2Retry extends IOException {

    private final boolean unprocessed;
    private final boolean http11Required;
    private final boolean afterProgress;

    Http2Retry(String message, boolean unprocessed, boolean http11Required) {
        this(message, unprocessed, http11Required, false);
    }

    Http2Retry(String message, boolean unprocessed, boolean http11Required, boolean afterProgress) {
        super(message, null);
        this.unprocessed = unprocessed;
        this.http11Required = http11Required;
        this.afterProgress = afterProgress;
    }

    /** @return true if the server did not process the request (any method may be retried) */
    public boolean unprocessed() {
        return unprocessed;
    }

    /**
     * @return true if the connection that left the request unprocessed had completed streams, or its GOAWAY said the
     *         server processed some: the server works, it only stopped taking streams on that connection
     */
    public boolean afterProgress() {
        return afterProgress;
    }

    /** @return true if the server asked for HTTP/1.1 instead (RST_STREAM HTTP_1_1_REQUIRED, RFC 9113 §7) */
    public boolean http11Required() {
        return http11Required;
    }
}
