package dev.porter.http.internal.h2;

import static dev.porter.http.internal.h2.Http2Error.COMPRESSION_ERROR;

/**
 * The Huffman code of HPACK (RFC 7541 §5.2, Appendix B). Decoding is a table-driven state machine over 4-bit
 * nibbles: a state is an internal node of the code tree (256 of them), and each (state, nibble) entry gives the
 * next state and at most one decoded symbol (the shortest code is 5 bits long), so each input byte costs two
 * table look-ups. The table (16 KiB) is built from the code table when the class is loaded.
 * <p>
 * Decoding errors (§5.2), each a connection error COMPRESSION_ERROR: the EOS symbol in the string, padding longer
 * than 7 bits, and padding that is not the most significant bits of EOS (all ones).
 */
public final class Huffman {

    /** The code of each symbol (RFC 7541 Appendix B), right-aligned; symbol 256 is EOS. */
    private static final int[] CODES = {
            0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5, 0xfffffe6, 0xfffffe7,
            0xfffffe8, 0xffffea, 0x3ffffffc, 0xfffffe9, 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec,
            0xfffffed, 0xfffffee, 0xfffffef, 0xffffff0, 0xffffff1, 0xffffff2, 0x3ffffffe, 0xffffff3,
            0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7, 0xffffff8, 0xffffff9, 0xffffffa, 0xffffffb,
            0x14, 0x3f8, 0x3f9, 0xffa, 0x1ff9, 0x15, 0xf8, 0x7fa,
            0x3fa, 0x3fb, 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18,
            0x0, 0x1, 0x2, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
            0x1e, 0x1f, 0x5c, 0xfb, 0x7ffc, 0x20, 0xffb, 0x3fc,
            0x1ffa, 0x21, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62,
            0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
            0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72,
            0xfc, 0x73, 0xfd, 0x1ffb, 0x7fff0, 0x1ffc, 0x3ffc, 0x22,
            0x7ffd, 0x3, 0x23, 0x4, 0x24, 0x5, 0x25, 0x26,
            0x27, 0x6, 0x74, 0x75, 0x28, 0x29, 0x2a, 0x7,
            0x2b, 0x76, 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78,
            0x79, 0x7a, 0x7b, 0x7ffe, 0x7fc, 0x3ffd, 0x1ffd, 0xffffffc,
            0xfffe6, 0x3fffd2, 0xfffe7, 0xfffe8, 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9,
            0x3fffd6, 0x7fffda, 0x7fffdb, 0x7fffdc, 0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf,
            0xffffec, 0xffffed, 0x3fffd7, 0x7fffe0, 0xffffee, 0x7fffe1, 0x7fffe2, 0x7fffe3,
            0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5, 0x3fffd9, 0x7fffe6, 0x7fffe7, 0xffffef,
            0x3fffda, 0x1fffdd, 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde,
            0x7fffea, 0x3fffdd, 0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf, 0x7fffeb, 0x7fffec,
            0x1fffe0, 0x1fffe1, 0x3fffe0, 0x1fffe2, 0x7fffed, 0x3fffe1, 0x7fffee, 0x7fffef,
            0xfffea, 0x3fffe2, 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5, 0x3fffe6, 0x7ffff1,
            0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2, 0x3fffe8, 0x1ffffec,
            0x3ffffe2, 0x3ffffe3, 0x3ffffe4, 0x7ffffde, 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed,
            0x7fff2, 0x1fffe3, 0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7, 0x7ffffe2, 0xfffff2,
            0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9, 0xffffffd, 0x7ffffe3, 0x7ffffe4, 0x7ffffe5,
            0xfffec, 0xfffff3, 0xfffed, 0x1fffe6, 0x3fffe9, 0x1fffe7, 0x1fffe8, 0x7ffff3,
            0x3fffea, 0x3fffeb, 0x1ffffee, 0x1ffffef, 0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4,
            0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8, 0x7ffffe9, 0x7ffffea,
            0x7ffffeb, 0xffffffe, 0x7ffffec, 0x7ffffed, 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee,
            0x3fffffff,
    };
    /** The code length in bits of each symbol (RFC 7541 Appendix B). */
    private static final byte[] LENGTHS = {
            13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28,
            28, 28, 28, 28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
            5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
            15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7,
            7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
            24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21,
            23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
            26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24,
            21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
            26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
    };

    private static final int EOS = 256;
    /** Decoder entry bits: next state in bits 0..7, symbol in bits 8..15, then the flags. */
    private static final int EMIT = 1 << 16;
    private static final int FAIL = 1 << 17;
    /** (state << 4 | nibble) to entry. */
    private static final int[] DECODE = new int[256 * 16];
    /** States in which the input may end: the root, or 1 to 7 one-bits of padding below it. */
    private static final boolean[] ACCEPT = new boolean[256];

