package dev.porter.http.proxy;

import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.Router;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling through the proxy: the usual CL/TE desync vectors, each followed by a second request, sent to
 * Porter's proxy in front of a lenient backend that believes whatever framing it reads ({@link RecordingBackend}).
 * Porter refuses each at its own parser, and what it forwards is framed by the proxy alone, so the backend never
 * frames a second, smuggled request; no head it receives holds both Content-Length and Transfer-Encoding.
 */
class ProxySmugglingTest {

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    private static RecordingBackend backend;
    private static ProxyHandler proxy;
    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("ok"));
        proxy = ProxyHandler.of(ProxyConfig.builder(backend.url()).build());
        server = TestHttp.start(proxy);
    }

    @BeforeEach
    void forget() {
        backend.received().clear();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        proxy.close();
        backend.close();
    }

    private static String post(String fields) {
        return "POST / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n";
    }

    /** Sends {@code attack} then the smuggled request on one connection; @return the statuses the client got */
    private static List<Integer> send(String attack) {
        try (HttpWire wire = HttpWire.connect(server).readTimeout(Duration.ofSeconds(5))) {
            return wire.send(attack + SMUGGLED).readToEnd().statuses();
        }
    }

    private static void assertNotSmuggled(String attack, int expectedStatus) {
        List<Integer> statuses = send(attack);
        assertThat(statuses).as("answers to " + attack.replace("\r\n", "⏎")).isNotEmpty();
        assertThat(statuses.get(0)).as("first answer").isEqualTo(expectedStatus);
        for (RecordingBackend.Received r : backend.received()) {
            assertThat(r.requestLine()).as("a request the backend framed").doesNotContain("/smuggled");
            assertThat(r.has("Content-Length") && r.has("Transfer-Encoding")).as("both framings in " + r.head()).isFalse();
        }
    }

    @Test
    void clTe() {
        assertNotSmuggled(post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\nX", 400);
    }

    @Test
    void teCl() {
        String chunk = Integer.toHexString(SMUGGLED.length()) + "\r\n";
        assertNotSmuggled(post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n") + chunk, 400);
    }

    @Test
    void teTeObfuscatedByWhitespaceBeforeTheColon() {
        assertNotSmuggled(post("Content-Length: 5\r\nTransfer-Encoding : chunked\r\n") + "0\r\n\r\n", 400);
    }

    @Test
    void teWithAnUnknownCodingAfterChunked() {
        assertNotSmuggled(post("Transfer-Encoding: chunked, identity\r\n") + "0\r\n\r\n", 400);
    }

    @Test
    void xchunked() {
        assertNotSmuggled(post("Transfer-Encoding: xchunked\r\n") + "0\r\n\r\n", 400);
    }

    @Test
    void twoDifferentContentLengths() {
        assertNotSmuggled(post("Content-Length: 0\r\nContent-Length: " + SMUGGLED.length() + "\r\n"), 400);
    }

    @Test
    void obsFoldedTransferEncoding() {
        assertNotSmuggled(post("X-Pad: a\r\n Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n", 400);
    }

    @Test
    void bareCrInsideTheHead() {
        assertNotSmuggled("POST / HTTP/1.1\r\nHost: x\rTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void transferEncodingInHttp10() {
        assertNotSmuggled("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void chunkDataLongerThanItsSizeIsCutAtTheProxy() {
        // Found while the body streams: the backend may have seen the head and a chunk, never a complete request.
        assertNotSmuggled(post("Transfer-Encoding: chunked\r\n") + "3\r\nabc" + SMUGGLED + "\r\n0\r\n\r\n", 400);
    }

    @Test
    void aLastChunkWithoutItsFinalCrlf() {
        assertNotSmuggled(post("Transfer-Encoding: chunked\r\n") + "0\r\n", 400);
    }

    @Test
    void chunkSizeOverflow() {
        assertNotSmuggled(post("Transfer-Encoding: chunked\r\n") + "1" + "0".repeat(16) + "\r\nabc\r\n0\r\n\r\n", 400);
    }

    @Test
    void aWellFramedRequestIsForwardedWithTheProxysFraming() {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send(post("Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(wire.readResponse().status()).isEqualTo(200);
            assertThat(wire.readResponse().status()).isEqualTo(200);
        }
        List<RecordingBackend.Received> got = backend.received();
        assertThat(got).extracting(RecordingBackend.Received::requestLine).containsExactly("POST / HTTP/1.1", "GET /next HTTP/1.1");
        assertThat(new String(got.get(0).body())).isEqualTo("hello");
        assertThat(got.get(0).field("Transfer-Encoding")).isEqualTo("chunked");
    }

    /**
     * A Router that mounts the proxy under a prefix routes by the path as sent, while the backend (nginx, most
     * frameworks) removes dot-segments (RFC 3986 §5.2.4) before it serves: {@code /api/../admin} would reach the
     * backend's {@code /admin}, which the mount was meant to keep out. Such paths are refused (400) before routing,
     * whatever their spelling; an ordinary path under the mount still goes through.
     */
    @Test
    void aDotSegmentCannotLeadARoutedRequestOutOfItsMount() throws IOException {
        try (HttpServer routed = TestHttp.start(new Router().mountAll("/api/", proxy))) {
            for (String path : new String[] {"/api/../admin", "/api/%2e%2e/admin", "/api/.%2E/admin", "/api/..%2fadmin",
                    "/api/x/../../admin", "/api/./../admin", "/api/..", "/api/..;/admin", "/api/..%5cadmin"}) {
                try (HttpWire wire = HttpWire.connect(routed)) {
                    assertThat(wire.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                            .as(path).isEqualTo(400);
                }
            }
            assertThat(backend.received()).isEmpty();
            try (HttpWire wire = HttpWire.connect(routed)) {
                assertThat(wire.send("GET /api/a..b/.c/x.. HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(200);
            }
            assertThat(backend.received()).singleElement().extracting(RecordingBackend.Received::requestLine)
                    .isEqualTo("GET /api/a..b/.c/x.. HTTP/1.1");
        }
    }
}
