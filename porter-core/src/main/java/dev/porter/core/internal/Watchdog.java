package dev.porter.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces read and write timeouts. Java sockets have no write timeout at all (a write blocked on a peer that does
 * not read would hold its thread forever), and a timed read on a virtual thread schedules a timer task per read,
 * which costs about a third of a small HTTP request's CPU. So reads and writes block untimed and record their
 * deadline in a volatile field; one daemon thread, running only while unparked connections exist, checks every
 * {@link #PERIOD_MILLIS} ms: a read past its deadline gets its input shut down (it returns end-of-stream and reports
 * a timeout), a write past the write timeout gets its connection closed. Timeouts fire up to one period late.
 */
final class Watchdog {

    static final long PERIOD_MILLIS = 100;
    private static final Set<SocketConnection> WATCHED = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;

    private Watchdog() {
    }

    static void watch(SocketConnection c) {
        WATCHED.add(c);
        if (thread == null) ensureRunning();
    }

    static void unwatch(SocketConnection c) {
        WATCHED.remove(c);
    }

    /**
     * A parked connection has no thread, so no read or write to bound (the {@link IdlePoller} keeps its idle
     * deadline): it is not scanned, and with every connection parked the watchdog's thread ends. Scanning 10,000
     * parked connections ten times a second cost 1.7% of a core for nothing.
     */
    static void parked(SocketConnection c) {
        WATCHED.remove(c);
    }

    /** Back from a park: watched again, unless it closed meanwhile (its close unwatched it, perhaps just before). */
    static void resumed(SocketConnection c) {
        watch(c);
        if (!c.isOpen()) WATCHED.remove(c);
    }

    private static synchronized void ensureRunning() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("porter-watchdog").start(Watchdog::loop);
        }
    }

    private static void loop() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                synchronized (Watchdog.class) {
                    thread = null;
                }
                return;
            }
            if (WATCHED.isEmpty()) {
                synchronized (Watchdog.class) {
                    // Exit only while holding the lock, so a concurrent watch() either sees null and starts a
                    // new thread, or added before this check and keeps this one alive.
                    if (WATCHED.isEmpty()) {
                        thread = null;
                        return;
                    }
                }
            }
            long now = System.nanoTime();
            for (SocketConnection c : WATCHED) c.checkDeadlines(now);
        }
    }
}
