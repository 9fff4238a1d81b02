package dev.porter.http.internal.http1;

import dev.porter.http.HttpClientException;
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
 * The client's response head state machine ({@link ResponseHead}) on byte arrays: what it consumes, when it
 * waits, what it accepts and which failure it raises. Every case fed through {@link Feeds} is fed whole, byte by
 * byte, in a random split and split in two at every index, and all must agree.
 */
class ResponseHeadTest {

    static final int MAX_HEADER_BYTES = 256;
    static final int MAX_HEADER_COUNT = 4;

    @Test
    void aPartialLineIsNotConsumedAndIsParsedWhenFedAgainWithTheRest() throws HttpClientException {
        ResponseHead head = head();
        byte[] b = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");

        assertThat(head.parse(b, 0, 0)).isZero();
        assertThat(head.started()).as("nothing seen yet").isFalse();
        assertThat(head.parse(b, 0, 12)).as("inside the status line").isZero();
        assertThat(head.started()).isTrue();
        assertThat(head.done()).isFalse();

        int p = head.parse(b, 0, 25);
        assertThat(p).as("the status line only").isEqualTo(17);
        assertThat(head.status.code()).isEqualTo(200);

        // The head ends exactly after its empty line: the body is the caller's.
        assertThat(head.parse(b, p, b.length)).isEqualTo(b.length - 2);
        assertThat(head.done()).isTrue();
        assertThat(head.headers.first("Content-Length")).isEqualTo("2");
    }

