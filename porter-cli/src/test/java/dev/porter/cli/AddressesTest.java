package dev.porter.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Addresses as users type them (RFC 5952 for IPv6). */
class AddressesTest {

    private static String format(String host, int port) throws Exception {
        return Addresses.format(new InetSocketAddress(InetAddress.getByName(host), port));
    }

    @Test
    void formatsIpv4AndCanonicalIpv6() throws Exception {
        assertThat(format("127.0.0.1", 8080)).isEqualTo("127.0.0.1:8080");
        assertThat(format("::1", 80)).isEqualTo("[::1]:80");
        assertThat(format("::", 80)).isEqualTo("[::]:80");
        assertThat(format("2001:db8:0:0:1:0:0:1", 1)).isEqualTo("[2001:db8::1:0:0:1]:1");
        assertThat(format("2001:db8:0:1:1:1:1:1", 1)).isEqualTo("[2001:db8:0:1:1:1:1:1]:1");
        assertThat(format("fe80:0:0:0:0:0:0:0", 1)).isEqualTo("[fe80::]:1");
    }
}
