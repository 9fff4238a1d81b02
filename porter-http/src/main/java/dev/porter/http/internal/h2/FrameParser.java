package dev.porter.http.internal.h2;

import java.nio.charset.StandardCharsets;

import static dev.porter.http.internal.h2.FrameType.*;
import static dev.porter.http.internal.h2.Http2Error.FRAME_SIZE_ERROR;
import static dev.porter.http.internal.h2.Http2Error.PROTOCOL_ERROR;

/**
 * Splits bytes into HTTP/2 frames (RFC 9113 §4) and checks each against the rules of its type (§6), as a pure
 * state machine: no I/O, no allocation per frame. {@link #parse} consumes one whole frame (the 9-byte header and
 * its payload) or nothing ("need more": feed the same bytes again with more after them); the frame's fields are
 * then readable until the next call, its payload in place in the caller's array.
 * <p>
 * What is checked here, each a connection error ({@link Http2Exception} thrown) unless noted:
 * <ul>
 *   <li>§4.2: a length above {@link #maxFrameSize()} (our SETTINGS_MAX_FRAME_SIZE) is FRAME_SIZE_ERROR, as soon
 *       as the header is complete, before the payload is awaited;</li>
 *   <li>§4.1: the reserved bit of the stream identifier (and of the 31-bit fields of PRIORITY, WINDOW_UPDATE and
 *       GOAWAY) is ignored; unknown frame types are returned for the caller to discard (§5.5);</li>
 *   <li>§6.1–§6.10: stream 0 for DATA, HEADERS, PRIORITY, RST_STREAM, CONTINUATION, and a stream other than 0
 *       for SETTINGS, PING, GOAWAY, are PROTOCOL_ERROR; fixed and minimum lengths (RST_STREAM 4, SETTINGS a
 *       multiple of 6 and empty with ACK, PING 8, GOAWAY at least 8, WINDOW_UPDATE 4, room for Pad Length and
 *       priority fields) are FRAME_SIZE_ERROR; padding that leaves less than nothing of DATA or of a field block
 *       fragment is PROTOCOL_ERROR; PUSH_PROMISE is PROTOCOL_ERROR (Porter never enables push, §8.4, §6.6);</li>
 *   <li>§6.10, §5.5: once a HEADERS frame without END_HEADERS was returned, only CONTINUATION frames of the same
 *       stream may follow until END_HEADERS; anything else, or a CONTINUATION out of sequence, is
 *       PROTOCOL_ERROR;</li>
 *   <li>stream errors, returned by {@link #streamError()} with the frame consumed (reset the stream, do not act
 *       on the frame): a PRIORITY frame not 5 bytes long (FRAME_SIZE_ERROR, §6.3) or depending on its own stream
 *       (PROTOCOL_ERROR, RFC 7540 §5.3.1), a WINDOW_UPDATE of 0 on a stream (PROTOCOL_ERROR, §6.9; on stream 0 a
 *       connection error). A HEADERS frame depending on its own stream is a connection error instead (allowed by
 *       §5.4): its field block could not be skipped without breaking the HPACK context.</li>
 * </ul>
 * Stream states (§5.1), flow control (§5.2), SETTINGS values ({@link Settings#apply}) and field blocks
 * ({@link HpackDecoder}) are the caller's, and so is every rate or size budget: in particular the caller joining
 * a field block's fragments must bound their total (a CONTINUATION flood, CVE-2024-27316, is a block that never
 * ends), and needs a buffer of {@code 9 + }{@link #maxFrameSize()} bytes for the largest frame. Not thread-safe.
 */
public final class FrameParser {

    /** Length of a frame header (§4.1). */
    public static final int HEADER_LENGTH = 9;
    /** The client connection preface (§3.4). */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private int maxFrameSize;
    /** The stream whose field block awaits CONTINUATION frames, 0 if none. */
    private int continuationStream;

    /** @return true between a HEADERS frame without END_HEADERS and the CONTINUATION frame that ends its block */
    boolean awaitingContinuation() {
        return continuationStream != 0;
    }

