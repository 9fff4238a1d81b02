package dev.porter.core.internal.proxy;

import dev.porter.core.ProxyHeader;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link ProxyHeader} as a sender does (proxy-protocol.txt §2.1, §2.2). Pure: bytes out, no I/O; the
 * inverse of {@link ProxyHeaderParser} (what it writes, the parser reads back to an equal header).
 */
public final class ProxyHeaderEncoder {

    private ProxyHeaderEncoder() {
    }

    /** @return the header's bytes in its version's format */
    public static byte[] encode(ProxyHeader h) {
        return h.version() == 1 ? v1(h) : v2(h);
    }

    private static byte[] v1(ProxyHeader h) {
        if (!h.hasAddresses()) return "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        boolean four = bothIpv4(h);
        String line = "PROXY " + (four ? "TCP4 " : "TCP6 ") + text(h.source(), four) + " " + text(h.destination(), four)
                + " " + h.source().getPort() + " " + h.destination().getPort() + "\r\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(ProxyHeader h) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64);
        int family = 0x00; // AF_UNSPEC, UNSPEC: LOCAL, or PROXY naming no address
        if (h.hasAddresses()) {
            boolean four = bothIpv4(h);
            family = four ? 0x11 : 0x21; // TCP over IPv4 / IPv6
            body.writeBytes(bytes(h.source(), four));
            body.writeBytes(bytes(h.destination(), four));
            port(body, h.source().getPort());
            port(body, h.destination().getPort());
        }
        if (h.alpn() != null) tlv(body, ProxyHeaderParser.TLV_ALPN, h.alpn().getBytes(StandardCharsets.ISO_8859_1));
        if (h.authority() != null) tlv(body, ProxyHeaderParser.TLV_AUTHORITY, h.authority().getBytes(StandardCharsets.UTF_8));
        if (body.size() > 0xFFFF) throw new IllegalArgumentException("a v2 header holds at most 65535 bytes after its first 16");
        byte[] out = new byte[16 + body.size()];
        System.arraycopy(ProxyHeaderParser.V2_SIGNATURE, 0, out, 0, 12);
        out[12] = (byte) (0x20 | (h.command() == ProxyHeader.Command.LOCAL ? 0x0 : 0x1));
        out[13] = (byte) family;
        out[14] = (byte) (body.size() >> 8);
        out[15] = (byte) body.size();
        System.arraycopy(body.toByteArray(), 0, out, 16, body.size());
        return out;
    }

    private static boolean bothIpv4(ProxyHeader h) {
        return h.source().getAddress() instanceof Inet4Address && h.destination().getAddress() instanceof Inet4Address;
    }

    /** @return the address's 4 bytes when {@code four}, else 16 (an IPv4 address mapped: ::ffff:a.b.c.d) */
    private static byte[] bytes(InetSocketAddress a, boolean four) {
        byte[] b = a.getAddress().getAddress();
        if (four || b.length == 16) return b;
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
    }

    /** @return the canonical text form §2.1 asks for: dotted quad, or RFC 5952 IPv6 (longest zero run as ::) */
    static String text(InetSocketAddress a, boolean four) {
        return IpLiterals.format(bytes(a, four));
    }

    private static void port(ByteArrayOutputStream out, int port) {
        out.write(port >> 8);
        out.write(port);
    }

    private static void tlv(ByteArrayOutputStream out, int type, byte[] value) {
        if (value.length > 0xFFFF) throw new IllegalArgumentException("a TLV value holds at most 65535 bytes");
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
    }
}
