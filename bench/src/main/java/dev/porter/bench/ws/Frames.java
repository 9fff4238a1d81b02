package dev.porter.bench.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.random.RandomGenerator;

/** What a WebSocket client writes: masked frames (RFC 6455 §5.2, §5.3) and the opening handshake (§4.1). */
final class Frames {

    /** The GUID of RFC 6455 §1.3, for Sec-WebSocket-Accept. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Frames() {}

    /**
     * One final frame, masked with the given key, as a client must send it.
     *
     * @param opcode  the frame's opcode
     * @param payload its payload (not changed)
     * @param mask    the masking key
     * @return the frame's bytes: header, key, masked payload
     */
    static byte[] masked(int opcode, byte[] payload, int mask) {
        int n = payload.length;
        int lengthBytes = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + n];
        frame[0] = (byte) (0x80 | opcode);
        int at = 2;
        if (lengthBytes == 0) {
            frame[1] = (byte) (0x80 | n);
        } else if (lengthBytes == 2) {
            frame[1] = (byte) (0x80 | 126);
            frame[at++] = (byte) (n >>> 8);
            frame[at++] = (byte) n;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) frame[at++] = (byte) ((long) n >>> shift);
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(key, 0, frame, at, 4);
        at += 4;
        for (int i = 0; i < n; i++) frame[at + i] = (byte) (payload[i] ^ key[i & 3]);
        return frame;
    }

    /**
     * A close frame with a status code and no reason, masked.
     *
     * @param code   the status code (1000: normal closure)
     * @param random where the masking key comes from
     * @return the frame
     */
    static byte[] close(int code, RandomGenerator random) {
        return masked(FrameReader.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code}, random.nextInt());
    }

    /**
     * A message's payload: {@code size} random bytes, or for text {@code size} random ASCII letters and digits
     * (valid UTF-8 of exactly that many bytes).
     */
    static byte[] payload(int size, boolean text, RandomGenerator random) {
        byte[] payload = new byte[size];
        if (text) {
            byte[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < size; i++) payload[i] = alphabet[random.nextInt(alphabet.length)];
        } else {
            random.nextBytes(payload);
        }
        return payload;
    }

    /**
     * The opening handshake's request.
     *
     * @param host the Host header's value
     * @param path the request target
     * @param key  the Sec-WebSocket-Key
     * @return the request's bytes
     */
    static byte[] upgradeRequest(String host, String path, String key) {
        return ("GET " + path + " HTTP/1.1\r\n"
            + "Host: " + host + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + key + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** @return a fresh Sec-WebSocket-Key: 16 random bytes, base64 */
    static String newKey(RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** @return the Sec-WebSocket-Accept the server must answer to this key (RFC 6455 §4.2.2) */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1", e);
        }
    }

    /**
     * Checks the handshake's response head (status line and headers, without the blank line).
     *
     * @param head the response head
     * @param key  the key the request sent
     * @throws WsProtocolException when it is not a 101 with the right accept, or it negotiated an extension
     */
    static void checkUpgradeResponse(String head, String key) throws WsProtocolException {
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.1 101( .*)?")) {
            throw new WsProtocolException("no upgrade: " + (lines.length == 0 ? "empty answer" : lines[0]));
        }
        String accept = null, upgrade = null, extensions = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Sec-WebSocket-Accept")) accept = value;
            else if (name.equalsIgnoreCase("Upgrade")) upgrade = value;
            else if (name.equalsIgnoreCase("Sec-WebSocket-Extensions")) extensions = value;
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            throw new WsProtocolException("101 without Upgrade: websocket");
        }
        if (!accept(key).equals(accept)) throw new WsProtocolException("wrong Sec-WebSocket-Accept: " + accept);
        if (extensions != null && !extensions.isBlank()) {
            throw new WsProtocolException("an extension nobody offered: " + extensions);
        }
    }

    /** @return a read-only direct copy of the bytes */
    static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}
