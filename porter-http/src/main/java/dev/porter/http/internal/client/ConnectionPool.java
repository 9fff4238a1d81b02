package dev.porter.http.internal.client;

import dev.porter.http.internal.h2client.Http2ClientConnection;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Idle keep-alive connections of one client, per {@link Route}: at most {@code maxIdlePerRoute} each, none older
 * than {@code idleTimeout}. Most recently used first (the likeliest to be alive). A connection taken out is checked
 * for signs of death first when it idled a while or its request cannot be retried: a server that closed it leaves
 * an end-of-stream (or stray bytes) to read. A reaper thread closes expired connections, so sockets a server
 * closed do not linger. Thread-safe; a ReentrantLock, never {@code synchronized}, so virtual threads do not pin.
 *
 * <p>HTTP/2 connections are shared, not lent: one per route, carrying every request to it at once
 * ({@link #multiplexed}). The pool also remembers what it learned of each route's server: that ALPN chose
 * HTTP/1.1 ({@link #knownHttp11}), or that it asked for HTTP/1.1 instead of HTTP/2 ({@link #http11Required}); and
 * it lets one thread at a time open a connection to a route that may speak HTTP/2 ({@link #openLock}), so that
 * requests arriving together share the first connection instead of each opening one.
 */
final class ConnectionPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpClient");
    /** A connection idle for less than this is taken without the liveness probe (unless the request needs it). */
    private static final long PROBE_AFTER_NANOS = 1_000_000_000L;
    private static final Duration PROBE_WAIT = Duration.ofMillis(1);

    private final int maxIdlePerRoute;
    private final long idleTimeoutNanos;
    private final Map<Route, ArrayDeque<PooledConnection>> idle = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Route, Http2ClientConnection> multiplexed = new ConcurrentHashMap<>();
    private final Map<Route, ReentrantLock> opening = new ConcurrentHashMap<>();
    private final Set<Route> http11 = ConcurrentHashMap.newKeySet();
    private final Set<Route> http11Required = ConcurrentHashMap.newKeySet();
    private boolean closed;
    private Thread reaper;

    ConnectionPool(int maxIdlePerRoute, Duration idleTimeout) {
        this.maxIdlePerRoute = maxIdlePerRoute;
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /**
     * Takes an idle connection to {@code route}.
     *
     * @param probe true to check even a recently used connection (the request cannot be retried if it is dead)
     * @return a live-looking connection, or null if none is idle
     */
    PooledConnection acquire(Route route, boolean probe) {
        while (true) {
            PooledConnection pc;
            lock.lock();
            try {
                ArrayDeque<PooledConnection> q = idle.get(route);
                pc = q == null ? null : q.pollFirst();
            } finally {
                lock.unlock();
            }
            if (pc == null) return null;
            long idleFor = System.nanoTime() - pc.idleSince;
            if (idleFor >= idleTimeoutNanos) {
                pc.c.close();
                continue;
            }
            if ((probe || idleFor >= PROBE_AFTER_NANOS) && looksDead(pc)) {
                pc.c.close();
                continue;
            }
            pc.reused = true;
            return pc;
        }
    }

    /**
     * A server that closed an idle connection left an end-of-stream to read; one that sent bytes nobody asked for
     * broke the protocol. Either way the connection must not carry a request.
     */
    private static boolean looksDead(PooledConnection pc) {
        var c = pc.c;
        if (!c.isOpen() || c.hasBufferedInput()) return true;
        try {
            return c.awaitInput(PROBE_WAIT);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "pooled connection {0} failed its probe: {1}", pc, e.getMessage());
            return true;
        }
    }

    /** Gives a connection whose exchange completed cleanly back; closes it if the pool is full or closed. */
    void release(PooledConnection pc) {
        if (!pc.c.isOpen() || pc.c.hasBufferedInput()) {
            // Bytes after a complete response were never asked for: the stream cannot be trusted any more.
            pc.c.close();
            return;
        }
        pc.idleSince = System.nanoTime();
        PooledConnection evicted = null;
        lock.lock();
        try {
            if (closed || maxIdlePerRoute == 0) {
                evicted = pc;
            } else {
                ArrayDeque<PooledConnection> q = idle.computeIfAbsent(pc.route, r -> new ArrayDeque<>());
                q.addFirst(pc);
                if (q.size() > maxIdlePerRoute) evicted = q.pollLast();
                if (reaper == null) reaper = Thread.ofVirtual().name("porter-client-reaper").start(this::reap);
            }
        } finally {
            lock.unlock();
        }
        if (evicted != null) evicted.c.close();
    }

    /** @return idle connections held now */
    int idleCount() {
        lock.lock();
        try {
            int n = 0;
            for (ArrayDeque<PooledConnection> q : idle.values()) n += q.size();
            for (Http2ClientConnection h : multiplexed.values()) if (h.usable() && h.activeStreams() == 0) n++;
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void reap() {
        long period = Math.max(50_000_000L, Math.min(idleTimeoutNanos / 2, 5_000_000_000L));
        while (true) {
            try {
                Thread.sleep(Duration.ofNanos(period));
            } catch (InterruptedException e) {
                return; // close() interrupts: the pool is gone
            }
            List<PooledConnection> expired = new ArrayList<>();
            long now = System.nanoTime();
            lock.lock();
            try {
                if (closed) return;
                for (var it = idle.values().iterator(); it.hasNext(); ) {
                    ArrayDeque<PooledConnection> q = it.next();
                    // Oldest at the end: drop from there while expired.
                    while (!q.isEmpty() && now - q.peekLast().idleSince >= idleTimeoutNanos) expired.add(q.pollLast());
                    if (q.isEmpty()) it.remove(); // routes come and go (one per client with a preface)
                }
            } finally {
                lock.unlock();
            }
            for (PooledConnection pc : expired) pc.c.close();
            multiplexed.forEach((route, h) -> {
                if (!h.usable() || h.closeIfIdle(idleTimeoutNanos)) {
                    multiplexed.remove(route, h);
                    h.retireWhenIdle();
                }
            });
        }
    }

    /** Closes every idle connection; connections in use are closed when their exchanges give them back. */
    @Override
    public void close() {
        List<PooledConnection> all = new ArrayList<>();
        List<Http2ClientConnection> shared = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (ArrayDeque<PooledConnection> q : idle.values()) all.addAll(q);
            idle.clear();
            shared.addAll(multiplexed.values());
            multiplexed.clear();
            if (reaper != null) reaper.interrupt();
        } finally {
            lock.unlock();
        }
        for (PooledConnection pc : all) pc.c.close();
        for (Http2ClientConnection h : shared) h.retireWhenIdle();
    }

    // ---- HTTP/2 -------------------------------------------------------------------------------------------------

    /** @return the route's HTTP/2 connection if it takes new streams, else null (a dead one is dropped) */
    Http2ClientConnection multiplexed(Route route) {
        Http2ClientConnection h = multiplexed.get(route);
        if (h == null || h.usable()) return h;
        multiplexed.remove(route, h);
        h.retireWhenIdle();
        return null;
    }

    /**
     * Keeps a new HTTP/2 connection as the route's shared one (a previous one, if any, finishes its streams and
     * closes).
     *
     * @return false if the pool keeps no connections (closed, or {@code maxIdlePerRoute} 0): the caller uses it
     *         alone, and it closes after its streams
     */
    boolean addMultiplexed(Route route, Http2ClientConnection h) {
        http11.remove(route);
        Http2ClientConnection previous;
        lock.lock();
        try {
            if (closed || maxIdlePerRoute == 0) return false;
            previous = multiplexed.put(route, h);
            if (reaper == null) reaper = Thread.ofVirtual().name("porter-client-reaper").start(this::reap);
        } finally {
            lock.unlock();
        }
        if (previous != null && previous != h) previous.retireWhenIdle();
        return true;
    }

    /** @return the lock held while a connection that may speak HTTP/2 is opened to {@code route} */
    ReentrantLock openLock(Route route) {
        return opening.computeIfAbsent(route, r -> new ReentrantLock());
    }

    /** @return true if ALPN chose HTTP/1.1 on the route's last new connection (no need to wait for an opener) */
    boolean knownHttp11(Route route) {
        return http11.contains(route);
    }

    /** Notes that ALPN chose HTTP/1.1 (or nothing) for {@code route}. */
    void learnHttp11(Route route) {
        http11.add(route);
    }

    /** @return true if the route's server answered HTTP_1_1_REQUIRED: HTTP/2 is no longer offered to it */
    boolean http11Required(Route route) {
        return http11Required.contains(route);
    }

    /** Notes that the route's server requires HTTP/1.1 (RST_STREAM HTTP_1_1_REQUIRED, RFC 9113 §7). */
    void requireHttp11(Route route) {
        http11Required.add(route);
        Http2ClientConnection h = multiplexed.remove(route);
        if (h != null) h.retireWhenIdle();
    }
}
