package dev.porter.core.internal.tls;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostNamesTest {

    @Test
    void aWildcardStandsForExactlyOneLeftMostLabel() {
        List<String> names = List.of("*.example.com");
        assertThat(HostNames.matches(names, "a.example.com")).isTrue();
        assertThat(HostNames.matches(names, "A.Example.COM.")).isTrue();
        assertThat(HostNames.matches(names, "example.com")).isFalse();
        assertThat(HostNames.matches(names, "a.b.example.com")).isFalse();
        assertThat(HostNames.matches(names, ".example.com")).isFalse();
        assertThat(HostNames.matches(List.of("a*.example.com"), "ab.example.com")).isFalse();
    }

    @Test
    void namesCompareWithoutCaseOrTrailingDot() {
        assertThat(HostNames.matches(List.of("WWW.example.com"), "www.EXAMPLE.com.")).isTrue();
        assertThat(HostNames.matches(List.of("www.example.com"), "example.com")).isFalse();
        assertThat(HostNames.matches(List.of("www.example.com"), "")).isFalse();
    }

    @Test
    void ipAddressesCompareAsAddresses() {
        List<String> names = List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(HostNames.matches(names, "127.0.0.1")).isTrue();
        assertThat(HostNames.matches(names, "::1")).isTrue();
        assertThat(HostNames.matches(names, "[::1]")).isTrue();
        assertThat(HostNames.matches(names, "127.0.0.2")).isFalse();
        // A DNS name that looks like nothing numeric never matches an address, and the reverse.
        assertThat(HostNames.matches(List.of("127.0.0.1"), "localhost")).isFalse();
    }

    @Test
    void ipLiteralsAreToldFromNamesWithoutDns() {
        assertThat(HostNames.isIpLiteral("10.0.0.1")).isTrue();
        assertThat(HostNames.isIpLiteral("::1")).isTrue();
        assertThat(HostNames.isIpLiteral("[2001:db8::1]")).isTrue();
        assertThat(HostNames.isIpLiteral("example.com")).isFalse();
        assertThat(HostNames.isIpLiteral("1.2.3")).isFalse();
        assertThat(HostNames.isIpLiteral("256.1.1.1")).isFalse();
        assertThat(HostNames.isIpLiteral("1.2.3.4.example")).isFalse();
    }
}
