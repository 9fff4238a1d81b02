package dev.porter.http.internal.websocket;

import dev.porter.core.InputWatch;

/**
 * How a server's conversation waits for the peer's next frame without a timer ({@code awaitInputWatched}, as an
 * HTTP/2 connection waits): a timed wait on a virtual thread costs a timer task armed and cancelled per message.
 * The core's watchdog asks {@link #quiet()} about ten times a second; the wait turns idle once a ping is due (or
 * the server stops: an idle wait is then ended, and the session says 1001). The pings themselves come from the
 * {@link SendWatchdog}'s tick ({@link #tick}), once per interval while the silence lasts (RFC 6455 §5.5.2); a pong
 * ends the wait. If nothing comes back, the connection's idle timeout — the WebSocket idle timeout less the ping
 * interval, counted from the moment the wait turned idle — cuts the wait, and the session closes with 1001 (§7.4.1).
 */
final class PingWatch implements InputWatch {

    private final Session session;
    private final long pingNanos;
    /** {@link System#nanoTime()} when this wait's first ping is due, and it turns quiet; set by the reader. */
    private volatile long quietAt;
    /** When the next ping is due: the first, then one interval after each. */
    private volatile long nextPing;
    /** True while the reader waits watched. */
    private volatile boolean waiting;

    PingWatch(Session session, long pingNanos) {
        this.session = session;
        this.pingNanos = pingNanos;
    }

    @Override
    public boolean quiet() {
        return System.nanoTime() - quietAt >= 0 || session.c.isDraining();
    }

    /** The reader begins a wait: its first ping is due at {@code pingDue}. */
    void begin(long pingDue) {
        quietAt = pingDue;
        nextPing = pingDue;
        waiting = true;
    }

    /** The reader's wait ended. */
    void end() {
        waiting = false;
    }

    /** Nothing to do: the pings come from {@link #tick}, and a stop ends a quiet wait by itself. */
    @Override
    public void nudge() {
    }

    /**
     * The send watchdog's look (every 100 ms) while the reader waits: a ping when one is due, on a thread of its own;
     * or, once a Close sent from another thread went unanswered for the close timeout, the connection dropped.
     */
    void tick(long now) {
        if (waiting && session.dropIfCloseUnanswered(now)) {
            waiting = false;
            return;
        }
        if (waiting && now - nextPing >= 0) {
            nextPing = now + pingNanos;
            Thread.ofVirtual().name("porter-websocket-ping").start(session::pingFromWatch);
        }
    }
}
