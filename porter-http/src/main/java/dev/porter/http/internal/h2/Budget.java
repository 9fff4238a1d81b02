package dev.porter.http.internal.h2;

/**
 * Events a peer may cause per window of time, counted from the first event of each window: the bound on floods
 * that cost the server work without asking for anything (rapid reset, CVE-2023-44487; SETTINGS, PING, PRIORITY,
 * empty-frame and unknown-frame floods). Used by the connection's reader thread only.
 */
final class Budget {

    private final int allowed;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int spent;

    Budget(int allowed, long windowNanos) {
        this.allowed = allowed;
        this.windowNanos = windowNanos;
    }

    /**
     * Counts one event.
     *
     * @param what the events, plural, for the error's message
     * @throws Http2Exception a connection error, ENHANCE_YOUR_CALM (RFC 9113 §5.4.1, §10.5), once the window's
     *                        budget is spent
     */
    void spend(String what) {
        long now = System.nanoTime();
        if (now - windowStart > windowNanos) {
            windowStart = now;
            spent = 0;
        }
        if (++spent > allowed) throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "too many " + what);
    }
}
