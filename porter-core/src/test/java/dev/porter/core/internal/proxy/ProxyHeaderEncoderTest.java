package dev.porter.core.internal.proxy;

import dev.porter.core.ProxyHeader;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encoder writes what proxy-protocol.txt shows, and the parser reads every encoding back unchanged. */
class ProxyHeaderEncoderTest {

    static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void s2_1_v1LinesInCanonicalForm() {
        assertThat(ascii(ProxyHeader.v1(at("192.168.0.1", 56324), at("192.168.0.11", 443)).encode()))
                .isEqualTo("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
        assertThat(ascii(ProxyHeader.v1(at("2001:db8:0:0:1:0:0:1", 1), at("::1", 2)).encode()))
                .isEqualTo("PROXY TCP6 2001:db8::1:0:0:1 ::1 1 2\r\n");
        assertThat(ascii(ProxyHeader.v1Unknown().encode())).isEqualTo("PROXY UNKNOWN\r\n");
    }

    @Test
    void mixedFamiliesAreSentAsIpv6WithTheIpv4OneMapped() {
        assertThat(ascii(ProxyHeader.v1(at("192.0.2.1", 1), at("2001:db8::2", 2)).encode()))
                .isEqualTo("PROXY TCP6 ::ffff:192.0.2.1 2001:db8::2 1 2\r\n");
        byte[] v2 = ProxyHeader.v2(at("192.0.2.1", 1), at("2001:db8::2", 2)).encode();
        assertThat(v2[13]).isEqualTo((byte) 0x21);
        assertThat(v2).hasSize(16 + 36);
    }

    @Test
    void s2_2_v2Bytes() {
        assertThat(HexFormat.of().formatHex(ProxyHeader.v2(at("192.0.2.1", 56324), at("198.51.100.1", 443)).encode()))
                .isEqualTo("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "c0000201" + "c6336401" + "dc04" + "01bb");
        assertThat(HexFormat.of().formatHex(ProxyHeader.v2Local().encode()))
                .isEqualTo("0d0a0d0a000d0a515549540a" + "20" + "00" + "0000");
    }

    @Test
    void everyEncodingParsesBackToTheSameHeader() {
        ProxyHeader[] headers = {
            ProxyHeader.v1(at("192.0.2.1", 0), at("198.51.100.1", 65535)),
            ProxyHeader.v1(at("2001:db8::1", 1234), at("::", 80)),
            ProxyHeader.v1(at("::ffff:0:1", 1), at("1::", 2)),
            ProxyHeader.v1Unknown(),
            ProxyHeader.v2(at("192.0.2.1", 56324), at("198.51.100.1", 443)),
            ProxyHeader.v2(at("2001:db8::1", 80), at("2001:db8::2", 8080)).withAlpn("h2").withAuthority("bücher.example"),
            ProxyHeader.v2Local(),
            new ProxyHeader(2, ProxyHeader.Command.PROXY, null, null, "http/1.1", null),
        };
        for (ProxyHeader h : headers) {
            byte[] wire = h.encode();
            ProxyFeeds.Outcome o = ProxyHeaderParserTest.parse(wire);
            assertThat(o.header()).as("%s", h).isEqualTo(h);
            assertThat(o.length()).isEqualTo(wire.length);
        }
    }

    @Test
    void invalidCombinationsAreRefusedUpFront() {
        assertThatThrownBy(() -> new ProxyHeader(3, ProxyHeader.Command.PROXY, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(1, ProxyHeader.Command.LOCAL, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyHeader.v1(at("192.0.2.1", 1), at("192.0.2.2", 2)).withAlpn("h2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyHeader.v2(InetSocketAddress.createUnresolved("example.com", 1), at("192.0.2.2", 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyHeader.v2Local().withAuthority("x".repeat(70_000)).encode())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
