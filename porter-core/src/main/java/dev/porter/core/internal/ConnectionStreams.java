package dev.porter.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Stream views of a {@link SocketConnection}, for code written against java.io. Closing either closes it. */
final class ConnectionStreams {

    private ConnectionStreams() {
    }

    static final class In extends InputStream {
        private final SocketConnection c;

        In(SocketConnection c) {
            this.c = c;
        }

        @Override public int read() throws IOException { return c.read(); }
        @Override public int read(byte[] b, int off, int len) throws IOException { return c.read(b, off, len); }
        @Override public int available() { return c.input().available(); }
        @Override public void close() { c.close(); }
    }

    static final class Out extends OutputStream {
        private final SocketConnection c;

        Out(SocketConnection c) {
            this.c = c;
        }

        @Override public void write(int b) throws IOException { c.write(new byte[] {(byte) b}, 0, 1); }
        @Override public void write(byte[] b, int off, int len) throws IOException { c.write(b, off, len); }
        @Override public void flush() throws IOException { c.flush(); }

        @Override
        public void close() throws IOException {
            try {
                c.flush();
            } finally {
                c.close();
            }
        }
    }
}
