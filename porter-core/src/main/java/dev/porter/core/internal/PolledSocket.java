package dev.porter.core.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection's meeting point with its {@link ReadPoller}: the reading thread publishes the array it wants
 * filled and parks; the poller's thread reads into it and unparks it. A writer whose bytes the socket cannot take
 * now waits here for writability. One reading thread at a time; any number of writers, serialized by the caller.
 *
 * <p>The hot path is lock-free: the reader moves {@code state} BUSY → WAITING, the poller WAITING → READING → DONE,
 * the reader DONE → BUSY. Interest changes (mute, unmute, write waits) are rare and take this object's lock.
 */
final class PolledSocket {

    private static final int BUSY = 0, WAITING = 1, READING = 2, DONE = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PolledSocket.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketChannel ch;
    private final ReadPoller poller;
    SelectionKey key;
    private volatile int state;
    /** True while the poller stopped watching for input because nobody was waiting for it. */
    private volatile boolean muted;
    private boolean writeWanted;
    private volatile Thread reader;
    private volatile Thread writer;
    private ByteBuffer target;
    private int result;
    private IOException error;
    /** True when the last read filled all it was given: more may be there already, so read before waiting. */
    private boolean full;

    PolledSocket(SocketChannel ch, ReadPoller poller) {
        this.ch = ch;
        this.poller = poller;
    }

    /** On the poller's thread: the socket is readable and/or writable. */
    void ready(int ops) {
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            Thread w;
            synchronized (this) {
                writeWanted = false;
                w = writer;
                key.interestOps(interest());
            }
            if (w != null) LockSupport.unpark(w);
        }
        if ((ops & SelectionKey.OP_READ) == 0) return;
        if (STATE.compareAndSet(this, WAITING, READING)) {
            fill();
            return;
        }
        // Nobody waits: mute until someone does. With read()'s state write and muted read, a Dekker pair: the
        // reader sees muted, or this sees WAITING; either way the input is watched again.
        synchronized (this) {
            muted = true;
            key.interestOps(interest());
        }
        if (state == WAITING) unmute();
    }

    private void fill() {
        int n;
        try {
            n = ch.read(target);
        } catch (IOException e) {
            error = e;
            n = -1;
        }
        if (n == 0) { // a spurious wake-up: go on waiting
            state = WAITING;
            return;
        }
        result = n;
        Thread t = reader;
        state = DONE;
        LockSupport.unpark(t);
    }

    private int interest() {
        return (muted ? 0 : SelectionKey.OP_READ) | (writeWanted ? SelectionKey.OP_WRITE : 0);
    }

    private void unmute() {
        synchronized (this) {
            if (!muted) return;
            muted = false;
            try {
                key.interestOps(interest());
            } catch (CancelledKeyException e) {
                return; // closed: the reader sees it
            }
        }
        poller.wakeup();
    }

    /**
     * Reads at least one byte, waiting for the poller if none is there.
     *
     * @param timeoutNanos how long to wait, or 0 for as long as it takes (the watchdog ends such a wait by
     *                     shutting the input down: the poller then reads end-of-stream)
     * @return the count read, or -1 at end of stream (or once the channel closed)
     * @throws SocketTimeoutException if a timed wait passed with nothing read (the connection stays usable)
     */
    int read(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst, off, len);
        // While muted, bytes may be waiting already (the poller saw them): take them without a wait. After a read
        // that filled its array (a large body streaming in) the next bytes are likely there too.
        if (muted || full) {
            int n = ch.read(b);
            if (n != 0) {
                full = n == len;
                return n;
            }
        }
        target = b;
        reader = Thread.currentThread();
        error = null;
        state = WAITING;
        if (muted) unmute();
        long deadline = timeoutNanos == 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (state != DONE) {
            if (!ch.isOpen() && STATE.compareAndSet(this, WAITING, BUSY)) {
                target = null;
                return -1;
            }
            if (deadline == 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0 && STATE.compareAndSet(this, WAITING, BUSY)) {
                    target = null;
                    throw new SocketTimeoutException("nothing read in time");
                }
                if (left > 0) LockSupport.parkNanos(this, left);
                else Thread.onSpinWait(); // the poller is reading: done in a moment
            }
        }
        state = BUSY;
        target = null;
        if (error != null) throw error;
        full = result == len;
        return result;
    }

    /** Waits until the socket can take bytes again (or the channel closed: the next write then fails). */
    void awaitWritable() throws IOException {
        synchronized (this) {
            writer = Thread.currentThread();
            writeWanted = true;
            try {
                key.interestOps(interest());
            } catch (CancelledKeyException e) {
                writer = null;
                throw new ClosedChannelException();
            }
        }
        poller.wakeup();
        try {
            while (true) {
                synchronized (this) {
                    if (!writeWanted) return;
                }
                if (!ch.isOpen()) throw new ClosedChannelException();
                LockSupport.park(this);
            }
        } finally {
            writer = null;
        }
    }

    /** After the channel closed: wakes whoever waits here (the selector drops the key at its next select). */
    void closed() {
        poller.wakeup();
        Thread t = reader;
        if (t != null) LockSupport.unpark(t);
        t = writer;
        if (t != null) LockSupport.unpark(t);
    }
}
