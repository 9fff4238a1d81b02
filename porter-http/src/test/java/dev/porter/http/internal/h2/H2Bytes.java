package dev.porter.http.internal.h2;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Byte helpers of the HTTP/2 tests: hex as the RFCs print it, frames built by hand, concatenation. */
final class H2Bytes {

    private H2Bytes() {
    }

    /** Parses hex with any whitespace between digits, as RFC 7541 Appendix C prints it ("8286 8441 ..."). */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    /** Formats as RFC 7541 Appendix C does: groups of two bytes separated by spaces. */
    static String rfcHex(byte[] b, int start, int end) {
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < end; i++) {
            if (i > start && (i - start) % 2 == 0) sb.append(' ');
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    static String rfcHex(byte[] b) {
        return rfcHex(b, 0, b.length);
    }

    /** A frame written by hand (RFC 9113 §4.1): the header's fields as given, then the payload. */
    static byte[] frame(int type, int flags, int streamId, byte... payload) {
        return frame(payload.length, type, flags, streamId, payload);
    }

    /** A frame whose length field says {@code length}, whatever the payload given. */
    static byte[] frame(int length, int type, int flags, int streamId, byte... payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (length >>> 16);
        f[1] = (byte) (length >>> 8);
        f[2] = (byte) length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (streamId >>> 24);
        f[6] = (byte) (streamId >>> 16);
        f[7] = (byte) (streamId >>> 8);
        f[8] = (byte) streamId;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    /** Bytes from ints (each taken modulo 256). */
    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** A 32-bit big-endian integer. */
    static byte[] int32(int v) {
        return bytes(v >>> 24, v >>> 16, v >>> 8, v);
    }
}
