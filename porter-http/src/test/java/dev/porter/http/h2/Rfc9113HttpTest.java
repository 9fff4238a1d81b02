package dev.porter.http.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.porter.http.h2.H2Assert.malformed;
import static dev.porter.http.h2.H2Assert.serves;
import static dev.porter.http.h2.H2Client.request;
import static dev.porter.http.internal.h2.FrameType.HEADERS;
import static dev.porter.http.internal.h2.FrameType.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9113 §8, HTTP semantics over HTTP/2, against a live server: message framing (bodies, trailers, HEAD, 1xx,
 * content-length), field validity, pseudo-header fields, CONNECT, and no server push; one test per requirement,
 * each named after its section. A malformed request is a stream error PROTOCOL_ERROR (§8.1.1) that leaves the
 * connection usable, which {@link H2Assert#malformed} checks with a PING.
 */
class Rfc9113HttpTest {

    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = H2Server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static H2Client connect(int... settings) {
        return H2Client.connect(server, settings);
    }

    /** Sends a request with exactly these fields (pseudo-header fields included) and no body. */
    private static int send(H2Client c, String... fields) {
        int id = c.newStream();
        c.headers(id, true, fields);
        return id;
    }

    // ---- §8.1 HTTP message framing ---------------------------------------------------------------------------

    @Test
    void s8_1_requestWithoutBody() {
        try (H2Client c = connect()) {
            H2Client.Exchange x = c.get("/hello");
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.header("content-length")).isEqualTo("5");
            assertThat(x.text()).isEqualTo("hello");
        }
    }

    @Test
    void s8_1_requestBodyInDataFrames() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false);
            c.data(id, "one ", false).data(id, "", false).data(id, "two", true);
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.text()).isEqualTo("one two");
        }
    }

    @Test
    void s8_1_manyStreamsInterleaved() {
        try (H2Client c = connect()) {
            int[] ids = new int[10];
            for (int i = 0; i < ids.length; i++) ids[i] = c.request("POST", "/echo", false);
            for (int i = ids.length - 1; i >= 0; i--) c.data(ids[i], "body " + i, true);
            for (int i = 0; i < ids.length; i++) assertThat(c.await(ids[i]).text()).isEqualTo("body " + i);
        }
    }

    @Test
    void s8_1_trailersEndTheRequest() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false, "te", "trailers");
            c.data(id, "with trailers", false);
            c.headers(id, true, "x-checksum", "abc");
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.text()).isEqualTo("with trailers");
            serves(c);
        }
    }

    @Test
    void s8_1_trailersWithoutEndStreamAreMalformed() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false);
            c.data(id, "x", false);
            c.headers(id, false, "x-checksum", "abc");
            malformed(c, id);
        }
    }

    @Test
    void s8_1_trailersWithPseudoHeaderFieldsAreMalformed() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false);
            c.data(id, "x", false);
            c.headers(id, true, ":path", "/again");
            malformed(c, id);
        }
    }

    @Test
    void s8_1_headResponseHasNoContent() {
        try (H2Client c = connect()) {
            int id = c.request("HEAD", "/size/20000", true);
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.header("content-length")).isEqualTo("20000");
            assertThat(x.dataFrames).isZero();
            H2Client.Frame head = c.frames().stream().filter(f -> f.type() == HEADERS && f.stream() == id).findFirst().orElseThrow();
            assertThat(head.endStream()).as("END_STREAM on the HEADERS frame").isTrue();
        }
    }

    @Test
    void s8_1_interim100ContinueThenTheFinalResponse() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false, "expect", "100-continue", "content-length", "4");
            H2Client.Frame interim = c.expect(HEADERS, id);
            assertThat(interim.field(":status")).isEqualTo("100");
            assertThat(interim.endStream()).as("an interim response never ends the stream").isFalse();
            c.data(id, "body", true);
            H2Client.Exchange x = c.await(id);
            assertThat(x.interim()).containsExactly(100);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.text()).isEqualTo("body");
        }
    }

    @Test
    void s8_1_noInterimResponseAfterTheFinalOne() {
        // The handler sends its 200 head, then reads the body the client held back for a 100: too late for one
        // (H2Client fails on any HEADERS after the final head). The client sends the body anyway.
        try (H2Client c = connect()) {
            int id = c.request("POST", "/answer-then-read", false, "expect", "100-continue");
            H2Client.Frame head = c.expect(HEADERS, id);
            assertThat(head.field(":status")).isEqualTo("200");
            c.data(id, "sent without a 100", true);
            H2Client.Exchange x = c.await(id);
            assertThat(x.interim()).isEmpty();
            assertThat(x.text()).isEqualTo("sent without a 100");
        }
    }

    @Test
    void s8_1_noInterimResponseWhenTheBodyIsNotRead() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/ignore", false, "expect", "100-continue");
            H2Client.Exchange x = c.await(id);
            assertThat(x.interim()).isEmpty();
            assertThat(x.status()).isEqualTo(200);
        }
    }

    @Test
    void s8_1_completeResponseToAnUnfinishedUploadEndsWithRstStreamNoError() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/ignore", false);
            c.data(id, "the start of a long upload", false);
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.ended).as("the response is complete").isTrue();
            assertThat(c.expectReset(id)).isEqualTo(Http2Error.NO_ERROR);
            // The rest of the upload, sent before the client saw the reset, is ignored (§5.1): no more resets, and
            // the connection goes on.
            c.data(id, "more", false);
            c.headers(id, true, "x-trailer", "1");
            c.roundTrip();
            assertThat(c.frames()).filteredOn(f -> f.type() == RST_STREAM && f.stream() == id).hasSize(1);
            serves(c);
        }
    }

    @Test
    void s8_1_1_contentLengthLargerThanTheDataIsMalformed() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false, "content-length", "10");
            c.data(id, "12345", true);
            malformed(c, id);
        }
    }

    @Test
    void s8_1_1_dataBeyondTheContentLengthIsMalformed() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false, "content-length", "3");
            c.data(id, "12345", true);
            malformed(c, id);
        }
    }

    @Test
    void s8_1_1_contentLengthWithoutDataIsMalformed() {
        // One stream at a time: a malformed stream must give its slot back.
        HttpServer s = H2Server.start(Http2Config.defaults().withMaxConcurrentStreams(1), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            for (int i = 0; i < 3; i++) {
                int id = c.request("POST", "/echo", true, "content-length", "5");
                malformed(c, id);
            }
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s8_1_1_matchingContentLengthIsServed() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false, "content-length", "5");
            c.data(id, "12", false).data(id, "345", true);
            assertThat(c.await(id).text()).isEqualTo("12345");
            int empty = c.request("POST", "/echo", true, "content-length", "0");
            assertThat(c.await(empty).status()).isEqualTo(200);
        }
    }

    // ---- §8.2 HTTP fields ------------------------------------------------------------------------------------

    @Test
    void s8_2_1_uppercaseFieldNameIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, c.request("GET", "/hello", true, "X-Upper", "1"));
            serves(c);
        }
    }

    @Test
    void s8_2_1_invalidFieldNamesAreMalformed() {
        try (H2Client c = connect()) {
            for (String name : List.of("", "with space", "colon:inside", "quote\"", "del\u007f", "nonascii\u00e9")) {
                malformed(c, c.request("GET", "/hello", true, name, "v"));
            }
            serves(c);
        }
    }

    @Test
    void s8_2_1_invalidFieldValuesAreMalformed() {
        try (H2Client c = connect()) {
            for (String value : List.of("cr\rinside", "lf\ninside", "nul\0inside", " leading", "trailing\t")) {
                malformed(c, c.request("GET", "/hello", true, "x-value", value));
            }
            // Inner whitespace and obs-text are fine.
            int ok = c.request("GET", "/headers", true, "x-value", "a b\tc \u00e9");
            assertThat(c.await(ok).status()).isEqualTo(200);
        }
    }

    @Test
    void s8_2_2_connectionSpecificFieldIsMalformed() {
        try (H2Client c = connect()) {
            for (String[] f : List.of(new String[] {"connection", "keep-alive"}, new String[] {"keep-alive", "timeout=5"},
                    new String[] {"proxy-connection", "keep-alive"}, new String[] {"transfer-encoding", "chunked"},
                    new String[] {"upgrade", "websocket"})) {
                malformed(c, c.request("GET", "/hello", true, f[0], f[1]));
            }
            serves(c);
        }
    }

    @Test
    void s8_2_2_teOtherThanTrailersIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, c.request("GET", "/hello", true, "te", "gzip"));
            malformed(c, c.request("GET", "/hello", true, "te", "trailers, gzip"));
            int ok = c.request("GET", "/hello", true, "te", "trailers");
            assertThat(c.await(ok).status()).isEqualTo(200);
        }
    }

    @Test
    void s8_2_1_aResponseFieldWithCrOrLfIsNeverSent() {
        // Added through Response.headers(), which header() does not check: refused when the head is written.
        try (H2Client c = connect()) {
            H2Client.Exchange x = c.get("/respond-split");
            assertThat(x.status()).isEqualTo(500);
            assertThat(x.header("x-value")).isNull();
            assertThat(x.header("set-cookie")).isNull();
        }
    }

    @Test
    void s8_2_2_responsesCarryNoConnectionSpecificFields() {
        try (H2Client c = connect()) {
            H2Client.Exchange x = c.get("/respond-headers");
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.header("x-mixed-case")).as("names in lower case (§8.2)").isEqualTo("yes");
            for (String name : List.of("connection", "keep-alive", "transfer-encoding", "upgrade")) {
                assertThat(x.header(name)).as(name).isNull();
            }
            for (List<String[]> head : x.heads) {
                for (String[] f : head) assertThat(f[0]).isLowerCase();
            }
        }
    }

    @Test
    void s8_2_3_cookieCrumbsAreJoined() {
        try (H2Client c = connect()) {
            int id = c.request("GET", "/headers", true, "cookie", "a=1", "cookie", "b=2", "cookie", "c=3");
            assertThat(c.await(id).text()).contains("cookie: a=1; b=2; c=3\n");
        }
    }

    // ---- §8.3 pseudo-header fields ---------------------------------------------------------------------------

    @Test
    void s8_3_1_missingMethodIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, send(c, ":scheme", "http", ":authority", "localhost", ":path", "/hello"));
        }
    }

    @Test
    void s8_3_1_missingSchemeIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, send(c, ":method", "GET", ":authority", "localhost", ":path", "/hello"));
        }
    }

    @Test
    void s8_3_1_missingOrEmptyPathIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost"));
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", ""));
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "hello"));
        }
    }

    @Test
    void s8_3_1_aPathWithASpaceAControlOrNonAsciiIsMalformedAndTheConnectionServesOn() {
        try (H2Client c = connect()) {
            for (String path : List.of("/a b", "/a\tb", "/a\u007fb", "/caf\u00e9")) {
                malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", path));
            }
            // Visible ASCII that browsers send raw in a query is a target like any other (RFC 9112 §3.2).
            assertThat(c.get("/hello?x={a}|b").status()).isEqualTo(200);
        }
    }

    @Test
    void s8_3_1_aPathWithAFragmentIsMalformed() {
        // :path holds the path and query of the target URI; a fragment is neither (RFC 3986 §3.5), so the field is
        // invalid (§8.3), rather than a file named "page#part" to look up.
        try (H2Client c = connect()) {
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/hello#part"));
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/hello?a#b"));
            assertThat(c.get("/hello?a=%23").status()).isEqualTo(200);
        }
    }

    @Test
    void s8_3_1_duplicatePseudoHeaderIsMalformed() {
        try (H2Client c = connect()) {
            for (String dup : List.of(":method", ":scheme", ":authority", ":path")) {
                String[] f = request("GET", "/hello");
                String[] more = Arrays.copyOf(f, f.length + 2);
                more[f.length] = dup;
                more[f.length + 1] = dup.equals(":path") ? "/hello" : dup.equals(":method") ? "GET" : "http";
                // The duplicate goes right after the others: still among the pseudo-header fields.
                String[] ordered = new String[more.length];
                System.arraycopy(more, f.length, ordered, 0, 2);
                System.arraycopy(f, 0, ordered, 2, f.length);
                malformed(c, send(c, ordered));
            }
        }
    }

    @Test
    void s8_3_pseudoHeaderAfterRegularFieldIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, send(c, ":method", "GET", ":scheme", "http", "x-regular", "1", ":path", "/hello"));
        }
    }

    @Test
    void s8_3_unknownPseudoHeaderIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, c.request("GET", "/hello", true, ":foo", "bar"));
            malformed(c, send(c, ":foo", "bar", ":method", "GET", ":scheme", "http", ":path", "/hello"));
        }
    }

    @Test
    void s8_3_responsePseudoHeaderInARequestIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, send(c, ":status", "200", ":method", "GET", ":scheme", "http", ":path", "/hello"));
        }
    }

    @Test
    void s8_3_1_authorityIsTheHost() {
        try (H2Client c = connect()) {
            int id = send(c, ":method", "GET", ":scheme", "http", ":authority", "example.test:8080", ":path", "/headers");
            assertThat(c.await(id).text()).contains("host: example.test:8080\n");
            int hostOnly = send(c, ":method", "GET", ":scheme", "http", ":path", "/headers", "host", "other.test");
            assertThat(c.await(hostOnly).text()).contains("host: other.test\n");
        }
    }

    @Test
    void s8_3_invalidPseudoHeaderValuesAreMalformed() {
        // A method or protocol that is no token, a scheme outside RFC 3986 §3.1, an authority that is no valid Host:
        // behind a proxy each would split the HTTP/1.1 request line or Host line it becomes.
        try (H2Client c = connect()) {
            for (String method : List.of("", "G T", "GET /other HTTP/1.1\r\nX-Smuggled: 1\r\n\r\nGET")) {
                malformed(c, send(c, ":method", method, ":scheme", "http", ":authority", "localhost", ":path", "/hello"));
            }
            for (String scheme : List.of("", "ht tp", "1http", "http\r\nx: 1")) {
                malformed(c, send(c, ":method", "GET", ":scheme", scheme, ":authority", "localhost", ":path", "/hello"));
            }
            for (String authority : List.of("a b", "a/b", "localhost\r\nx: 1", "[::1", "host:port")) {
                malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", authority, ":path", "/hello"));
            }
            int ok = send(c, ":method", "GET", ":scheme", "https", ":authority", "[::1]:8443", ":path", "/hello");
            assertThat(c.await(ok).status()).isEqualTo(200);
        }
    }

    @Test
    void s8_3_1_aHostFieldThatDiffersFromAuthorityIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/hello",
                    "host", "other.test"));
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":path", "/hello", "host", "a b"));
            int same = send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/headers",
                    "host", "LocalHost");
            assertThat(c.await(same).status()).isEqualTo(200);
        }
    }

    @Test
    void s8_3_1_moreThanOneHostFieldIsMalformed() {
        // Over HTTP/1.1 a second Host line is a 400 (RFC 9112 §3.2); over HTTP/2 the two reached the handler, and a
        // proxy keeping the host sent both to its backend, which may route on the other one.
        try (H2Client c = connect()) {
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":path", "/hello", "host", "localhost",
                    "host", "other.test"));
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":path", "/hello", "host", "a.test", "host", ""));
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/hello",
                    "host", "localhost", "host", "localhost"));
            int one = send(c, ":method", "GET", ":scheme", "http", ":path", "/hello", "host", "localhost");
            assertThat(c.await(one).status()).isEqualTo(200);
        }
    }

    @Test
    void s8_3_1_asteriskPathOnlyWithOptions() {
        try (H2Client c = connect()) {
            int options = send(c, ":method", "OPTIONS", ":scheme", "http", ":authority", "localhost", ":path", "*");
            assertThat(c.await(options).status()).isEqualTo(200);
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "*"));
        }
    }

    // ---- §8.4 server push, §8.5 CONNECT ----------------------------------------------------------------------

    @Test
    void s8_4_serverNeverPushes() {
        // The client allows push; H2Client fails on any PUSH_PROMISE.
        try (H2Client c = connect(Settings.ENABLE_PUSH, 1)) {
            assertThat(c.serverSettings.enablePush()).isFalse();
            for (int i = 0; i < 3; i++) serves(c);
            c.roundTrip();
            assertThat(c.frames()).noneMatch(f -> f.type() == FrameType.PUSH_PROMISE);
        }
    }

    @Test
    void s8_5_connectIsNotImplemented() {
        try (H2Client c = connect()) {
            int id = send(c, ":method", "CONNECT", ":authority", "example.test:443");
            assertThat(c.await(id).status()).isEqualTo(501);
        }
    }

    @Test
    void s8_5_connectWithSchemeOrPathOrWithoutAuthorityIsMalformed() {
        try (H2Client c = connect()) {
            malformed(c, send(c, ":method", "CONNECT", ":scheme", "https", ":authority", "example.test:443"));
            malformed(c, send(c, ":method", "CONNECT", ":authority", "example.test:443", ":path", "/"));
            malformed(c, send(c, ":method", "CONNECT", "host", "example.test:443"));
            // Extended CONNECT (RFC 8441 §4) needs :path as well (more in websocket.Rfc8441PythonTest).
            malformed(c, send(c, ":method", "CONNECT", ":protocol", "websocket", ":scheme", "http",
                    ":authority", "localhost"));
        }
    }

    @Test
    void s8_1_everyResponseEndsItsStream() {
        try (H2Client c = connect()) {
            for (String path : List.of("/hello", "/size/0", "/size/70000", "/stream/0", "/stream/5000", "/missing")) {
                H2Client.Exchange x = c.get(path);
                assertThat(x.ended).as(path).isTrue();
                assertThat(x.reset).as(path).isNull();
            }
            c.roundTrip();
            assertThat(c.frames()).noneMatch(f -> f.type() == RST_STREAM);
        }
    }
}