    @Test
    void anInterimHeadEndsBeforeTheFinalOne() throws HttpClientException {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        byte[] b = bytes(interim + "HTTP/1.1 204 No Content\r\n\r\n");
        ResponseHead head = head();
        assertThat(head.parse(b, 0, b.length)).isEqualTo(interim.length());
        assertThat(head.status.code()).isEqualTo(100);
        head.reset();
        assertThat(head.parse(b, interim.length(), b.length)).isEqualTo(b.length);
        assertThat(head.status.code()).isEqualTo(204);
        assertThat(head.status.reason()).isEqualTo("No Content");
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("HTTP/1.1 200 OK\r\n\r\n", 11, 200, "OK"),
                arguments("HTTP/1.0 404 Not Found\r\n\r\n", 10, 404, "Not Found"),
                // RFC 9112 §4: the reason phrase may be empty, and servers omit the space before it too.
                arguments("HTTP/1.1 204 \r\n\r\n", 11, 204, ""),
                arguments("HTTP/1.1 204\r\n\r\n", 11, 204, ""),
                // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ).
                arguments("HTTP/1.1 200 A\tb \u00e9\r\n\r\n", 11, 200, "A\tb \u00e9"),
                // RFC 9110 §2.5: a higher minor version of HTTP/1 is read as the highest one known.
                arguments("HTTP/1.2 200 OK\r\n\r\n", 11, 200, "OK"),
                // RFC 9112 §2.2: empty lines before the status line are ignored.
                arguments("\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 11, 200, "OK"));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void acceptsAWellFormedStatusLine(String input, int version, int code, String reason) {
        Feeds.ResponseOutcome o = fed(input);
        assertThat(o.failure()).isNull();
        assertThat(o.consumed()).isEqualTo(input.length());
        assertThat(o.head().version).isEqualTo(version);
        assertThat(o.head().status.code()).isEqualTo(code);
        assertThat(o.head().status.reason()).isEqualTo(reason);
    }

    static Stream<Arguments> malformed() {
        String ok = "HTTP/1.1 200 OK\r\n";
        return Stream.of(
                // RFC 9112 §2.2: bare CR and (in Porter) bare LF are refused on either side.
                arguments("bare CR in the status line", "HTTP/1.1 200 O\rK\r\n\r\n"),
                arguments("bare CR in a field value", ok + "X: a\rb\r\n\r\n"),
                arguments("bare LF", "HTTP/1.1 200 OK\nX: 1\n\n"),
                // RFC 9112 §5.2: obs-fold is refused in responses as in requests.
                arguments("obs-fold", ok + "X: a\r\n b\r\n\r\n"),
                arguments("space before colon", ok + "X : a\r\n\r\n"),
                arguments("field without colon", ok + "X\r\n\r\n"),
                // RFC 9112 §4: HTTP-version SP 3DIGIT, and only HTTP/1.x here.
                arguments("HTTP/2.0", "HTTP/2.0 200 OK\r\n\r\n"),
                arguments("other protocol", "ICE/1.1 200 OK\r\n\r\n"),
                arguments("lowercase protocol", "http/1.1 200 OK\r\n\r\n"),
                arguments("two spaces after the version", "HTTP/1.1  200 OK\r\n\r\n"),
                arguments("two-digit status", "HTTP/1.1 20 OK\r\n\r\n"),
                arguments("four-digit status", "HTTP/1.1 2000 OK\r\n\r\n"),
                arguments("no space before the reason", "HTTP/1.1 200OK\r\n\r\n"),
                // RFC 9110 §15: only the classes 1xx to 5xx exist.
                arguments("status 600", "HTTP/1.1 600 X\r\n\r\n"),
                arguments("status 099", "HTTP/1.1 099 X\r\n\r\n"),
                arguments("status line too long", "HTTP/1.1 200 " + "a".repeat(ResponseHead.MAX_STATUS_LINE) + "\r\n\r\n"),
                arguments("too many fields", ok + "X: 1\r\n".repeat(MAX_HEADER_COUNT + 1) + "\r\n"),
                arguments("head too large", ok + "X: " + "a".repeat(MAX_HEADER_BYTES) + "\r\n\r\n"),
                arguments("too many empty lines first", "\r\n".repeat(9) + ok + "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesAMalformedHeadHoweverItIsSplit(String why, String input) {
        Feeds.ResponseOutcome o = fed(input);
        assertThat(o.failure()).as(why).isInstanceOf(HttpClientException.MalformedResponse.class);
    }

    @Test
    void aHeadCutOffByTheEndOfStreamIsIncompleteAndNoByteIsNoResponse() {
        assertThat(fed("HTTP/1.1 200 OK\r\nX: 1\r\n").failure()).isInstanceOf(HttpClientException.IncompleteResponse.class);
        Feeds.ResponseOutcome none = fed("");
        assertThat(none.head()).isNull();
        assertThat(none.failure()).isNull();
    }

    @Test
    void aPartialLineThatCanNeverBecomeValidIsRefusedAtOnce() {
        // A bad prefix never becomes good: the client fails without waiting for the server's next bytes.
        for (String prefix : new String[] {"ICE/", "HTTP/1.1 2x", "HTTP/1.1 200 OK\r\n ", "HTTP/1.1 200 OK\r\nX : ",
                "HTTP/1.1 200 O\rK", "HTTP/1.1 200 OK\u0001"}) {
            ResponseHead head = head();
            byte[] b = bytes(prefix);
            assertThatThrownBy(() -> head.parse(b, 0, b.length)).as(prefix)
                    .isInstanceOf(HttpClientException.MalformedResponse.class);
        }
    }

    @Test
    void errorsAreReportedInByteOrderWhateverTheSplit() {
        // What is wrong within a line's first limit + 2 bytes comes before "too long": the same message whole and
        // byte by byte, whether the bad byte or the limit comes first.
        String bad = "HTTP/1.1 200 \u0001" + "a".repeat(ResponseHead.MAX_STATUS_LINE) + "\r\n\r\n";
        String longFirst = "HTTP/1.1 200 " + "a".repeat(ResponseHead.MAX_STATUS_LINE) + "\u0001\r\n\r\n";
        assertThat(messages(bad)).containsOnly("control character in reason phrase");
        assertThat(messages(longFirst)).containsOnly("status line longer than " + ResponseHead.MAX_STATUS_LINE + " bytes");
    }

    @Test
    void theHeaderSectionLimitIsExactCrlfIncluded() {
        // The status line counts with its CRLF, every field line with its CRLF, the final empty line not at all.
        String status = "HTTP/1.1 200 OK\r\n";
        int room = MAX_HEADER_BYTES - status.length() - "X: \r\n".length();
        String fits = status + "X: " + "v".repeat(room) + "\r\n\r\n";
        String over = status + "X: " + "v".repeat(room + 1) + "\r\n\r\n";
        assertThat(fed(fits).failure()).isNull();
        assertThat(fed(over).failure()).isInstanceOf(HttpClientException.MalformedResponse.class)
                .hasMessageContaining("larger than " + MAX_HEADER_BYTES);
    }

    /** @return the failure messages whole and byte by byte */
    private static String[] messages(String input) {
        byte[] b = bytes(input);
        return new String[] {
                Feeds.responseHead(head(), b, 0, Splits.WHOLE).failure().getMessage(),
                Feeds.responseHead(head(), b, 0, Splits.BYTE_BY_BYTE).failure().getMessage()};
    }

    /**
     * Feeds {@code input} whole, byte by byte, in a random split and split in two at every index; all must give
     * the same head, length and failure type. @return the whole one
     */
    static Feeds.ResponseOutcome fed(String input) {
        byte[] b = bytes(input);
        Feeds.ResponseOutcome whole = Feeds.responseHead(head(), b, 0, Splits.WHOLE);
        same(whole, Feeds.responseHead(head(), b, 0, Splits.BYTE_BY_BYTE), "byte by byte");
        same(whole, Feeds.responseHead(head(), b, 0, Splits.random(input.hashCode())), "random split");
        for (int k = 1; k < b.length; k++) same(whole, Feeds.responseHead(head(), b, 0, Splits.at(k)), "split at " + k);
        return whole;
    }

    private static void same(Feeds.ResponseOutcome whole, Feeds.ResponseOutcome split, String how) {
        assertThat(split.consumed()).as("head length %s", how).isEqualTo(whole.consumed());
        assertThat(split.failure() == null ? null : split.failure().getClass())
                .as("failure %s: %s vs whole %s", how, split.failure(), whole.failure())
                .isEqualTo(whole.failure() == null ? null : whole.failure().getClass());
        if (whole.head() == null) return;
        assertThat(split.head().version).isEqualTo(whole.head().version);
        assertThat(split.head().status).as("status %s", how).isEqualTo(whole.head().status);
        assertThat(split.head().headers.toString()).as("fields %s", how).isEqualTo(whole.head().headers.toString());
    }

    private static ResponseHead head() {
        return new ResponseHead(MAX_HEADER_BYTES, MAX_HEADER_COUNT, false);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
