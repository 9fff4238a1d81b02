package dev.porter.http.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A deliberately small HTTP/1.1 client for the reliability tests: raw sockets (so a test controls exactly which
 * bytes go out and when it vanishes) and a strict reader of one response at a time.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** One response: status, fields (lower-case names, last wins) and body. */
    record Reply(int status, Map<String, String> fields, byte[] body) {
        boolean closes() {
            return "close".equalsIgnoreCase(fields.get("connection"));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A connected socket to 127.0.0.1:{@code port} with Nagle off and a 10 s read timeout (a hang fails). */
    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** @return a buffered view of the socket's input, to read responses with {@link #read(InputStream)} */
    static InputStream in(Socket s) throws IOException {
        return new BufferedInputStream(s.getInputStream(), 16 * 1024);
    }

    static byte[] get(String target) {
        return ("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Closes with a reset (SO_LINGER 0): the way a vanishing client's kernel often ends a connection. */
    static void reset(Socket s) {
        try {
            s.setOption(StandardSocketOptions.SO_LINGER, 0);
            s.close();
        } catch (IOException e) {
            // Already closed or reset by the server: the connection is gone either way.
        }
    }

    /**
     * Reads one final response (1xx skipped): Content-Length, chunked or close-delimited body.
     *
     * @return the response, or null if the stream ended cleanly before its first byte
     * @throws IOException if the stream ends inside it or it is malformed
     */
    static Reply read(InputStream in) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) return null;
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
                throw new IOException("malformed status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> fields = new HashMap<>();
            for (String f; !(f = require(line(in))).isEmpty(); ) {
                int colon = f.indexOf(':');
                if (colon <= 0) throw new IOException("malformed field: " + f);
                fields.put(f.substring(0, colon).toLowerCase(Locale.ROOT), f.substring(colon + 1).strip());
            }
            if (status / 100 == 1) continue;
            byte[] body;
            String length = fields.get("content-length");
            if ("chunked".equalsIgnoreCase(fields.get("transfer-encoding"))) {
                body = chunked(in);
            } else if (length != null) {
                int n = Integer.parseInt(length);
                body = in.readNBytes(n);
                if (body.length != n) throw new IOException("body ended after " + body.length + " of " + n + " bytes");
            } else {
                body = in.readAllBytes();
            }
            return new Reply(status, fields, body);
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = require(line(in));
            int semi = size.indexOf(';');
            int n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
            if (n == 0) {
                while (!require(line(in)).isEmpty()) {
                    // trailer fields: not needed by these tests
                }
                return out.toByteArray();
            }
            byte[] data = in.readNBytes(n);
            if (data.length != n) throw new IOException("chunk ended early");
            out.write(data);
            if (!require(line(in)).isEmpty()) throw new IOException("chunk data not followed by CRLF");
        }
    }

    private static String require(String line) throws IOException {
        if (line == null) throw new IOException("stream ended inside a response");
        return line;
    }

    /** @return one CRLF-ended line without its end, or null at end of stream before any byte */
    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int ch = in.read();
            if (ch < 0) {
                if (sb.isEmpty()) return null;
                throw new IOException("stream ended inside a line");
            }
            if (ch == '\n') {
                int last = sb.length() - 1;
                if (last < 0 || sb.charAt(last) != '\r') throw new IOException("line not ended by CRLF");
                return sb.substring(0, last);
            }
            sb.append((char) ch);
        }
    }

    /** @return the open file descriptors of this process (Linux: entries of /proc/self/fd) */
    static long openFileDescriptors() throws IOException {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        }
    }

    /** Waits up to {@code millis} for {@code condition}; @return whether it became true */
    static boolean await(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }
}
