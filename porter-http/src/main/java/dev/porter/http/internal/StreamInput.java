package dev.porter.http.internal;

import dev.porter.core.ReadBuffer;

import java.io.IOException;
import java.util.Arrays;

/**
 * A {@link ReadBuffer} over a blocking source of bytes that is no socket: an HTTP/2 stream's DATA carrying a
 * WebSocket (RFC 8441), on the server and on the client side. It keeps unread bytes in an array of its own that
 * grows to what the reader asks to hold; the subclass says how one read of the source waits (its timeout, bounded
 * by {@link #deadline()}). Confined to the one thread that reads the conversation.
 */
public abstract class StreamInput implements ReadBuffer {

    private byte[] buf;
    private int start;
    private int end;
    private long deadline;

    /** @param initial the array's first size */
    protected StreamInput(int initial) {
        buf = new byte[initial];
    }

    /**
     * Reads up to {@code len} bytes of the source into {@code dst}, blocking for at least one.
     *
     * @return the bytes read, or -1 at the source's end
     */
    protected abstract int readSource(byte[] dst, int off, int len) throws IOException;

    /** @return the deadline set by {@link #deadline(long)} (a {@link System#nanoTime()} value), or 0 for none */
    protected final long deadline() {
        return deadline;
    }

    @Override public final byte[] array() { return buf; }
    @Override public final int start() { return start; }
    @Override public final int end() { return end; }

    @Override
    public final void consume(int n) {
        if (n < 0 || n > end - start) throw new IllegalArgumentException("consume " + n);
        start += n;
        if (start == end) start = end = 0;
    }

    @Override
    public final boolean fill(Wait wait, int maxBuffered) throws IOException {
        if (end - start >= maxBuffered) throw new IllegalStateException(maxBuffered + " unread bytes already held");
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, maxBuffered));
        int n = readSource(buf, end, buf.length - end);
        if (n < 0) return false;
        end += n;
        return true;
    }

    @Override
    public final int read(byte[] dst, int off, int len, Wait wait) throws IOException {
        if (end > start) {
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, dst, off, n);
            consume(n);
            return n;
        }
        return readSource(dst, off, len);
    }

    @Override
    public final void deadline(long nanoTime) {
        deadline = nanoTime;
    }

    @Override
    public void release() {
        // Nothing pooled: the array is the conversation's.
    }
}
