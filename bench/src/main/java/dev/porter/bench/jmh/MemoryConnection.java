package dev.porter.bench.jmh;

import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.core.ReadBuffer;
import dev.porter.core.TlsInfo;
import dev.porter.core.WriteBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A {@link Connection} over memory, for benchmarks of a protocol's own cost: each wait for the next message
 * delivers one more copy of the same request bytes (as a keep-alive client that sends its next request once it has
 * the answer), until {@code requests} were delivered; then the input ends. What the protocol writes is counted
 * and dropped at each flush. It implements only what an HTTP/1.1 exchange without a body uses; the rest throws.
 * Allocates nothing per request itself, so {@code -prof gc} sees the protocol's allocation alone.
 */
final class MemoryConnection implements Connection {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private final byte[] request;
    private final ConnectionConfig config = ConnectionConfig.defaults();
    private final In in = new In();
    private final Out out = new Out();
    private int left;
    private Object attachment;
    /** Bytes flushed so far, and responses (flushes), for a check that the protocol answered. */
    long flushed;
    long flushes;

    MemoryConnection(byte[] request) {
        this.request = request;
    }

    /** Starts a new connection that will carry {@code requests} requests. */
    void reset(int requests) {
        left = requests;
        attachment = null;
        in.pos = in.lim = 0;
        out.len = 0;
    }

    private final class In implements ReadBuffer {
        final byte[] buf = new byte[16 * 1024];
        int pos;
        int lim;

        @Override public byte[] array() { return buf; }
        @Override public int start() { return pos; }
        @Override public int end() { return lim; }

        @Override
        public void consume(int n) {
            if (n < 0 || n > lim - pos) throw new IllegalArgumentException("consume " + n);
            pos += n;
        }

        @Override
        public boolean fill(Wait wait, int maxBuffered) throws IOException {
            if (left == 0) return false;
            if (pos == lim) {
                pos = lim = 0;
                if (wait == Wait.NEXT_MESSAGE) flush();
            }
            if (buf.length - lim < request.length) throw new IllegalStateException("input full");
            System.arraycopy(request, 0, buf, lim, request.length);
            lim += request.length;
            left--;
            return true;
        }

        @Override
        public int read(byte[] dst, int off, int len, Wait wait) throws IOException {
            if (pos == lim && !fill(wait, Integer.MAX_VALUE)) return -1;
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            return n;
        }

        @Override public void deadline(long nanoTime) { }
        @Override public void release() { }
    }

    private final class Out implements WriteBuffer {
        final byte[] buf = new byte[16 * 1024];
        int len;

        @Override public byte[] array() { return buf; }
        @Override public int length() { return len; }
        @Override public void advance(int n) { len += n; }
        @Override public void truncate(int length) { len = length; }
        @Override public long flushedBytes() { return flushed; }
    }

    @Override public InetSocketAddress remoteAddress() { return REMOTE; }
    @Override public InetSocketAddress localAddress() { return LOCAL; }
    @Override public ConnectionConfig config() { return config; }
    @Override public Optional<TlsInfo> tls() { return Optional.empty(); }
    @Override public boolean hasBufferedInput() { return in.pos < in.lim; }
    @Override public boolean awaitInput(Duration linger) { return true; }
    @Override public ReadBuffer input() { return in; }
    @Override public WriteBuffer output() { return out; }
    @Override public boolean isOpen() { return true; }
    @Override public boolean timedOut() { return false; }
    @Override public boolean isDraining() { return false; }
    @Override public void parkUntilReadable() { }
    @Override public void attach(Object a) { attachment = a; }
    @Override public Object attachment() { return attachment; }
    @Override public void setIdleTimeout(Duration timeout) { }
    @Override public void close() { }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        return in.read(dst, off, len, ReadBuffer.Wait.NEXT_MESSAGE);
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        if (out.buf.length - out.len < len) flush();
        if (len > out.buf.length) {
            flushed += len;
            return;
        }
        System.arraycopy(src, off, out.buf, out.len, len);
        out.len += len;
    }

    @Override
    public void flush() {
        if (out.len == 0) return;
        flushed += out.len;
        flushes++;
        out.len = 0;
    }

    @Override public void shutdownOutput() { flush(); }

    @Override public int read() { throw unsupported(); }
    @Override public void readFully(byte[] dst) { throw unsupported(); }
    @Override public byte[] readExactly(int n) { throw unsupported(); }
    @Override public String readLine() { throw unsupported(); }
    @Override public byte[] readFrame() { throw unsupported(); }
    @Override public InputStream inputStream() { throw unsupported(); }
    @Override public void writeLine(String line) { throw unsupported(); }
    @Override public void writeFrame(byte[] payload) { throw unsupported(); }
    @Override public long transferFrom(FileChannel file, long position, long count) { throw unsupported(); }
    @Override public OutputStream outputStream() { throw unsupported(); }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not used by the benchmark");
    }

    /** @return the last response's bytes still in the output buffer (for a sanity check), as text */
    String pending() {
        return new String(Arrays.copyOf(out.buf, out.len), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
