package dev.porter.http.websocket;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A raw WebSocket client for the frame-level tests: it writes exactly the bytes a test asks for (masked or not,
 * legal or not) and reads the server's frames one by one, checking nothing itself. Read timeout 10 s: a hang fails.
 */
final class WsWire implements Closeable {

    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3's example
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** One frame as the server sent it. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        int closeCode() {
            return payload.length < 2 ? 1005 : (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    /** The response head to the handshake, lines joined with \n. */
    final String head;

    private WsWire(Socket socket, String head, InputStream in) throws IOException {
        this.socket = socket;
        this.head = head;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    static Socket socket(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Opens a WebSocket to {@code path} with the standard handshake plus {@code extra} field lines. */
    static WsWire open(int port, String path, String... extra) throws IOException {
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY
                + "\r\nSec-WebSocket-Version: 13\r\n");
        for (String e : extra) req.append(e).append("\r\n");
        req.append("\r\n");
        Socket s = socket(port);
        s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = new BufferedInputStream(s.getInputStream());
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("handshake refused: " + head);
        }
        return new WsWire(s, head, in);
    }

    /** Sends {@code request} as it is; @return the whole response head (lines joined with \n) */
    static String exchange(int port, String request) throws IOException {
        try (Socket s = socket(port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readHead(new BufferedInputStream(s.getInputStream()));
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed in the response head: " + b);
            b.write(c);
            last4 = last4 << 8 | c;
        }
        return b.toString(StandardCharsets.ISO_8859_1).replace("\r\n", "\n").trim();
    }

    /** @return the value of field {@code name} in the response head, or null */
    String field(String name) {
        for (String line : head.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
        }
        return null;
    }

    /** Sends a masked frame (key 0x37fa213d) with these bits. */
    void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        out.write(frame(fin, rsv, opcode, payload, true));
        out.flush();
    }

    void send(boolean fin, int opcode, byte[] payload) throws IOException {
        send(fin, 0, opcode, payload);
    }

    void sendText(String s) throws IOException {
        send(true, 1, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a Close with {@code code} (or empty when code is 1005) and no reason. */
    void sendClose(int code) throws IOException {
        send(true, 8, code == 1005 ? new byte[0] : new byte[]{(byte) (code >> 8), (byte) code});
    }

    void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        int n = payload.length;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int m = masked ? 0x80 : 0;
        if (n <= 125) {
            b.write(m | n);
        } else if (n <= 0xffff) {
            b.write(m | 126);
            b.write(n >> 8);
            b.write(n);
        } else {
            b.write(m | 127);
            for (int shift = 56; shift >= 0; shift -= 8) b.write((int) ((long) n >>> shift));
        }
        byte[] key = {0x37, (byte) 0xfa, 0x21, 0x3d};
        if (masked) b.writeBytes(key);
        for (int i = 0; i < n; i++) b.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        return b.toByteArray();
    }

    /** @return the next frame, or null if the server closed the connection (or reset it) first */
    Frame read() throws IOException {
        try {
            int b0 = in.read();
            if (b0 < 0) return null;
            int b1 = readByte();
            long len = b1 & 0x7f;
            if (len == 126) len = (long) readByte() << 8 | readByte();
            else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) len = len << 8 | readByte();
            }
            byte[] key = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) len);
            if (payload.length != len) throw new EOFException("frame cut short");
            if (key != null) for (int i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
            return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0f, key != null, payload);
        } catch (SocketException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset")) return null;
            throw e;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("connection closed inside a frame header");
        return b;
    }

    /** Reads frames until a Close, skipping others. @return the Close frame, or null if none came before the end */
    Frame readClose() throws IOException {
        for (Frame f; (f = read()) != null; ) {
            if (f.opcode() == 8) return f;
        }
        return null;
    }

    /** @return true if the server ends the connection (end of stream or reset) before sending another frame */
    boolean endsWithoutMore() throws IOException {
        return read() == null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
