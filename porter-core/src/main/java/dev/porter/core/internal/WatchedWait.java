package dev.porter.core.internal;

import dev.porter.core.InputWatch;

import java.util.concurrent.TimeUnit;

/**
 * A connection's wait for input without a timer ({@code Connection.awaitInputWatched}), as the {@link Watchdog}
 * sees it. The reading thread marks the wait's start and end; the watchdog's scan asks the protocol's
 * {@link InputWatch} whether it went quiet (then the wait is idle: a graceful stop ends it, the idle timeout runs
 * from that moment) and has the protocol nudge its peer once the quiet lasted a moment, or when a stop began.
 * The scan's own fields belong to the watchdog's thread; the two threads share only the volatile ones.
 */
final class WatchedWait {

    /** A quiet wait lasts this long before the protocol is asked to nudge its peer (two to three scans). */
    static final long NUDGE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private volatile InputWatch watch;
    /** Raised by every wait, so the scan knows a new wait from the one it looked at before. */
    private volatile int waits;
    // The watchdog thread's view of the current wait.
    private int seen;
    private long quietSince;
    private boolean nudged;

    /** The reading thread starts a wait. */
    void begin(InputWatch w) {
        waits++; // only the reading thread writes it
        watch = w;
    }

    /** The reading thread's wait ended (it clears the connection's idle flag itself afterwards). */
    void end() {
        watch = null;
    }

    /** @return true while the reading thread waits (read by a status snapshot: a moment old) */
    boolean waiting() {
        return watch != null;
    }

    /** @return true while the reading thread waits and the protocol says it is busy meanwhile ({@link InputWatch#busy}) */
    boolean busy() {
        InputWatch w = watch;
        return w != null && w.busy();
    }

    /**
     * The watchdog's scan of a connection.
     *
     * @return true if the wait has been quiet for longer than {@code idleNanos}: the caller cuts its input
     */
    boolean check(SocketConnection c, long now, long idleNanos) {
        InputWatch w = watch;
        if (w == null) return false;
        int n = waits;
        if (n != seen) {
            seen = n;
            quietSince = 0;
            nudged = false;
        }
        if (quietSince == 0 && w.quiet()) {
            quietSince = now | 1; // never 0, which means "not quiet"
            c.idle(true);
            // The wait may have ended between the look at `watch` and the flag: then the flag is stale, and a stop
            // would cut a connection that is working. Its reader clears the flag when a wait ends; a new wait has
            // a new number.
            if (watch != w || waits != n) c.idle(false);
        }
        boolean quiet = quietSince != 0;
        if (!nudged && ((quiet && now - quietSince >= NUDGE_AFTER_NANOS) || c.isDraining())) {
            nudged = true;
            Thread.ofVirtual().name("porter-nudge").start(w::nudge);
        }
        return quiet && now - quietSince > idleNanos;
    }
}
