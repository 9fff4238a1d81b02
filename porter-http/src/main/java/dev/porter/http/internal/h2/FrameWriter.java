package dev.porter.http.internal.h2;

import static dev.porter.http.internal.h2.FrameParser.HEADER_LENGTH;
import static dev.porter.http.internal.h2.FrameType.*;

/**
 * Writes HTTP/2 frames (RFC 9113 §4.1, §6) into a byte array at an offset, header and payload, and returns the
 * offset after them. No allocation, no checks of the peer's limits beyond what is documented per method: the
 * caller sizes DATA to the peer's SETTINGS_MAX_FRAME_SIZE and flow-control windows, and gives an array with room
 * (an {@link ArrayIndexOutOfBoundsException} otherwise). Undefined flags and reserved bits are written as 0 (§4.1).
 */
public final class FrameWriter {

    private FrameWriter() {
    }

    /**
     * Writes a frame header (§4.1); the payload of {@code length} bytes is the caller's to put after it, e.g. file
     * bytes read straight into the array.
     *
     * @return {@code off + 9}
     */
    public static int header(byte[] b, int off, int length, int type, int flags, int streamId) {
        b[off] = (byte) (length >>> 16);
        b[off + 1] = (byte) (length >>> 8);
        b[off + 2] = (byte) length;
        b[off + 3] = (byte) type;
        b[off + 4] = (byte) flags;
        writeInt(b, off + 5, streamId & 0x7fffffff);
        return off + HEADER_LENGTH;
    }

    /**
     * DATA (§6.1), unpadded.
     *
     * @param len at most the peer's SETTINGS_MAX_FRAME_SIZE and its flow-control windows (the caller's to check)
     */
    public static int data(byte[] b, int off, int streamId, byte[] src, int srcOff, int len, boolean endStream) {
        int p = header(b, off, len, DATA, endStream ? FLAG_END_STREAM : 0, streamId);
        System.arraycopy(src, srcOff, b, p, len);
        return p + len;
    }

    /**
     * HEADERS (§6.2) with as many CONTINUATION frames (§6.10) as needed to keep each payload within
     * {@code maxFrameSize}: END_STREAM (if asked) on the HEADERS frame, END_HEADERS on the last one. The frames
     * are contiguous, so no other frame can come between them (§4.3). Unpadded, without priority fields.
     * <p>
     * The field block may be in another array, or in {@code b} itself at {@code off + 9} (encoded in place by
     * {@link HpackEncoder}): the fragments are then moved up to make room for the CONTINUATION headers. No other
     * overlap is allowed.
     *
     * @param maxFrameSize the peer's SETTINGS_MAX_FRAME_SIZE
     * @return the offset after the last frame: {@code off + }{@link #headersLength}{@code (blockLen, maxFrameSize)}
     */
    public static int headers(byte[] b, int off, int streamId, boolean endStream, byte[] block, int blockOff,
                              int blockLen, int maxFrameSize) {
        int frames = blockLen == 0 ? 1 : (blockLen + maxFrameSize - 1) / maxFrameSize;
        // Last fragment first: in place, each one moves up by 9 bytes per header before it.
        for (int i = frames - 1; i >= 0; i--) {
            int from = i * maxFrameSize;
            int n = Math.min(maxFrameSize, blockLen - from);
            System.arraycopy(block, blockOff + from, b, off + (i + 1) * HEADER_LENGTH + from, n);
        }
        for (int i = 0; i < frames; i++) {
            int from = i * maxFrameSize;
            int n = Math.min(maxFrameSize, blockLen - from);
            int flags = (i == frames - 1 ? FLAG_END_HEADERS : 0) | (i == 0 && endStream ? FLAG_END_STREAM : 0);
            header(b, off + i * HEADER_LENGTH + from, n, i == 0 ? HEADERS : CONTINUATION, flags, streamId);
        }
        return off + frames * HEADER_LENGTH + blockLen;
    }

    /** @return the bytes {@link #headers} writes for a field block of {@code blockLen} bytes */
    public static int headersLength(int blockLen, int maxFrameSize) {
        int frames = blockLen == 0 ? 1 : (blockLen + maxFrameSize - 1) / maxFrameSize;
        return frames * HEADER_LENGTH + blockLen;
    }

    /**
     * SETTINGS (§6.5) with each parameter of {@code settings} whose value differs from {@code previous}, in the
     * order of their identifiers; at most 9 + 42 bytes.
     *
     * @param previous what the peer knows already: null for the first SETTINGS frame (the RFC defaults)
     */
    public static int settings(byte[] b, int off, Settings settings, Settings previous) {
        Settings base = previous != null ? previous : Settings.DEFAULTS;
        int p = off + HEADER_LENGTH;
        for (int id : Settings.IDS) {
            int value = settings.get(id);
            if (value == base.get(id)) continue;
            b[p] = 0;
            b[p + 1] = (byte) id;
            writeInt(b, p + 2, value);
            p += 6;
        }
        header(b, off, p - off - HEADER_LENGTH, SETTINGS, 0, 0);
        return p;
    }

    /** SETTINGS with ACK and no payload (§6.5.3). */
    public static int settingsAck(byte[] b, int off) {
        return header(b, off, 0, SETTINGS, FLAG_ACK, 0);
    }

    /**
     * PING (§6.7).
     *
     * @param data the 8 opaque bytes; for an ACK, those of the PING answered ({@link FrameParser#pingData})
     */
    public static int ping(byte[] b, int off, long data, boolean ack) {
        int p = header(b, off, 8, PING, ack ? FLAG_ACK : 0, 0);
        writeInt(b, p, (int) (data >>> 32));
        writeInt(b, p + 4, (int) data);
        return p + 8;
    }

    /**
     * GOAWAY (§6.8).
     *
     * @param lastStreamId the last peer-initiated stream that was or might be processed
     * @param debug        opaque diagnostic data (e.g. an ASCII reason), or null
     */
    public static int goAway(byte[] b, int off, int lastStreamId, Http2Error error, byte[] debug, int debugOff,
                             int debugLen) {
        int n = debug == null ? 0 : debugLen;
        int p = header(b, off, 8 + n, GOAWAY, 0, 0);
        writeInt(b, p, lastStreamId & 0x7fffffff);
        writeInt(b, p + 4, error.code());
        if (n > 0) System.arraycopy(debug, debugOff, b, p + 8, n);
        return p + 8 + n;
    }

    /** RST_STREAM (§6.4). */
    public static int rstStream(byte[] b, int off, int streamId, Http2Error error) {
        int p = header(b, off, 4, RST_STREAM, 0, streamId);
        writeInt(b, p, error.code());
        return p + 4;
    }

    /**
     * WINDOW_UPDATE (§6.9).
     *
     * @param streamId  the stream, or 0 for the connection's window
     * @param increment 1 to 2^31-1
     */
    public static int windowUpdate(byte[] b, int off, int streamId, int increment) {
        if (increment <= 0) throw new IllegalArgumentException("window increment " + increment);
        int p = header(b, off, 4, WINDOW_UPDATE, 0, streamId);
        writeInt(b, p, increment);
        return p + 4;
    }

    static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
