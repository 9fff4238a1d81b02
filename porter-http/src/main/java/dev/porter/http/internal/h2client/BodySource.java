package dev.porter.http.internal.h2client;

import dev.porter.http.ClientRequest.Body;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads a request body in pieces for DATA frames: bytes, a file, or a stream. A failure of the source itself (a
 * file that cannot be read or shrinks, a stream that throws or ends early) is a {@link Failure}, never retried.
 */
abstract class BodySource implements AutoCloseable {

    /** The request body's own source failed, not the connection. */
    static final class Failure extends IOException {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final long length;
    private long sent;

    private BodySource(long length) {
        this.length = length;
    }

    static BodySource of(Body body) throws Failure {
        return switch (body) {
            case Body.Empty e -> new Bytes(new byte[0]);
            case Body.Bytes b -> new Bytes(b.bytes());
            case Body.FileContent f -> new File(f);
            case Body.Stream s -> new Stream(s.in(), s.length());
        };
    }

    /**
     * Reads the next piece.
     *
     * @return bytes read into {@code b}, or -1 once the whole body was read
     * @throws Failure if the source fails or ends before its declared length
     */
    final int read(byte[] b, int off, int len) throws Failure {
        if (length >= 0) {
            if (sent == length) return -1;
            len = (int) Math.min(len, length - sent);
        }
        int n = next(b, off, len);
        if (n < 0) {
            if (length >= 0) throw new Failure("request body ended after " + sent + " of " + length + " bytes", null);
            return -1;
        }
        sent += n;
        return n;
    }

    /** @return the declared length, or -1 if unknown */
    final long length() {
        return length;
    }

    /** @return true once every declared byte was read (never for an unknown length) */
    final boolean complete() {
        return length >= 0 && sent == length;
    }

    abstract int next(byte[] b, int off, int len) throws Failure;

    @Override
    public void close() {
    }

    private static final class Bytes extends BodySource {
        private final byte[] bytes;
        private int pos;

        Bytes(byte[] bytes) {
            super(bytes.length);
            this.bytes = bytes;
        }

        @Override
        int next(byte[] b, int off, int len) {
            int n = Math.min(len, bytes.length - pos);
            if (n <= 0) return -1;
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static final class File extends BodySource {
        private final Body.FileContent f;
        private FileChannel ch;
        private long position;

        File(Body.FileContent f) {
            super(f.length());
            this.f = f;
        }

        @Override
        int next(byte[] b, int off, int len) throws Failure {
            try {
                if (ch == null) ch = FileChannel.open(f.path(), StandardOpenOption.READ);
                int n = ch.read(ByteBuffer.wrap(b, off, len), position);
                if (n < 0) {
                    throw new Failure("request body file " + f.path() + " shrank while being sent: " + position + " of "
                            + f.length() + " bytes", null);
                }
                position += n;
                return n;
            } catch (Failure e) {
                throw e;
            } catch (IOException e) {
                throw new Failure("cannot read request body file " + f.path() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                if (ch != null) ch.close();
            } catch (IOException e) {
                // A read-only channel has nothing to lose on close.
            }
        }
    }

    private static final class Stream extends BodySource {
        private final InputStream in;

        Stream(InputStream in, long length) {
            super(length);
            this.in = in;
        }

        @Override
        int next(byte[] b, int off, int len) throws Failure {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new Failure("reading the request body failed: " + e.getMessage(), e);
            }
        }
    }
}
