package dev.porter.http.internal.h2;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream of an HTTP/2 connection, as its handler's virtual thread sees it: the request body arriving in DATA
 * frames (buffered up to the stream's receive window; a window update goes back as the handler reads, so a slow
 * handler slows its own client and nobody else, RFC 9113 §5.2), the send window its response waits on, and
 * whether the peer cancelled it. The connection's reader thread fills it; the handler thread drains it. Every body
 * byte that leaves it — read, or dropped when the stream is cancelled or its exchange ends — is given back to the
 * connection window ({@link FlowControl#consumed}), which is opened only that way.
 */
final class Http2Stream {

    final int id;
    private final Http2Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Body bytes not yet read. */
    private final BodyChunks chunks = new BodyChunks();
    /** Bytes received but not yet read by the handler (counted against our window). */
    private int buffered;
    /** Bytes read by the handler since the last WINDOW_UPDATE we sent. */
    private int consumedUnacked;
    /** Bytes the peer may still send before it must wait for a WINDOW_UPDATE. */
    private int receiveWindow;
    private boolean remoteEnded;
    /** The body is no longer wanted ({@link #discard}): DATA arriving now is not kept. */
    private boolean discarded;
    /** The stream no longer counts toward the concurrency limit (§5.1.2); guarded by {@link #lock}. */
    private boolean slotFreed;
    private long received;
    /** The content-length the request declared, or -1 (checked against the DATA received, §8.1.1). */
    final long declaredLength;
    /** Set when the peer reset the stream or the connection failed: reads and writes fail with it. */
    private volatile IOException cancelled;
    /** Our send window for this stream; guarded by the connection's flow lock. */
    long sendWindow;
    /** The final (non-1xx) response head was written; guarded by the writer's write lock. */
    boolean finalHeadSent;
    /** Counted by the writer among the exchanges still working on their answer; only the stream's threads touch it. */
    boolean unanswered;
    /** Body bytes of a file answer handed to the connection so far (for the access log); the exchange's thread only. */
    long fileBytesSent;
    /** True once our side sent END_STREAM (or RST_STREAM). */
    volatile boolean localEnded;
    /** The peer reset the stream: any frame of it but PRIORITY (and WINDOW_UPDATE, §6.9) is STREAM_CLOSED (§5.1). */
    volatile boolean resetByPeer;
    /** We reset the stream: frames the peer sent before it saw that are ignored (§5.1). */
    volatile boolean resetSent;

    Http2Stream(int id, Http2Connection connection, int receiveWindow, long sendWindow, long declaredLength) {
        this.id = id;
        this.connection = connection;
        this.receiveWindow = receiveWindow;
        this.sendWindow = sendWindow;
        this.declaredLength = declaredLength;
    }

    // ---- filled by the reader --------------------------------------------------------------------------------

    /**
     * Takes a DATA frame's content (copied: the reader's buffer is reused; small frames packed, {@link BodyChunks}).
     *
     * @param flowLength the frame's whole payload length, padding included, which flow control counts (§6.9.1)
     * @return the content bytes kept for the handler: the rest of {@code flowLength} (padding, or all of it once the
     *         body was discarded) is the caller's to give back to the connection window at once
     * @throws Http2Exception FLOW_CONTROL_ERROR if the peer overran our window; PROTOCOL_ERROR for more body
     *                        than its content-length (a malformed message, §8.1.1)
     */
    int data(byte[] b, int from, int to, int flowLength, boolean end) {
        lock.lock();
        try {
            if (discarded) return 0; // the exchange ended or was cancelled: only the connection window matters
            if (remoteEnded) throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "DATA after END_STREAM");
            if (flowLength > receiveWindow) {
                throw Http2Exception.stream(id, Http2Error.FLOW_CONTROL_ERROR, "DATA beyond the stream's window");
            }
            receiveWindow -= flowLength;
            // Padding is never read by the handler: give its window back at once.
            consumedUnacked += flowLength - (to - from);
            received += to - from;
            if (declaredLength >= 0 && (received > declaredLength || (end && received != declaredLength))) {
                throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, "body length differs from content-length");
            }
            chunks.add(b, from, to - from);
            buffered += to - from;
            if (end) remoteEnded = true;
            arrived.signalAll();
            return to - from;
        } finally {
            lock.unlock();
        }
    }

    /** The request ended with its HEADERS (no body), or with trailers. */
    void endRemote() {
        lock.lock();
        try {
            if (declaredLength > 0 && received != declaredLength) {
                throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, "body length differs from content-length");
            }
            remoteEnded = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean remoteEnded() {
        lock.lock();
        try {
            return remoteEnded;
        } finally {
            lock.unlock();
        }
    }

    // ---- the concurrency limit (§5.1.2) ----------------------------------------------------------------------

    /**
     * Our last frame is about to leave (the writer calls this before writing it, so the peer cannot have seen it
     * yet). If the request ended too, the stream is closed (§5.1): it stops counting toward
     * SETTINGS_MAX_CONCURRENT_STREAMS now, although its handler's thread has not ended, because the peer may open
     * the next stream as soon as it reads that frame.
     */
    void closingLocally() {
        lock.lock();
        try {
            if (!remoteEnded || slotFreed) return;
            slotFreed = true;
        } finally {
            lock.unlock();
        }
        connection.streamClosed();
    }

    /** @return true the first time only: the caller frees the stream's place among the concurrent ones */
    boolean freeSlot() {
        lock.lock();
        try {
            if (slotFreed) return false;
            slotFreed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The stream was reset (by either side), or the connection ended: wake the handler with {@code why}. Its body,
     * unread, is dropped: a handler that never reads (or never returns) must not keep the connection window.
     *
     * @return the body bytes dropped, for the caller to give back to the connection window
     */
    int cancel(IOException why) {
        if (cancelled == null) cancelled = why;
        int dropped = discard();
        connection.wakeWriters();
        return dropped;
    }

    /**
     * Drops the body not read yet, and whatever DATA still comes for the stream; wakes a reader waiting for it.
     *
     * @return the body bytes dropped, for the caller to give back to the connection window (once: a second call
     *         returns 0)
     */
    int discard() {
        lock.lock();
        try {
            discarded = true;
            int dropped = buffered;
            chunks.clear();
            buffered = 0;
            arrived.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** @return why the stream can no longer be used, or null */
    IOException cancelled() {
        return cancelled;
    }

    /**
     * @throws IOException if the stream can no longer be used: a new one on each call, caused by why. The same object
     *                     thrown twice (by a body's read, then by the close of the handler's try-with-resources) made
     *                     {@code Throwable.addSuppressed} throw IllegalArgumentException ("Self-suppression not
     *                     permitted") instead, logged as a handler failure at every reset
     */
    void throwIfCancelled() throws IOException {
        IOException why = cancelled;
        if (why != null) throw new IOException(why.getMessage(), why);
    }

    // ---- drained by the handler ------------------------------------------------------------------------------

    /**
     * Reads request body bytes, waiting for them up to {@code timeoutNanos}.
     *
     * @return the count read, -1 at the end of the body
     */
    int read(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        if (len == 0) return 0;
        int n;
        lock.lock();
        try {
            long left = timeoutNanos;
            while (chunks.isEmpty()) {
                throwIfCancelled();
                if (remoteEnded) return -1;
                if (left <= 0) throw new java.net.SocketTimeoutException("request body not received in time");
                try {
                    left = arrived.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
            n = chunks.read(dst, off, len);
            buffered -= n;
            consumedUnacked += n;
        } finally {
            lock.unlock();
        }
        connection.bodyConsumed(n);
        maybeUpdateWindow();
        return n;
    }

    /**
     * Waits up to {@code nanos} for something to read: DATA, the end of the stream, or its cancellation.
     *
     * @return true if a read would not block now
     */
    boolean awaitReadable(long nanos) throws InterruptedIOException {
        lock.lock();
        try {
            long left = nanos;
            while (chunks.isEmpty() && !remoteEnded && cancelled == null) {
                if (left <= 0) return false;
                left = arrived.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for DATA");
        } finally {
            lock.unlock();
        }
    }

    /** @return body bytes readable without waiting */
    int available() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Gives read bytes back to the peer once half the window is consumed: fewer, larger WINDOW_UPDATEs. */
    private void maybeUpdateWindow() throws IOException {
        int increment;
        lock.lock();
        try {
            if (remoteEnded || consumedUnacked < connection.streamWindow() / 2) return;
            increment = consumedUnacked;
            consumedUnacked = 0;
            receiveWindow += increment;
        } finally {
            lock.unlock();
        }
        connection.writer().windowUpdate(id, increment);
    }

    /** @return true when the whole request body was received and nothing of it is left unread */
    boolean drained() {
        lock.lock();
        try {
            return remoteEnded && chunks.isEmpty();
        } finally {
            lock.unlock();
        }
    }
}
