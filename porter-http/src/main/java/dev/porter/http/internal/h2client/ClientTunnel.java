package dev.porter.http.internal.h2client;

import dev.porter.core.ReadBuffer;
import dev.porter.http.internal.ByteStream;
import dev.porter.http.internal.StreamInput;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client's side of an extended CONNECT stream (RFC 8441 §5) as a {@link ByteStream}: the server's DATA in (the
 * stream's window given back as they are read), ours out within the server's windows, END_STREAM for an orderly
 * end of our side and RST_STREAM CANCEL for an abort. Written bytes are gathered and leave on {@link #flush}, so a
 * WebSocket frame's head and payload travel in one DATA frame.
 */
final class ClientTunnel implements ByteStream {

    private static final int OUT = 16 * 1024;

    private final Http2ClientConnection conn;
    private final Http2ClientStream stream;
    private final Http2ClientWriter writer;
    private final long readTimeoutNanos;
    private final Input input = new Input();
    private final ReentrantLock writing = new ReentrantLock();
    private final byte[] out = new byte[OUT];
    private int outLen;
    private boolean outputEnded;

    ClientTunnel(Http2ClientConnection conn, Http2ClientStream stream, Http2ClientWriter writer, long readTimeoutNanos) {
        this.conn = conn;
        this.stream = stream;
        this.writer = writer;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    @Override public ReadBuffer input() { return input; }

    @Override
    public boolean awaitInput(Duration linger) throws IOException {
        return input.available() > 0 || stream.awaitReadable(linger.toNanos());
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        writing.lock();
        try {
            while (len > 0) {
                if (outLen == out.length) send(false);
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
            if (outLen > 0) send(false);
        } finally {
            writing.unlock();
        }
    }

    private void send(boolean end) throws IOException {
        writer.data(stream, out, 0, outLen, end);
        outLen = 0;
    }

    @Override
    public void shutdownOutput() throws IOException {
        writing.lock();
        try {
            if (outputEnded) return;
            outputEnded = true;
            send(true);
            if (stream.endLocal()) conn.streamClosed(stream);
        } finally {
            writing.unlock();
        }
    }

    /** Resets the stream (CANCEL) unless both sides ended it in order; frees its slot either way. */
    @Override
    public void close() {
        if (stream.closeIfDone()) conn.streamClosed(stream);
        else conn.cancel(stream);
    }

    @Override
    public boolean isDraining() {
        return false;
    }

    /** The stream's waits are bounded by the client's read timeout (or a deadline), not by an idle timeout. */
    @Override
    public void setIdleTimeout(Duration timeout) {
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return conn.connection().remoteAddress();
    }

    @Override
    public String toString() {
        return "HTTP/2 " + stream + " to " + remoteAddress();
    }

    /** The server's DATA as a {@link ReadBuffer}. */
    private final class Input extends StreamInput {
        Input() {
            super(OUT);
        }

        @Override
        protected int readSource(byte[] dst, int off, int len) throws IOException {
            return stream.read(dst, off, len, deadline(), readTimeoutNanos);
        }
    }
}
