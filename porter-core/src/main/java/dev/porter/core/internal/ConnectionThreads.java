package dev.porter.core.internal;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the thread a connection's conversation runs on: a virtual thread, or — when the server allows
 * {@code platformThreads} — a pooled platform thread while fewer than that many conversations hold one, and a
 * virtual thread beyond. Either way each connection being served has a thread of its own, and a parked connection
 * none.
 *
 * <p>Why platform threads at all: a conversation that waits often and briefly (a reverse proxy waits twice per
 * exchange, on its client and on its backend) pays, on a virtual thread, a failed read, a registration with the
 * JDK's poller and an unpark through the scheduler for every wait; a platform thread blocked in {@code read} is
 * woken by the kernel directly. The pool keeps an idle thread for {@link #KEEP_ALIVE_SECONDS} so a resumed
 * connection rarely pays a thread's start. The bound keeps a server with thousands of busy long-lived
 * conversations (event streams, tunnels) from making thousands of kernel threads: those run virtual.
 * Thread-safe.
 */
final class ConnectionThreads {

    /** How long a pooled platform thread waits for its next conversation before it ends. */
    static final int KEEP_ALIVE_SECONDS = 30;

    private final ThreadFactory virtual = Thread.ofVirtual().factory();
    /** Null when every conversation runs on a virtual thread. */
    private final ThreadPoolExecutor platform;

    /**
     * @param platformThreads most conversations on platform threads at once; 0 for none
     * @param name            the pooled threads' name prefix
     */
    ConnectionThreads(int platformThreads, String name) {
        if (platformThreads == 0) {
            platform = null;
            return;
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> Thread.ofPlatform().daemon().name(name + n.incrementAndGet()).unstarted(r);
        // A SynchronousQueue hands a conversation to an idle thread or a new one, never queues it behind another
        // conversation; when every platform thread is busy (or the pool is shut down) the executor refuses, and
        // the conversation runs on a virtual thread instead.
        platform = new ThreadPoolExecutor(0, platformThreads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), f, (task, pool) -> virtual.newThread(task).start());
    }

    /** Runs {@code conversation} on a thread of its own. */
    void start(Runnable conversation) {
        if (platform != null) platform.execute(conversation);
        else virtual.newThread(conversation).start();
    }

    /** Lets the pooled threads end once their conversations have; later conversations run on virtual threads. */
    void shutdown() {
        if (platform != null) platform.shutdown();
    }

    /** @return platform threads alive in the pool (busy or waiting for work), 0 without a pool */
    int platformThreads() {
        return platform == null ? 0 : platform.getPoolSize();
    }
}
