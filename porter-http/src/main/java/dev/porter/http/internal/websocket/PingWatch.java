package dev.porter.http.internal.websocket;

import dev.porter.core.InputWatch;

/**
 * How a server's conversation waits for the peer's next frame without a timer ({@code awaitInputWatched}, as an
 * HTTP/2 connection waits): a timed wait on a virtual thread costs a timer task armed and cancelled per message.
 * The core's watchdog asks {@link #quiet()} about ten times a second; the wait turns idle once a ping is due (or
 * the server stops: an idle wait is then ended, and the session says 1001). {@link #nudge()}, a moment later, sends
 * that ping (RFC 6455 §5.5.2), whose pong ends the wait. If nothing comes back, the connection's idle timeout —
 * the WebSocket idle timeout less the ping interval, counted from the moment the wait turned idle — cuts the wait,
 * and the session closes with 1001 (§7.4.1).
 */
final class PingWatch implements InputWatch {

    private final Session session;
    /** {@link System#nanoTime()} when the next ping is due; set by the reader before each wait. */
    volatile long pingDue;

    PingWatch(Session session) {
        this.session = session;
    }

    @Override
    public boolean quiet() {
        return System.nanoTime() - pingDue >= 0 || session.c.isDraining();
    }

    @Override
    public void nudge() {
        session.pingFromWatch();
    }
}
