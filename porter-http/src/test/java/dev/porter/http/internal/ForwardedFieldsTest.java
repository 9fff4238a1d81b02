package dev.porter.http.internal;

import dev.porter.core.AddressRange;
import dev.porter.http.Headers;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Forwarded fields (RFC 7239 and the X-Forwarded-* habit) believed only from trusted peers, walked right to left. */
class ForwardedFieldsTest {

    static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 40000);
    static final List<AddressRange> TRUSTED = List.of(AddressRange.parse("10.0.0.0/8"));

    static ForwardedFields.Origin resolve(InetSocketAddress peer, String... fields) {
        Headers h = new Headers();
        for (int i = 0; i < fields.length; i += 2) h.add(fields[i], fields[i + 1]);
        return ForwardedFields.resolve(peer, "http", h, TRUSTED);
    }

    static String client(ForwardedFields.Origin o) {
        return o.client().getAddress().getHostAddress() + ":" + o.client().getPort();
    }

    @Test
    void s8_1_fieldsFromAnUntrustedPeerAreIgnored() {
        InetSocketAddress stranger = new InetSocketAddress("192.0.2.9", 5555);
        ForwardedFields.Origin o = resolve(stranger, "X-Forwarded-For", "203.0.113.1", "X-Forwarded-Proto", "https");
        assertThat(o.client()).isEqualTo(stranger);
        assertThat(o.scheme()).isEqualTo("http");
        Headers h = new Headers().add("X-Forwarded-For", "203.0.113.1");
        assertThat(ForwardedFields.resolve(PROXY, "http", h, List.of()).client()).as("no trusted set").isEqualTo(PROXY);
    }

    @Test
    void xForwardedForIsWalkedFromTheNearestHopPastTrustedProxies() {
        assertThat(client(resolve(PROXY, "X-Forwarded-For", "203.0.113.1"))).isEqualTo("203.0.113.1:0");
        assertThat(client(resolve(PROXY, "X-Forwarded-For", "198.51.100.7, 203.0.113.1, 10.1.1.1")))
                .as("the spoofable left part is not believed").isEqualTo("203.0.113.1:0");
        assertThat(client(resolve(PROXY, "X-Forwarded-For", "198.51.100.7", "X-Forwarded-For", "10.2.2.2, 10.1.1.1")))
                .as("several fields are one list").isEqualTo("198.51.100.7:0");
        assertThat(client(resolve(PROXY, "X-Forwarded-For", "10.3.3.3, 10.1.1.1")))
                .as("all trusted: the farthest").isEqualTo("10.3.3.3:0");
        assertThat(client(resolve(PROXY, "X-Forwarded-For", "2001:db8::1, [2001:db8::2]:8080, 203.0.113.1:443")))
                .isEqualTo("203.0.113.1:443");
        assertThat(client(resolve(PROXY, "X-Forwarded-For", "203.0.113.1, unknown"))).as("unknown ends the walk")
                .isEqualTo("10.0.0.5:40000");
        assertThat(client(resolve(PROXY, "X-Forwarded-For", "example.com"))).as("never a name lookup")
                .isEqualTo("10.0.0.5:40000");
    }

    @Test
    void xForwardedProtoGivesTheScheme() {
        assertThat(resolve(PROXY, "X-Forwarded-For", "203.0.113.1", "X-Forwarded-Proto", "HTTPS").scheme()).isEqualTo("https");
        assertThat(resolve(PROXY, "X-Forwarded-Proto", "https").scheme()).as("without a client list").isEqualTo("https");
        assertThat(resolve(PROXY, "X-Forwarded-For", "203.0.113.1, 10.1.1.1", "X-Forwarded-Proto", "https, http").scheme())
                .as("lined up with the hops").isEqualTo("https");
        assertThat(resolve(PROXY, "X-Forwarded-For", "203.0.113.1", "X-Forwarded-Proto", "gopher").scheme()).isEqualTo("http");
    }

    @Test
    void s4_theRfcExamples() {
        assertThat(client(resolve(PROXY, "Forwarded", "for=\"_gazonk\""))).as("obfuscated").isEqualTo("10.0.0.5:40000");
        assertThat(client(resolve(PROXY, "Forwarded", "For=\"[2001:db8:cafe::17]:4711\""))).isEqualTo("2001:db8:cafe:0:0:0:0:17:4711");
        ForwardedFields.Origin o = resolve(PROXY, "Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43");
        assertThat(client(o)).isEqualTo("192.0.2.60:0");
        assertThat(o.scheme()).isEqualTo("https");
        assertThat(client(resolve(PROXY, "Forwarded", "for=192.0.2.43, for=198.51.100.17"))).isEqualTo("198.51.100.17:0");
        assertThat(client(resolve(PROXY, "Forwarded", "for=192.0.2.43, for=10.9.9.9;proto=https"))).isEqualTo("192.0.2.43:0");
    }

    @Test
    void s4_forwardedWinsOverXForwardedForAndAMalformedOneIsIgnoredWhole() {
        assertThat(client(resolve(PROXY, "Forwarded", "for=192.0.2.60", "X-Forwarded-For", "203.0.113.1"))).isEqualTo("192.0.2.60:0");
        for (String bad : new String[] {"for=192.0.2.60;for=192.0.2.61", "for=\"192.0.2.60", "for 192.0.2.60",
            "for=192.0.2.60 junk", "=x"}) {
            assertThat(client(resolve(PROXY, "Forwarded", bad))).as(bad).isEqualTo("10.0.0.5:40000");
        }
    }
}
