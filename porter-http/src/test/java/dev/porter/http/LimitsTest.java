package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TestRoutes;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every limit of {@link HttpConfig}: its default, and its effect when configured small. Each test starts its own
 * server; timeouts are configured in the hundreds of milliseconds so the class stays fast, and nothing asserts
 * how long anything took, only what the client saw.
 */
class LimitsTest {

    private static final String GET = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";

    private static Router routes() {
        return TestRoutes.router()
                .post("/ignore", (req, res) -> res.send("ignored"));
    }

    private static HttpServer start(HttpConfig.Builder config) {
        return TestHttp.start(config, routes());
    }

    /** Sends {@code request}, expects one answer with {@code status}, then the server's close. */
    private static void assertAnsweredAndClosed(HttpServer server, String request, int status) {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send(request).readToEnd();
            assertThat(t.statuses()).as(t.text()).containsExactly(status);
            assertThat(t.text()).contains("Connection: close");
            assertThat(t.closed()).isTrue();
        }
    }

    private static void assertServed(HttpServer server, String request) {
        try (HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send(request).readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        HttpConfig d = HttpConfig.defaults();
        assertThat(d.maxRequestLineLength()).isEqualTo(8192);
        assertThat(d.maxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(d.maxHeaderCount()).isEqualTo(100);
        assertThat(d.maxBodySize()).isEqualTo(16L * 1024 * 1024);
        assertThat(d.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.server().connection().readTimeout()).as("body read timeout").isEqualTo(Duration.ofSeconds(30));
        assertThat(d.server().connection().writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.idleLinger()).isEqualTo(Duration.ofMillis(250));
        assertThat(d.maxRequestsPerConnection()).isEqualTo(10_000);
        assertThat(d.maxDrainBytes()).isEqualTo(64 * 1024);
        assertThat(d.serverHeader()).isEqualTo("Porter");
        assertThat(d.lenientLineEnds()).isFalse();
        assertThat(d.accessLog()).isNull();
        assertThat(d.server().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void rejectsOutOfRangeLimits() {
        assertThatThrownBy(() -> HttpConfig.builder().maxRequestLineLength(8).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpConfig.builder().maxHeaderBytes(10).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpConfig.builder().maxHeaderCount(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpConfig.builder().maxBodySize(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpConfig.builder().maxRequestsPerConnection(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpConfig.builder().maxDrainBytes(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpConfig.builder().serverHeader("Porter\r\nX: y").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsTimeoutsThatWouldLetNoRequestThrough() {
        // A zero or negative head or keep-alive timeout used to be accepted and then close every connection
        // without an answer; build() validates every value.
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> HttpConfig.builder().headerTimeout(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headerTimeout");
            assertThatThrownBy(() -> HttpConfig.builder().keepAliveTimeout(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAliveTimeout");
        }
        assertThatThrownBy(() -> HttpConfig.builder().idleLinger(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleLinger");
        assertThat(HttpConfig.builder().idleLinger(Duration.ZERO).build().idleLinger()).isZero();
    }

    // ---- request line: 414 ------------------------------------------------------------------------------------

    @Test
    void answers414ForARequestLineOverTheDefaultLimit() {
        try (HttpServer server = TestHttp.start(routes())) {
            assertAnsweredAndClosed(server, "GET /" + "a".repeat(8200) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
        }
    }

    @Test
    void acceptsARequestLineAtTheConfiguredLimitAndAnswers414Beyond() {
        try (HttpServer server = start(HttpConfig.builder().maxRequestLineLength(64))) {
            String prefix = "GET /plaintext?";
            String suffix = " HTTP/1.1";
            String atLimit = prefix + "q".repeat(64 - prefix.length() - suffix.length()) + suffix;
            assertThat(atLimit).hasSize(64);
            assertServed(server, atLimit + "\r\nHost: x\r\n\r\n");
            String over = prefix + "q".repeat(65 - prefix.length() - suffix.length()) + suffix;
            assertAnsweredAndClosed(server, over + "\r\nHost: x\r\n\r\n", 414);
        }
    }

    @Test
    void answers414BeforeTheRequestLineEnds() {
        // A line already over the limit is rejected without waiting for its end (the client never sends one).
        try (HttpServer server = start(HttpConfig.builder().maxRequestLineLength(64))) {
            assertAnsweredAndClosed(server, "GET /" + "a".repeat(200), 414);
        }
    }

    // ---- header section: 431 ----------------------------------------------------------------------------------

    @Test
    void answers431ForOneFieldLargerThanTheHeaderSection() {
        try (HttpServer server = start(HttpConfig.builder().maxHeaderBytes(256))) {
            assertAnsweredAndClosed(server, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(300) + "\r\n\r\n", 431);
        }
    }

    @Test
    void answers431ForManyFieldsAddingUpOverTheHeaderSection() {
        try (HttpServer server = start(HttpConfig.builder().maxHeaderBytes(256))) {
            StringBuilder fields = new StringBuilder();
            for (int i = 0; i < 20; i++) fields.append("X-F").append(i).append(": 0123456789\r\n");
            assertThat(fields.length()).isGreaterThan(256);
            assertAnsweredAndClosed(server, "GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n", 431);
            assertServed(server, "GET / HTTP/1.1\r\nHost: x\r\n" + fields.substring(0, 150) + "\r\n\r\n");
        }
    }

    @Test
    void answers431ForAHeaderSectionOverTheDefaultSize() {
        try (HttpServer server = TestHttp.start(routes())) {
            StringBuilder fields = new StringBuilder();
            for (int i = 0; i < 17; i++) fields.append("X-F").append(i).append(": ").append("v".repeat(1000)).append("\r\n");
            assertAnsweredAndClosed(server, "GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n", 431);
        }
    }

    @Test
    void acceptsTheConfiguredFieldCountAndAnswers431Beyond() {
        try (HttpServer server = start(HttpConfig.builder().maxHeaderCount(5))) {
            assertServed(server, "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
            assertAnsweredAndClosed(server, "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 431);
        }
    }

    @Test
    void answers431ForMoreFieldsThanTheDefaultCount() {
        try (HttpServer server = TestHttp.start(routes())) {
            StringBuilder fields = new StringBuilder();
            for (int i = 0; i < 100; i++) fields.append("X-").append(i).append(": v\r\n");
            assertAnsweredAndClosed(server, "GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n", 431);
            assertServed(server, "GET / HTTP/1.1\r\nHost: x\r\n" + fields.substring(0, fields.indexOf("X-99")) + "\r\n");
        }
    }

    // ---- body: 413 ------------------------------------------------------------------------------------------------

    @Test
    void answers413ForADeclaredLengthOverTheLimitBeforeTheBodyIsSent() {
        try (HttpServer server = start(HttpConfig.builder().maxBodySize(100))) {
            // Only the head is sent: the answer must not wait for 101 bytes that would be refused anyway.
            assertAnsweredAndClosed(server, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", 413);
            try (HttpWire wire = HttpWire.connect(server)) {
                WireResponse r = wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "b".repeat(100)).readResponse();
                assertThat(r.body()).hasSize(100);
            }
        }
    }

    @Test
    void answers413ForAChunkedBodyOverTheLimit() {
        try (HttpServer server = start(HttpConfig.builder().maxBodySize(100))) {
            String chunk = "3c\r\n" + "c".repeat(60) + "\r\n";
            assertAnsweredAndClosed(server, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk + chunk + "0\r\n\r\n", 413);
        }
    }

    @Test
    void answers413ForADeclaredLengthOverTheDefaultLimit() {
        try (HttpServer server = TestHttp.start(routes())) {
            assertAnsweredAndClosed(server, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + (16 * 1024 * 1024 + 1) + "\r\n\r\n", 413);
        }
    }

    @Test
    void answers413WhenTheHandlerLimitIsSmallerThanTheBody() {
        Router router = new Router().post("/", (req, res) -> res.send(req.bodyBytes(10)));
        try (HttpServer server = TestHttp.start(router)) {
            // Chunked, so the handler's limit is hit while reading, not from the declared length.
            assertAnsweredAndClosed(server, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "14\r\n" + "d".repeat(20) + "\r\n0\r\n\r\n", 413);
        }
    }

    // ---- timeouts -----------------------------------------------------------------------------------------------

    @Test
    void answers408AndClosesWhenTheHeadStallsHalfway() {
        try (HttpServer server = start(HttpConfig.builder().headerTimeout(Duration.ofMillis(300)))) {
            assertAnsweredAndClosed(server, "GET / HTTP/1.1\r\nHost: x\r\nX-Half: ", 408);
        }
    }

    @Test
    void cutsOffASlowlorisTrickleAtTheHeaderTimeout() throws Exception {
        try (HttpServer server = start(HttpConfig.builder().headerTimeout(Duration.ofMillis(500)));
             HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            // A byte every 50 ms keeps every single read short of any read timeout; only the head deadline stops it.
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = wire.socket().getOutputStream();
                    for (int i = 0; i < 400; i++) {
                        out.write('a');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // Expected: the server closed the connection under the trickle.
                }
            });
            HttpWire.Transcript t = wire.readToEnd();
            trickle.interrupt();
            trickle.join();
            assertThat(t.statuses()).as(t.text()).containsExactly(408);
            assertThat(t.closed()).isTrue();
        }
    }

    @Test
    void closesASilentConnectionAtTheHeaderTimeoutWithoutAnswering() {
        try (HttpServer server = start(HttpConfig.builder().headerTimeout(Duration.ofMillis(300)));
             HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.closedByServer()).as("closed with no bytes sent").isTrue();
        }
    }

    @Test
    void answers408WhenTheBodyStallsPastTheBodyReadTimeout() {
        try (HttpServer server = start(HttpConfig.builder().bodyReadTimeout(Duration.ofMillis(300)))) {
            assertAnsweredAndClosed(server, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", 408);
        }
    }

    @Test
    void closesAnIdleKeepAliveConnectionAfterTheKeepAliveTimeout() {
        // Linger shorter than the timeout: the idle connection is parked without a thread, then expires.
        try (HttpServer server = start(HttpConfig.builder().keepAliveTimeout(Duration.ofMillis(400)).idleLinger(Duration.ofMillis(50)));
             HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send(GET).readResponse().status()).isEqualTo(200);
            assertThat(wire.send(GET).readResponse().status()).isEqualTo(200);
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void closesAnIdleKeepAliveConnectionThatKeepsItsThread() {
        // Linger longer than the timeout: the connection waits on its own thread and expires there.
        try (HttpServer server = start(HttpConfig.builder().keepAliveTimeout(Duration.ofMillis(300)).idleLinger(Duration.ofSeconds(5)));
             HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send(GET).readResponse().status()).isEqualTo(200);
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void closesAConnectionWhoseClientStopsReadingAfterTheWriteTimeout() throws Exception {
        java.util.concurrent.CountDownLatch writeFailed = new java.util.concurrent.CountDownLatch(1);
        Router router = new Router().get("/endless", (req, res) -> {
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = res.stream()) {
                for (int i = 0; i < 16_384; i++) out.write(block); // up to 1 GiB: far more than socket buffers hold
            } catch (IOException e) {
                writeFailed.countDown();
                throw e;
            }
        });
        try (HttpServer server = TestHttp.start(HttpConfig.builder().writeTimeout(Duration.ofMillis(300)), router);
             HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n"); // and never read
            assertThat(writeFailed.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the blocked write was cut off").isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.stats().active() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(server.stats().active()).as("the stuck connection was closed").isZero();
        }
    }

    // ---- requests per connection and drain -------------------------------------------------------------------

    @Test
    void announcesCloseOnTheLastRequestAllowedPerConnection() {
        try (HttpServer server = start(HttpConfig.builder().maxRequestsPerConnection(3));
             HttpWire wire = HttpWire.connect(server)) {
            WireResponse first = wire.send(GET).readResponse();
            WireResponse second = wire.send(GET).readResponse();
            WireResponse third = wire.send(GET).readResponse();
            assertThat(first.closes()).isFalse();
            assertThat(second.closes()).isFalse();
            assertThat(third.status()).isEqualTo(200);
            assertThat(third.closes()).as("the last allowed request says Connection: close").isTrue();
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void drainsAnUnreadBodyWithinTheDrainLimitAndKeepsTheConnection() {
        try (HttpServer server = start(HttpConfig.builder().maxDrainBytes(1000));
             HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n" + "u".repeat(500)).readResponse();
            assertThat(r.text()).isEqualTo("ignored");
            assertThat(r.closes()).isFalse();
            assertThat(wire.send(GET).readResponse().text()).isEqualTo("Hello, World!");
        }
    }

    @Test
    void drainsAnUnreadChunkedBodyWithinTheDrainLimit() {
        try (HttpServer server = start(HttpConfig.builder().maxDrainBytes(1000));
             HttpWire wire = HttpWire.connect(server)) {
            String chunk = "64\r\n" + "u".repeat(100) + "\r\n";
            WireResponse r = wire.send("POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk.repeat(5) + "0\r\n\r\n").readResponse();
            assertThat(r.text()).isEqualTo("ignored");
            assertThat(wire.send(GET).readResponse().text()).isEqualTo("Hello, World!");
        }
    }

    @Test
    void closesWhenAnUnreadBodyExceedsTheDrainLimit() {
        try (HttpServer server = start(HttpConfig.builder().maxDrainBytes(1000));
             HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "u".repeat(5000)).readResponse();
            assertThat(r.text()).isEqualTo("ignored");
            assertThat(r.closes()).as("the answer announces the close (RFC 9112 §9.6)").isTrue();
            HttpWire.Transcript rest = wire.send(GET).readToEnd();
            assertThat(rest.statuses()).as("the next request is not served on this connection").isEmpty();
            assertThat(rest.closed()).isTrue();
        }
    }

    @Test
    void closesWhenAnUnreadChunkedBodyExceedsTheDrainLimit() {
        try (HttpServer server = start(HttpConfig.builder().maxDrainBytes(1000));
             HttpWire wire = HttpWire.connect(server)) {
            String chunk = "3e8\r\n" + "u".repeat(1000) + "\r\n";
            HttpWire.Transcript t = wire.send("POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk.repeat(3) + "0\r\n\r\n" + GET).readToEnd();
            assertThat(t.statuses()).as(t.text()).containsExactly(200);
            assertThat(t.text()).contains("ignored");
            assertThat(t.closed()).isTrue();
        }
    }
}
