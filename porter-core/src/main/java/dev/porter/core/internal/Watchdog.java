package dev.porter.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces write timeouts, which Java sockets lack: a write blocked on a peer that does not read would otherwise
 * hold its thread forever. One daemon thread, running only while connections exist, checks every
 * {@link #PERIOD_MILLIS} ms and closes connections whose current write started longer ago than their write
 * timeout. The cost on the write path is two volatile stores.
 */
final class Watchdog {

    static final long PERIOD_MILLIS = 250;
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
            for (SocketConnection c : WATCHED) c.checkWriteDeadline(now);
        }
    }
}
