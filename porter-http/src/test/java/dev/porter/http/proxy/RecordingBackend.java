package dev.porter.http.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A raw-socket backend for proxy tests that records exactly what reached it: every byte of every connection
 * ({@link #raw()}), and each request as a lenient server frames it (Content-Length, else chunked, else no body;
 * requests on one connection one after another). It answers each request with what the responder returns for
 * its head, keeps the connection open, and never validates anything: it believes whatever framing it reads, so
 * a message the proxy framed ambiguously would show here as a second request.
 */
final class RecordingBackend implements AutoCloseable {

    /** One request as the backend framed it. */
    record Received(String head, byte[] body) {
        String requestLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        /** @return the first value of {@code name} (case-insensitive), or null */
        String field(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
            }
            return null;
        }

        /** @return true if a field named {@code name} is present */
        boolean has(String name) {
            return field(name) != null;
        }
    }

    private final ServerSocket server;
    private final Function<Received, String> responder;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private RecordingBackend(Function<Received, String> responder) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.responder = responder;
        Thread.ofVirtual().start(this::accept);
    }

    /** A backend answering every request with {@code response} (a whole HTTP/1.1 message). */
    static RecordingBackend answering(String response) throws IOException {
        return new RecordingBackend(r -> response);
    }

    /** A backend answering each request with what {@code responder} makes of it. */
    static RecordingBackend start(Function<Received, String> responder) throws IOException {
        return new RecordingBackend(responder);
    }

    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> converse(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void converse(Socket s) {
        try (s) {
            InputStream in = new Recorded(new BufferedInputStream(s.getInputStream()));
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) return;
                byte[] body = readBody(in, head);
                Received r = new Received(head, body);
                received.add(r);
                out.write(responder.apply(r).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the proxy closed the connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0D0A0D0A) return head.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        int cl = lower.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int end = lower.indexOf("\r\n", cl + 2);
            return in.readNBytes(Integer.parseInt(lower.substring(cl + 17, end).strip()));
        }
        if (!lower.contains("\r\ntransfer-encoding:")) return new byte[0];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) if (b != '\r') sb.append((char) b);
        return sb.toString();
    }

    /** Copies every byte read into {@link #raw}. */
    private final class Recorded extends InputStream {
        private final InputStream in;

        Recorded(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) synchronized (raw) {
                raw.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) synchronized (raw) {
                raw.write(b, off, n);
            }
            return n;
        }
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** @return the requests framed so far */
    List<Received> received() {
        return received;
    }

    /** @return every byte received so far, all connections */
    String raw() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
