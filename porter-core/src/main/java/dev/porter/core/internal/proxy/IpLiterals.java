package dev.porter.core.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strict IP address literals, parsed from bytes without any name lookup: dotted-quad IPv4 with no leading zeros
 * (PROXY protocol §2.1 forbids them, to avoid octal confusion) and colon-hex IPv6 (RFC 4291 §2.2: groups of 1 to
 * 4 hex digits, at most one {@code ::}, an optional dotted-quad tail; no zone). Pure and thread-safe.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /** @return the 4 bytes of the IPv4 literal in {@code b[from, to)}, or null if it is not one */
    public static byte[] ipv4(byte[] b, int from, int to) {
        byte[] out = new byte[4];
        return ipv4Into(b, from, to, out, 0) ? out : null;
    }

    /** @return the 16 bytes of the IPv6 literal in {@code b[from, to)}, or null if it is not one */
    public static byte[] ipv6(byte[] b, int from, int to) {
        if (to - from < 2) return null;
        byte[] out = new byte[16];
        int groups = 0;
        int gap = -1; // the group index where "::" stands, or -1
        int i = from;
        if (b[i] == ':') {
            if (b[i + 1] != ':') return null;
            gap = 0;
            i += 2;
            if (i == to) return out;
        }
        while (true) {
            int j = i;
            int v = 0;
            while (j < to && j - i < 4 && hex(b[j]) >= 0) v = v << 4 | hex(b[j++]);
            if (j < to && b[j] == '.') {
                // The last 32 bits written as IPv4 (::ffff:192.0.2.1).
                if (groups > 6 || !ipv4Into(b, i, to, out, groups * 2)) return null;
                groups += 2;
                break;
            }
            if (j == i || groups == 8) return null;
            out[groups * 2] = (byte) (v >> 8);
            out[groups * 2 + 1] = (byte) v;
            groups++;
            i = j;
            if (i == to) break;
            if (b[i] != ':') return null; // a fifth hex digit, a zone, anything else
            i++;
            if (i == to) return null; // a single trailing colon
            if (b[i] == ':') {
                if (gap >= 0) return null;
                gap = groups;
                i++;
                if (i == to) break;
            }
        }
        if (gap < 0) return groups == 8 ? out : null;
        if (groups == 8) return null; // "::" must stand for at least one group
        int tail = (groups - gap) * 2;
        System.arraycopy(out, gap * 2, out, 16 - tail, tail);
        Arrays.fill(out, gap * 2, 16 - tail, (byte) 0);
        return out;
    }

    /** @return the address bytes of an IPv4 or IPv6 literal, or null if {@code s} is neither */
    public static byte[] parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return s.indexOf(':') >= 0 ? ipv6(b, 0, b.length) : ipv4(b, 0, b.length);
    }

    /**
     * @return the text form of 4 or 16 address bytes: dotted quad, or RFC 5952 IPv6 (lower case, the longest run
     *         of two or more zero groups as {@code ::}, an IPv4-mapped address as {@code ::ffff:a.b.c.d})
     */
    public static String format(byte[] b) {
        if (b.length == 4) return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 §4.2.2: never :: for a single zero group
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(40);
        boolean mapped = bestStart == 0 && bestLen == 5 && g[5] == 0xFFFF;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (mapped && i == 6) {
                sb.append(':').append(b[12] & 0xFF).append('.').append(b[13] & 0xFF).append('.')
                        .append(b[14] & 0xFF).append('.').append(b[15] & 0xFF);
                break;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static boolean ipv4Into(byte[] b, int from, int to, byte[] out, int at) {
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || b[i] != '.') return false;
                i++;
            }
            int start = i;
            int v = 0;
            while (i < to && i - start < 3 && b[i] >= '0' && b[i] <= '9') v = v * 10 + (b[i++] - '0');
            int digits = i - start;
            if (digits == 0 || v > 255 || (digits > 1 && b[start] == '0')) return false;
            out[at + part] = (byte) v;
        }
        return i == to;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
