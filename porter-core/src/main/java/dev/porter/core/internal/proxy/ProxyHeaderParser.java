package dev.porter.core.internal.proxy;

import dev.porter.core.ProxyHeader;
import dev.porter.core.internal.proxy.ProxyHeaderException.Problem;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Reads a PROXY protocol header, version 1 or 2 (HAProxy's proxy-protocol.txt), from the first bytes of a
 * connection. Pure: bytes in; "need more" (0), "done" (the header's length, {@link #result()} set) or a
 * {@link ProxyHeaderException} out; no I/O. Nothing is consumed until the whole header is there: the caller feeds
 * the same first bytes again with more after them, as a {@code ReadBuffer} keeps them. Every decision depends only
 * on a prefix of the input, so the outcome is the same however the bytes were split.
 *
 * <p>Limits: a v1 line must end within 107 bytes (§2.1); a v2 header may hold at most {@code maxHeaderSize}
 * bytes (§2.2 allows 16 + 65535). Not thread-safe: one per connection.
 */
public final class ProxyHeaderParser {

    /** The 12 bytes that open a v2 header (§2.2). */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** What opens a v1 line (§2.1): "PROXY" and exactly one space. */
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** The longest v1 line, CRLF included (§2.1's worst case). */
    public static final int V1_MAX_LENGTH = 107;
    /** The smallest {@code maxHeaderSize}: a v2 header with AF_UNIX addresses and no TLV (16 + 216). */
    public static final int MIN_MAX_HEADER_SIZE = 232;
    static final int TLV_ALPN = 0x01;
    static final int TLV_AUTHORITY = 0x02;
    static final int TLV_CRC32C = 0x03;

    private final int maxHeaderSize;
    private ProxyHeader result;

    /** @param maxHeaderSize the longest v2 header accepted, at least {@link #MIN_MAX_HEADER_SIZE} */
    public ProxyHeaderParser(int maxHeaderSize) {
        if (maxHeaderSize < MIN_MAX_HEADER_SIZE) {
            throw new IllegalArgumentException("maxHeaderSize must be >= " + MIN_MAX_HEADER_SIZE + ": " + maxHeaderSize);
        }
        this.maxHeaderSize = maxHeaderSize;
    }

    /** @return the header once {@link #parse} returned its length, else null */
    public ProxyHeader result() {
        return result;
    }

    /**
     * Looks at the first bytes of the connection, {@code b[from, to)}.
     *
     * @return 0 if more bytes are needed, else the header's length in bytes (the protocol's bytes follow it)
     * @throws ProxyHeaderException if the bytes cannot begin or be a valid header
     */
    public int parse(byte[] b, int from, int to) throws ProxyHeaderException {
        if (to <= from) return 0;
        return b[from] == V2_SIGNATURE[0] ? v2(b, from, to) : v1(b, from, to);
    }

    // ---- version 1: "PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n" (§2.1) ------------------------------

    private int v1(byte[] b, int from, int to) throws ProxyHeaderException {
        int n = to - from;
        for (int i = 0; i < Math.min(n, V1_PREFIX.length); i++) {
            if (b[from + i] != V1_PREFIX[i]) throw notProxy();
        }
        for (int k = V1_PREFIX.length; k < n; k++) {
            if (k + 2 > V1_MAX_LENGTH) throw new ProxyHeaderException(Problem.V1_TOO_LONG, "no CRLF within 107 bytes");
            byte c = b[from + k];
            if (c == '\n') throw malformed("a line feed without a carriage return");
            if (c == '\r') {
                if (k + 1 == n) return 0;
                if (b[from + k + 1] != '\n') throw malformed("a carriage return without a line feed");
                result = v1Line(b, from + V1_PREFIX.length, from + k);
                return k + 2;
            }
        }
        return 0;
    }

    /** Decodes the fields of a v1 line between "PROXY " and its CRLF. */
    private static ProxyHeader v1Line(byte[] b, int from, int to) throws ProxyHeaderException {
        if (startsWith(b, from, to, "UNKNOWN") && (to - from == 7 || b[from + 7] == ' ')) {
            return ProxyHeader.v1Unknown(); // "the receiver must ignore anything presented before the CRLF"
        }
        boolean four = startsWith(b, from, to, "TCP4 ");
        if (!four && !startsWith(b, from, to, "TCP6 ")) throw malformed("the protocol must be TCP4, TCP6 or UNKNOWN");
        int[] cut = new int[5]; // field boundaries: source, destination, source port, destination port
        cut[0] = from + 5;
        int field = 1;
        for (int i = cut[0]; i < to; i++) {
            if (b[i] != ' ') continue;
            if (field == 4) throw malformed("more than four fields after the protocol");
            cut[field++] = i + 1;
        }
        if (field != 4) throw malformed("four fields after the protocol, one space apart, are required");
        cut[4] = to + 1;
        byte[] src = four ? IpLiterals.ipv4(b, cut[0], cut[1] - 1) : IpLiterals.ipv6(b, cut[0], cut[1] - 1);
        byte[] dst = four ? IpLiterals.ipv4(b, cut[1], cut[2] - 1) : IpLiterals.ipv6(b, cut[1], cut[2] - 1);
        if (src == null || dst == null) throw malformed("an address that is not a canonical " + (four ? "IPv4" : "IPv6") + " literal");
        int srcPort = port(b, cut[2], cut[3] - 1);
        int dstPort = port(b, cut[3], cut[4] - 1);
        return ProxyHeader.v1(socket(src, srcPort), socket(dst, dstPort));
    }

    /** A decimal port, 0..65535, without leading zeros (§2.1), or a malformed-line error. */
    private static int port(byte[] b, int from, int to) throws ProxyHeaderException {
        int len = to - from;
        if (len < 1 || len > 5 || (len > 1 && b[from] == '0')) throw malformed("a port must be 0..65535 without leading zeros");
        int v = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') throw malformed("a port must be decimal digits");
            v = v * 10 + (b[i] - '0');
        }
        if (v > 65535) throw malformed("a port must be 0..65535");
        return v;
    }

    // ---- version 2: signature, version and command, family, length, addresses, TLVs (§2.2) ------------------

    private int v2(byte[] b, int from, int to) throws ProxyHeaderException {
        int n = to - from;
        for (int i = 0; i < Math.min(n, V2_SIGNATURE.length); i++) {
            if (b[from + i] != V2_SIGNATURE[i]) throw notProxy();
        }
        if (n > 12) {
            int versionCommand = b[from + 12] & 0xFF;
            if (versionCommand >> 4 != 2) throw new ProxyHeaderException(Problem.V2_BAD_VERSION, "version " + (versionCommand >> 4) + ", not 2");
            if ((versionCommand & 0xF) > 1) throw new ProxyHeaderException(Problem.V2_BAD_COMMAND, "command " + (versionCommand & 0xF));
        }
        boolean local = n > 12 && (b[from + 12] & 0xF) == 0;
        // LOCAL: "discard the protocol block including the family which is ignored".
        if (n > 13 && !local && addressLength(b[from + 13] & 0xFF) < 0) {
            throw new ProxyHeaderException(Problem.V2_BAD_FAMILY, "family and transport 0x" + Integer.toHexString(b[from + 13] & 0xFF));
        }
        if (n < 16) return 0;
        int total = 16 + ((b[from + 14] & 0xFF) << 8 | (b[from + 15] & 0xFF));
        if (total > maxHeaderSize) {
            throw new ProxyHeaderException(Problem.TOO_LARGE, "a header of " + total + " bytes, over the limit of " + maxHeaderSize);
        }
        if (n < total) return 0;
        result = local ? ProxyHeader.v2Local() : v2Block(b, from, total);
        return total;
    }

    /** @return the address block's length for this family and transport byte, or -1 if §2.2 does not list it */
    private static int addressLength(int family) {
        return switch (family) {
            case 0x00 -> 0;           // UNSPEC
            case 0x11, 0x12 -> 12;    // TCP, UDP over IPv4
            case 0x21, 0x22 -> 36;    // TCP, UDP over IPv6
            case 0x31, 0x32 -> 216;   // UNIX stream, datagram
            default -> -1;
        };
    }

    private static ProxyHeader v2Block(byte[] b, int from, int total) throws ProxyHeaderException {
        int family = b[from + 13] & 0xFF;
        int addresses = addressLength(family);
        if (16 + addresses > total) {
            throw new ProxyHeaderException(Problem.V2_SHORT_ADDRESS, "a length of " + (total - 16) + " for " + addresses + " address bytes");
        }
        InetSocketAddress src = null;
        InetSocketAddress dst = null;
        int at = from + 16;
        if (addresses == 12 || addresses == 36) {
            int size = addresses == 12 ? 4 : 16;
            src = socket(slice(b, at, size), u16(b, at + 2 * size));
            dst = socket(slice(b, at + size, size), u16(b, at + 2 * size + 2));
        } // UNSPEC, AF_UNIX: the socket's own endpoints stand (§2.2 lets a receiver fall back to UNSPEC)
        String alpn = null;
        String authority = null;
        int end = from + total;
        for (int i = at + addresses; i < end; ) {
            if (end - i < 3) throw new ProxyHeaderException(Problem.V2_BAD_TLV, "a TLV cut short by the header's end");
            int type = b[i] & 0xFF;
            int len = u16(b, i + 1);
            int value = i + 3;
            if (value + len > end) throw new ProxyHeaderException(Problem.V2_BAD_TLV, "a TLV of " + len + " bytes past the header's end");
            if (type == TLV_ALPN && alpn == null) alpn = new String(b, value, len, StandardCharsets.ISO_8859_1);
            if (type == TLV_AUTHORITY && authority == null) authority = new String(b, value, len, StandardCharsets.UTF_8);
            if (type == TLV_CRC32C) checkCrc(b, from, total, value, len);
            i = value + len; // other types (NOOP, UNIQUE_ID, SSL, NETNS, custom) are skipped, as §2.2 allows
        }
        return new ProxyHeader(2, ProxyHeader.Command.PROXY, src, dst, alpn, authority);
    }

    /** §2.2.3: the CRC32c of the whole header with the checksum's own 4 bytes taken as zeros. */
    private static void checkCrc(byte[] b, int from, int total, int value, int len) throws ProxyHeaderException {
        if (len != 4) throw new ProxyHeaderException(Problem.V2_BAD_TLV, "a CRC32C TLV of " + len + " bytes, not 4");
        CRC32C crc = new CRC32C();
        crc.update(b, from, value - from);
        crc.update(new byte[4]);
        crc.update(b, value + 4, from + total - value - 4);
        long sent = (long) u16(b, value) << 16 | u16(b, value + 2);
        if (crc.getValue() != sent) throw new ProxyHeaderException(Problem.V2_BAD_CHECKSUM, "the CRC32C does not match the header");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static InetSocketAddress socket(byte[] address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // never: 4 or 16 bytes
        }
    }

    private static byte[] slice(byte[] b, int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(b, from, out, 0, len);
        return out;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static boolean startsWith(byte[] b, int from, int to, String s) {
        if (to - from < s.length()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) return false;
        }
        return true;
    }

    private static ProxyHeaderException notProxy() {
        return new ProxyHeaderException(Problem.NOT_PROXY_PROTOCOL, "the connection does not start with a PROXY protocol header");
    }

    private static ProxyHeaderException malformed(String why) {
        return new ProxyHeaderException(Problem.V1_MALFORMED, "malformed v1 line: " + why);
    }
}
