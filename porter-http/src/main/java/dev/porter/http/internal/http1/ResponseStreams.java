package dev.porter.http.internal.http1;

import dev.porter.core.Connection;

import java.io.IOException;
import java.io.OutputStream;

/** Body streams of a response, one per framing (RFC 9112 §6). */
public final class ResponseStreams {

    private ResponseStreams() {
    }

    /** A body stream that can say whether the message it framed is complete. */
    abstract static class Body extends OutputStream {
        long written;
        boolean closed;

        /** @return true if the message is well framed (the connection may carry another one) */
        public abstract boolean finish() throws IOException;

        @Override
        public final void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public final void close() throws IOException {
            if (!closed) {
                closed = true;
                finish();
            }
        }

        void ensureOpen() throws IOException {
            if (closed) throw new IOException("response body stream is closed");
        }
    }

    /** Content-Length framing: exactly {@code length} bytes. */
    static final class Fixed extends Body {
        private final Connection c;
        private final long length;
        private final boolean discard;

        Fixed(Connection c, long length, boolean discard) {
            this.c = c;
            this.length = length;
            this.discard = discard;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            if (written + len > length) {
                throw new IOException("response body longer than its Content-Length of " + length);
            }
            written += len;
            if (!discard) c.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!discard) c.flush();
        }

        @Override
        public boolean finish() {
            closed = true;
            return discard || written == length;
        }
    }

    /** Close-delimited (HTTP/1.0 with unknown length) or discarded (HEAD, 204, 304) bodies. */
    static final class Raw extends Body {
        private final Connection c;
        private final boolean discard;

        Raw(Connection c, boolean discard) {
            this.c = c;
            this.discard = discard;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            written += len;
            if (!discard) c.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!discard) c.flush();
        }

        @Override
        public boolean finish() {
            closed = true;
            return true;
        }
    }

    /**
     * Chunked framing (RFC 9112 §7.1), staged in the connection's output buffer: the chunk-size line is reserved
     * as four hex digits (leading zeros are valid), the data copied after it, and the size filled in when the
     * chunk closes, so a chunk costs no extra copy or allocation.
     */
    public static final class Chunked extends Body {
        private static final int SIZE_LINE = 6; // "XXXX\r\n": a pooled buffer holds at most 0xFFFF bytes
        private static final byte[] LAST = {'0', '\r', '\n', '\r', '\n'};
        private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private final Connection c;
        private int chunkStart = -1;

        public Chunked(Connection c) {
            this.c = c;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            written += len;
            while (len > 0) {
                if (chunkStart < 0) open();
                byte[] o = c.output().array();
                int room = Math.min(o.length, 0xFFFF + chunkStart + SIZE_LINE) - c.output().length() - 2;
                if (room <= 0) {
                    closeChunk();
                    c.flush();
                    continue;
                }
                int n = Math.min(room, len);
                System.arraycopy(b, off, o, c.output().length(), n);
                c.output().advance(n);
                off += n;
                len -= n;
            }
        }

        private void open() throws IOException {
            byte[] o = c.output().array();
            if (o.length - c.output().length() < SIZE_LINE + 64) c.flush();
            chunkStart = c.output().length();
            c.output().advance(SIZE_LINE);
        }

        /** Completes the open chunk in the buffer (its size line filled in); the output can then be moved. */
        void closeChunk() {
            if (chunkStart < 0) return;
            byte[] o = c.output().array();
            int size = c.output().length() - chunkStart - SIZE_LINE;
            if (size == 0) {
                c.output().truncate(c.output().length() - SIZE_LINE);
            } else {
                o[chunkStart] = HEX[(size >> 12) & 0xF];
                o[chunkStart + 1] = HEX[(size >> 8) & 0xF];
                o[chunkStart + 2] = HEX[(size >> 4) & 0xF];
                o[chunkStart + 3] = HEX[size & 0xF];
                o[chunkStart + 4] = '\r';
                o[chunkStart + 5] = '\n';
                int p = c.output().length();
                o[p] = '\r';
                o[p + 1] = '\n';
                c.output().advance(2);
            }
            chunkStart = -1;
        }

        @Override
        public void flush() throws IOException {
            closeChunk();
            c.flush();
        }

        @Override
        public boolean finish() throws IOException {
            closed = true;
            closeChunk();
            c.write(LAST, 0, LAST.length);
            return true;
        }
    }
}
