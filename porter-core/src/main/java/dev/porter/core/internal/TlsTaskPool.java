package dev.porter.core.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's platform threads for the expensive steps of its TLS handshakes: the tasks an {@link SSLEngine} hands
 * out by {@code getDelegatedTask()} (in a TLS 1.3 handshake the ClientHello's: the key agreement, the choice of
 * certificate and its CertificateVerify signature). The connection's virtual thread parks until they are done.
 *
 * <p>Why not on the connection's own thread: there they occupy a carrier, and the virtual-thread scheduler has one
 * per core, so a burst of handshakes holds up the established connections' requests queued behind them, and the
 * handshakes get no more of the CPU than the carriers' share (docs/tls.md, "Performance", sixth round). Here they
 * compete as threads of their own, without making every virtual thread's scheduler larger. Keep-alive traffic
 * never comes here: tasks exist only during handshakes. Only when {@code TlsConfig.handshakeThreads} is set: on a
 * quiet 2-core machine the hand-off (a queue, a pool thread's wake-up, the connection's unpark) cost more CPU per
 * handshake than it saved, so by default the tasks run on the connection's thread.
 *
 * <p>The queue is unbounded in type but not in fact: a handshake submits only while it holds one of the
 * acceptor's {@code maxHandshakes} slots, and waits for its task before it goes on (or, past its deadline, takes it
 * out of the queue), so at most that many tasks are queued, plus at most one running per thread for a handshake
 * that already gave up.
 *
 * <p>Threads start with the first handshakes (one per task until the pool is full) and end after a minute idle,
 * so a server with few handshakes keeps none; {@link #close()} ends them all.
 */
final class TlsTaskPool implements AutoCloseable {

    /** How long an idle thread stays for the next handshake. */
    private static final long KEEP_ALIVE_SECONDS = 60;
    /** How long {@link #close()} waits for tasks already queued (each a few milliseconds of crypto). */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final ThreadPoolExecutor executor;

    /** @param threads the pool's size, at least 1 */
    TlsTaskPool(int threads) {
        AtomicInteger next = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "porter-tls-handshake-" + next.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs every task {@code engine} has delegated, on the pool, and waits for them until {@code deadline}
     * ({@link System#nanoTime()}). After {@link #close()} they run on the calling thread, as without a pool.
     *
     * @throws java.net.SocketTimeoutException if they did not finish by the deadline (queued ones are dropped; a
     *                                         running one ends on its own, its result unused: the caller closes)
     * @throws InterruptedIOException          if interrupted while waiting (the interrupt is kept)
     * @throws SSLHandshakeException           if a task threw (the JDK's own tasks keep their failures for the
     *                                         engine's next wrap or unwrap; this is for anything else)
     */
    void run(SSLEngine engine, long deadline, SocketSource net) throws IOException {
        Future<?> done;
        try {
            done = executor.submit(() -> runInline(engine));
        } catch (RejectedExecutionException closed) {
            runInline(engine);
            return;
        }
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            drop(done);
            throw net.timeout("TLS handshake not completed in time (its computation was queued or running)");
        } catch (InterruptedException e) {
            drop(done);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the TLS handshake computed");
        } catch (ExecutionException e) {
            throw new SSLHandshakeException("TLS handshake task failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            // Dropped from the queue by a close() that could not wait (see there): nothing ran, so run it here.
            runInline(engine);
        }
    }

    /** A handshake gave up on its task: out of the queue if it is still there (a running one ends on its own). */
    private void drop(Future<?> task) {
        task.cancel(false);
        executor.remove((Runnable) task);
    }

    /** Runs {@code engine}'s delegated tasks on the calling thread (a pool thread's, or the connection's). */
    static void runInline(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
    }

    /** @return tasks completed so far (for tests) */
    long completed() {
        return executor.getCompletedTaskCount();
    }

    /**
     * Takes no more tasks and waits briefly for those queued (a server calls this once its connections ended, so
     * there are none or few); the threads then end.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) dropAll();
        } catch (InterruptedException e) {
            dropAll();
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the threads now; a handshake whose task was still queued is woken to run it itself. */
    private void dropAll() {
        for (Runnable queued : executor.shutdownNow()) {
            if (queued instanceof Future<?> f) f.cancel(false);
        }
    }
}
