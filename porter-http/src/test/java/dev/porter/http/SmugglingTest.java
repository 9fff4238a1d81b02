package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling: messages whose length two parsers could disagree on, each followed by a smuggled second
 * request. Every one must be answered 400 (501 for an unknown transfer coding) and the connection closed, and the
 * smuggled request must never be answered: exactly one status line arrives before end of stream.
 */
class SmugglingTest {

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final AtomicInteger handled = new AtomicInteger();
    private static final AtomicInteger smuggledAnswered = new AtomicInteger();
    private static HttpServer server;

    @BeforeAll
    static void start() {
        Router router = new Router()
                .post("/", (req, res) -> {
                    handled.incrementAndGet();
                    res.send(req.bodyBytes(1 << 20));
                })
                .get("/smuggled", (req, res) -> {
                    smuggledAnswered.incrementAndGet();
                    res.send("smuggled request answered");
                });
        server = TestHttp.start(router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void resetCounters() {
        handled.set(0);
        smuggledAnswered.set(0);
    }

    /** Sends {@code attack} followed by the smuggled request; asserts one error answer, a close, no smuggling. */
    private static void assertRejected(String attack, int expectedStatus, boolean handlerMayRun) {
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send(attack + SMUGGLED).readToEnd();
            assertThat(t.statuses()).as("exactly one answer before the close: %s", t.text()).containsExactly(expectedStatus);
            assertThat(t.closed()).as("the server closes the connection").isTrue();
            assertThat(t.text()).contains("Connection: close").doesNotContain("smuggled request answered");
        }
        assertThat(smuggledAnswered).as("the smuggled request never reaches a handler").hasValue(0);
        if (!handlerMayRun) assertThat(handled).as("a rejected head never reaches the handler").hasValue(0);
    }

    private static String post(String fields) {
        return "POST / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n";
    }

    // ---- CL.TE and TE.CL: both framings present --------------------------------------------------------------

    @Test
    void rejectsContentLengthWithTransferEncodingClTe() {
        assertRejected(post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\nX", 400, false);
    }

    @Test
    void rejectsTransferEncodingWithContentLengthTeCl() {
        String chunk = Integer.toHexString(SMUGGLED.length()) + "\r\n";
        assertRejected(post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n") + chunk, 400, false);
    }

    @Test
    void rejectsTabSeparatedTransferEncodingNextToContentLength() {
        assertRejected(post("Content-Length: 5\r\nTransfer-Encoding:\tchunked\r\n") + "0\r\n\r\n", 400, false);
    }

    // ---- TE.TE: obfuscated Transfer-Encoding ---------------------------------------------------------------------

    @Test
    void rejectsXchunkedAsNotChunked() {
        // A request whose final coding is not chunked has no determinable length (RFC 9112 §6.3): 400.
        assertRejected(post("Transfer-Encoding: xchunked\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void answersUnknownCodingBeforeChunkedWith501() {
        // Framed by chunked, but a coding Porter cannot decode (RFC 9112 §6.1): 501, and still closed.
        assertRejected(post("Transfer-Encoding: xchunked, chunked\r\n") + "0\r\n\r\n", 501, false);
    }

    @Test
    void rejectsChunkedFollowedByIdentity() {
        assertRejected(post("Transfer-Encoding: chunked, identity\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsWhitespaceBeforeColonInTransferEncoding() {
        assertRejected(post("Transfer-Encoding : chunked\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsTabBeforeColonInTransferEncoding() {
        assertRejected(post("Transfer-Encoding\t: chunked\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsVerticalTabInTransferEncoding() {
        assertRejected(post("Transfer-Encoding:\u000Bchunked\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsDuplicatedTransferEncodingEndingInIdentity() {
        assertRejected(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsChunkedAppliedTwice() {
        assertRejected(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsQuotedTransferCoding() {
        assertRejected(post("Transfer-Encoding: \"chunked\"\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsTransferEncodingInHttp10() {
        assertRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, false);
    }

    // ---- Content-Length ----------------------------------------------------------------------------------------

    @Test
    void rejectsDuplicateContentLength() {
        assertRejected(post("Content-Length: 0\r\nContent-Length: " + SMUGGLED.length() + "\r\n"), 400, false);
    }

    @Test
    void rejectsContentLengthListWithDifferentValues() {
        assertRejected(post("Content-Length: 0, " + SMUGGLED.length() + "\r\n"), 400, false);
    }

    @Test
    void rejectsPlusSignedContentLength() {
        assertRejected(post("Content-Length: +5\r\n") + "hello", 400, false);
    }

    @Test
    void rejectsNegativeContentLength() {
        assertRejected(post("Content-Length: -1\r\n"), 400, false);
    }

    @Test
    void rejectsHexContentLength() {
        assertRejected(post("Content-Length: 0x5\r\n") + "hello", 400, false);
    }

    @Test
    void rejectsContentLengthOverflowingALong() {
        assertRejected(post("Content-Length: 99999999999999999999\r\n"), 400, false);
    }

    @Test
    void acceptsIdenticalDuplicateContentLength() {
        // RFC 9110 §8.6 lets a recipient treat identical repeats as one value; the length is then unambiguous.
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send(post("Content-Length: 5\r\nContent-Length: 5\r\n") + "hello");
            assertThat(wire.readResponse().text()).isEqualTo("hello");
        }
    }

    // ---- chunked body ------------------------------------------------------------------------------------------

    @Test
    void rejectsChunkSizeOverflow() {
        assertRejected(post("Transfer-Encoding: chunked\r\n") + "1" + "0".repeat(16) + "\r\nabc\r\n0\r\n\r\n", 400, true);
    }

    @Test
    void rejectsNegativeChunkSize() {
        assertRejected(post("Transfer-Encoding: chunked\r\n") + "-1\r\nabc\r\n0\r\n\r\n", 400, true);
    }

    @Test
    void rejectsChunkDataLongerThanItsSize() {
        assertRejected(post("Transfer-Encoding: chunked\r\n") + "3\r\nabcdef\r\n0\r\n\r\n", 400, true);
    }

    @Test
    void rejectsBareLfAfterChunkSize() {
        assertRejected(post("Transfer-Encoding: chunked\r\n") + "3\nabc\r\n0\r\n\r\n", 400, true);
    }

    @Test
    void rejectsLastChunkWithoutFinalCrlfFollowedByARequest() {
        // "0\r\n" then directly a request line: the request line would be read as a trailer field and rejected.
        assertRejected(post("Transfer-Encoding: chunked\r\n") + "0\r\n", 400, true);
    }

    // ---- bytes that end or split lines -------------------------------------------------------------------------

    @Test
    void rejectsBareCrInHeaderSection() {
        assertRejected("POST / HTTP/1.1\r\nHost: x\rTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsBareLfInHeaderSection() {
        assertRejected("POST / HTTP/1.1\r\nHost: x\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsObsFoldedTransferEncoding() {
        assertRejected(post("Transfer-Encoding: identity\r\n chunked\r\n") + "0\r\n\r\n", 400, false);
    }

    @Test
    void rejectsObsFoldInAnyField() {
        assertRejected(post("X-Note: a\r\n\tb\r\nContent-Length: 0\r\n"), 400, false);
    }

    @Test
    void rejectsNulInHeaderValue() {
        assertRejected(post("X-Note: a\u0000b\r\nContent-Length: 0\r\n"), 400, false);
    }

    @Test
    void rejectsNulInHeaderName() {
        assertRejected(post("X-No\u0000te: a\r\nContent-Length: 0\r\n"), 400, false);
    }

    @Test
    void rejectsNulInRequestTarget() {
        assertRejected("POST /\u0000 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 400, false);
    }
}
