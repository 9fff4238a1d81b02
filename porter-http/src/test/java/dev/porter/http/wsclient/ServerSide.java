package dev.porter.http.wsclient;

import dev.porter.http.testing.RawServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's end of a WebSocket conversation, written by hand for the client tests: reads the handshake, answers
 * with whatever head a test needs (valid or not), and reads and writes raw frames.
 */
final class ServerSide {

    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");

    /** A frame as it arrived. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final String head;

    ServerSide(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.head = RawServer.readHead(in);
    }

    /** @return the Sec-WebSocket-Key of the request */
    String key() {
        Matcher m = KEY.matcher(head);
        if (!m.find()) throw new AssertionError("no key in " + head);
        return m.group(1);
    }

    /** @return the Sec-WebSocket-Accept value for {@code key} (RFC 6455 §4.2.2) */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Answers a valid 101, with extra field lines. */
    void upgrade(String... fields) throws IOException {
        StringBuilder b = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key()) + "\r\n");
        for (String f : fields) b.append(f).append("\r\n");
        write(b.append("\r\n").toString());
    }

    void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Writes one frame, unmasked unless {@code maskKey} is given. */
    void frame(boolean fin, int opcode, byte[] payload, Integer maskKey) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        int m = maskKey != null ? 0x80 : 0;
        if (payload.length <= 125) {
            b.write(m | payload.length);
        } else if (payload.length <= 0xffff) {
            b.write(m | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length);
        } else {
            b.write(m | 127);
            for (int s = 56; s >= 0; s -= 8) b.write((int) ((long) payload.length >>> s));
        }
        byte[] p = payload.clone();
        if (maskKey != null) {
            for (int s = 24; s >= 0; s -= 8) b.write(maskKey >>> s);
            for (int i = 0; i < p.length; i++) p[i] ^= (byte) (maskKey >>> 24 - 8 * (i & 3));
        }
        b.write(p);
        out.write(b.toByteArray());
        out.flush();
    }

    void text(String s) throws IOException {
        frame(true, 1, s.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Sends a Close with {@code code} (and no reason). */
    void close(int code) throws IOException {
        frame(true, 8, new byte[]{(byte) (code >>> 8), (byte) code}, null);
    }

    /** Reads one frame, unmasking it. @return null at end of stream */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) return null;
        int b1 = in.read();
        long len = b1 & 0x7f;
        if (len == 126) len = (in.read() << 8) | in.read();
        else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) len = len << 8 | in.read();
        }
        boolean masked = (b1 & 0x80) != 0;
        int key = 0;
        if (masked) for (int i = 0; i < 4; i++) key = key << 8 | in.read();
        byte[] p = in.readNBytes((int) len);
        if (masked) for (int i = 0; i < p.length; i++) p[i] ^= (byte) (key >>> 24 - 8 * (i & 3));
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0f, masked, key, p);
    }
}
