package dev.porter.http;

import dev.porter.core.AddressRange;
import dev.porter.core.ProxyHeader;
import dev.porter.core.ProxyProtocolConfig;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handlers and the access log see the real client: named by a PROXY protocol header before the request, or by
 * trusted forwarded fields, over real sockets with real clients.
 */
class ForwardedClientTest {

    static final Handler WHO = (req, res) -> res.send(Status.OK, req.remoteAddress().getAddress().getHostAddress()
            + " " + req.scheme());

    static byte[] concat(byte[] a, String b) {
        byte[] t = b.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(a, a.length + t.length);
        System.arraycopy(t, 0, out, a.length, t.length);
        return out;
    }

    @Test
    void aProxyProtocolHeaderNamesTheClientOfEveryRequestAndTheAccessLogLine() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpConfig.Builder b = HttpConfig.builder().accessLog(AccessLog.combined(lines::add));
        b.server(b.build().server().withProxyProtocol(ProxyProtocolConfig.defaults()));
        byte[] header = ProxyHeader.v2(new InetSocketAddress("203.0.113.9", 51000), new InetSocketAddress("192.0.2.1", 443)).encode();
        try (HttpServer server = TestHttp.start(b, WHO); HttpWire wire = HttpWire.connect(server)) {
            wire.send(concat(header, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertThat(wire.readResponse().text()).isEqualTo("203.0.113.9 http");
            assertThat(wire.readResponse().text()).as("the header holds for the connection").isEqualTo("203.0.113.9 http");
            assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("203.0.113.9 - - [");
        }
    }

    @Test
    void aRequestWithoutTheHeaderIsClosedUnanswered() {
        HttpConfig.Builder b = HttpConfig.builder();
        b.server(b.build().server().withProxyProtocol(ProxyProtocolConfig.defaults()));
        try (HttpServer server = TestHttp.start(b, WHO); HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readToEnd();
            assertThat(t.bytes()).isEmpty();
        }
    }

    @Test
    void trustedForwardedFieldsNameTheClientAndSchemeToARealClient() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpConfig.Builder b = HttpConfig.builder().trustedProxies(AddressRange.LOOPBACK).accessLog(AccessLog.combined(lines::add));
        try (HttpServer server = TestHttp.start(b, WHO);
             java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .header("X-Forwarded-For", "198.51.100.1, 203.0.113.7").header("X-Forwarded-Proto", "https").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("203.0.113.7 https");
            assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("203.0.113.7 - - [");
        }
    }

    @Test
    void withoutTrustedProxiesForwardedFieldsAreJustFields() throws Exception {
        try (HttpServer server = TestHttp.start(HttpConfig.builder(), WHO); HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET / HTTP/1.1\r\nHost: x\r\nForwarded: for=203.0.113.7;proto=https\r\nX-Forwarded-For: 203.0.113.8\r\n\r\n");
            assertThat(wire.readResponse().text()).isEqualTo("127.0.0.1 http");
        }
        List<AddressRange> elsewhere = List.of(AddressRange.parse("192.0.2.0/24"));
        try (HttpServer server = TestHttp.start(HttpConfig.builder().trustedProxies(elsewhere), WHO);
             HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET / HTTP/1.1\r\nHost: x\r\nForwarded: for=203.0.113.7;proto=https\r\n\r\n");
            assertThat(wire.readResponse().text()).as("the peer is not trusted").isEqualTo("127.0.0.1 http");
        }
    }
}
