package dev.porter.core.internal.proxy;

import dev.porter.core.AddressRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IP literals parsed without lookups, checked against the JDK's own reading; CIDR blocks built on them. */
class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.0.2.1", "10.0.0.10", "::", "::1", "1::", "1::2",
        "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4",
        "::1.2.3.4", "fe80::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8"})
    void readsWhatTheJdkReads(String literal) throws Exception {
        byte[] b = IpLiterals.parse(literal);
        assertThat(b).as(literal).isNotNull();
        byte[] jdk = InetAddress.getByName(literal).getAddress();
        if (jdk.length == 4 && b.length == 16) jdk = mapped(jdk);
        assertThat(b).isEqualTo(jdk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3.4 ", "a.b.c.d",
        ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "1:", ":1", "::g",
        "fe80::1%eth0", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:7:8::", "::1.2.3", "localhost", "[::1]"})
    void refusesWhatIsNotALiteral(String text) {
        assertThat(IpLiterals.parse(text)).as(text).isNull();
    }

    @Test
    void cidrBlocksContainTheirAddressesOnly() throws Exception {
        AddressRange ten = AddressRange.parse("10.0.0.0/8");
        assertThat(ten.contains(InetAddress.getByName("10.255.1.2"))).isTrue();
        assertThat(ten.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(ten.contains(InetAddress.getByName("::ffff:a00:1"))).isTrue();
        assertThat(AddressRange.parse("192.0.2.128/25").contains(InetAddress.getByName("192.0.2.127"))).isFalse();
        assertThat(AddressRange.parse("192.0.2.128/25").contains(InetAddress.getByName("192.0.2.200"))).isTrue();
        assertThat(AddressRange.parse("10.1.2.3/8")).as("host bits cleared").isEqualTo(ten);
        assertThat(AddressRange.parse("10.1.2.3").toString()).isEqualTo("10.1.2.3/32");
        assertThat(AddressRange.LOOPBACK.toString()).isEqualTo("[127.0.0.0/8, ::1/128]");
        assertThat(AddressRange.parse("2001:DB8:0:0:1::/80").toString()).isEqualTo("2001:db8:0:0:1::/80");
        assertThat(AddressRange.parse("[2001:db8::]/32").contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(AddressRange.parse("::/0").contains(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(InetAddress.getByName("192.0.2.1"))).isTrue();
        assertThat(AddressRange.parse("::ffff:10.0.0.0/104")).isEqualTo(ten);
        assertThat(AddressRange.anyContains(AddressRange.LOOPBACK, InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(AddressRange.anyContains(AddressRange.LOOPBACK, InetAddress.getByName("::1"))).isTrue();
        for (String bad : new String[] {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "example.com", "10.0.0.0/-1"}) {
            assertThatThrownBy(() -> AddressRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] mapped(byte[] four) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        System.arraycopy(four, 0, b, 12, 4);
        return b;
    }
}
