package dev.porter.core.internal;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * Reads for the plaintext connections of a server so that a request costs one unpark (issue #15, lever 3b). A
 * virtual thread reading a blocking socket costs, per request: a read that finds nothing (EAGAIN), a registration
 * with the JDK's poller (an {@code epoll_ctl} and a map entry), a park, the poller's wake-up, an unpark, and the
 * read again; measured here 4.2 system calls per plaintext request. Instead each connection's channel stays
 * non-blocking and registered here for reading for its whole life, and the waiting thread publishes the array it
 * wants filled ({@link PolledSocket}); this platform thread reads straight into it when the socket is readable and
 * unparks the thread: 2.3 system calls per request, as many as Netty's event loop makes.
 *
 * <p>A connection whose thread is busy (not waiting) and whose socket is readable (a pipelining client, a request
 * body) is muted, interest 0, so the level-triggered selector does not spin; its thread unmutes it when it next
 * waits. Writes that find the socket buffer full wait here for writability too (a non-blocking channel cannot
 * block). Each server has its own pollers ({@link #count()}), its connections spread over them in turn; off
 * with {@code -Dporter.readPoller=false}.
 */
final class ReadPoller implements Runnable {

    private static final System.Logger LOG = System.getLogger(ReadPoller.class.getName());
    /** Whether servers use the read pollers for their plaintext connections. */
    static final boolean ENABLED = !"false".equals(System.getProperty("porter.readPoller"));
    /** How long a select waits at most: only a safety net, every change that matters wakes it. */
    private static final long SELECT_MILLIS = 1000;

    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;

    ReadPoller(String name) throws IOException {
        selector = Selector.open();
        thread = Thread.ofPlatform().daemon().name(name).unstarted(this);
    }

    /** @return how many pollers a server starts: {@code -Dporter.readPollers}, else one per 4 cores, at least one */
    static int count() {
        return Math.max(1, Integer.getInteger("porter.readPollers", Runtime.getRuntime().availableProcessors() / 4));
    }

    void start() {
        thread.start();
    }

    /** Stops polling, once the server's connections are closed. Returns once the thread ended. */
    void stop() throws InterruptedException {
        running = false;
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a read poller", e);
        }
        thread.join();
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
            while (running) {
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
            // Closed by stop(); otherwise the OS failed epoll, and the connections' waits end at their deadlines.
            if (running) LOG.log(System.Logger.Level.ERROR, "read poller failed", e);
        }
    }
}
