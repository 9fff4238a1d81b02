package dev.porter.http.internal.proxy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tunnels of one proxy: a cap on how many are open at once (a slot is reserved before the backend is
 * contacted; over the cap the client gets 503), and the idle reaper, one virtual thread for all of them, started
 * with the first tunnel, which closes a tunnel through which nothing passed either way for the idle timeout.
 * Thread-safe.
 */
final class Tunnels implements AutoCloseable {

    private final int max;
    private final long idleNanos;
    private final long tickMillis;
    private final AtomicInteger reserved = new AtomicInteger();
    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private Thread reaper;
    private volatile boolean closed;

    Tunnels(int max, Duration idle) {
        this.max = max;
        this.idleNanos = idle.toNanos();
        // A tunnel is closed between idle and idle + tick after its last byte.
        this.tickMillis = Math.clamp(idle.toMillis() / 8, 10, 1000);
    }

    /** @return true if a slot was taken (give it back with {@link #release()}); false at the cap */
    boolean reserve() {
        while (true) {
            int n = reserved.get();
            if (n >= max) return false;
            if (reserved.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives back a slot taken by {@link #reserve()}. */
    void release() {
        reserved.decrementAndGet();
    }

    /** @return slots taken now: tunnels open and handshakes in progress */
    int active() {
        return reserved.get();
    }

    /** Watches {@code t} for idleness until {@link #ended}. */
    void opened(Tunnel t) {
        open.add(t);
        synchronized (lock) {
            if (reaper == null && !closed) reaper = Thread.ofVirtual().name("porter-tunnel-reaper").start(this::reap);
        }
        if (closed) t.expire();
    }

    /** {@code t} ended: its slot is free. */
    void ended(Tunnel t) {
        if (open.remove(t)) release();
    }

    private void reap() {
        while (!closed) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Tunnel t : open) {
                if (now - t.lastActivity() >= idleNanos) t.expire();
            }
        }
    }

    /** Stops the reaper and closes every open tunnel. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (reaper != null) reaper.interrupt();
        }
        for (Tunnel t : open) t.expire();
    }
}
