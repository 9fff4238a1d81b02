package dev.porter.http;

import java.io.IOException;

/**
 * An {@link EventStream} can take no more events: the client went away (a write failed), a graceful stop began
 * (the client reconnects elsewhere, sending {@code Last-Event-ID}), the stream was closed, or the request was a
 * {@code HEAD} (or the status forbids a body) so there is no stream to write to. It is the normal end of an event
 * stream, not a failure: a handler may let it propagate, and the server then ends the response quietly (nothing is
 * logged above DEBUG).
 */
public final class EventStreamClosedException extends IOException {

    /** @param message why the stream ended */
    public EventStreamClosedException(String message) {
        super(message);
    }

    /**
     * @param message why the stream ended
     * @param cause   the failed write
     */
    public EventStreamClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
