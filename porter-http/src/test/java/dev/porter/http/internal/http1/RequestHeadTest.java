package dev.porter.http.internal.http1;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The request head state machine ({@link RequestHead}) on byte arrays: what it consumes, when it waits, and the
 * status of each refusal. Every case fed through {@link Feeds} is fed whole, byte by byte, in a random split and
 * split in two at every index, and all must agree: the peer chooses the split, so it must not choose the answer.
 */
class RequestHeadTest {

    static final HttpConfig STRICT = HttpConfig.builder().build();
    static final HttpConfig LENIENT = HttpConfig.builder().lenientLineEnds(true).build();
    /** Small limits, so the limit cases stay readable. */
    static final HttpConfig SMALL = HttpConfig.builder().maxRequestLineLength(32).maxHeaderBytes(128)
            .maxHeaderCount(4).build();
    static final HttpConfig SMALL_LENIENT = SMALL.toBuilder().lenientLineEnds(true).build();

    @Test
    void aPartialLineIsNotConsumedAndIsParsedWhenFedAgainWithTheRest() {
        RequestHead head = new RequestHead(STRICT);
        byte[] b = bytes("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n");

        assertThat(head.parse(b, 0, 10)).as("inside the request line").isZero();
        assertThat(head.done()).isFalse();
        assertThat(head.pastRequestLine()).isFalse();

        // The request line is whole, the field line is not: only the request line is consumed.
        int p = head.parse(b, 0, 30);
        assertThat(p).isEqualTo("GET /index.html HTTP/1.1\r\n".length());
        assertThat(head.pastRequestLine()).isTrue();
        assertThat(head.parse(b, p, 30)).as("still the same partial field line").isEqualTo(p);

        assertThat(head.parse(b, p, b.length)).isEqualTo(b.length);
        assertThat(head.done()).isTrue();
        assertThat(head.method).isEqualTo("GET");
        assertThat(head.target).isEqualTo("/index.html");
        assertThat(head.version).isEqualTo(11);
        assertThat(head.headers.first("Host")).isEqualTo("example.com");
    }

    @Test
    void theNextHeadOfAConnectionReusesTheStringsItRepeatsAndOnlyThose() {
        RequestHead head = new RequestHead(STRICT);
        byte[] first = bytes("GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\nX-Trace: abc\r\nCookie: k=v\r\n\r\n");
        assertThat(head.parse(first, 0, first.length)).isEqualTo(first.length);
        String target = head.target;
        String trace = head.headers.value(1);
        String traceName = head.headers.name(1);
        String cookie = head.headers.value(2);

        head.reset();
        byte[] same = first.clone();
        assertThat(head.parse(same, 0, same.length)).isEqualTo(same.length);
        assertThat(head.target).isSameAs(target);
        assertThat(head.headers.name(1)).isSameAs(traceName);
        assertThat(head.headers.value(1)).isSameAs(trace);
        assertThat(head.headers.value(2)).isSameAs(cookie);

        // Same lengths at the same places, other bytes: new strings with the new bytes.
        head.reset();
        byte[] other = bytes("GET /a?x=2 HTTP/1.1\r\nHost: example.org\r\nX-Trace: abd\r\nCookie: k=w\r\n\r\n");
        assertThat(head.parse(other, 0, other.length)).isEqualTo(other.length);
        assertThat(head.target).isEqualTo("/a?x=2");
        assertThat(head.headers.first("Host")).isEqualTo("example.org");
        assertThat(head.headers.first("X-Trace")).isEqualTo("abd");
        assertThat(head.headers.first("Cookie")).isEqualTo("k=w");

        // Fields in another order: each is read from its own bytes, whatever stood at its place before.
        head.reset();
        byte[] swapped = bytes("GET /a?x=2 HTTP/1.1\r\nX-Trace: abd\r\nHost: example.org\r\n\r\n");
        assertThat(head.parse(swapped, 0, swapped.length)).isEqualTo(swapped.length);
        assertThat(head.headers.name(0)).isEqualTo("X-Trace");
        assertThat(head.headers.value(0)).isEqualTo("abd");
        assertThat(head.headers.value(1)).isEqualTo("example.org");
    }

    @Test
    void aValueLongerThanTheRepeatBoundIsStillParsedWhole() {
        RequestHead head = new RequestHead(STRICT);
        String big = "v".repeat(RepeatedStrings.MAX_BYTES + 1);
        for (int i = 0; i < 2; i++) {
            head.reset();
            byte[] b = bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\n\r\n");
            assertThat(head.parse(b, 0, b.length)).isEqualTo(b.length);
            assertThat(head.headers.first("X-Big")).isEqualTo(big);
        }
    }