    private byte[] buffer;
    private int type = -1;
    private int flags;
    private int streamId;
    private int length;
    private int payloadStart;
    private int contentStart;
    private int contentEnd;
    private int needed = HEADER_LENGTH;
    private Http2Exception streamError;

    /** @param maxFrameSize the largest payload accepted: our SETTINGS_MAX_FRAME_SIZE (16384 by default) */
    public FrameParser(int maxFrameSize) {
        maxFrameSize(maxFrameSize);
    }

    /**
     * Changes the largest payload accepted, when our SETTINGS_MAX_FRAME_SIZE changes (raise it when the SETTINGS
     * frame is sent, lower it once the peer acknowledged it).
     *
     * @param maxFrameSize 16384..16777215 (§6.5.2)
     */
    public void maxFrameSize(int maxFrameSize) {
        if (maxFrameSize < Settings.MIN_MAX_FRAME_SIZE || maxFrameSize > Settings.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("max frame size " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /** @return the largest payload accepted */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Parses the frame at {@code b[start..end)} if all of it is there.
     *
     * @return the frame's length, header included (at least 9), if a frame was consumed: its fields are readable
     *         until the next call; 0 if more bytes are needed ({@link #needed()} says how many in all)
     * @throws Http2Exception a connection error, in the order of the bytes: whatever the split, the same error
     *                        comes for the same input
     */
    public int parse(byte[] b, int start, int end) {
        streamError = null;
        if (end - start < HEADER_LENGTH) {
            needed = HEADER_LENGTH;
            return 0;
        }
        int len = (b[start] & 0xff) << 16 | (b[start + 1] & 0xff) << 8 | b[start + 2] & 0xff;
        int t = b[start + 3] & 0xff;
        int f = b[start + 4] & 0xff;
        int sid = readInt(b, start + 5) & 0x7fffffff;
        checkHeader(len, t, f, sid);
        if (end - start < HEADER_LENGTH + len) {
            needed = HEADER_LENGTH + len;
            return 0;
        }
        buffer = b;
        type = t;
        flags = f;
        streamId = sid;
        length = len;
        payloadStart = start + HEADER_LENGTH;
        contentStart = payloadStart;
        contentEnd = payloadStart + len;
        needed = HEADER_LENGTH;
        checkPayload();
        if (t == HEADERS && (f & FLAG_END_HEADERS) == 0) continuationStream = sid;
        else if (t == CONTINUATION && (f & FLAG_END_HEADERS) != 0) continuationStream = 0;
        return HEADER_LENGTH + len;
    }

    /** The rules that the 9-byte header alone decides. */
    private void checkHeader(int len, int t, int f, int sid) {
        if (len > maxFrameSize) throw error(FRAME_SIZE_ERROR, t, "length " + len + " above " + maxFrameSize);
        if (continuationStream != 0 && (t != CONTINUATION || sid != continuationStream)) {
            throw error(PROTOCOL_ERROR, t, "on stream " + sid + " inside the field block of stream "
                    + continuationStream + " (RFC 9113 §6.10)");
        }
        switch (t) {
            case DATA -> {
                onStream(t, sid);
                if ((f & FLAG_PADDED) != 0 && len < 1) throw error(FRAME_SIZE_ERROR, t, "padded, no Pad Length");
            }
            case HEADERS -> {
                onStream(t, sid);
                int min = ((f & FLAG_PADDED) != 0 ? 1 : 0) + ((f & FLAG_PRIORITY) != 0 ? 5 : 0);
                if (len < min) throw error(FRAME_SIZE_ERROR, t, "length " + len + " below " + min);
            }
            case PRIORITY, RST_STREAM -> {
                onStream(t, sid);
                if (t == RST_STREAM && len != 4) throw error(FRAME_SIZE_ERROR, t, "length " + len + ", not 4");
            }
            case SETTINGS -> {
                onConnection(t, sid);
                if ((f & FLAG_ACK) != 0 && len != 0) throw error(FRAME_SIZE_ERROR, t, "ACK with a payload");
                if (len % 6 != 0) throw error(FRAME_SIZE_ERROR, t, "length " + len + ", not a multiple of 6");
            }
            case PUSH_PROMISE -> throw error(PROTOCOL_ERROR, t, "push is disabled (RFC 9113 §8.4)");
            case PING -> {
                onConnection(t, sid);
                if (len != 8) throw error(FRAME_SIZE_ERROR, t, "length " + len + ", not 8");
            }
            case GOAWAY -> {
                onConnection(t, sid);
                if (len < 8) throw error(FRAME_SIZE_ERROR, t, "length " + len + ", below 8");
            }
            case WINDOW_UPDATE -> {
                if (len != 4) throw error(FRAME_SIZE_ERROR, t, "length " + len + ", not 4");
            }
            case CONTINUATION -> {
                onStream(t, sid);
                if (continuationStream == 0) throw error(PROTOCOL_ERROR, t, "not after HEADERS (RFC 9113 §6.10)");
            }
            default -> {
                // An extension type (§5.5): returned as is, for the caller to discard.
            }
        }
    }

    /** The rules that need the payload. */
    private void checkPayload() {
        byte[] b = buffer;
        switch (type) {
            case DATA -> unpad(b);
            case HEADERS -> {
                unpad(b);
                if ((flags & FLAG_PRIORITY) != 0) {
                    if ((readInt(b, contentStart) & 0x7fffffff) == streamId) {
                        throw error(PROTOCOL_ERROR, type, "stream " + streamId + " depends on itself");
                    }
                    contentStart += 5;
                }
                if (contentStart > contentEnd) throw error(PROTOCOL_ERROR, type, "padding longer than the payload");
            }
            case PRIORITY -> {
                if (length != 5) {
                    streamError = Http2Exception.stream(streamId, FRAME_SIZE_ERROR, "PRIORITY length " + length);
                } else if ((readInt(b, payloadStart) & 0x7fffffff) == streamId) {
                    streamError = Http2Exception.stream(streamId, PROTOCOL_ERROR, "stream depends on itself");
                }
            }
            case WINDOW_UPDATE -> {
                if (windowIncrement() == 0) {
                    if (streamId == 0) throw error(PROTOCOL_ERROR, type, "increment 0 (RFC 9113 §6.9)");
                    streamError = Http2Exception.stream(streamId, PROTOCOL_ERROR, "WINDOW_UPDATE increment 0");
                }
            }
            default -> {
            }
        }
    }

    /** Strips the Pad Length byte and the padding of DATA and HEADERS (§6.1, §6.2). */
    private void unpad(byte[] b) {
        if ((flags & FLAG_PADDED) == 0) return;
        int pad = b[payloadStart] & 0xff;
        if (pad >= length) throw error(PROTOCOL_ERROR, type, "padding " + pad + " not below length " + length);
        contentStart = payloadStart + 1;
        contentEnd = payloadStart + length - pad;
    }

    private static void onStream(int t, int sid) {
        if (sid == 0) throw error(PROTOCOL_ERROR, t, "on stream 0");
    }

    private static void onConnection(int t, int sid) {
        if (sid != 0) throw error(PROTOCOL_ERROR, t, "on stream " + sid + ", not 0");
    }

    private static Http2Exception error(Http2Error error, int type, String why) {
        return Http2Exception.connection(error, FrameType.name(type) + " frame: " + why);
    }

    static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
    }

    /** @return after "need more": the bytes the next frame needs in all, header included (9 until it is known) */
    public int needed() {
        return needed;
    }

    /** @return true while a field block awaits CONTINUATION frames (only those may come next) */
    public boolean inFieldBlock() {
        return continuationStream != 0;
    }

    /** @return the frame's type: one of {@link FrameType}'s, or an extension type to ignore (0..255) */
    public int type() {
        return type;
    }

    /** @return the frame's flags byte, as received (undefined flags included; they are to be ignored) */
    public int flags() {
        return flags;
    }

    /** @return the stream identifier, reserved bit cleared */
    public int streamId() {
        return streamId;
    }

    /** @return the payload length; for DATA, the amount counted by flow control (§6.9.1), padding included */
    public int length() {
        return length;
    }

    /** @return the array holding the frame: the one last passed to {@link #parse} */
    public byte[] buffer() {
        return buffer;
    }

    /** @return where the payload starts in {@link #buffer()} */
    public int payloadStart() {
        return payloadStart;
    }

    /** @return where the payload ends in {@link #buffer()} */
    public int payloadEnd() {
        return payloadStart + length;
    }

    /**
     * @return where the content starts: for DATA the data, for HEADERS the field block fragment (after Pad Length
     *         and priority fields), otherwise the payload
     */
    public int contentStart() {
        return contentStart;
    }

    /** @return where the content ends: before any padding */
    public int contentEnd() {
        return contentEnd;
    }

    /** @return DATA or HEADERS with END_STREAM */
    public boolean endStream() {
        return (type == DATA || type == HEADERS) && (flags & FLAG_END_STREAM) != 0;
    }

    /** @return HEADERS or CONTINUATION with END_HEADERS: the field block is complete */
    public boolean endHeaders() {
        return (type == HEADERS || type == CONTINUATION) && (flags & FLAG_END_HEADERS) != 0;
    }

    /** @return SETTINGS or PING with ACK */
    public boolean ack() {
        return (type == SETTINGS || type == PING) && (flags & FLAG_ACK) != 0;
    }

    /**
     * @return a stream error found in the frame just parsed (reset that stream; ignore the frame), or null. Such a
     *         frame is consumed like any other.
     */
    public Http2Exception streamError() {
        return streamError;
    }

    /** @return WINDOW_UPDATE's increment (§6.9), reserved bit cleared */
    public int windowIncrement() {
        return readInt(buffer, payloadStart) & 0x7fffffff;
    }

    /** @return RST_STREAM's or GOAWAY's error code, raw ({@link Http2Error#of} maps it) */
    public int errorCode() {
        return readInt(buffer, payloadStart + (type == GOAWAY ? 4 : 0));
    }

    /** @return GOAWAY's last stream identifier, reserved bit cleared */
    public int lastStreamId() {
        return readInt(buffer, payloadStart) & 0x7fffffff;
    }

    /** @return where GOAWAY's debug data starts in {@link #buffer()}; it ends at {@link #payloadEnd()} */
    public int debugDataStart() {
        return payloadStart + 8;
    }

    /** @return PING's 8 bytes of opaque data, as one long (to echo in the ACK) */
    public long pingData() {
        return (long) readInt(buffer, payloadStart) << 32 | readInt(buffer, payloadStart + 4) & 0xffffffffL;
    }

    /**
     * Checks the start of a connection against the client preface (§3.4), without consuming anything; a server
     * on a cleartext port can tell h2c (prior knowledge) from HTTP/1.1 with it.
     *
     * @return {@code PREFACE.length} (24) if the bytes start with the whole preface, 0 if what is there is a
     *         proper start of it (need more), -1 if they cannot be the preface
     */
    public static int matchPreface(byte[] b, int start, int end) {
        int n = Math.min(end - start, PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (b[start + i] != PREFACE[i]) return -1;
        }
        return n == PREFACE.length ? n : 0;
    }

    /**
     * {@link #matchPreface}, with a mismatch as the connection error PROTOCOL_ERROR (§3.4).
     *
     * @return 24 once the preface is complete (consume it), 0 if more bytes are needed
     */
    public static int expectPreface(byte[] b, int start, int end) {
        int m = matchPreface(b, start, end);
        if (m < 0) throw Http2Exception.connection(PROTOCOL_ERROR, "invalid connection preface (RFC 9113 §3.4)");
        return m;
    }
}
