package dev.porter.core;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Addresses as logs and forwarded fields write them: RFC 5952's canonical IPv6 text. */
class IpTextTest {

    private static String text(String literal) throws Exception {
        return IpText.of(InetAddress.getByName(literal));
    }

    @Test
    void ipv4IsTheDottedQuad() throws Exception {
        assertThat(text("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(text("203.0.113.255")).isEqualTo("203.0.113.255");
    }

    @Test
    void s4_2_theLongestRunOfZeroGroupsIsShortenedAndNoneOfOne() throws Exception {
        assertThat(text("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(text("::")).isEqualTo("::");
        assertThat(text("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(text("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(text("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
        assertThat(text("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
    }

    @Test
    void s4_3_hexDigitsAreLowerCaseWithoutLeadingZeros() throws Exception {
        assertThat(text("2001:0DB8:00AB:0000:0000:0000:0000:0001")).isEqualTo("2001:db8:ab::1");
    }

    @Test
    void aZoneIsLeftOut() throws Exception {
        assertThat(text("fe80::1%1")).isEqualTo("fe80::1");
    }
}
