package dev.porter.core.internal;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * Waits for the answers on plaintext client connections, so that waiting for one costs no failed read and no
 * registration. A virtual thread reading a blocking socket pays, each time it waits: a read that finds nothing
 * (EAGAIN), a one-shot registration with the JDK's poller (an {@code epoll_ctl} and a map entry), a park, the
 * poller's wake-up and the read again. Instead each client connection's channel stays non-blocking and registered
 * here for reading for its whole life, and the waiting thread publishes the array it wants filled
 * ({@link PolledSocket}); this platform thread reads straight into it when the socket is readable and unparks the
 * thread.
 *
 * <p>Client side only: a client connection is strictly request then answer, so an answer never arrives while its
 * thread is busy, and the mute/unmute rounds that made the server-side version of this lose at 256 connections
 * (docs/performance.md, lever 3b) do not arise. One poller per process, started with the first connection.
 */
final class ReadPoller implements Runnable {

    private static final System.Logger LOG = System.getLogger(ReadPoller.class.getName());
    /** How long a select waits at most: only a safety net, every change that matters wakes it. */
    private static final long SELECT_MILLIS = 1000;
    private static final boolean CLIENT_ENABLED = Boolean.parseBoolean(System.getProperty("porter.clientPoller", "false"));
    private static volatile ReadPoller client;

    private final Selector selector;
    private final Thread thread;

    ReadPoller(String name) throws IOException {
        selector = Selector.open();
        thread = Boolean.getBoolean("porter.clientPollerVirtual")
                ? Thread.ofVirtual().name(name).unstarted(this)
                : Thread.ofPlatform().daemon().name(name).unstarted(this);
    }

    /** @return the process's poller for plaintext client connections, started on first use; null when turned off */
    static ReadPoller client() throws IOException {
        if (!CLIENT_ENABLED) return null;
        ReadPoller p = client;
        if (p != null) return p;
        synchronized (ReadPoller.class) {
            if (client == null) {
                p = new ReadPoller("porter-client-read");
                p.thread.start();
                client = p;
            }
            return client;
        }
    }

    /** Puts {@code ch} in non-blocking mode under this poller for the rest of its life. */
    PolledSocket register(SocketChannel ch) throws IOException {
        PolledSocket s = new PolledSocket(ch, this);
        ch.configureBlocking(false);
        s.key = ch.register(selector, SelectionKey.OP_READ, s);
        selector.wakeup();
        return s;
    }

    /** Makes the selector apply an interest change now rather than at its next wake-up. */
    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (true) {
                selector.select(SELECT_MILLIS);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    try {
                        ((PolledSocket) key.attachment()).ready(key.readyOps());
                    } catch (CancelledKeyException e) {
                        // Closed meanwhile: the selector drops the key, its thread learns from the closed channel.
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // The OS failed epoll: the connections' waits end at their deadlines (the watchdog shuts them down).
            LOG.log(System.Logger.Level.ERROR, "client read poller failed", e);
        }
    }
}
