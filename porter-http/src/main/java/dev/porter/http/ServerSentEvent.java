package dev.porter.http;

import java.time.Duration;

/**
 * One server-sent event (WHATWG HTML, "Server-sent events", the {@code text/event-stream} format), sent with
 * {@link EventStream#send(ServerSentEvent)}. Immutable; start from {@link #of(String)} and add fields with the
 * {@code withX} methods.
 *
 * <p>On the wire each field is a line ({@code id: …}, {@code event: …}, {@code retry: …}, then {@code data: …}) and
 * a blank line ends the event. {@code data} may hold any text: every line of it (split at CRLF, CR or LF, the
 * three line ends the format knows) becomes a {@code data:} line of its own, and the browser joins them back with
 * LF, so a multi-line value arrives whole (with LF line ends). The other fields are one line each and may not hold
 * a line end.
 *
 * @param id    the event's id, which the browser sends back as {@code Last-Event-ID} when it reconnects; null for
 *              none. No CR, LF or NUL (a browser ignores an id holding NUL)
 * @param event the event type ({@code addEventListener(type, …)} in the browser; without one it is
 *              {@code message}); null for none. No CR or LF
 * @param data  the payload, any text including line ends; null for none (a browser dispatches no event without
 *              data, but still takes the id and the retry)
 * @param retry how long the browser waits before reconnecting after the stream ends; null to leave it alone.
 *              Sent in whole milliseconds, not negative
 */
public record ServerSentEvent(String id, String event, String data, Duration retry) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if a single-line field holds a line end (or the id a NUL), the retry is
     *                                  negative, or every field is null
     */
    public ServerSentEvent {
        if (id != null && (has(id, '\r') || has(id, '\n') || has(id, '\0'))) {
            throw new IllegalArgumentException("an event id may not hold CR, LF or NUL");
        }
        if (event != null && (has(event, '\r') || has(event, '\n'))) {
            throw new IllegalArgumentException("an event type may not hold CR or LF");
        }
        if (retry != null && retry.isNegative()) throw new IllegalArgumentException("retry must not be negative: " + retry);
        if (id == null && event == null && data == null && retry == null) {
            throw new IllegalArgumentException("an event needs at least one field");
        }
    }

    /** @return an event of type {@code message} carrying {@code data} */
    public static ServerSentEvent of(String data) {
        return new ServerSentEvent(null, null, data, null);
    }

    /** @return a copy with this id */
    public ServerSentEvent withId(String newId) {
        return new ServerSentEvent(newId, event, data, retry);
    }

    /** @return a copy with this event type */
    public ServerSentEvent withEvent(String type) {
        return new ServerSentEvent(id, type, data, retry);
    }

    /** @return a copy with this payload */
    public ServerSentEvent withData(String newData) {
        return new ServerSentEvent(id, event, newData, retry);
    }

    /** @return a copy asking the browser to wait this long before reconnecting */
    public ServerSentEvent withRetry(Duration reconnect) {
        return new ServerSentEvent(id, event, data, reconnect);
    }

    private static boolean has(String s, char c) {
        return s.indexOf(c) >= 0;
    }
}
