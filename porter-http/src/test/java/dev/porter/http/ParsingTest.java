package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TestRoutes;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parsing decisions documented in docs/http.md that the llhttp vectors do not pin down: Host rules, versions,
 * target forms, line ends (strict and lenient), early rejection, trailers, and holding an answer while a request
 * body is still arriving.
 */
class ParsingTest {

    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = TestHttp.start(TestRoutes.router());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpWire.Transcript exchange(String bytes) {
        try (HttpWire wire = HttpWire.connect(server)) {
            return wire.send(bytes).readToEnd();
        }
    }

    private static void assertRejected(String bytes, int status) {
        HttpWire.Transcript t = exchange(bytes);
        assertThat(t.statuses()).as(t.text()).containsExactly(status);
        assertThat(t.closed()).isTrue();
    }

    private static WireResponse answer(String bytes) {
        try (HttpWire wire = HttpWire.connect(server)) {
            return wire.send(bytes).readResponse();
        }
    }

    // ---- Host (RFC 9112 §3.2) -------------------------------------------------------------------------------------

    @Test
    void rejectsHttp11WithoutHost() {
        assertRejected("GET /plaintext HTTP/1.1\r\n\r\n", 400);
    }

    @Test
    void rejectsTwoHostFields() {
        assertRejected("GET /plaintext HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    }

    @Test
    void rejectsAnInvalidHost() {
        assertRejected("GET /plaintext HTTP/1.1\r\nHost: a b\r\n\r\n", 400);
        assertRejected("GET /plaintext HTTP/1.1\r\nHost: a:12345678\r\n\r\n", 400);
        assertRejected("GET /plaintext HTTP/1.1\r\nHost: a/b\r\n\r\n", 400);
    }

    @Test
    void acceptsValidHostForms() {
        assertThat(answer("GET /plaintext HTTP/1.1\r\nHost: example.com:8080\r\n\r\n").status()).isEqualTo(200);
        assertThat(answer("GET /plaintext HTTP/1.1\r\nHost: [::1]:80\r\n\r\n").status()).isEqualTo(200);
        assertThat(answer("GET /plaintext HTTP/1.1\r\nHost:\r\n\r\n").status()).as("empty Host is allowed").isEqualTo(200);
        assertThat(answer("GET /plaintext HTTP/1.0\r\n\r\n").status()).as("HTTP/1.0 needs no Host").isEqualTo(200);
    }

    // ---- request line (RFC 9112 §3) ------------------------------------------------------------------------------

    @Test
    void answers505ForOtherVersions() {
        assertRejected("GET /plaintext HTTP/1.2\r\nHost: x\r\n\r\n", 505);
        assertRejected("GET /plaintext HTTP/2.0\r\nHost: x\r\n\r\n", 505);
        assertRejected("GET /plaintext HTTP/0.9\r\n\r\n", 505);
    }

    @Test
    void rejectsMalformedVersions() {
        assertRejected("GET /plaintext http/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET /plaintext HTTP/1.10\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET /plaintext HTTP/1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void rejectsExtraSpacesInTheRequestLine() {
        assertRejected("GET  /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET /plaintext  HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET /plaintext HTTP/1.1 \r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void rejectsAuthorityFormOutsideConnectAndOriginFormInConnect() {
        assertRejected("GET example.com:80 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("CONNECT /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void rejectsAnHttpUriWithAnEmptyHostInAbsoluteForm() {
        // RFC 9110 §4.2.1, §4.2.2: an http(s) URI with an empty host identifier is invalid, and a recipient MUST
        // reject it.
        assertRejected("GET http:///plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET HTTPS://:443/plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET http://user@/plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET http://?a=b HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertThat(answer("GET http://example.com/plaintext HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
        assertThat(answer("GET http://[::1]:80/plaintext HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void rejectsAnAbsoluteFormTargetWhoseAuthorityIsNoValidHost() {
        // RFC 9112 §3.2.2: the target's authority replaces Host, so it is held to Host's grammar (RFC 9110 §7.2);
        // an invalid request-line is a 400 (RFC 9112 §3).
        assertRejected("GET http://a\"b/plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET http://[::1/plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET http://example.com:http/plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertThat(answer("GET http://user:pw@example.com:80/plaintext HTTP/1.1\r\nHost: x\r\n\r\n").status())
                .as("userinfo is accepted (docs/http.md)").isEqualTo(200);
    }

    @Test
    void rejectsANonAsciiTarget() {
        assertRejected("GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void treatsMethodsCaseSensitively() {
        assertThat(answer("get /plaintext HTTP/1.1\r\nHost: x\r\n\r\n").status())
                .as("'get' is not GET (RFC 9110 §9.1): a method no route knows").isEqualTo(501);
    }

    @Test
    void rejectsAPartialRequestLineBeforeItEnds() {
        // No CRLF ever comes: the bad character alone is enough to answer (a bad prefix never becomes good).
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET /a\u0001").readToEnd();
            assertThat(t.statuses()).containsExactly(400);
            assertThat(t.closed()).isTrue();
        }
    }

    // ---- Methods (RFC 9112 §3, RFC 9110 §9.1) ----------------------------------------------------------------------

    @Test
    void answers501AtOnceForAMethodLongerThanAnyKnownMethod() {
        // RFC 9112 §3: a method longer than any the server implements is 501, not the target's 414; decided as soon
        // as the token passes the longest known method, without waiting for the rest of the line.
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("ABCDEFGHIJKLMNOPQRSTUVWXYZ").readToEnd();
            assertThat(t.statuses()).containsExactly(501);
            assertThat(t.closed()).isTrue();
        }
        assertRejected("ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\nHost: x\r\n\r\n", 501);
        assertRejected("M".repeat(10_000) + " / HTTP/1.1\r\nHost: x\r\n\r\n", 501);
    }

    @Test
    void answers501ToConnectBecauseThisServerIsNotAProxy() {
        // RFC 9110 §9.3.6 and §9.1: CONNECT is a proxy's method; an origin server does not implement it.
        assertRejected("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501);
    }

    @Test
    void rejectsAPartialHeaderLineBeforeItEnds() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET / HTTP/1.1\r\nHost: x\r\nBad Name").readToEnd();
            assertThat(t.statuses()).containsExactly(400);
            assertThat(t.closed()).isTrue();
        }
    }

    @Test
    void rejectsTooManyEmptyLinesBeforeARequest() {
        assertRejected("\r\n".repeat(20) + "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertThat(answer("\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    }

    // ---- fields and line ends (RFC 9112 §2.2, §5) ---------------------------------------------------------------

    @Test
    void acceptsObsTextAndTabsInFieldValues() {
        WireResponse r = answer("POST /echo HTTP/1.1\r\nHost: x\r\nX-Name:\t caf\u00e9\tlatte \t\r\nContent-Length: 0\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        // The value is read as ISO-8859-1 (one char per octet); the echo sends it back as UTF-8 text.
        assertThat(r.text()).as("surrounding whitespace trimmed, inner kept").contains("X-Name: caf\u00e9\tlatte\n");
    }

    @Test
    void rejectsABareLfByDefault() {
        assertRejected("GET /plaintext HTTP/1.1\nHost: x\n\n", 400);
    }

    @Test
    void acceptsBareLfWhenConfiguredLenient() {
        try (HttpServer lenient = TestHttp.start(HttpConfig.builder().lenientLineEnds(true), TestRoutes.router());
             HttpWire wire = HttpWire.connect(lenient)) {
            wire.send("GET /plaintext HTTP/1.1\nHost: x\n\nPOST / HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n");
            assertThat(wire.readResponse().text()).isEqualTo("Hello, World!");
            assertThat(wire.readResponse().text()).isEqualTo("abc");
        }
    }

    // ---- bodies (RFC 9112 §6, §7) --------------------------------------------------------------------------------

    @Test
    void acceptsChunkExtensionsAndTrailers() {
        WireResponse r = answer("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;name=\"quoted \\\" value\";flag\r\nwiki\r\n5 ; a = b\r\npedia\r\n0\r\nX-Checksum: 1234\r\n\r\n");
        assertThat(r.text()).isEqualTo("wikipedia");
    }

    @Test
    void acceptsTransferCodingsCaseInsensitively() {
        assertThat(answer("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n").text()).isEqualTo("ok");
    }

    @Test
    void holdsTheAnswerWhileTheRequestBodyIsIncomplete() {
        try (HttpWire wire = HttpWire.connect(server)) {
            // The router answers 404 at once, but the body is still arriving and might turn out malformed.
            wire.send("POST /missing HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
            HttpWire.Transcript early = wire.readTimeout(Duration.ofMillis(300)).readToEnd();
            assertThat(early.bytes()).as("nothing is answered before the body is complete").isEmpty();
            wire.readTimeout(HttpWire.TIMEOUT);
            HttpWire.Transcript t = wire.send("lo\r\n0\r\n\r\n").shutdownOutput().readToEnd();
            assertThat(t.statuses()).containsExactly(404);
        }
    }

    @Test
    void answers400InsteadWhenAHeldAnswersBodyTurnsOutMalformed() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("POST /missing HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\nzz\r\n").readToEnd();
            assertThat(t.statuses()).as("the 404 is replaced, never sent: %s", t.text()).containsExactly(400);
            assertThat(t.closed()).isTrue();
        }
    }

    @Test
    void answers400ForABodyCutShortByTheClient() {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc").shutdownOutput().readToEnd();
            assertThat(t.statuses()).containsExactly(400);
            assertThat(t.closed()).isTrue();
        }
    }
}
