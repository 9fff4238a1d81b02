package dev.porter.http.testing;

import dev.porter.http.HttpServer;

import java.io.BufferedInputStream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw-socket HTTP/1.x client for tests: sends exactly the bytes it is given (malformed ones included) and reads
 * exactly what the server answers, so tests see the wire rather than what a forgiving client library makes of
 * it. Every read is bounded by a timeout ({@link #TIMEOUT} unless changed), so a server that hangs fails the test
 * instead of blocking it. Not thread-safe; one per connection.
 */
public final class HttpWire implements AutoCloseable {

    /** Upper bound for any single read: generous, it only turns a hang into a failure. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern STATUS_LINE = Pattern.compile("(?:^|\r\n|\n)HTTP/1\\.[01] (\\d{3})");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** How a {@link #readToEnd()} ended. */
    public enum End {
        /** The server closed its side (read returned -1). */
        EOF,
        /** The server reset the connection. */
        RESET,
        /** Nothing more arrived within the timeout and the connection is still open. */
        TIMEOUT
    }

    /**
     * Everything read until the connection ended.
     *
     * @param bytes what arrived
     * @param end   how reading stopped
     */
    public record Transcript(byte[] bytes, End end) {

        /** @return the bytes as ISO-8859-1 text */
        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** @return every status code found at the start of a line (like the llhttp replayer counts them) */
        public List<Integer> statuses() {
            return statusCodes(bytes);
        }

        /** @return true if the server closed or reset the connection */
        public boolean closed() {
            return end != End.TIMEOUT;
        }
    }

    private HttpWire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port}. */
    public static HttpWire connect(int port) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            return new HttpWire(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects to {@code server}. */
    public static HttpWire connect(HttpServer server) {
        return connect(server.port());
    }

    /** Changes the timeout of every following read. */
    public HttpWire readTimeout(Duration d) {
        try {
            socket.setSoTimeout((int) d.toMillis());
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Sends {@code text} as ISO-8859-1 bytes (one byte per char, so control characters go out as they are). */
    public HttpWire send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code bytes} and flushes. */
    public HttpWire send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Closes the sending side: the server reads end-of-stream after what was sent. */
    public HttpWire shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** @return the underlying socket */
    public Socket socket() {
        return socket;
    }

    /**
     * Reads one response, or notices that the server closed (or reset) the connection before sending a byte.
     *
     * @return the response, or null if the connection ended first
     */
    public WireResponse tryReadResponse() {
        try {
            in.mark(1);
            if (in.read() < 0) return null;
            in.reset();
        } catch (SocketException e) {
            return null; // reset before any byte: the server closed with our input unread
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return readResponse(false);
    }

    /** Reads one response (to a non-HEAD request). */
    public WireResponse readResponse() {
        return readResponse(false);
    }

    /**
     * Reads one response: status line, header section, and a body framed by chunked, Content-Length, or the end
     * of the connection (none for HEAD, 1xx, 204 and 304). An interim 1xx response is returned like any other.
     *
     * @throws AssertionError if the connection ends before a complete response or the response is malformed
     */
    public WireResponse readResponse(boolean toHead) {
        try {
            String statusLine = line();
            if (statusLine == null) throw new AssertionError("connection closed before a response");
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new AssertionError("bad status line: " + statusLine);
            int status = Integer.parseInt(parts[1]);
            List<String[]> fields = new ArrayList<>();
            for (String l; !(l = requireLine()).isEmpty(); ) {
                int colon = l.indexOf(':');
                if (colon <= 0) throw new AssertionError("bad header line: " + l);
                fields.add(new String[] {l.substring(0, colon), l.substring(colon + 1).strip()});
            }
            WireResponse head = new WireResponse(parts[0], status, parts.length > 2 ? parts[2] : "", fields, new byte[0], false);
            if (toHead || status < 200 || status == 204 || status == 304) return head;
            String te = head.header("Transfer-Encoding");
            if (te != null) {
                if (!te.equalsIgnoreCase("chunked")) throw new AssertionError("unexpected Transfer-Encoding: " + te);
                return new WireResponse(parts[0], status, head.reason(), fields, chunkedBody(), true);
            }
            String cl = head.header("Content-Length");
            byte[] body = cl != null ? readBytes(Integer.parseInt(cl)) : readAll();
            return new WireResponse(parts[0], status, head.reason(), fields, body, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = requireLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
            if (size == 0) {
                while (!requireLine().isEmpty()) {
                    // trailer fields: not used by these tests
                }
                return body.toByteArray();
            }
            body.write(readBytes(size));
            if (!requireLine().isEmpty()) throw new AssertionError("chunk data not followed by CRLF");
        }
    }

    /** Reads exactly {@code n} bytes. @throws AssertionError if the connection ends first */
    public byte[] readBytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new AssertionError("connection ended after " + b.length + " of " + n + " bytes");
        return b;
    }

    private byte[] readAll() throws IOException {
        return in.readAllBytes();
    }

    private String requireLine() throws IOException {
        String l = line();
        if (l == null) throw new AssertionError("connection closed inside a response");
        return l;
    }

    /** @return the next CRLF-terminated line without its CRLF, or null at end of stream before any byte */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) return null;
                throw new AssertionError("connection closed inside a line: " + b.toString(StandardCharsets.ISO_8859_1));
            }
            if (c == '\n') {
                byte[] l = b.toByteArray();
                if (l.length == 0 || l[l.length - 1] != '\r') throw new AssertionError("line not ended by CRLF");
                return new String(l, 0, l.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
    }

    /** Reads until the server closes or resets the connection, or the read timeout passes with nothing new. */
    public Transcript readToEnd() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
            return new Transcript(got.toByteArray(), End.EOF);
        } catch (SocketTimeoutException e) {
            return new Transcript(got.toByteArray(), End.TIMEOUT);
        } catch (SocketException e) {
            // "Connection reset": the server closed with unread input; what arrived before still counts.
            return new Transcript(got.toByteArray(), End.RESET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the server closes the connection.
     *
     * @return true if it did (end of stream or reset) without sending any further byte; false if bytes arrived
     *         or the read timed out
     */
    public boolean closedByServer() {
        Transcript t = readToEnd();
        return t.closed() && t.bytes().length == 0;
    }

    /** @return every status code found at the start of a line of {@code bytes} */
    public static List<Integer> statusCodes(byte[] bytes) {
        Matcher m = STATUS_LINE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        List<Integer> out = new ArrayList<>();
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a test socket can only fail if it is gone already.
            throw new UncheckedIOException(e);
        }
    }
}
