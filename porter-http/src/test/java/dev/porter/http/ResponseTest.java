package dev.porter.http;

import dev.porter.core.testing.LogCapture;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the server sends: framing of every kind of body (RFC 9112 §6), bodiless responses, Date and Server, header
 * validation (no response splitting), and what a failing handler turns into.
 */
class ResponseTest {

    private static final byte[] BIG = new byte[200_000];
    private static final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private static final java.util.concurrent.atomic.AtomicInteger readBodyCalls = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger endlessEnded = new java.util.concurrent.atomic.AtomicInteger();
    private static HttpServer server;

    static {
        for (int i = 0; i < BIG.length; i++) BIG[i] = (byte) ('a' + i % 26);
    }

    @BeforeAll
    static void start() {
        Router router = new Router()
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.stream()) {
                        for (String part : new String[] {"one ", "two ", "three"}) {
                            out.write(part.getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                })
                .get("/stream-big", (req, res) -> res.stream().write(BIG))
                .get("/stream-known", (req, res) -> {
                    res.contentLength(11);
                    OutputStream out = res.stream();
                    out.write("hello ".getBytes(StandardCharsets.US_ASCII));
                    out.write("world".getBytes(StandardCharsets.US_ASCII));
                })
                .get("/short", (req, res) -> res.contentLength(10).stream().write(new byte[5]))
                .get("/no-content", (req, res) -> res.status(Status.NO_CONTENT).send("ignored body"))
                .get("/not-modified", (req, res) -> res.status(Status.NOT_MODIFIED).header("ETag", "\"v1\"").send("ignored"))
                .get("/empty", (req, res) -> res.status(201))
                .get("/text", (req, res) -> res.send("grüße"))
                .get("/own-server", (req, res) -> res.header("Server", "Custom/2").send("x"))
                .get("/own-date", (req, res) -> res.header("Date", "Sun, 06 Nov 1994 08:49:37 GMT").send("x"))
                .get("/split", (req, res) -> {
                    for (String value : new String[] {"a\r\nSet-Cookie: evil=1", "a\nSet-Cookie: evil=1", "a\rb", "a\u0000b", "\u20ac"}) {
                        try {
                            res.header("X-Value", value);
                        } catch (IllegalArgumentException e) {
                            refused.add("value");
                        }
                        try {
                            res.setHeader("X-Value", value);
                        } catch (IllegalArgumentException e) {
                            refused.add("set");
                        }
                    }
                    for (String name : new String[] {"X Name", "X:Name", "", "X\r\nName"}) {
                        try {
                            res.header(name, "v");
                        } catch (IllegalArgumentException e) {
                            refused.add("name");
                        }
                    }
                    res.send("safe");
                })
                .get("/split-through-headers", (req, res) -> {
                    // The list headers() returns is mutable: what a handler puts there is checked when it is sent.
                    res.headers().add("X-Value", "a\r\nSet-Cookie: evil=1");
                    res.send("unsafe");
                })
                .get("/split-unsent", (req, res) -> res.headers().add("X-Value", "a\nSet-Cookie: evil=1"))
                .get("/bad-name-through-headers", (req, res) -> {
                    res.headers().set("X Name", "v");
                    res.send("unsafe");
                })
                .get("/throw", (req, res) -> {
                    throw new IllegalStateException("secret detail 42");
                })
                .get("/throw-io", (req, res) -> {
                    throw new java.io.IOException("upstream database at 10.0.0.7 unreachable");
                })
                .get("/forbidden", (req, res) -> {
                    throw new HttpException(Status.FORBIDDEN);
                })
                .get("/conflict", (req, res) -> {
                    throw new HttpException(Status.CONFLICT, "version mismatch");
                })
                .post("/read-body", (req, res) -> {
                    try {
                        res.send(req.bodyBytes(1 << 20));
                    } finally {
                        readBodyCalls.incrementAndGet();
                    }
                })
                .post("/read-body-negative-limit", (req, res) -> res.send(req.bodyBytes(-1)))
                .get("/endless", (req, res) -> {
                    try {
                        OutputStream out = res.stream();
                        while (true) out.write(BIG); // until the client is gone
                    } finally {
                        endlessEnded.incrementAndGet();
                    }
                })
                .get("/fail-late", (req, res) -> {
                    OutputStream out = res.stream();
                    out.write(BIG, 0, 100);
                    out.flush();
                    throw new IllegalStateException("after commit");
                });
        server = TestHttp.start(router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WireResponse get(HttpWire wire, String path) {
        return wire.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
    }

    private static void assertReusable(HttpWire wire) {
        assertThat(wire.send("GET /text HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                .as("the connection carries the next request").isEqualTo(200);
    }

    @Test
    void streamsAnUnknownLengthChunkedOnHttp11() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/stream");
            assertThat(r.chunked()).isTrue();
            assertThat(r.has("Content-Length")).isFalse();
            assertThat(r.text()).isEqualTo("one two three");
            assertReusable(wire);
        }
    }

    @Test
    void streamsALargeUnknownLengthChunkedOnHttp11() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/stream-big");
            assertThat(r.chunked()).isTrue();
            assertThat(r.body()).isEqualTo(BIG);
            assertReusable(wire);
        }
    }

