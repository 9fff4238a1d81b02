package dev.porter.core.testing;

import dev.porter.core.Server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A deliberately plain client socket ({@link java.net.Socket}, no Porter code) for driving servers in tests, byte
 * by byte if need be. Every read is bounded by a socket timeout ({@link TestServers#TIMEOUT} unless changed), so
 * a test fails instead of hanging when the server stays silent.
 *
 * <p>Methods throw {@link UncheckedIOException} rather than {@link IOException} so tests read straight; a
 * timeout surfaces as an {@link AssertionError} saying what was awaited. Not thread-safe: one test thread per
 * client (one thread reading and one writing is fine, as with any socket).
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to a running server. */
    public static RawClient connect(Server server) {
        return connect(server.address());
    }

    /** Connects to {@code host:port}. */
    public static RawClient connect(String host, int port) {
        return connect(new InetSocketAddress(host, port));
    }

    /**
     * Connects to {@code address}, with TCP_NODELAY so each {@link #send} leaves at once.
     *
     * @throws UncheckedIOException if the connection fails (refused, for instance)
     */
    public static RawClient connect(InetSocketAddress address) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) TestServers.TIMEOUT.toMillis());
            s.setSoTimeout((int) TestServers.TIMEOUT.toMillis());
            return new RawClient(s);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("connect to " + address + " failed: " + e.getMessage(), e);
        }
    }

    /** @return the underlying socket, for options (receive buffer size, linger) and addresses */
    public Socket socket() {
        return socket;
    }

    /** Bounds every following read by {@code timeout} instead of {@link TestServers#TIMEOUT}. */
    public RawClient readTimeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            return this;
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- sending -------------------------------------------------------------------------------------------

    /** Sends {@code text} as UTF-8, exactly as given (no line end added). */
    public RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code line} followed by LF. */
    public RawClient sendLine(String line) {
        return send(line + "\n");
    }

    /** Sends these bytes in one write. */
    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("send failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code bytes} one write per byte, pausing {@code pause} between them so they tend to arrive in
     * separate segments (the server must cope whatever the split; the pause only makes splits likely).
     */
    public RawClient sendByteByByte(byte[] bytes, Duration pause) {
        try {
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                if (!pause.isZero()) Thread.sleep(pause);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("send failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending", e);
        }
    }

    /** Sends a length-prefixed frame: 4-byte big-endian length, then the payload. */
    public RawClient sendFrame(byte[] payload) {
        return send(frame(payload));
    }

    /** @return {@code payload} with its 4-byte big-endian length prefix */
    public static byte[] frame(byte[] payload) {
        int n = payload.length;
        byte[] b = new byte[4 + n];
        b[0] = (byte) (n >>> 24);
        b[1] = (byte) (n >>> 16);
        b[2] = (byte) (n >>> 8);
        b[3] = (byte) n;
        System.arraycopy(payload, 0, b, 4, n);
        return b;
    }

    /** Half-closes: the server reads end-of-stream, this client can still read the reply. */
    public RawClient shutdownOutput() {
        try {
            socket.shutdownOutput();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- receiving -----------------------------------------------------------------------------------------

    /**
     * Reads one line ended by LF (a CR before it is dropped), decoded as UTF-8.
     *
     * @return the line, or null if the server closed before any byte of it
     * @throws AssertionError if nothing complete arrives within the read timeout, or the stream ends mid-line
     */
    public String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (line.size() == 0) return null;
                    throw new AssertionError("stream ended inside a line: " + line.toString(StandardCharsets.UTF_8));
                }
                if (b == '\n') break;
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete line from the server in time; got so far: "
                    + line.toString(StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            throw new UncheckedIOException("read failed: " + e.getMessage(), e);
        }
        byte[] b = line.toByteArray();
        int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    /** Reads exactly {@code n} bytes; fails if the stream ends or stays silent first. */
    public byte[] readBytes(int n) {
        byte[] b = new byte[n];
        try {
            int got = 0;
            while (got < n) {
                int r = in.read(b, got, n - got);
                if (r < 0) throw new AssertionError("stream ended after " + got + " of " + n + " bytes");
                got += r;
            }
            return b;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("fewer than " + n + " bytes arrived in time", e);
        } catch (IOException e) {
            throw new UncheckedIOException("read failed: " + e.getMessage(), e);
        }
    }

    /** Reads one length-prefixed frame; fails if the stream ends or stays silent first. */
    public byte[] readFrame() {
        byte[] h = readBytes(4);
        int n = ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
        return readBytes(n);
    }

    /** Reads everything until the server closes, as UTF-8; fails if it does not close in time. */
    public String readAll() {
        return new String(readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Reads every byte until the server closes; fails if it does not close in time. */
    public byte[] readAllBytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) all.write(buf, 0, n);
            return all.toByteArray();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close in time (" + all.size() + " bytes read)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Asserts the server closed this connection: the next read sees end-of-stream or a reset, with no data
     * before it.
     *
     * @throws AssertionError if data arrives, or the connection stays open past the read timeout
     */
    public void expectClosed() {
        try {
            int b = in.read();
            if (b >= 0) {
                byte[] rest = new byte[Math.max(0, Math.min(200, in.available()))];
                int n = in.read(rest);
                throw new AssertionError("expected the server to close, but it sent: "
                        + (char) b + new String(rest, 0, Math.max(0, n), StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("expected the server to close the connection, but it stayed open", e);
        } catch (SocketException e) {
            // "Connection reset": the server closed with unread data or at once (a rejected client); closed either way.
        } catch (IOException e) {
            throw new UncheckedIOException("read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that nothing arrives for {@code quiet}: for asserting that a server does NOT answer (a client left
     * in the backlog, say). Passing proves only that nothing came in that window; use it where the correct
     * behaviour is silence forever, never to measure speed. A byte that does arrive is consumed.
     *
     * @return true if the window passed in silence with the connection open; false if a byte, end-of-stream or
     *         a reset came
     */
    public boolean staysSilentFor(Duration quiet) {
        int previous;
        try {
            previous = socket.getSoTimeout();
            socket.setSoTimeout((int) Math.max(1, quiet.toMillis()));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        try {
            in.read(); // returns only if something (a byte or end-of-stream) broke the silence
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false; // reset: not silent, the server reacted
        } finally {
            try {
                socket.setSoTimeout(previous);
            } catch (SocketException e) {
                // The socket broke meanwhile; the next call on this client reports it.
            }
        }
    }

    /** Closes the socket; idempotent. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing a client socket in a test can only fail if the OS lost it already: nothing to release.
        }
    }
}
