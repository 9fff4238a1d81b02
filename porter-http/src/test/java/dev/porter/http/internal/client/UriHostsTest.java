package dev.porter.http.internal.client;

import dev.porter.http.ClientRequest;
import dev.porter.http.WebSocketRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hosts java.net.URI leaves unparsed but RFC 3986 §3.2.2 allows (a Docker Compose service: {@code my_service}). */
class UriHostsTest {

    @Test
    void aHostNameWithAnUnderscoreHasAHostAndAPort() throws Exception {
        URI u = URI.create("http://My_Service:8080/a?b");
        assertThat(u.getHost()).as("java.net.URI's reading").isNull();
        assertThat(UriHosts.host(u)).isEqualTo("my_service");
        assertThat(UriHosts.port(u)).isEqualTo(8080);
        assertThat(UriHosts.port(URI.create("http://my_service/"))).isEqualTo(-1);
        Route r = Route.of(u);
        assertThat(r.host()).isEqualTo("my_service");
        assertThat(r.port()).isEqualTo(8080);
        assertThat(r.authority()).isEqualTo("my_service:8080");
        assertThat(Route.of(URI.create("https://my_service/")).port()).isEqualTo(443);
    }

    @Test
    void ordinaryHostsReadAsJavaNetUriReadsThem() {
        assertThat(UriHosts.host(URI.create("http://Example.COM:81/"))).isEqualTo("example.com");
        assertThat(UriHosts.port(URI.create("http://Example.COM:81/"))).isEqualTo(81);
        assertThat(UriHosts.host(URI.create("http://[::1]:81/"))).isEqualTo("[::1]");
    }

    @Test
    void otherAuthoritiesStillHaveNoHost() {
        assertThat(UriHosts.host(URI.create("http://user@my_service/"))).isNull();
        assertThat(UriHosts.host(URI.create("http://my_service:99999/"))).isNull();
        assertThat(UriHosts.host(URI.create("http://my_service:8x/"))).isNull();
        assertThat(UriHosts.host(URI.create("http://a%20b/"))).isNull();
        assertThat(UriHosts.host(URI.create("http:/path"))).isNull();
        assertThatThrownBy(() -> ClientRequest.get("http://user@my_service/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestsAndWebSocketRequestsTakeSuchAHost() {
        assertThat(ClientRequest.get("http://my_service:8080/x").uri().getRawAuthority()).isEqualTo("my_service:8080");
        assertThat(WebSocketRequest.builder(URI.create("ws://my_service:8080/chat")).build().uri().getRawAuthority())
                .isEqualTo("my_service:8080");
    }
}
