package dev.porter.core.internal.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.core.ProxyHeader;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the PROXY protocol parser ({@link ProxyHeaderParser}) on raw first bytes of a connection, fed whole, byte
 * by byte and in random splits ({@link ProxyFeeds}). Every feeding must end the same way; the only failure is a
 * {@link ProxyHeaderException}; an accepted header is never longer than its limit (107 bytes for v1, the
 * configured size for v2), starts with its version's signature, and reads back to the same header once encoded.
 * An accepted v1 TCP4 line must also match an independent regular expression of §2.1's grammar.
 */
class ProxyHeaderParserFuzzTest {

    static final int MAX = 512;
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
    private static final String IPV4 = OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET;
    private static final String PORT = "(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0)";
    private static final Pattern TCP4 = Pattern.compile("PROXY TCP4 " + IPV4 + " " + IPV4 + " " + PORT + " " + PORT + "\r\n");

    @FuzzTest(maxDuration = "10m")
    void acceptsOnlyWellFormedHeaders(byte[] input) {
        List<ProxyFeeds.Outcome> all = ProxyFeeds.everySplit(input, MAX, Arrays.hashCode(input), 4);
        for (ProxyFeeds.Outcome o : all) assertThat(o).as("the same outcome for every split").isEqualTo(all.get(0));
        ProxyFeeds.Outcome o = all.get(0);
        if (o.header() == null) return;
        ProxyHeader h = o.header();
        byte[] wire = Arrays.copyOf(input, o.length());
        if (h.version() == 1) {
            assertThat(o.length()).isLessThanOrEqualTo(ProxyHeaderParser.V1_MAX_LENGTH);
            String line = new String(wire, StandardCharsets.ISO_8859_1);
            assertThat(line).startsWith("PROXY ").endsWith("\r\n");
            if (line.startsWith("PROXY TCP4 ")) assertThat(TCP4.matcher(line).matches()).as(line).isTrue();
            if (h.hasAddresses() && line.startsWith("PROXY TCP4 ")) {
                assertThat(h.source().getAddress()).isInstanceOf(Inet4Address.class);
            }
        } else {
            assertThat(o.length()).isBetween(16, MAX);
            assertThat(Arrays.copyOf(wire, 12)).isEqualTo(ProxyHeaderParser.V2_SIGNATURE);
        }
        ProxyFeeds.Outcome again = ProxyFeeds.feed(h.encode(), 70_000, new int[0]);
        assertThat(again.header()).as("encoded and read back").isEqualTo(h);
    }
}
