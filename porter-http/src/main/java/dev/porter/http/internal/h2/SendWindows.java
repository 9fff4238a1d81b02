package dev.porter.http.internal.h2;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The send side of HTTP/2 flow control (RFC 9113 §5.2, §6.9): the connection's window and each stream's, which
 * DATA takes from before it is written and WINDOW_UPDATE (or a SETTINGS change, §6.9.2) opens. A writer waits for
 * room up to the write timeout; a peer that never opens its window gets the write failed then (a zero-window stall
 * must not hold a thread forever). Thread-safe: every window is guarded by one lock.
 */
final class SendWindows {

    private final ReentrantLock flowLock = new ReentrantLock();
    private final Condition opened = flowLock.newCondition();
    private final long stallNanos;
    /** The connection's send window; guarded by {@link #flowLock}. */
    private long connectionWindow = Settings.DEFAULT_WINDOW_SIZE;

    SendWindows(long stallNanos) {
        this.stallNanos = stallNanos;
    }

    /** Takes up to {@code want} bytes of both windows if they have room now. @return the bytes taken, or 0 */
    int tryAcquire(Http2Stream stream, int want) throws IOException {
        flowLock.lock();
        try {
            stream.throwIfCancelled();
            long room = Math.min(stream.sendWindow, connectionWindow);
            if (room <= 0) return 0;
            int n = (int) Math.min(want, room);
            stream.sendWindow -= n;
            connectionWindow -= n;
            return n;
        } finally {
            flowLock.unlock();
        }
    }

    /** Waits until both windows have room; takes up to {@code want} bytes of them. */
    int acquire(Http2Stream stream, int want) throws IOException {
        long deadline = System.nanoTime() + stallNanos;
        flowLock.lock();
        try {
            while (true) {
                stream.throwIfCancelled();
                long room = Math.min(stream.sendWindow, connectionWindow);
                if (room > 0) {
                    int n = (int) Math.min(want, room);
                    stream.sendWindow -= n;
                    connectionWindow -= n;
                    return n;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new SocketTimeoutException("the peer kept its flow-control window shut");
                opened.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the flow-control window");
        } finally {
            flowLock.unlock();
        }
    }

    /**
     * Opens the connection's send window, or a stream's (§6.9).
     *
     * @throws Http2Exception FLOW_CONTROL_ERROR if the window would pass 2^31-1 (§6.9.1)
     */
    void opened(Http2Stream stream, int increment) {
        flowLock.lock();
        try {
            if (stream == null) {
                if (connectionWindow + increment > Integer.MAX_VALUE) {
                    throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "connection window over 2^31-1");
                }
                connectionWindow += increment;
            } else {
                if (stream.sendWindow + increment > Integer.MAX_VALUE) {
                    throw Http2Exception.stream(stream.id, Http2Error.FLOW_CONTROL_ERROR, "stream window over 2^31-1");
                }
                stream.sendWindow += increment;
            }
            opened.signalAll();
        } finally {
            flowLock.unlock();
        }
    }

    /** A change of SETTINGS_INITIAL_WINDOW_SIZE moves every open stream's window by the difference (§6.9.2). */
    void adjust(Iterable<Http2Stream> streams, int delta) {
        flowLock.lock();
        try {
            for (Http2Stream s : streams) {
                if (s.sendWindow + delta > Integer.MAX_VALUE) {
                    throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "stream window over 2^31-1");
                }
                s.sendWindow += delta;
            }
            opened.signalAll();
        } finally {
            flowLock.unlock();
        }
    }

    /** Wakes writers waiting for a window (their stream was cancelled). */
    void wake() {
        flowLock.lock();
        try {
            opened.signalAll();
        } finally {
            flowLock.unlock();
        }
    }
}
