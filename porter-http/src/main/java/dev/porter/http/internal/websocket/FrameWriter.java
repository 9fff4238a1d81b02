package dev.porter.http.internal.websocket;

import java.io.IOException;
import java.util.random.RandomGenerator;

/**
 * Writes WebSocket frames (RFC 6455 §5.2): the header in its minimal length form, and the payload as given (a
 * server) or masked with a fresh key per frame (a client, §5.3: the key must be unpredictable, so a client passes a
 * {@link java.security.SecureRandom}). Nothing is buffered here: the bytes go to an {@link Output}, in pieces of at
 * most 8 KiB when masking (the caller's payload is never changed). Not thread-safe: a connection's sender holds
 * its own lock around each frame, so two frames never interleave.
 */
public final class FrameWriter {

    /** Where frame bytes go (a connection's {@code write}). */
    @FunctionalInterface
    public interface Output {
        void write(byte[] b, int off, int len) throws IOException;
    }

    private static final int CHUNK = 8 * 1024;

    private final RandomGenerator maskKeys;
    private final byte[] head = new byte[FrameParser.MAX_HEADER_LENGTH];
    private byte[] chunk;

    /** @param maskKeys the source of masking keys for a client, or null for a server (frames unmasked) */
    public FrameWriter(RandomGenerator maskKeys) {
        this.maskKeys = maskKeys;
    }

    /** Writes one frame. */
    public void write(Output out, boolean fin, boolean rsv1, int opcode, byte[] payload, int off, int len)
            throws IOException {
        if ((opcode & 0x8) != 0 && (len > FrameParser.MAX_CONTROL_PAYLOAD || !fin)) {
            throw new IllegalArgumentException("control frames carry at most 125 bytes and are never fragmented");
        }
        boolean masked = maskKeys != null;
        int key = masked ? maskKeys.nextInt() : 0;
        int h = header(head, 0, fin, rsv1, opcode, len, masked, key);
        if (!masked) {
            out.write(head, 0, h);
            out.write(payload, off, len);
            return;
        }
        if (chunk == null) chunk = new byte[CHUNK];
        // The header and the first piece leave together: one write for a small frame.
        System.arraycopy(head, 0, chunk, 0, h);
        int first = Math.min(len, CHUNK - h);
        FrameParser.mask(payload, off, chunk, h, first, key, 0);
        out.write(chunk, 0, h + first);
        for (int done = first; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            FrameParser.mask(payload, off + done, chunk, 0, n, key, done);
            out.write(chunk, 0, n);
            done += n;
        }
    }

    /**
     * Writes a frame header at {@code dst[off]}: 7-bit, 16-bit or 64-bit length, whichever is shortest (§5.2).
     *
     * @return the offset after the header
     */
    public static int header(byte[] dst, int off, boolean fin, boolean rsv1, int opcode, long length, boolean masked,
                             int maskKey) {
        if (length < 0) throw new IllegalArgumentException("negative length");
        int p = off;
        dst[p++] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode & 0x0f);
        int maskBit = masked ? 0x80 : 0;
        if (length <= 125) {
            dst[p++] = (byte) (maskBit | (int) length);
        } else if (length <= 0xffff) {
            dst[p++] = (byte) (maskBit | 126);
            dst[p++] = (byte) (length >>> 8);
            dst[p++] = (byte) length;
        } else {
            dst[p++] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) dst[p++] = (byte) (length >>> shift);
        }
        if (masked) {
            dst[p++] = (byte) (maskKey >>> 24);
            dst[p++] = (byte) (maskKey >>> 16);
            dst[p++] = (byte) (maskKey >>> 8);
            dst[p++] = (byte) maskKey;
        }
        return p;
    }

    /** @return the length of a header for this payload length */
    public static int headerLength(long length, boolean masked) {
        return (length <= 125 ? 2 : length <= 0xffff ? 4 : 10) + (masked ? 4 : 0);
    }
}
