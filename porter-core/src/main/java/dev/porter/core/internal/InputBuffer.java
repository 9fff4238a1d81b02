package dev.porter.core.internal;

import dev.porter.core.InputWatch;
import dev.porter.core.ReadBuffer;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The input side of a {@link SocketConnection}: unread bytes in {@code in[pos, lim)}, a pooled array while there
 * are any, and a small private array for idle reads, so a connection waiting for its next message holds no pooled
 * memory however long it waits. Bytes come from a {@link ByteSource} (the socket, or TLS beneath it).
 * Belongs to the reading thread.
 */
final class InputBuffer implements ReadBuffer {

    /** Size of the private array idle reads land in: holds a typical request head without a pooled buffer. */
    static final int IDLE_BUFFER_SIZE = 1024;
    /** A read this large with nothing buffered goes straight into the caller's array. */
    private static final int DIRECT_READ = 4096;
    private static final byte[] EMPTY = new byte[0];
    /** The read deadline of a watched wait: none of its own (the watchdog ends it once the protocol is quiet). */
    private static final long UNBOUNDED_NANOS = TimeUnit.DAYS.toNanos(365);

    private final SocketConnection c;
    private final ByteSource source;
    private final BufferPool pool;
    private byte[] in = EMPTY;
    private int pos;
    private int lim;
    private ByteBuffer pooled;
    private byte[] idleArray;
    /** Absolute {@link System#nanoTime()} deadline for every wait, or 0 for none. */
    private long deadline;
    /** Bytes received so far, for the status view: a plain field, added to once per read from the source. */
    private long bytesIn;

    /** @param pool where buffers come from, or null to allocate privately (client connections) */
    InputBuffer(SocketConnection c, ByteSource source, BufferPool pool) {
        this.c = c;
        this.source = source;
        this.pool = pool;
    }

    @Override public byte[] array() { return in; }
    @Override public int start() { return pos; }
    @Override public int end() { return lim; }
    @Override public int available() { return lim - pos; }

    /** @return bytes received from the source so far (read by another thread: may be a moment old) */
    long bytesIn() {
        return bytesIn;
    }

    @Override
    public void consume(int n) {
        if (n < 0 || n > lim - pos) throw new IllegalArgumentException("cannot consume " + n + " of " + (lim - pos) + " bytes");
        pos += n;
    }

    /** @return the next unread byte as 0..255 (the caller checked {@link #available()}) */
    int take() {
        return in[pos++] & 0xFF;
    }

    @Override
    public void deadline(long nanoTime) {
        deadline = nanoTime;
    }

    @Override
    public boolean fill(Wait wait, int maxBuffered) throws IOException {
        boolean idle = pos == lim && wait == Wait.NEXT_MESSAGE;
        // Never wait for the next message while holding output the peer may be waiting for. Inside a message
        // (e.g. a request body) output is held: answering before the message is complete is the caller's choice.
        if (idle) c.flushPending();
        long timeout = bounded(idle ? c.idleNanos() : c.config().readTimeout().toNanos());
        if (idle && c.parksWhenIdle()) return idleFill(timeout);
        if (in == EMPTY) takeArray();
        int unread = lim - pos;
        if (lim == in.length) {
            if (pos > 0) {
                System.arraycopy(in, pos, in, 0, unread);
            } else {
                if (unread >= maxBuffered) throw new IllegalStateException("buffer limit reached");
                grow(Math.min(Math.max(in.length * 2, 1024), Math.max(maxBuffered, in.length + 1)));
            }
            pos = 0;
            lim = unread;
        }
        int n = source.read(in, lim, in.length - lim, timeout);
        if (n < 0) return false;
        bytesIn += n;
        lim += n;
        return true;
    }

    /** Waits for a new message with the pooled array given back; the bytes land in the private idle array. */
    private boolean idleFill(long timeout) throws IOException {
        c.releaseBuffers(); // the output buffer too, unless a writer is using it
        if (idleArray == null) idleArray = new byte[IDLE_BUFFER_SIZE];
        int n;
        c.idle(true);
        try {
            if (c.isDraining()) return false;
            n = source.read(idleArray, 0, idleArray.length, timeout);
        } finally {
            c.idle(false);
        }
        if (n < 0) return false;
        holdIdleBytes(n);
        return true;
    }

