package dev.porter.http.internal.websocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Enforces every WebSocket's send timeout: one virtual thread, alive while any conversation is, looks every
 * {@value #TICK_MILLIS} ms at when each {@link Sender}'s current send began and drops the connection of one that
 * has been sending longer than its timeout (the peer does not read). A send costs two volatile writes, not a timer:
 * with thousands of conversations sending small messages, arming and cancelling a timer per message would cost
 * more than the message. The same looks drive the pings of a server's conversation waiting without a timer
 * ({@link PingWatch}).
 */
final class SendWatchdog {

    static final long TICK_MILLIS = 100;
    private static final Set<Sender> SENDERS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    private SendWatchdog() {
    }

    static void watch(Sender s) {
        SENDERS.add(s);
        if (RUNNING.compareAndSet(false, true)) Thread.ofVirtual().name("porter-websocket-send-watchdog").start(SendWatchdog::run);
    }

    static void forget(Sender s) {
        SENDERS.remove(s);
    }

    private static void run() {
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                // Nobody interrupts this thread but a JVM shutting down: check once more, then go on as usual.
            }
            long now = System.nanoTime();
            for (Sender s : SENDERS) s.checkTimeout(now);
            if (SENDERS.isEmpty()) {
                RUNNING.set(false);
                // A sender registered between the check and the flag would otherwise have no watchdog.
                if (SENDERS.isEmpty() || !RUNNING.compareAndSet(false, true)) return;
            }
        }
    }
}