    static {
        // The code tree: internal nodes 0..255 (0 is the root); child >= 0 is a node, child < 0 is ~symbol.
        int[] children = new int[256 * 2];
        int nodes = 1;
        for (int sym = 0; sym <= EOS; sym++) {
            int code = CODES[sym];
            int node = 0;
            for (int bit = LENGTHS[sym] - 1; bit > 0; bit--) {
                int slot = node * 2 + (code >>> bit & 1);
                if (children[slot] == 0) children[slot] = nodes++;
                node = children[slot];
            }
            children[node * 2 + (code & 1)] = ~sym;
        }
        for (int state = 0; state < 256; state++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                int node = state;
                int entry = 0;
                for (int bit = 3; bit >= 0; bit--) {
                    int child = children[node * 2 + (nibble >>> bit & 1)];
                    if (child >= 0) {
                        node = child;
                    } else if (~child == EOS) {
                        entry = FAIL;
                        break;
                    } else {
                        entry = EMIT | (~child) << 8;
                        node = 0;
                    }
                }
                DECODE[state << 4 | nibble] = entry | node;
            }
        }
        ACCEPT[0] = true;
        for (int node = 0, depth = 1; depth <= 7; depth++) {
            node = children[node * 2 + 1];
            ACCEPT[node] = true;
        }
    }

    private Huffman() {
    }

    /**
     * Decodes {@code src[start..end)}.
     *
     * @param dst where the octets go from {@code dstOff}; room for {@link #maxDecodedLength}{@code (end - start)}
     * @return the number of octets decoded
     * @throws Http2Exception COMPRESSION_ERROR (connection error) for EOS in the string or bad padding (§5.2)
     */
    public static int decode(byte[] src, int start, int end, byte[] dst, int dstOff) {
        int state = 0;
        int d = dstOff;
        for (int i = start; i < end; i++) {
            int x = src[i] & 0xff;
            int e = DECODE[state << 4 | x >>> 4];
            if ((e & FAIL) != 0) throw eos();
            if ((e & EMIT) != 0) dst[d++] = (byte) (e >>> 8);
            state = e & 0xff;
            e = DECODE[state << 4 | x & 0xf];
            if ((e & FAIL) != 0) throw eos();
            if ((e & EMIT) != 0) dst[d++] = (byte) (e >>> 8);
            state = e & 0xff;
        }
        if (!ACCEPT[state]) {
            throw Http2Exception.connection(COMPRESSION_ERROR,
                    "Huffman padding longer than 7 bits or not the EOS prefix (RFC 7541 §5.2)");
        }
        return d - dstOff;
    }

    private static Http2Exception eos() {
        return Http2Exception.connection(COMPRESSION_ERROR, "EOS in a Huffman-coded string (RFC 7541 §5.2)");
    }

    /** @return the most octets {@code encodedLength} bytes can decode to (each symbol takes at least 5 bits) */
    public static int maxDecodedLength(int encodedLength) {
        return (int) ((encodedLength * 8L) / 5);
    }

    /** @return the length of {@code s} Huffman-coded, in bytes; each char must be an octet (0..255) */
    public static int encodedLength(String s) {
        long bits = 0;
        for (int i = 0, n = s.length(); i < n; i++) bits += LENGTHS[s.charAt(i) & 0xff];
        return (int) ((bits + 7) >>> 3);
    }

    /** @return the length of {@code b[start..end)} Huffman-coded, in bytes */
    public static int encodedLength(byte[] b, int start, int end) {
        long bits = 0;
        for (int i = start; i < end; i++) bits += LENGTHS[b[i] & 0xff];
        return (int) ((bits + 7) >>> 3);
    }

    /**
     * Encodes {@code s} (each char an octet, 0..255; higher chars are taken modulo 256) into {@code dst} at
     * {@code off}, padded with the most significant bits of EOS.
     *
     * @return the offset after the code: {@code off + }{@link #encodedLength(String)}
     */
    public static int encode(String s, byte[] dst, int off) {
        long bits = 0;
        int n = 0;
        int p = off;
        for (int i = 0, len = s.length(); i < len; i++) {
            int c = s.charAt(i) & 0xff;
            bits = bits << LENGTHS[c] | CODES[c];
            n += LENGTHS[c];
            while (n >= 8) {
                n -= 8;
                dst[p++] = (byte) (bits >>> n);
            }
        }
        if (n > 0) dst[p++] = (byte) (bits << 8 - n | 0xff >>> n);
        return p;
    }

    /** {@link #encode(String, byte[], int)} for the octets {@code b[start..end)}. */
    public static int encode(byte[] b, int start, int end, byte[] dst, int off) {
        long bits = 0;
        int n = 0;
        int p = off;
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xff;
            bits = bits << LENGTHS[c] | CODES[c];
            n += LENGTHS[c];
            while (n >= 8) {
                n -= 8;
                dst[p++] = (byte) (bits >>> n);
            }
        }
        if (n > 0) dst[p++] = (byte) (bits << 8 - n | 0xff >>> n);
        return p;
    }
}
