package dev.porter.http.internal.sse;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one clock behind every event stream's heartbeat: a scheduler whose single worker is a virtual thread, so
 * thousands of streams cost one timer entry each and no platform thread at all. A tick only starts the write on a
 * new virtual thread: a stream whose client does not read blocks that thread, never the clock.
 */
final class Heartbeats {

    private static final ScheduledThreadPoolExecutor CLOCK = clock();

    private Heartbeats() {
    }

    private static ScheduledThreadPoolExecutor clock() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                Thread.ofVirtual().name("porter-sse-heartbeats").factory());
        // A stream that ended cancels its entry: remove it at once, not when it would have fired.
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** Calls {@code beat} on a new virtual thread every {@code period} until the returned future is cancelled. */
    static ScheduledFuture<?> every(Duration period, Runnable beat) {
        long nanos = period.toNanos();
        return CLOCK.scheduleAtFixedRate(() -> Thread.ofVirtual().name("porter-sse-heartbeat").start(beat),
                nanos, nanos, TimeUnit.NANOSECONDS);
    }
}
