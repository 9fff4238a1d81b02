package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TestRoutes;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection persistence (RFC 9112 §9.3), pipelining (§9.3.2) and {@code Expect: 100-continue} (RFC 9110 §10.1.1),
 * seen from a raw socket.
 */
class PersistenceTest {

    private static final AtomicInteger bodyReads = new AtomicInteger();
    private static HttpServer server;

    @BeforeAll
    static void start() {
        Router router = TestRoutes.router()
                .get("/close", (req, res) -> res.closeConnection().send("bye"))
                .post("/ignore", (req, res) -> res.send("ignored"))
                .post("/stream-echo", (req, res) -> {
                    // Starts the (chunked) answer before reading the body, like a proxy or a transcoder would.
                    var out = res.stream();
                    out.write("got: ".getBytes(StandardCharsets.US_ASCII));
                    out.write(req.body().readAllBytes());
                })
                .get("/refuse", (req, res) -> {
                    throw new HttpException(Status.of(Integer.parseInt(req.queryParams().get("status").get(0))), "no");
                })
                .post("/count", (req, res) -> {
                    bodyReads.incrementAndGet();
                    res.send(req.bodyString().length() + " bytes");
                });
        server = TestHttp.start(router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Test
    void keepsHttp11ConnectionsAliveByDefault() {
        try (HttpWire wire = HttpWire.connect(server)) {
            for (int i = 0; i < 3; i++) {
                WireResponse r = wire.send(get("/plaintext")).readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.has("Connection")).as("HTTP/1.1 persists silently").isFalse();
            }
        }
    }

    @Test
    void closesHttp10ConnectionsWithoutKeepAlive() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("GET /plaintext HTTP/1.0\r\n\r\n").readResponse();
            assertThat(r.version()).as("answered with the highest 1.x version (RFC 9110 §2.5)").isEqualTo("HTTP/1.1");
            assertThat(r.closes()).isTrue();
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void keepsHttp10AliveWhenAskedWithKeepAlive() {
        try (HttpWire wire = HttpWire.connect(server)) {
            for (int i = 0; i < 2; i++) {
                WireResponse r = wire.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
                assertThat(r.text()).isEqualTo("Hello, World!");
                assertThat(r.header("Connection")).isEqualTo("keep-alive");
            }
        }
    }

    @Test
    void honoursConnectionCloseFromTheClient() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readResponse();
            assertThat(r.text()).isEqualTo("Hello, World!");
            assertThat(r.closes()).isTrue();
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void closesItsEndAfterAnsweringAClientThatAskedToCloseWithoutWaitingForTheClientsClose() throws Exception {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readResponse();
            assertThat(r.text()).isEqualTo("Hello, World!");
            assertThat(wire.closedByServer()).isTrue();
            // The client holds its end open and sends nothing; the server, with nothing left to read (RFC 9112
            // §9.6), closes the connection fully rather than lingering for the client's close.
            int port = wire.socket().getLocalPort();
            long giveUp = System.nanoTime() + HttpWire.TIMEOUT.toNanos();
            while (server.connections().stream().anyMatch(i -> i.peer().getPort() == port)
                    && System.nanoTime() < giveUp) {
                Thread.sleep(10);
            }
            assertThat(server.connections()).noneMatch(i -> i.peer().getPort() == port);
        }
    }