    private void holdIdleBytes(int n) {
        bytesIn += n;
        takeArray();
        System.arraycopy(idleArray, 0, in, 0, n);
        lim = n;
    }

    @Override
    public int read(byte[] dst, int off, int len, Wait wait) throws IOException {
        if (len == 0) return 0;
        if (pos == lim) {
            if (in == EMPTY && wait == Wait.IN_MESSAGE && len >= DIRECT_READ) {
                // A large body read with nothing buffered: straight into the caller's array.
                int n = source.read(dst, off, len, bounded(c.config().readTimeout().toNanos()));
                if (n > 0) bytesIn += n;
                return n;
            }
            if (!fill(wait, Integer.MAX_VALUE)) return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(in, pos, dst, off, n);
        pos += n;
        return n;
    }

    /**
     * Waits up to {@code linger} for input without consuming it, with the pooled buffers given back meanwhile.
     *
     * @param idle true for an idle wait (a graceful stop ends it at once), false for a busy protocol's short wait
     * @return true if a byte is buffered or the stream ended; false if nothing came in time
     */
    boolean await(Duration linger, boolean idle) throws IOException {
        if (pos < lim || source.buffered()) return true;
        c.flushPending();
        c.releaseBuffers();
        if (idleArray == null) idleArray = new byte[IDLE_BUFFER_SIZE];
        // Idle waits are cut short by a graceful stop (it shuts the input of idle connections); busy ones are not.
        if (idle) c.idle(true);
        try {
            if (idle && c.isDraining()) return false;
            int n = source.readWithin(idleArray, 0, idleArray.length, Math.min(linger.toNanos(), c.idleNanos()));
            if (n > 0) holdIdleBytes(n);
            return true; // n < 0: end of stream, which the next read reports
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (idle) c.idle(false);
        }
    }

    /**
     * Waits for input without a timer, the pooled buffers given back meanwhile; the {@link Watchdog} watches the wait
     * through {@code state} (its deadline once the protocol is quiet, a graceful stop, the nudge).
     *
     * @return true (a byte is buffered or the stream ended, which the next read reports)
     */
    boolean awaitWatched(WatchedWait state, InputWatch watch) throws IOException {
        if (pos < lim || source.buffered()) return true;
        c.flushPending();
        c.releaseBuffers();
        if (idleArray == null) idleArray = new byte[IDLE_BUFFER_SIZE];
        state.begin(watch);
        try {
            int n = source.read(idleArray, 0, idleArray.length, UNBOUNDED_NANOS);
            if (n > 0) holdIdleBytes(n);
            return true;
        } catch (SocketTimeoutException e) {
            // The watchdog's cut: the idle timeout counted from the moment the protocol went quiet.
            throw c.readTimeout("no data for " + TimeUnit.NANOSECONDS.toMillis(c.idleNanos()) + " ms after it went quiet");
        } finally {
            state.end();
            c.idle(false);
        }
    }

    private long bounded(long timeout) throws SocketTimeoutException {
        if (deadline == 0) return timeout;
        long left = deadline - System.nanoTime();
        if (left <= 0) throw c.readTimeout("read deadline passed");
        return Math.min(left, timeout);
    }

    private void takeArray() {
        if (pool != null) {
            pooled = pool.acquire();
            in = pooled.array();
        } else {
            in = new byte[BufferPool.BUFFER_SIZE];
        }
        pos = lim = 0;
    }

    private void grow(int size) {
        byte[] bigger = new byte[size];
        System.arraycopy(in, pos, bigger, 0, lim - pos);
        lim -= pos;
        pos = 0;
        if (pool != null && pooled != null) pool.release(pooled);
        pooled = null;
        in = bigger;
    }

    @Override
    public void release() {
        if (pos != lim) return;
        if (pool != null && pooled != null) pool.release(pooled);
        pooled = null;
        in = EMPTY;
        pos = lim = 0;
    }

    /** Drops the idle array too: for a connection about to be parked without a thread. */
    void releaseAll() {
        release();
        idleArray = null;
    }
}
