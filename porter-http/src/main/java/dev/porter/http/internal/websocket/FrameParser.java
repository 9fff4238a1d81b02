package dev.porter.http.internal.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads WebSocket frames (RFC 6455 §5.2) as a pure state machine over bytes: no I/O, no allocation per frame.
 * {@link #header} consumes one whole frame header (2 to 14 bytes) or nothing ("need more": feed the same bytes
 * again with more after them); the frame's fields are then readable, and {@link #payload} moves its payload, in
 * pieces as they arrive, into the caller's array, unmasked. The input array is only read: a connection's read
 * buffer is not the parser's to write.
 * <p>
 * Checked as soon as the header's bytes decide it, always in the same order, so the error is the same however the
 * input is split; each failure is a {@link CloseException} with the code to close with:
 * <ul>
 *   <li>1002: RSV2 or RSV3 set, or RSV1 set when no extension gave it a meaning (§5.2); with permessage-deflate
 *       RSV1 only on the first frame of a data message, never on a control frame or a continuation
 *       (RFC 7692 §6.1);</li>
 *   <li>1002: a reserved opcode 3–7 or B–F (§5.2);</li>
 *   <li>1002: a control frame that is fragmented or longer than 125 bytes (§5.5);</li>
 *   <li>1002: a continuation frame with no message to continue, or a new text or binary frame while a fragmented
 *       message is unfinished (§5.4) — control frames may come between fragments;</li>
 *   <li>1002: a frame without a mask where the peer must mask (a client's frame to a server), or with one where it
 *       must not (a server's to a client) (§5.1, §5.3);</li>
 *   <li>1002: a 64-bit length with its most significant bit set (§5.2);</li>
 *   <li>1009: a payload longer than the largest frame accepted (§7.4.1).</li>
 * </ul>
 * A length written in more bytes than needed is accepted: §5.2 asks senders for the minimal form, but nothing
 * requires a receiver to refuse another. Message sizes, UTF-8 and compression are {@link MessageDecoder}'s.
 * Not thread-safe.
 */
public final class FrameParser {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** The longest frame header: 2 bytes, a 64-bit length and a masking key. */
    public static final int MAX_HEADER_LENGTH = 14;
    /** The largest control frame payload (§5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final boolean masked;
    private final long maxFrameSize;
    private boolean rsv1Allowed;

    private boolean fin;
    private boolean rsv1;
    private int opcode = -1;
    private long length;
    private long remaining;
    private int maskKey;
    private boolean hasMask;
    /** Payload bytes of this frame already moved (where the masking key stands). */
    private long position;
    /** A text or binary message was started and awaits its continuation frames. */
    private boolean fragmented;

    /**
     * @param masked       true where every frame must be masked (a server reading a client), false where none may
     *                     be (a client reading a server)
     * @param maxFrameSize the largest payload accepted; longer is 1009
     */
    public FrameParser(boolean masked, long maxFrameSize) {
        if (maxFrameSize < MAX_CONTROL_PAYLOAD) throw new IllegalArgumentException("maxFrameSize below 125");
        this.masked = masked;
        this.maxFrameSize = maxFrameSize;
    }

    /** Allows RSV1 on the first frame of a data message: permessage-deflate was negotiated (RFC 7692 §6). */
    public void allowCompression(boolean allowed) {
        rsv1Allowed = allowed;
    }

    /**
     * Parses the next frame header at {@code b[start..end)}. Call only when the last frame's payload was moved
     * completely ({@link #remaining()} is 0).
     *
     * @return the header's length if a whole header was consumed (its fields are then readable), 0 if more bytes
     *         are needed
     * @throws CloseException 1002 or 1009, see the class comment
     */
    public int header(byte[] b, int start, int end) {
        if (remaining != 0) throw new IllegalStateException("payload of the last frame not yet read");
        int avail = end - start;
        if (avail < 2) return 0;
        int b0 = b[start] & 0xff;
        int b1 = b[start + 1] & 0xff;
        boolean f = (b0 & 0x80) != 0;
        boolean r1 = (b0 & 0x40) != 0;
        int op = b0 & 0x0f;
        boolean m = (b1 & 0x80) != 0;
        int len7 = b1 & 0x7f;
        check(f, r1, (b0 & 0x30) != 0, op, m, len7);
        int lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        int size = 2 + lengthBytes + (m ? 4 : 0);
        if (avail < 2 + lengthBytes) return 0;
        long len = len7;
        if (lengthBytes == 2) {
            len = (b[start + 2] & 0xff) << 8 | b[start + 3] & 0xff;
        } else if (lengthBytes == 8) {
            len = 0;
            for (int i = 0; i < 8; i++) len = len << 8 | b[start + 2 + i] & 0xff;
            if (len < 0) throw CloseException.protocol("64-bit payload length with its most significant bit set");
        }
        if (len > maxFrameSize) {
            throw new CloseException(CloseCodes.TOO_BIG, "frame of " + len + " bytes; the limit is " + maxFrameSize);
        }
        if (avail < size) return 0;
        fin = f;
        rsv1 = r1;
        opcode = op;
        length = len;
        remaining = len;
        position = 0;
        hasMask = m;
        if (m) {
            int k = start + 2 + lengthBytes;
            maskKey = (b[k] & 0xff) << 24 | (b[k + 1] & 0xff) << 16 | (b[k + 2] & 0xff) << 8 | b[k + 3] & 0xff;
        }
        if (op == TEXT || op == BINARY) fragmented = !f;
        else if (op == CONTINUATION && f) fragmented = false;
        return size;
    }

    /** The rules the first two bytes decide, in a fixed order. */
    private void check(boolean f, boolean r1, boolean rsv23, int op, boolean m, int len7) {
        if (rsv23) throw CloseException.protocol("RSV2 or RSV3 set without an extension defining them");
        boolean control = (op & 0x8) != 0;
        if (op > BINARY && op < CLOSE || op > PONG) throw CloseException.protocol("reserved opcode " + op);
        if (control) {
            if (!f) throw CloseException.protocol("fragmented control frame (opcode " + op + ")");
            if (len7 > MAX_CONTROL_PAYLOAD) throw CloseException.protocol("control frame longer than 125 bytes");
            if (r1) throw CloseException.protocol("RSV1 set on a control frame");
        } else {
            if (r1 && !rsv1Allowed) throw CloseException.protocol("RSV1 set without a negotiated extension");
            if (op == CONTINUATION) {
                if (!fragmented) throw CloseException.protocol("continuation frame with no message to continue");
                if (r1) throw CloseException.protocol("RSV1 set on a continuation frame (RFC 7692 §6.1)");
            } else if (fragmented) {
                throw CloseException.protocol("new data frame inside a fragmented message");
            }
        }
        if (m != masked) {
            throw CloseException.protocol(masked ? "unmasked frame from a client" : "masked frame from a server");
        }
    }

    /**
     * Moves the next payload bytes of the current frame, as many as are available and still due, from
     * {@code src[start..end)} to {@code dst} at {@code dstOff}, unmasked. {@code dst} must have room for them.
     *
     * @return the count moved
     */
    public int payload(byte[] src, int start, int end, byte[] dst, int dstOff) {
        int n = (int) Math.min(remaining, end - start);
        if (hasMask) {
            mask(src, start, dst, dstOff, n, maskKey, position);
        } else {
            System.arraycopy(src, start, dst, dstOff, n);
        }
        position += n;
        remaining -= n;
        return n;
    }

    /**
     * XORs {@code n} bytes with a masking key (§5.3), from {@code src} into {@code dst} (which may be the same
     * place), the first of them standing at {@code position} in their frame's payload.
     */
    public static void mask(byte[] src, int s, byte[] dst, int d, int n, int key, long position) {
        int k = Integer.rotateLeft(key, 8 * (int) (position & 3));
        long k8 = (k & 0xffffffffL) << 32 | (k & 0xffffffffL);
        int i = 0;
        for (; i + 8 <= n; i += 8) LONGS.set(dst, d + i, (long) LONGS.get(src, s + i) ^ k8);
        for (; i < n; i++) dst[d + i] = (byte) (src[s + i] ^ k >>> 24 - 8 * (i & 3));
    }

    /** @return the FIN bit of the current frame */
    public boolean fin() {
        return fin;
    }

    /** @return the RSV1 bit of the current frame (with permessage-deflate: the message is compressed) */
    public boolean rsv1() {
        return rsv1;
    }

    /** @return the current frame's opcode, -1 before the first */
    public int opcode() {
        return opcode;
    }

    /** @return true if the current frame is a control frame (Close, Ping, Pong) */
    public boolean control() {
        return (opcode & 0x8) != 0;
    }

    /** @return the current frame's payload length */
    public long length() {
        return length;
    }

    /** @return payload bytes of the current frame not yet moved; 0 between frames */
    public long remaining() {
        return remaining;
    }

    /** @return the current frame's masking key (meaningful only when it has one) */
    public int maskKey() {
        return maskKey;
    }

    /** @return true if a fragmented data message is unfinished */
    public boolean fragmented() {
        return fragmented;
    }
}