    @Test
    void findsCloseAmongConnectionOptionsCaseInsensitively() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: TE, CLOSE\r\n\r\n").readResponse();
            assertThat(r.closes()).isTrue();
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void keepsTheConnectionAfterAThrownRefusalOfAWellFramedRequest() {
        try (HttpWire wire = HttpWire.connect(server)) {
            for (int status : new int[] {401, 403, 409, 422, 429, 503}) {
                WireResponse r = wire.send(get("/refuse?status=" + status)).readResponse();
                assertThat(r.status()).isEqualTo(status);
                assertThat(r.closes()).as("after %d", status).isFalse();
            }
            assertThat(wire.send(get("/plaintext")).readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void closesAfterAThrownStatusAboutTheMessageItself() {
        for (int status : new int[] {400, 408, 413, 431}) {
            try (HttpWire wire = HttpWire.connect(server)) {
                WireResponse r = wire.send(get("/refuse?status=" + status)).readResponse();
                assertThat(r.status()).isEqualTo(status);
                assertThat(r.closes()).as("after %d", status).isTrue();
                assertThat(wire.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void closesWhenTheHandlerAsks() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send(get("/close")).readResponse();
            assertThat(r.text()).isEqualTo("bye");
            assertThat(r.closes()).isTrue();
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void dropsBytesPipelinedAfterConnectionClose() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + get("/json")).readToEnd();
            assertThat(t.statuses()).containsExactly(200);
            assertThat(t.text()).doesNotContain("message");
            assertThat(t.closed()).isTrue();
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send(get("/json") + get("/plaintext") + get("/nowhere") + get("/json"));
            assertThat(wire.readResponse().text()).isEqualTo("{\"message\":\"Hello, World!\"}");
            assertThat(wire.readResponse().text()).isEqualTo("Hello, World!");
            assertThat(wire.readResponse().status()).isEqualTo(404);
            assertThat(wire.readResponse().text()).isEqualTo("{\"message\":\"Hello, World!\"}");
        }
    }

    @Test
    void answersPipelinedRequestsWithBodiesInOrder() {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst"
                    + "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nsec\r\n3;x=y\r\nond\r\n0\r\n\r\n"
                    + get("/plaintext")
                    + "POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nskip"
                    + "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfifth");
            assertThat(wire.readResponse().text()).isEqualTo("first");
            assertThat(wire.readResponse().text()).isEqualTo("second");
            assertThat(wire.readResponse().text()).isEqualTo("Hello, World!");
            assertThat(wire.readResponse().text()).isEqualTo("ignored");
            assertThat(wire.readResponse().text()).isEqualTo("fifth");
        }
    }

    @Test
    void ignoresEmptyLinesBeforeARequest() {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok\r\n" + get("/plaintext"));
            assertThat(wire.readResponse().text()).isEqualTo("ok");
            assertThat(wire.readResponse().text()).as("the stray CRLF after a body is ignored (RFC 9112 §2.2)")
                    .isEqualTo("Hello, World!");
        }
    }

    @Test
    void ignoresUpgradeAndGoesOnSpeakingHttp11() {
        try (HttpWire wire = HttpWire.connect(server)) {
            // Apache HttpClient 5.4 offers this on every plain request; RFC 9110 §7.8 lets a server ignore it.
            WireResponse r = wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nUpgrade: TLS/1.2\r\nConnection: Upgrade\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.closes()).isFalse();
            assertThat(wire.send(get("/json")).readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void closesAfterConnectWhateverTheAnswer() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
                    + get("/plaintext")).readToEnd();
            assertThat(t.statuses()).as("bytes after CONNECT are tunnel data, never a request").containsExactly(501);
            assertThat(t.closed()).isTrue();
        }
    }

    // ---- Expect ------------------------------------------------------------------------------------------------

    @Test
    void sendsContinueWhenTheHandlerReadsTheBody() {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            WireResponse interim = wire.readResponse();
            assertThat(interim.status()).isEqualTo(100);
            WireResponse r = wire.send("hello").readResponse();
            assertThat(r.text()).isEqualTo("hello");
            assertThat(wire.send(get("/plaintext")).readResponse().status()).as("connection reusable").isEqualTo(200);
        }
    }

    @Test
    void sendsContinueBeforeAnAnswerStartedBeforeTheBodyWasRead() {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("POST /stream-echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(wire.readResponse().status()).as("100 first, though the 200 head was already written").isEqualTo(100);
            WireResponse r = wire.send("hello").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("got: hello");
        }
    }

    @Test
    void answersWithoutContinueWhenTheHandlerDoesNotReadTheBody() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .readToEnd();
            assertThat(t.statuses()).as("no 100 Continue, just the final answer: %s", t.text()).containsExactly(200);
            // The body may or may not follow now, so the connection cannot be reused; the answer says so.
            assertThat(t.text()).contains("Connection: close").contains("ignored");
            assertThat(t.closed()).isTrue();
        }
    }

    @Test
    void sendsNoContinueForAnEmptyBody() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("0 bytes");
        }
    }

    @Test
    void answers417ForAnUnknownExpectation() {
        int before = bodyReads.get();
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 200-ok\r\n\r\nhello").readToEnd();
            assertThat(t.statuses()).containsExactly(417);
            assertThat(t.closed()).isTrue();
        }
        assertThat(bodyReads).as("the handler never ran").hasValue(before);
    }

    @Test
    void readsExpectAsAListWhoseEmptyElementsAreNoExpectation() {
        // RFC 9110 §10.1.1: Expect = #expectation; §5.6.1: empty list elements are ignored. An empty field asks for
        // nothing, and a list of 100-continue members is 100-continue.
        try (HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect:\r\n\r\nok").readResponse().text())
                    .isEqualTo("ok");
            wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: , 100-Continue ,\r\n\r\n");
            assertThat(wire.readResponse().status()).isEqualTo(100);
            assertThat(wire.send("hello").readResponse().text()).isEqualTo("hello");
        }
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue, 200-ok\r\n\r\nhello").readToEnd();
            assertThat(t.statuses()).as("any other member is still refused").containsExactly(417);
        }
    }

    @Test
    void ignoresContinueFromAnHttp10Client() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("POST / HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello").readToEnd();
            assertThat(t.statuses()).as("RFC 9110 §10.1.1: no 100 to an HTTP/1.0 client").containsExactly(200);
            assertThat(new String(t.bytes(), StandardCharsets.ISO_8859_1)).endsWith("hello");
        }
    }
}
