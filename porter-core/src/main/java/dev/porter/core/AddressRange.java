package dev.porter.core;

import dev.porter.core.internal.proxy.IpLiterals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * A block of IP addresses written in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), or one address
 * ({@code 192.0.2.7}, {@code ::1}): which peers a server trusts to name the real client (a PROXY protocol header,
 * forwarded HTTP fields). Immutable and thread-safe. An IPv4 range also holds the IPv4-mapped IPv6 form of its
 * addresses ({@code ::ffff:10.1.2.3}), which a dual-stack socket may report.
 *
 * @param network      the first address of the block (host bits cleared)
 * @param prefixLength how many leading bits every address of the block shares: 0..32 for IPv4, 0..128 for IPv6
 */
public record AddressRange(InetAddress network, int prefixLength) {

    /** 127.0.0.0/8 and ::1: the loopback addresses, trusted by default. */
    public static final List<AddressRange> LOOPBACK = List.of(parse("127.0.0.0/8"), parse("::1/128"));

    /** Validates the prefix length and clears the host bits of {@code network}. */
    public AddressRange {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be 0.." + bits + ": " + prefixLength);
        }
        network = masked(network, prefixLength);
    }

    /**
     * Reads {@code ADDR} or {@code ADDR/BITS}, where ADDR is an IP literal (never a host name: no lookup is made;
     * IPv6 may be in brackets).
     *
     * @throws IllegalArgumentException if the text is not a literal address with an optional prefix length
     */
    public static AddressRange parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (address.length() > 2 && address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        byte[] bytes = IpLiterals.parse(address);
        if (bytes == null) throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not a prefix length: " + text);
            }
            bits = Integer.parseInt(p);
        }
        if (bytes.length == 16 && isMappedIpv4(bytes)) {
            // ::ffff:a.b.c.d/N is the IPv4 block a.b.c.d/(N-96): the JDK reports such peers as IPv4.
            if (bits < 96) throw new IllegalArgumentException("an IPv4-mapped block needs a prefix of 96 or more: " + text);
            bytes = java.util.Arrays.copyOfRange(bytes, 12, 16);
            bits -= 96;
        }
        try {
            return new AddressRange(InetAddress.getByAddress(bytes), bits);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e); // never: the length is 4 or 16
        }
    }

    /** @return true if {@code address} lies in this block */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length == 16 && n.length == 4 && isMappedIpv4(a)) a = java.util.Arrays.copyOfRange(a, 12, 16);
        if (a.length != n.length) return false;
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) return false;
        }
        int rest = prefixLength % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (n[full] & mask);
    }

    /** @return true if {@code address} lies in any of {@code ranges} */
    public static boolean anyContains(List<AddressRange> ranges, InetAddress address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) return true;
        }
        return false;
    }

    /** @return the block in CIDR notation, e.g. {@code 10.0.0.0/8} */
    @Override
    public String toString() {
        return IpLiterals.format(network.getAddress()) + "/" + prefixLength;
    }

    private static boolean isMappedIpv4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) return false;
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            b[i] &= (byte) ((0xFF << (8 - keep)) & 0xFF);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // never: the length is that of a valid address
        }
    }
}
