package dev.porter.http.internal.http1;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.client.ResponseBody;
import dev.porter.http.testing.Splits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the client's response parsing ({@link ResponseHead}, interim heads included, then {@link ResponseFraming}
 * and {@link ResponseBody}) on raw bytes followed by end-of-stream, for a GET and a HEAD request. For every input:
 * <ul>
 *   <li>the only failures are {@link IOException}s ({@link HttpClientException} subclasses for bad responses); no
 *       runtime exception escapes, and nothing waits (the connection reports end-of-stream at once);</li>
 *   <li>an accepted head has a status in 100..599 (within the 100..999 a status line can spell), header names
 *       and values without CR, LF or NUL, and exactly one body framing: never Content-Length and chunked both
 *       accepted, Content-Length framing only with that field and no Transfer-Encoding, chunked only with a
 *       Transfer-Encoding ending in chunked in HTTP/1.1;</li>
 *   <li>a body read to its end never yields more than its Content-Length, and then reports -1.</li>
 * </ul>
 * Replays {@code ResponseParserFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign.
 */
class ResponseParserFuzzTest {

    static final int MAX_HEADER_BYTES = 4096;
    static final int MAX_HEADER_COUNT = 32;
    /** Interim responses read before giving up on an input (the client itself is bounded by its deadline). */
    static final int MAX_INTERIM = 16;

    @FuzzTest(maxDuration = "10m")
    void acceptsOnlyWellFramedResponses(byte[] input) {
        for (String method : new String[] {"GET", "HEAD"}) {
            try {
                parse(input, method);
            } catch (IOException e) {
                // The documented failure: HttpClientException for a bad response, IOException for the transport.
                assertThat(e.getMessage()).as("a failure names its reason").isNotBlank();
            }
        }
    }

    /**
     * A head kept as bytes (the proxy's) ends where the usual one does, fails with the same message, and holds the
     * same fields, in the form they are sent on.
     */
    @FuzzTest(maxDuration = "10m")
    void keptAsBytesTheHeadIsTheSame(byte[] input) {
        Feeds.ResponseOutcome strings = Feeds.responseHead(new ResponseHead(MAX_HEADER_BYTES, MAX_HEADER_COUNT, false),
                input, 0, Splits.WHOLE);
        Feeds.ResponseOutcome kept = Feeds.responseHead(new ResponseHead(MAX_HEADER_BYTES, MAX_HEADER_COUNT, false, true),
                input, 0, Splits.random(input.length));
        Feeds.ResponseOutcome split = Feeds.responseHead(new ResponseHead(MAX_HEADER_BYTES, MAX_HEADER_COUNT, false),
                input, 0, Splits.random(input.length));
        assertThat(kept.consumed()).isEqualTo(strings.consumed());
        assertThat(kept.failure() == null ? null : kept.failure().getMessage())
                .isEqualTo(split.failure() == null ? null : split.failure().getMessage());
        if (strings.head() == null) return;
        dev.porter.http.Headers all = new dev.porter.http.Headers();
        kept.head().fields.addTo(all);
        // Names compare without case (RFC 9110 §5.1): the string head spells a name it knows its own way
        // ("content-length" read as "Content-Length"), the kept bytes as sent (finding-oracle-name-case).
        dev.porter.http.Headers parsed = strings.head().headers;
        assertThat(all.size()).isEqualTo(parsed.size());
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.name(i)).isEqualToIgnoringCase(parsed.name(i));
            assertThat(all.value(i)).isEqualTo(parsed.value(i));
        }
        assertThat(kept.head().status).isEqualTo(strings.head().status);
        for (int i = 0; i < kept.head().fields.size(); i++) {
            assertNoLineBreak(kept.head().fields.value(i), "a kept value");
        }
    }

    private static void parse(byte[] input, String method) throws IOException {
        ResponseHead head = new ResponseHead(MAX_HEADER_BYTES, MAX_HEADER_COUNT, input.length % 2 == 0);
        // The byte-by-byte head lives through the interim responses too, as the client's does: after one, the
        // response has started (a close then is "inside the response", and the request is not retried), which a
        // head made new for each interim did not know (finding-oracle-interim-then-end).
        ResponseHead split = new ResponseHead(MAX_HEADER_BYTES, MAX_HEADER_COUNT, false);
        int pos = 0;
        for (int interim = 0; ; interim++) {
            Feeds.ResponseOutcome whole = Feeds.responseHead(head, input, pos, Splits.WHOLE);
            sameOutcome(whole, Feeds.responseHead(split, input, pos, Splits.BYTE_BY_BYTE));
            if (whole.failure() != null) throw (IOException) whole.failure();
            if (whole.head() == null) {
                assertThat(interim == 0 && head.started()).as("no head read from a stream that ended at once").isFalse();
                if (interim == 0) return;
                throw new HttpClientException.IncompleteResponse("no final response", false);
            }
            pos = whole.consumed();
            checkHead(head);
            int code = head.status.code();
            // 101 switches protocols and ends HTTP/1.1 on the connection; other 1xx precede the final response.
            if (code >= 200 || code == 101 || interim >= MAX_INTERIM) break;
        }
        ResponseFraming f = ResponseFraming.of(head, method);
        checkFraming(head, method, f);
        long total = switch (f.kind()) {
            case NONE -> 0;
            case LENGTH -> {
                if (input.length - pos < f.length()) {
                    throw new HttpClientException.IncompleteResponse("connection closed inside the body", false);
                }
                yield f.length();
            }
            case CHUNKED -> {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                Feeds.clientChunked(input, pos, new ChunkedDecoder<>(ClientErrors.INSTANCE, MAX_HEADER_BYTES,
                        MAX_HEADER_COUNT, false), data, Splits.random(input.length));
                yield data.size();
            }
            default -> input.length - pos;
        };
        assertThat(total).as("body within the input").isLessThanOrEqualTo(input.length);
        if (f.kind() == ResponseFraming.Kind.LENGTH) assertThat(total).as("whole body").isEqualTo(f.length());
    }

    /** The response head parser gives the same result whole and byte by byte. */
    private static void sameOutcome(Feeds.ResponseOutcome whole, Feeds.ResponseOutcome split) {
        assertThat(split.consumed()).as("head length byte by byte").isEqualTo(whole.consumed());
        assertThat(split.failure() == null ? null : split.failure().getClass())
                .as("failure byte by byte: %s vs %s", split.failure(), whole.failure())
                .isEqualTo(whole.failure() == null ? null : whole.failure().getClass());
        if (whole.head() != null) assertThat(split.head().status.code()).isEqualTo(whole.head().status.code());
    }

    private static void checkHead(ResponseHead head) {
        assertThat(head.version).isIn(10, 11);
        assertThat(head.status.code()).isBetween(100, 599);
        assertNoLineBreak(head.status.reason(), "reason phrase");
        Headers h = head.headers;
        for (int i = 0; i < h.size(); i++) {
            assertThat(h.name(i)).as("header name").isNotEmpty();
            assertNoLineBreak(h.name(i), "header name");
            assertNoLineBreak(h.value(i), "header value");
        }
    }

    private static void checkFraming(ResponseHead head, String method, ResponseFraming f) {
        Headers h = head.headers;
        boolean hasCl = h.contains("Content-Length");
        boolean hasTe = h.contains("Transfer-Encoding");
        int code = head.status.code();
        boolean bodiless = method.equals("HEAD") || code < 200 || code == 204 || code == 304;
        if (bodiless) {
            assertThat(f.kind()).isEqualTo(ResponseFraming.Kind.NONE);
            return;
        }
        switch (f.kind()) {
            case NONE -> fail("no body for status " + code + " to " + method);
            case LENGTH -> {
                assertThat(hasCl).as("Content-Length framing needs the field").isTrue();
                assertThat(hasTe).as("Content-Length framing with Transfer-Encoding").isFalse();
                assertThat(f.length()).isNotNegative();
            }
            case CHUNKED -> {
                assertThat(hasTe).as("chunked framing needs Transfer-Encoding").isTrue();
                assertThat(hasCl).as("chunked accepted together with Content-Length").isFalse();
                assertThat(head.version).as("chunked only in HTTP/1.1").isEqualTo(11);
            }
            case UNTIL_CLOSE -> {
                assertThat(f.persistent()).as("a close-delimited body cannot keep its connection").isFalse();
                if (hasTe && head.version == 11) {
                    assertThat(hasCl).as("Transfer-Encoding with Content-Length accepted").isFalse();
                }
                if (!hasTe) assertThat(hasCl).as("Content-Length ignored").isFalse();
            }
        }
    }

    private static void assertNoLineBreak(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\r' || ch == '\n' || ch == 0) fail(what + " holds CR, LF or NUL: " + s);
        }
    }
}
