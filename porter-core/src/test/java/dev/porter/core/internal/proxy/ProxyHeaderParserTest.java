package dev.porter.core.internal.proxy;

import dev.porter.core.ProxyHeader;
import dev.porter.core.internal.proxy.ProxyHeaderException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PROXY protocol parser against proxy-protocol.txt, one test per rule, each input fed whole, byte by byte and
 * in random splits ({@link ProxyFeeds}) with the same outcome required every time.
 */
class ProxyHeaderParserTest {

    static final int MAX = 4096;
    static final String SIG = "0d0a0d0a000d0a515549540a";

    /** Parses {@code input} (followed by {@code after}) every way; all outcomes equal; returns it. */
    static ProxyFeeds.Outcome parse(byte[] input) {
        List<ProxyFeeds.Outcome> all = ProxyFeeds.everySplit(input, MAX, input.length, 20);
        for (ProxyFeeds.Outcome o : all) assertThat(o).as("the same outcome for every split").isEqualTo(all.get(0));
        return all.get(0);
    }

    static ProxyFeeds.Outcome parse(String ascii) {
        return parse(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    // ---- §2.1 version 1 ---------------------------------------------------------------------------------------

    @Test
    void s2_1_theSpecExampleBeforeAnHttpRequest() {
        String request = "GET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n";
        ProxyFeeds.Outcome o = parse("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n" + request);
        assertThat(o.header()).isEqualTo(ProxyHeader.v1(at("192.168.0.1", 56324), at("192.168.0.11", 443)));
        assertThat(o.length()).as("the request starts right after the CRLF").isEqualTo(47);
    }

    @Test
    void s2_1_tcp6InEveryTextForm() {
        ProxyFeeds.Outcome o = parse("PROXY TCP6 2001:db8::1 2001:DB8:0:0:0:0:0:2 65535 0\r\n");
        assertThat(o.header()).isEqualTo(ProxyHeader.v1(at("2001:db8::1", 65535), at("2001:db8::2", 0)));
        assertThat(parse("PROXY TCP6 ::ffff:192.0.2.1 :: 1 2\r\n").header().source().getAddress().getHostAddress())
                .as("an IPv4-mapped client is an IPv4 client").isEqualTo("192.0.2.1");
    }

    @Test
    void s2_1_theLongestLinesFitAndOneMoreByteDoesNot() {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String tcp6 = "PROXY TCP6 " + full + " " + full + " 65535 65535\r\n";
        assertThat(tcp6).hasSize(104);
        assertThat(parse(tcp6).header()).isNotNull();
        String unknown = "PROXY UNKNOWN " + full + " " + full + " 65535 65535\r\n";
        assertThat(unknown).hasSize(107);
        assertThat(parse(unknown).header()).isEqualTo(ProxyHeader.v1Unknown());
        assertThat(parse("PROXY UNKNOWN " + full + " " + full + " 65535 655350\r\n").problem()).isEqualTo(Problem.V1_TOO_LONG);
    }

    @Test
    void s2_1_unknownKeepsTheSocketsAddressesAndIgnoresTheRest() {
        assertThat(parse("PROXY UNKNOWN\r\n").header()).isEqualTo(ProxyHeader.v1Unknown());
        assertThat(parse("PROXY UNKNOWN whatever follows\r\n").header().hasAddresses()).isFalse();
        assertThat(parse("PROXY UNKNOWNX\r\n").problem()).isEqualTo(Problem.V1_MALFORMED);
    }

    @Test
    void s2_1_aLoneCarriageReturnOrLineFeedIsRefused() {
        assertThat(parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n").problem()).isEqualTo(Problem.V1_MALFORMED);
        assertThat(parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX").problem()).isEqualTo(Problem.V1_MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n",       // a leading zero (octal confusion)
        "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n",       // a port with a leading zero
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n",    // a port out of range
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\r\n",
        "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",       // two spaces
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",       // a trailing space
        "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",          // a field missing
        "PROXY TCP4 256.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 ::1 5.6.7.8 1 2\r\n",            // the family and the address disagree
        "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",
        "PROXY TCP6 1::2::3 ::1 1 2\r\n",            // two "::"
        "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",       // a zone
        "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY \r\n",
    })
    void s2_1_anythingNotExactlyTheGrammarIsRefused(String line) {
        assertThat(parse(line).problem()).isEqualTo(Problem.V1_MALFORMED);
    }

    @Test
    void s2_2_neitherSignatureIsNotProxyProtocol() {
        assertThat(parse("GET / HTTP/1.1\r\n\r\n").problem()).isEqualTo(Problem.NOT_PROXY_PROTOCOL);
        assertThat(parse("PROXYTCP4\r\n").problem()).isEqualTo(Problem.NOT_PROXY_PROTOCOL);
        assertThat(parse(hex("16030100")).problem()).as("a TLS ClientHello").isEqualTo(Problem.NOT_PROXY_PROTOCOL);
        assertThat(parse(hex("0d0a0d0a000d0a515549540b21")).problem()).isEqualTo(Problem.NOT_PROXY_PROTOCOL);
    }

    @Test
    void aPrefixOfAValidHeaderNeedsMore() {
        assertThat(parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r")).isEqualTo(ProxyFeeds.Outcome.needsMore());
        assertThat(parse(hex(SIG + "21 11 000c 01020304"))).isEqualTo(ProxyFeeds.Outcome.needsMore());
    }

    // ---- §2.2 version 2 ---------------------------------------------------------------------------------------

    @Test
    void s2_2_tcpOverIpv4() {
        ProxyFeeds.Outcome o = parse(hex(SIG + "21 11 000c c0000201 c6336401 dc04 01bb" + "474554"));
        assertThat(o.header()).isEqualTo(ProxyHeader.v2(at("192.0.2.1", 56324), at("198.51.100.1", 443)));
        assertThat(o.length()).isEqualTo(28);
    }

    @Test
    void s2_2_tcpOverIpv6() {
        ProxyFeeds.Outcome o = parse(hex(SIG + "21 21 0024 20010db8000000000000000000000001 20010db8000000000000000000000002 0050 1f90"));
        assertThat(o.header()).isEqualTo(ProxyHeader.v2(at("2001:db8::1", 80), at("2001:db8::2", 8080)));
    }

    @Test
    void s2_2_localKeepsTheSocketsAddressesAndSkipsItsBlock() {
        ProxyFeeds.Outcome o = parse(hex(SIG + "20 11 000c c0000201 c6336401 dc04 01bb"));
        assertThat(o.header()).isEqualTo(ProxyHeader.v2Local());
        assertThat(o.length()).as("receivers must not assume zero is presented for LOCAL").isEqualTo(28);
        assertThat(parse(hex(SIG + "20 ff 0000")).header()).as("the family of LOCAL is ignored").isEqualTo(ProxyHeader.v2Local());
    }

    @Test
    void s2_2_unspecAndUnixFallBackToTheSocketsAddresses() {
        assertThat(parse(hex(SIG + "21 00 0000")).header().hasAddresses()).isFalse();
        byte[] unix = new byte[16 + 216];
        System.arraycopy(hex(SIG + "21 31 00d8"), 0, unix, 0, 16);
        ProxyFeeds.Outcome o = parse(unix);
        assertThat(o.length()).isEqualTo(232);
        assertThat(o.header().hasAddresses()).isFalse();
    }

    @Test
    void s2_2_onlyVersion2AndKnownCommandsAndFamilies() {
        assertThat(parse(hex(SIG + "11 11 000c")).problem()).isEqualTo(Problem.V2_BAD_VERSION);
        assertThat(parse(hex(SIG + "31 11 000c")).problem()).isEqualTo(Problem.V2_BAD_VERSION);
        assertThat(parse(hex(SIG + "22 11 000c")).problem()).isEqualTo(Problem.V2_BAD_COMMAND);
        assertThat(parse(hex(SIG + "21 41 000c")).problem()).isEqualTo(Problem.V2_BAD_FAMILY);
        assertThat(parse(hex(SIG + "21 13 000c")).problem()).isEqualTo(Problem.V2_BAD_FAMILY);
        assertThat(parse(hex(SIG + "21 11 0008 0102030405060708")).problem()).isEqualTo(Problem.V2_SHORT_ADDRESS);
    }

    @Test
    void s2_2_theLengthIsBoundedByTheConfiguredLimit() {
        assertThat(parse(hex(SIG + "21 11 0ff1")).problem()).as("16 + 4081 > 4096").isEqualTo(Problem.TOO_LARGE);
        byte[] justFits = new byte[MAX];
        System.arraycopy(hex(SIG + "21 00 0ff0"), 0, justFits, 0, 16);
        justFits[16] = 0x04; // one NOOP TLV filling the rest
        justFits[17] = (byte) ((MAX - 19) >> 8);
        justFits[18] = (byte) (MAX - 19);
        assertThat(parse(justFits).length()).isEqualTo(MAX);
        assertThatThrownBy(() -> new ProxyHeaderParser(231)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void s2_2_alpnAndAuthorityAreKeptOtherTlvsSkipped() {
        byte[] h = v2WithTlvs(hex("05 0003 616263"), hex("01 0002 6832"), hex("02 000b 6578616d706c652e636f6d"),
                hex("20 0005 0100000000"));
        ProxyHeader header = parse(h).header();
        assertThat(header.alpn()).isEqualTo("h2");
        assertThat(header.authority()).isEqualTo("example.com");
        assertThat(header.source()).isEqualTo(at("192.0.2.1", 56324));
    }

    @Test
    void s2_2_aTlvPastTheEndIsRefused() {
        assertThat(parse(v2WithTlvs(hex("01 0005 6832"))).problem()).as("5 bytes announced, 2 there")
                .isEqualTo(Problem.V2_BAD_TLV);
        assertThat(parse(v2WithTlvs(hex("04 00"))).problem()).as("a TLV shorter than its type and length")
                .isEqualTo(Problem.V2_BAD_TLV);
    }

    @Test
    void s2_2_3_aMatchingCrc32cIsAcceptedAMismatchRefused() {
        byte[] h = v2WithTlvs(hex("03 0004 00000000"), hex("01 0002 6832"));
        int at = 16 + 12 + 3;
        CRC32C crc = new CRC32C();
        crc.update(h);
        long v = crc.getValue();
        h[at] = (byte) (v >> 24);
        h[at + 1] = (byte) (v >> 16);
        h[at + 2] = (byte) (v >> 8);
        h[at + 3] = (byte) v;
        assertThat(parse(h).header().alpn()).isEqualTo("h2");
        h[h.length - 1] ^= 1;
        assertThat(parse(h).problem()).isEqualTo(Problem.V2_BAD_CHECKSUM);
        assertThat(parse(v2WithTlvs(hex("03 0003 000000"))).problem()).isEqualTo(Problem.V2_BAD_TLV);
    }

    /** A v2 TCP4 header from 192.0.2.1:56324 to 198.51.100.1:443 with these TLVs (the length filled in). */
    static byte[] v2WithTlvs(byte[]... tlvs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hex(SIG + "21 11 0000 c0000201 c6336401 dc04 01bb"));
        for (byte[] t : tlvs) out.writeBytes(t);
        byte[] h = out.toByteArray();
        h[14] = (byte) ((h.length - 16) >> 8);
        h[15] = (byte) (h.length - 16);
        return h;
    }
}
