package dev.porter.core.internal;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Watches parked connections without a thread each: connections whose protocol called
 * {@code parkUntilReadable()} and then returned. One platform thread selects over all of them; when bytes arrive
 * the connection is switched back to blocking mode and resumed on a new virtual thread; when its idle timeout
 * passes first it is closed. A parked connection holds no buffer and no thread: only its socket and a key.
 */
final class IdlePoller implements Runnable {

    private static final System.Logger LOG = System.getLogger(IdlePoller.class.getName());
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Longest time between two walks over every parked connection, whatever their deadlines. */
    private static final long FULL_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Far enough ahead to stand for "none" in wrap-safe {@code nanoTime} comparisons. */
    private static final long NONE_DUE_NANOS = TimeUnit.DAYS.toNanos(1);

    private final Selector selector;
    private final Consumer<SocketConnection> resume;
    private final Consumer<SocketConnection> expire;
    /** Called instead of {@code expire} when a parked connection's idle timeout passed. */
    private final Consumer<SocketConnection> timedOut;
    private volatile boolean running = true;
    private final Thread thread;
    /**
     * The earliest park deadline the sweep may have to act on: lowered by each park, recomputed by each sweep. The
     * sweep walks every key, so it runs only when this is due (or once a second): with 10,000 connections parked
     * for a minute's keep-alive, walking them four times a second cost about 1% of a core for nothing.
     */
    private final AtomicLong due = new AtomicLong(System.nanoTime() + NONE_DUE_NANOS);

    IdlePoller(String name, Consumer<SocketConnection> resume, Consumer<SocketConnection> expire,
               Consumer<SocketConnection> timedOut) throws IOException {
        this.selector = Selector.open();
        this.resume = resume;
        this.expire = expire;
        this.timedOut = timedOut;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /**
     * Parks a connection. Called by the connection's own thread, which must not touch it afterwards.
     *
     * @return false if the poller is stopping (the caller closes the connection)
     */
    boolean park(SocketConnection c, long idleNanos) {
        if (!running) return false;
        try {
            c.parkDeadline = System.nanoTime() + idleNanos;
            Watchdog.parked(c);
            c.channel.configureBlocking(false);
            c.channel.register(selector, SelectionKey.OP_READ, c);
            // After the key is in the selector's key set: a sweep that resets `due` either sees this key in its
            // walk or sees this deadline here.
            due.accumulateAndGet(c.parkDeadline, IdlePoller::earlier);
            selector.wakeup();
            return true;
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not park " + c, e);
            return false;
        }
    }

    @Override
    public void run() {
        List<SocketConnection> ready = new ArrayList<>();
        long lastSweep = System.nanoTime();
        long lastFullSweep = lastSweep;
        boolean pendingSelected = false;
        try {
            while (running) {
                if (pendingSelected) selector.selectNow();
                else selector.select(SWEEP_NANOS / 1_000_000);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    key.cancel();
                    ready.add((SocketConnection) key.attachment());
                }
                if (!ready.isEmpty()) {
                    // Cancelled keys are deregistered by the next selection; only then may a channel block again.
                    selector.selectNow();
                    pendingSelected = !selector.selectedKeys().isEmpty();
                    for (SocketConnection c : ready) wake(c);
                    ready.clear();
                } else {
                    pendingSelected = false;
                }
                long now = System.nanoTime();
                if (now - lastSweep >= SWEEP_NANOS) {
                    lastSweep = now;
                    if (now - due.get() > 0 || now - lastFullSweep >= FULL_SWEEP_NANOS) {
                        lastFullSweep = now;
                        sweep(now);
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) LOG.log(System.Logger.Level.ERROR, "idle poller failed", e);
        } finally {
            closeAll();
        }
    }

    private void wake(SocketConnection c) {
        try {
            c.channel.configureBlocking(true);
            Watchdog.resumed(c);
            resume.accept(c);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not resume " + c, e);
            expire.accept(c);
        }
    }

    private void sweep(long now) {
        due.set(now + NONE_DUE_NANOS);
        long next = now + NONE_DUE_NANOS;
        for (SelectionKey key : selector.keys()) {
            SocketConnection c = (SocketConnection) key.attachment();
            try {
                if (!key.isValid()) continue;
                if (!c.channel.isOpen()) {
                    key.cancel();
                    expire.accept(c);
                } else if (now - c.parkDeadline > 0) {
                    key.cancel();
                    timedOut.accept(c);
                } else {
                    next = earlier(next, c.parkDeadline);
                }
            } catch (CancelledKeyException e) {
                // Readable and cancelled in this same round: wake() owns it now.
            }
        }
        due.accumulateAndGet(next, IdlePoller::earlier);
    }

    /** @return the earlier of two {@link System#nanoTime()} instants (wrap-safe) */
    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.isValid()) {
                    key.cancel();
                    expire.accept((SocketConnection) key.attachment());
                }
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing idle poller", e);
        }
    }

    /** Stops watching: every parked connection is closed. Returns once the thread ended. */
    void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join();
    }
}
