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
 */
public final class Http2Retry extends IOException {

    private final boolean unprocessed;
    private final boolean http11Required;

    Http2Retry(String message, boolean unprocessed, boolean http11Required) {
        super(message, null);
        this.unprocessed = unprocessed;
        this.http11Required = http11Required;
    }

    /** @return true if the server did not process the request (any method may be retried) */
    public boolean unprocessed() {
        return unprocessed;
    }

    /** @return true if the server asked for HTTP/1.1 instead (RST_STREAM HTTP_1_1_REQUIRED, RFC 9113 §7) */
    public boolean http11Required() {
        return http11Required;
    }
}
