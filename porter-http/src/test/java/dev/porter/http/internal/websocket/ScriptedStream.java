package dev.porter.http.internal.websocket;

import dev.porter.core.ReadBuffer;
import dev.porter.http.internal.ByteStream;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A {@link ByteStream} without a socket, for watching what a session writes and when it flushes: each wait for
 * input brings the next scripted read (then the end of the input), and each flush is recorded as the bytes it
 * sent. It also counts the waits for input that began while written bytes were still unflushed — the one thing a
 * session must never do, since its peer may be waiting for those bytes. Single-threaded, like the tests using it.
 */
final class ScriptedStream implements ByteStream {

    private final Deque<byte[]> reads;
    private final ByteArrayOutputStream unflushed = new ByteArrayOutputStream();
    final List<byte[]> flushes = new ArrayList<>();
    int waitsWithUnflushedOutput;
    boolean closed;

    private byte[] buf = new byte[0];
    private int pos;
    private int lim;

    ScriptedStream(byte[]... reads) {
        this.reads = new ArrayDeque<>(List.of(reads));
    }

    private final ReadBuffer input = new ReadBuffer() {
        @Override public byte[] array() { return buf; }
        @Override public int start() { return pos; }
        @Override public int end() { return lim; }
        @Override public void consume(int n) { pos += n; }
        @Override public boolean fill(Wait wait, int maxBuffered) { return nextRead(); }
        @Override public void deadline(long nanoTime) { }
        @Override public void release() { }

        @Override
        public int read(byte[] dst, int off, int len, Wait wait) {
            if (pos == lim && !nextRead()) return -1;
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            return n;
        }
    };

    /** A wait for input: the next scripted read is appended to what is unread. @return false at the end */
    private boolean nextRead() {
        if (unflushed.size() > 0) waitsWithUnflushedOutput++;
        byte[] next = reads.poll();
        if (next == null) return false;
        byte[] joined = Arrays.copyOf(Arrays.copyOfRange(buf, pos, lim), lim - pos + next.length);
        System.arraycopy(next, 0, joined, lim - pos, next.length);
        buf = joined;
        pos = 0;
        lim = joined.length;
        return true;
    }

    @Override public ReadBuffer input() { return input; }

    @Override
    public boolean awaitInput(Duration linger) {
        if (pos < lim) return true;
        nextRead();
        return true; // input, or its end (which the next fill reports)
    }

    @Override public void write(byte[] b, int off, int len) { unflushed.write(b, off, len); }

    @Override
    public void flush() {
        if (unflushed.size() == 0) return;
        flushes.add(unflushed.toByteArray());
        unflushed.reset();
    }

    @Override public void shutdownOutput() { flush(); }
    @Override public void close() { closed = true; }
    @Override public boolean isDraining() { return false; }
    @Override public void setIdleTimeout(Duration timeout) { }
    @Override public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 9); }
}
