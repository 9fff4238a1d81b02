package dev.porter.http.internal.h2;

import dev.porter.core.ReadBuffer;
import dev.porter.http.internal.ByteStream;
import dev.porter.http.internal.StreamInput;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP/2 stream as the byte stream of the protocol an extended CONNECT opened (RFC 8441 §5: WebSocket runs on
 * the stream "as if it were the TCP connection"): its DATA frames in and out, END_STREAM for TCP's orderly FIN and
 * RST_STREAM CANCEL for an abort (§5, "RST exceptions"). Flow control is the back-pressure: a reader that stops
 * reading stops the peer's window updates (§5.2 of RFC 9113), and a write waits for the peer's window (bounded by
 * the write timeout, as every response's). Written bytes are gathered so a WebSocket frame's head and payload
 * leave in one DATA frame, and sent on {@link #flush}.
 */
final class StreamTunnel implements ByteStream {

    /**
     * The longest wait for input in one go: a graceful stop does not wake a stream's reader (it never shuts a
     * stream's input), so the conversation looks at {@link #isDraining()} at least this often.
     */
    private static final long SLICE_NANOS = 1_000_000_000L;
    private static final int OUT = 16 * 1024;

    private final Http2Connection connection;
    private final Http2Stream stream;
    private final Input input = new Input();
    private final ReentrantLock writing = new ReentrantLock();
    private final byte[] out = new byte[OUT];
    private int outLen;

    StreamTunnel(Http2Connection connection, Http2Stream stream) {
        this.connection = connection;
        this.stream = stream;
    }

    @Override
    public ReadBuffer input() {
        return input;
    }

    @Override
    public boolean awaitInput(Duration linger) throws IOException {
        if (input.available() > 0) return true;
        return stream.awaitReadable(Math.min(linger.toNanos(), SLICE_NANOS));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        writing.lock();
        try {
            while (len > 0) {
                if (outLen == out.length) send();
                int n = Math.min(len, out.length - outLen);
                System.arraycopy(b, off, out, outLen, n);
                outLen += n;
                off += n;
                len -= n;
            }
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        writing.lock();
        try {
            if (outLen > 0) send();
        } finally {
            writing.unlock();
        }
    }

    private void send() throws IOException {
        connection.writer().data(stream, out, 0, outLen, false);
        outLen = 0;
    }

    /** END_STREAM: the orderly end of our side (RFC 8441 §5), after what is buffered. */
    @Override
    public void shutdownOutput() throws IOException {
        writing.lock();
        try {
            if (stream.localEnded) return;
            connection.writer().data(stream, out, 0, outLen, true);
            outLen = 0;
            stream.localEnded = true;
        } finally {
            writing.unlock();
        }
    }

    /**
     * Resets the stream with CANCEL unless both sides ended it in order. Called from any thread (the send
     * watchdog's too, while a sender waits for a window: the reset wakes it), so it takes no lock of the writer's.
     */
    @Override
    public void close() {
        if (stream.cancelled() != null || stream.localEnded && stream.remoteEnded()) return;
        stream.localEnded = true;
        stream.resetSent = true;
        int dropped = stream.cancel(new IOException("the WebSocket on stream " + stream.id + " was closed"));
        try {
            connection.writer().rstStream(stream.id, Http2Error.CANCEL);
            connection.bodyConsumed(dropped);
        } catch (IOException e) {
            // The connection is gone: so is the stream.
        }
    }

    @Override
    public boolean isDraining() {
        return connection.connection().isDraining();
    }

    /** A stream has no idle timeout of its own: the conversation's keep-alive and the connection's bound it. */
    @Override
    public void setIdleTimeout(Duration timeout) {
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.connection().remoteAddress();
    }

    @Override
    public String toString() {
        return "HTTP/2 stream " + stream.id + " of " + remoteAddress();
    }

    /** The stream's DATA as a {@link ReadBuffer}; waits are bounded by the read timeout, or the deadline if set. */
    private final class Input extends StreamInput {
        Input() {
            super(OUT);
        }

        @Override
        protected int readSource(byte[] dst, int off, int len) throws IOException {
            long t = connection.bodyTimeoutNanos();
            if (deadline() != 0) t = Math.min(t, deadline() - System.nanoTime());
            if (t <= 0) throw new SocketTimeoutException("no DATA on stream " + stream.id + " in time");
            return stream.read(dst, off, len, t);
        }
    }
}
