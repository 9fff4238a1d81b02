package dev.porter.http.internal.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * An IP address or CIDR range ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}) for the trusted-proxy set.
 * Immutable and thread-safe. IPv4 addresses never match IPv6 ranges (nor IPv4-mapped ones): a proxy is
 * configured by the address it connects from.
 */
public record AddressRange(byte[] network, int prefixBits) {

    /**
     * @param text an IPv4 or IPv6 literal, optionally {@code /BITS}
     * @throws IllegalArgumentException if it is no address literal (host names are refused: no DNS here)
     */
    public static AddressRange parse(String text) {
        String t = text == null ? "" : text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (addr.startsWith("[") && addr.endsWith("]")) addr = addr.substring(1, addr.length() - 1);
        if (addr.isEmpty()) throw new IllegalArgumentException("not an address: " + text);
        for (int i = 0; i < addr.length(); i++) {
            char c = addr.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            // Only literal characters: InetAddress.getByName then never asks DNS.
            if (!ok) throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
        }
        if (addr.indexOf(':') < 0 && addr.chars().filter(ch -> ch == '.').count() != 3) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (bits < 0 || bits > bytes.length * 8) throw new IllegalArgumentException("bad prefix length in " + text);
        }
        return new AddressRange(bytes, bits);
    }

    /** @return true if {@code address} lies in this range */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefixBits % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** @return true if any of {@code ranges} contains {@code address} */
    static boolean any(List<AddressRange> ranges, InetAddress address) {
        for (AddressRange r : ranges) if (r.contains(address)) return true;
        return false;
    }
}