    @Test
    void aHeadEndsExactlyAfterItsEmptyLineAndLeavesAPipelinedRequestUnconsumed() {
        String first = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n";
        String second = "GET /b HTTP/1.0\r\n\r\n";
        byte[] b = bytes(first + second);
        RequestHead head = new RequestHead(STRICT);

        assertThat(head.parse(b, 0, b.length)).isEqualTo(first.length());
        assertThat(head.done()).isTrue();
        assertThat(head.method).isEqualTo("POST");

        // RFC 9112 §9.3: the next request starts right after the last one, on the same connection.
        head.reset();
        assertThat(head.parse(b, first.length(), b.length)).isEqualTo(b.length);
        assertThat(head.target).isEqualTo("/b");
        assertThat(head.version).isEqualTo(10);
        assertThat(head.headers.size()).isZero();

        Feeds.HeadOutcome o = fed(first + second, STRICT);
        assertThat(o.accepted()).isTrue();
        assertThat(o.consumed()).isEqualTo(first.length());
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreSkippedUpToALimit() {
        // RFC 9112 §2.2: a server should ignore at least one empty line before the request line.
        assertThat(fed("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", STRICT).accepted()).isTrue();
        assertThat(fed("\r\n".repeat(9) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", STRICT).status()).isEqualTo(400);
        // Only empty lines, then the end of stream: no request at all, not a truncated one.
        assertThat(fed("\r\n\r\n", STRICT).endOfStream()).isTrue();
    }

    @Test
    void aBareLfEndsALineOnlyWhenLenient() {
        // RFC 9112 §2.2: a recipient may accept a bare LF; Porter refuses it unless configured (smuggling risk).
        String input = "GET / HTTP/1.1\nHost: h\n\n";
        assertThat(fed(input, STRICT).status()).isEqualTo(400);
        Feeds.HeadOutcome lenient = fed(input, LENIENT);
        assertThat(lenient.accepted()).isTrue();
        assertThat(lenient.consumed()).isEqualTo(input.length());
        assertThat(lenient.head().headers.first("Host")).isEqualTo("h");
    }

    static Stream<Arguments> refusals() {
        String host = "Host: h\r\n";
        return Stream.of(
                // RFC 9112 §2.2: a bare CR anywhere in the head.
                arguments("bare CR in the request line", "GET /a\rb HTTP/1.1\r\n" + host + "\r\n", STRICT, 400),
                arguments("bare CR in a field value", "GET / HTTP/1.1\r\nX: a\rb\r\n" + host + "\r\n", STRICT, 400),
                arguments("bare LF, strict", "GET / HTTP/1.1\r\nX: a\n" + host + "\r\n", STRICT, 400),
                // RFC 9112 §5.2: obs-fold is refused in requests.
                arguments("obs-fold", "GET / HTTP/1.1\r\nX: a\r\n b\r\n" + host + "\r\n", STRICT, 400),
                // RFC 9112 §5.1: no whitespace between a field name and its colon.
                arguments("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", STRICT, 400),
                // RFC 9112 §3: exactly one SP between the parts of the request line.
                arguments("two spaces after the method", "GET  / HTTP/1.1\r\n" + host + "\r\n", STRICT, 400),
                arguments("lowercase version", "GET / http/1.1\r\n" + host + "\r\n", STRICT, 400),
                // RFC 9112 §2.3 then RFC 9110 §15.6.6: a well-formed version this server does not speak is 505...
                arguments("HTTP/2.0", "GET / HTTP/2.0\r\n" + host + "\r\n", STRICT, 505),
                arguments("HTTP/1.2", "GET / HTTP/1.2\r\n" + host + "\r\n", STRICT, 505),
                // ...as soon as its 8 bytes are in (byte order): what follows cannot make it acceptable, and a
                // read ending right after them must give the answer the whole line gives.
                arguments("HTTP/2.0 then garbage", "GET / HTTP/2.0x\r\n" + host + "\r\n", STRICT, 505),
                arguments("HTTP/1.1 then garbage", "GET / HTTP/1.1x\r\n" + host + "\r\n", STRICT, 400),
                // ...and before a bare LF ending the line (RFC 9112 §2.2, a 400 when strict), which comes after it.
                arguments("HTTP/0.0 ended by a bare LF", "GET / HTTP/0.0\n" + host + "\r\n", STRICT, 505),
                arguments("bad target byte, then a bare LF", "GET /\u0001 HTTP/1.1\n" + host + "\r\n", STRICT, 400),
                arguments("HTTP/1.1 ended by a bare LF", "GET / HTTP/1.1\n" + host + "\r\n", STRICT, 400),
                // ...and before a bare CR after it (RFC 9112 §2.2, 400), however much of the line a read held.
                arguments("HTTP/0.1 then a bare CR", "GET / HTTP/0.1\rLine: 1\r\n" + host + "\r\n", STRICT, 505),
                arguments("HTTP/1.1 then a bare CR", "GET / HTTP/1.1\rLine: 1\r\n" + host + "\r\n", STRICT, 400),
                // RFC 9112 §3: 414 for a request line over the limit (32 here); one at the limit is fine.
                arguments("request line too long", "GET /" + "a".repeat(19) + " HTTP/1.1\r\n" + host + "\r\n", SMALL, 414),
                arguments("too many fields", "GET / HTTP/1.1\r\n" + "X: 1\r\n".repeat(4) + host + "\r\n", SMALL, 431),
                // RFC 6585 §5: 431 for a header section over the limit (128 bytes of field lines here).
                arguments("header section too large", "GET / HTTP/1.1\r\nX: " + "a".repeat(130) + "\r\n\r\n", SMALL, 431),
                // RFC 9112 §3: a method longer than any the server implements is 501.
                arguments("method too long", "A".repeat(25) + " / HTTP/1.1\r\n" + host + "\r\n", STRICT, 501),
                // ...and that comes first when a bare CR follows the 25th method byte (RFC 9112 §2.2 is a 400): a
                // read ending after the CR must not turn the 501 into a 400.
                arguments("method too long, then a bare CR", "A".repeat(30) + "\rX / HTTP/1.1\r\n" + host + "\r\n", STRICT, 501),
                arguments("bare CR inside a method", "A".repeat(10) + "\r" + "A".repeat(20) + " / HTTP/1.1\r\n" + host + "\r\n",
                        STRICT, 400),
                // RFC 9110 §8.6: conflicting Content-Length values.
                arguments("conflicting Content-Length", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
                        + host + "\r\n", STRICT, 400),
                // Byte order: the first wrong byte decides, whether or not the line is also too long.
                arguments("bad target byte, line also too long", "GET /\u0001" + "a".repeat(60) + " HTTP/1.1\r\n\r\n", SMALL, 400),
                arguments("line too long before a bad byte", "GET /" + "a".repeat(60) + "\u0001 HTTP/1.1\r\n\r\n", SMALL, 414),
                arguments("bad value byte, section also too large",
                        "GET / HTTP/1.1\r\nX: \u0001" + "a".repeat(200) + "\r\n\r\n", SMALL, 400),
                arguments("section too large before a bad byte",
                        "GET / HTTP/1.1\r\nX: " + "a".repeat(200) + "\u0001\r\n\r\n", SMALL, 431),
                // The same at the exact limits, checked once a line is complete: a bad byte in the line that
                // breaks a limit was already refused when it arrived, so it must be whole too.
                arguments("bad byte in the field one over the count",
                        "GET / HTTP/1.1\r\n" + "X: 1\r\n".repeat(4) + "Y: \u0001\r\n\r\n", SMALL, 400),
                arguments("bad byte in the field that ends 2 bytes over the section limit",
                        "GET / HTTP/1.1\r\nX: \u0001" + "a".repeat(124) + "\r\n\r\n", SMALL, 400),
                arguments("field ending 2 bytes over the section limit",
                        "GET / HTTP/1.1\r\nX: " + "a".repeat(125) + "\r\n\r\n", SMALL, 431),
                arguments("bad byte in a bare-LF request line one over the limit",
                        "GET /\u0001" + "a".repeat(18) + " HTTP/1.1\nHost: h\n\n", SMALL_LENIENT, 400),
                arguments("bare-LF request line one over the limit",
                        "GET /" + "a".repeat(19) + " HTTP/1.1\nHost: h\n\n", SMALL_LENIENT, 414));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("refusals")
    void refusesAMalformedHeadWithTheSameStatusHoweverItIsSplit(String why, String input, HttpConfig config, int status) {
        Feeds.HeadOutcome o = fed(input, config);
        assertThat(o.status()).as("%s (%s)", why, o.why()).isEqualTo(status);
    }

    @Test
    void aRefusedRequestLineKeepsItsMethodHoweverItWasSplit() {
        // The method decides whether the refusal has a body (none for HEAD, RFC 9110 §9.3.2): whole, the line set it
        // before its version was refused; in pieces it was refused before anything set it, so a 400 to a HEAD
        // carried a body (finding-head-line-refused-in-pieces-carried-a-body). fed() compares it in every split.
        for (String line : new String[] {"HEAD / HTTP/1.x\r\n\r\n", "HEAD /\u0001 HTTP/1.1\r\n\r\n",
                "HEAD / HTTP/1.1x\r\n\r\n", "HEAD / HTTP/7.0\r\n\r\n"}) {
            Feeds.HeadOutcome o = fed(line, STRICT);
            assertThat(o.accepted()).as(line).isFalse();
            assertThat(o.head().method).as(line).isEqualTo("HEAD");
        }
    }

    @Test
    void limitsAdmitAHeadExactlyAtThem() {
        // 32 bytes of request line and 4 fields of 128 bytes in all, line ends included, are within SMALL.
        String line = "GET /" + "a".repeat(18) + " HTTP/1.1";
        assertThat(line).hasSize(32);
        String fields = "Host: h\r\n" + "X: 1\r\n".repeat(2) + "Y: " + "b".repeat(128 - 9 - 12 - 5) + "\r\n";
        assertThat(fields).hasSize(128);
        assertThat(fed(line + "\r\n" + fields + "\r\n", SMALL).accepted()).isTrue();
    }

    @Test
    void aTooLongMethodIsRefusedBeforeItsLineEnds() {
        // 24 token characters may still be a method; the 25th cannot (RFC 9112 §3: 501 at once, no waiting).
        RequestHead head = new RequestHead(STRICT);
        byte[] b = bytes("A".repeat(25));
        assertThat(head.parse(b, 0, 24)).isZero();
        assertThatThrownBy(() -> head.parse(b, 0, 25)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status().code()).isEqualTo(501));
    }

    @Test
    void aPartialLineThatCanNeverBecomeValidIsRefusedAtOnce() {
        // A bad prefix never becomes good: the server answers without waiting for (or buffering) the rest.
        for (String prefix : new String[] {"GET /\u0000", "GET / HTTP/1.1\r\nHost : ", "GET / HTTP/1.1\r\n\t",
                "GET / HTTP/1.1\r\nX: a\rb", "GET / XTTP", "GET / HTTP/1.1x"}) {
            RequestHead head = new RequestHead(STRICT);
            byte[] b = bytes(prefix);
            assertThatThrownBy(() -> head.parse(b, 0, b.length)).as(prefix).isInstanceOfSatisfying(HttpException.class,
                    e -> assertThat(e.status().code()).isEqualTo(400));
        }
    }

    @Test
    void anUnsupportedVersionIsRefusedBeforeItsLineEnds() {
        // Like llhttp: "HTTP/5.6" cannot become acceptable, so the answer does not wait for the line's end.
        RequestHead head = new RequestHead(STRICT);
        byte[] b = bytes("GET / HTTP/5.6");
        assertThatThrownBy(() -> head.parse(b, 0, b.length)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status().code()).isEqualTo(505));
    }

    @Test
    void aPartialLineThatMayStillBecomeValidWaits() {
        for (String prefix : new String[] {"GET / HTTP/1.1", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\nX: a\r"}) {
            RequestHead head = new RequestHead(STRICT);
            byte[] b = bytes(prefix);
            int p = head.parse(b, 0, b.length);
            assertThat(head.done()).as(prefix).isFalse();
            assertThat(p).as(prefix).isEqualTo(prefix.lastIndexOf('\n') + 1);
        }
    }

    /**
     * Feeds {@code input} whole, byte by byte, in a random split and split in two at every index (cheap for inputs
     * this small); all must agree. @return the whole one
     */
    static Feeds.HeadOutcome fed(String input, HttpConfig config) {
        byte[] b = bytes(input);
        Feeds.HeadOutcome whole = Feeds.requestHead(b, 0, config, Splits.WHOLE);
        RequestHeadFuzzTest.sameOutcome(whole, Feeds.requestHead(b, 0, config, Splits.BYTE_BY_BYTE), "byte by byte");
        RequestHeadFuzzTest.sameOutcome(whole, Feeds.requestHead(b, 0, config, Splits.random(input.hashCode())),
                "random split");
        for (int k = 1; k < b.length; k++) {
            RequestHeadFuzzTest.sameOutcome(whole, Feeds.requestHead(b, 0, config, Splits.at(k)), "split at " + k);
        }
        return whole;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