    @Test
    void streamsAnUnknownLengthCloseDelimitedOnHttp10() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("GET /stream-big HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
            assertThat(r.chunked()).as("HTTP/1.0 knows no chunked").isFalse();
            assertThat(r.has("Content-Length")).isFalse();
            assertThat(r.closes()).as("the close delimits the body").isTrue();
            assertThat(r.body()).isEqualTo(BIG);
        }
    }

    @Test
    void streamsADeclaredLengthWithContentLength() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/stream-known");
            assertThat(r.header("Content-Length")).isEqualTo("11");
            assertThat(r.chunked()).isFalse();
            assertThat(r.text()).isEqualTo("hello world");
            assertReusable(wire);
        }
    }

    @Test
    void closesWhenAStreamIsShorterThanItsDeclaredLength() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET /short HTTP/1.1\r\nHost: x\r\n\r\n").readToEnd();
            assertThat(t.text()).contains("Content-Length: 10");
            assertThat(t.closed()).as("the message is incomplete: the close is the only signal left").isTrue();
        }
    }

    @Test
    void sendsNoBodyForHead() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("HEAD /stream-known HTTP/1.1\r\nHost: x\r\n\r\n").readResponse(true);
            assertThat(r.header("Content-Length")).as("the GET's headers").isEqualTo("11");
            assertReusable(wire); // would fail if body bytes had been sent
        }
    }

    @Test
    void sendsNoBodyFor204() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/no-content");
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.has("Content-Length")).as("RFC 9110 §8.6: never with 204").isFalse();
            assertThat(r.has("Transfer-Encoding")).isFalse();
            assertReusable(wire);
        }
    }

    @Test
    void sendsNoBodyFor304() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/not-modified");
            assertThat(r.status()).isEqualTo(304);
            assertThat(r.header("ETag")).isEqualTo("\"v1\"");
            assertReusable(wire);
        }
    }

    @Test
    void sendsAnEmptyResponseWhenTheHandlerSendsNothing() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/empty");
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("Content-Length")).isEqualTo("0");
            assertReusable(wire);
        }
    }

    @Test
    void sendsTextAsUtf8WithContentType() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/text");
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.text()).isEqualTo("grüße");
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf("grüße".getBytes(StandardCharsets.UTF_8).length));
        }
    }

    @Test
    void sendsDateAsImfFixdateAndTheServerHeader() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/text");
            String date = r.header("Date");
            assertThat(date).matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            assertThat(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).getYear()).isGreaterThan(2000);
            assertThat(r.header("Server")).isEqualTo("Porter");
            assertThat(get(wire, "/own-server").headers("Server")).as("a handler's Server wins").containsExactly("Custom/2");
            assertThat(get(wire, "/own-date").headers("Date")).as("a handler's Date wins").containsExactly("Sun, 06 Nov 1994 08:49:37 GMT");
        }
    }

    @Test
    void sendsTheConfiguredServerHeaderOrNone() {
        Router router = new Router().get("/", (req, res) -> res.send("x"));
        try (HttpServer custom = TestHttp.start(HttpConfig.builder().serverHeader("Test/1.0"), router);
             HttpServer none = TestHttp.start(HttpConfig.builder().serverHeader(null), router)) {
            try (HttpWire wire = HttpWire.connect(custom)) {
                assertThat(get(wire, "/").header("Server")).isEqualTo("Test/1.0");
            }
            try (HttpWire wire = HttpWire.connect(none)) {
                WireResponse r = get(wire, "/");
                assertThat(r.has("Server")).isFalse();
                assertThat(r.has("Date")).isTrue();
            }
        }
    }

    @Test
    void refusesHeaderNamesAndValuesThatWouldSplitTheResponse() {
        refused.clear();
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/split");
            assertThat(r.text()).isEqualTo("safe");
            assertThat(r.has("Set-Cookie")).isFalse();
            assertThat(r.has("X-Value")).isFalse();
        }
        assertThat(refused).filteredOn("value"::equals).hasSize(5);
        assertThat(refused).filteredOn("set"::equals).hasSize(5);
        assertThat(refused).filteredOn("name"::equals).hasSize(4);
    }

    @Test
    void refusesAFieldThatWouldSplitTheResponseWhenAddedThroughHeaders() {
        for (String path : new String[] {"/split-through-headers", "/split-unsent", "/bad-name-through-headers"}) {
            try (LogCapture log = LogCapture.of("dev.porter.http.HttpServer"); HttpWire wire = HttpWire.connect(server)) {
                HttpWire.Transcript t = wire.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").readToEnd();
                assertThat(t.statuses()).as(path).containsExactly(500);
                assertThat(t.text()).doesNotContain("Set-Cookie").doesNotContain("X Name").doesNotContain("unsafe");
                assertThat(log.failures()).hasSize(1);
                assertThat(log.failures().get(0).getThrown()).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void aNegativeBodyLimitIsTheHandlersMistakeNotA413() {
        // bodyBytes(-1) used to answer the client 413 "over the limit of -1 bytes", as if its body were too large.
        try (LogCapture log = LogCapture.of("dev.porter.http.HttpServer"); HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("POST /read-body-negative-limit HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
                    .readToEnd();
            assertThat(t.statuses()).containsExactly(500);
            assertThat(log.failures()).singleElement().extracting(LogRecord::getThrown)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesControlCharactersInAReasonPhrase() {
        assertThatThrownBy(() -> new Status(200, "OK\r\nSet-Cookie: evil=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Status(99, "Low")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answers500WithoutDetailAndLogsTheFailureOnce() {
        List<LogRecord> failures;
        try (LogCapture log = LogCapture.of("dev.porter.http.HttpServer"); HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n").readToEnd();
            assertThat(t.statuses()).containsExactly(500);
            assertThat(t.text()).doesNotContain("secret").doesNotContain("Exception").doesNotContain("at dev.");
            assertThat(t.text()).endsWith("\r\n\r\nInternal Server Error\n");
            failures = log.failures();
        }
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(failures.get(0).getThrown()).hasMessage("secret detail 42");
    }

    @Test
    void doesNotBlameTheHandlerForAClientResetInsideTheBody() throws Exception {
        try (LogCapture log = LogCapture.of("dev.porter.http.HttpServer")) {
            int before = readBodyCalls.get();
            try (HttpWire wire = HttpWire.connect(server)) {
                wire.send("POST /read-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nonly a little");
                wire.socket().setSoLinger(true, 0); // close() now sends RST
            }
            // Done when the handler has returned and no conversation is left (the failure would be logged by then).
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while ((readBodyCalls.get() == before || server.stats().active() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(readBodyCalls.get()).as("the handler ran and returned").isGreaterThan(before);
            assertThat(server.stats().active()).isZero();
            assertThat(log.failures()).as("a client going away is not a handler failure").isEmpty();
        }
    }

    /** The usual end of an abandoned download or stream: the client resets while the handler writes. */
    @Test
    void doesNotBlameTheHandlerForAClientResetWhileItWrites() throws Exception {
        try (LogCapture log = LogCapture.of("dev.porter.http.HttpServer")) {
            int before = endlessEnded.get();
            try (HttpWire wire = HttpWire.connect(server)) {
                wire.send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n").readBytes(100_000);
                wire.socket().setSoLinger(true, 0); // close() now sends RST
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while ((endlessEnded.get() == before || server.stats().active() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(endlessEnded.get()).as("the handler's write failed and it returned").isGreaterThan(before);
            assertThat(server.stats().active()).isZero();
            assertThat(log.failures()).as("a client going away is not a handler failure").isEmpty();
        }
    }

    @Test
    void answers500WithoutDetailWhenTheHandlersOwnIoFails() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = get(wire, "/throw-io");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.text()).doesNotContain("10.0.0.7");
        }
    }

    @Test
    void answersAnHttpExceptionWithItsStatus() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse forbidden = get(wire, "/forbidden");
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.reason()).isEqualTo("Forbidden");
            assertThat(forbidden.text()).isEqualTo("Forbidden\n");
        }
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse conflict = get(wire, "/conflict");
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.text()).isEqualTo("version mismatch\n");
        }
    }

    @Test
    void cutsTheConnectionWhenAHandlerFailsAfterCommitting() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET /fail-late HTTP/1.1\r\nHost: x\r\n\r\n").readToEnd();
            assertThat(t.statuses()).as("the 200 head was out; no second status can follow").containsExactly(200);
            assertThat(t.text()).contains("Transfer-Encoding: chunked").doesNotEndWith("0\r\n\r\n");
            assertThat(t.closed()).isTrue();
        }
    }
}
