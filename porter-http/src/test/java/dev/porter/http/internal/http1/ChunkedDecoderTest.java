package dev.porter.http.internal.http1;

import dev.porter.http.HttpException;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The chunked transfer coding's state machine ({@link ChunkedDecoder}, RFC 9112 §7.1) on byte arrays: where it
 * stops (chunk data, a chunk's end, the body's end, an incomplete line) and what it refuses. Bodies decoded through
 * {@link Feeds} are fed whole, byte by byte, in a random split and split in two at every index, which must all
 * agree on data, trailers, end and status: where the body ends is where the next request starts.
 */
class ChunkedDecoderTest {

    static final long LIMIT = 1000;
    static final int MAX_TRAILER_BYTES = 256;
    static final int MAX_TRAILER_COUNT = 8;

    @Test
    void stopsAtChunkDataAfterEachChunkAndAtTheEnd() throws HttpException {
        byte[] b = bytes("5\r\nhello\r\n0\r\n\r\nGET");
        ChunkedDecoder<HttpException> d = decoder(false);

        assertThat(d.parse(b, 0, b.length)).as("the size line, up to the data").isEqualTo(3);
        assertThat(d.inData()).isTrue();
        assertThat(d.dataLeft()).isEqualTo(5);
        assertThat(d.parse(b, 3, b.length)).as("data is the caller's to move").isEqualTo(3);

        d.dataConsumed(5);
        assertThat(d.atChunkEnd()).isTrue();
        // A complete chunk is handed on before the next one is waited for: parse stops after its CRLF.
        assertThat(d.parse(b, 8, b.length)).isEqualTo(10);
        assertThat(d.inData() || d.done()).isFalse();

        assertThat(d.parse(b, 10, b.length)).as("last chunk and empty trailer section").isEqualTo(15);
        assertThat(d.done()).isTrue();
        assertThat(d.parse(b, 15, b.length)).as("the next request is not the body's").isEqualTo(15);
    }

    @Test
    void anIncompleteLineIsNotConsumed() throws HttpException {
        byte[] b = bytes("1f;a=b\r\n");
        ChunkedDecoder<HttpException> d = decoder(false);
        for (int end = 0; end < b.length; end++) {
            assertThat(d.parse(b, 0, end)).as("%d bytes of the size line", end).isZero();
            assertThat(d.inData()).isFalse();
        }
        assertThat(d.parse(b, 0, b.length)).isEqualTo(b.length);
        assertThat(d.dataLeft()).isEqualTo(0x1f);
    }

    @Test
    void aChunksLineEndWaitsForBothBytesUnlessLenient() throws HttpException {
        byte[] b = bytes("1\r\nx\r\n");
        ChunkedDecoder<HttpException> d = decoder(false);
        d.parse(b, 0, 3);
        d.dataConsumed(1);
        assertThat(d.parse(b, 4, 5)).as("CR alone").isEqualTo(4);
        assertThat(d.atChunkEnd()).isTrue();
        assertThat(d.parse(b, 4, 6)).isEqualTo(6);

        // RFC 9112 §2.2: a bare LF may end the line when lenient; one byte is then enough.
        byte[] lf = bytes("1\nx\n");
        ChunkedDecoder<HttpException> lenient = decoder(true);
        lenient.parse(lf, 0, 2);
        lenient.dataConsumed(1);
        assertThat(lenient.parse(lf, 3, 4)).isEqualTo(4);
        assertThat(lenient.atChunkEnd()).isFalse();
    }

    @Test
    void decodesChunksAndTrailersAndEndsExactlyAfterTheBody() {
        String body = "5\r\nhello\r\n6;ext=1;q=\"a b\"\r\n world\r\n0\r\nX-Sum: 42\r\nX-Note:  two words \r\n\r\n";
        Feeds.ChunkedOutcome o = decode(body + "GET / HTTP/1.1\r\n", false);
        assertThat(o.accepted()).as(o.why()).isTrue();
        assertThat(new String(o.data(), StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
        assertThat(o.end()).isEqualTo(body.length());
        // RFC 9112 §7.1.2: trailer fields are field lines; OWS around the value is not part of it.
        assertThat(o.decoder().trailers.size()).isEqualTo(2);
        assertThat(o.decoder().trailers.first("X-Sum")).isEqualTo("42");
        assertThat(o.decoder().trailers.first("X-Note")).isEqualTo("two words");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\nhello\n0\n\n", "5\r\nhello\n0\r\n\r\n", "5\nhello\r\n0\n\r\n"})
    void bareLfLineEndsAreAcceptedOnlyWhenLenient(String body) {
        // RFC 9112 §2.2 allows a bare LF as a line end; Porter refuses it unless configured (smuggling risk).
        assertThat(decode(body, false).status()).isEqualTo(400);
        Feeds.ChunkedOutcome lenient = decode(body, true);
        assertThat(lenient.accepted()).as(lenient.why()).isTrue();
        assertThat(new String(lenient.data(), StandardCharsets.ISO_8859_1)).isEqualTo("hello");
        assertThat(lenient.end()).isEqualTo(body.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5;a\r\n", "5;a=b\r\n", "5 ;a=b\r\n", "5;a = b\r\n", "5; a=b ;c\r\n",
            "5;a=\"q \\\" \t x\"\r\n", "5;a=b;c=d;e\r\n"})
    void wellFormedChunkExtensionsAreIgnored(String sizeLine) {
        // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ) (RFC 9112 §7.1.1).
        Feeds.ChunkedOutcome o = decode(sizeLine + "hello\r\n0\r\n\r\n", false);
        assertThat(o.accepted()).as(o.why()).isTrue();
        assertThat(new String(o.data(), StandardCharsets.ISO_8859_1)).isEqualTo("hello");
    }

    static Stream<Arguments> refusals() {
        String rest = "hello\r\n0\r\n\r\n";
        return Stream.of(
                arguments("missing size", "\r\n" + rest, 400),
                arguments("size not hex", "g\r\n" + rest, 400),
                arguments("negative size", "-5\r\n" + rest, 400),
                // RFC 9112 §7.1.1: BWS may precede ";" only; after a name it belongs to a following "=".
                arguments("whitespace after the size", "5 \r\n" + rest, 400),
                arguments("whitespace after an extension name", "5;a \r\n" + rest, 400),
                arguments("missing extension name", "5;=b\r\n" + rest, 400),
                arguments("missing extension value", "5;a=\r\n" + rest, 400),
                arguments("empty extension", "5;\r\n" + rest, 400),
                arguments("unterminated quoted string", "5;a=\"b\r\n" + rest, 400),
                arguments("control character in quoted string", "5;a=\"\u0001\"\r\n" + rest, 400),
                arguments("size line too long", "5;" + "a=b;".repeat(1100) + "c\r\n" + rest, 400),
                // At most 15 hex digits, so a size never overflows a long, even with leading zeros.
                arguments("size overflow", "10000000000000000\r\n" + rest, 400),
                arguments("leading zeros past 15 digits", "0000000000000005\r\n" + rest, 400),
                arguments("size over the body limit", "fffffffffffffff\r\nhello", 413),
                arguments("data not followed by CRLF", "5\r\nhelloX\r\n0\r\n\r\n", 400),
                arguments("data longer than its size", "3\r\nhello\r\n0\r\n\r\n", 400),
                arguments("bare CR as a line end", "5\rhello\r\n0\r\n\r\n", 400),
                arguments("truncated in data", "5\r\nhel", 400),
                arguments("truncated before the trailer section ends", "5\r\nhello\r\n0\r\n", 400),
                // RFC 9112 §7.1.2: the trailer section is field lines, with the header section's rules and limits.
                arguments("obs-fold in a trailer", "0\r\nX: a\r\n b\r\n\r\n", 400),
                arguments("trailer without colon", "0\r\nX\r\n\r\n", 400),
                arguments("control character in a trailer", "0\r\nX: \u0001\r\n\r\n", 400),
                arguments("trailer section too large", "0\r\nX: " + "a".repeat(300) + "\r\n\r\n", 400),
                arguments("too many trailers", "0\r\n" + "X: 1\r\n".repeat(MAX_TRAILER_COUNT + 1) + "\r\n", 431));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refusals")
    void refusesABrokenBodyWithTheSameStatusHoweverItIsSplit(String why, String body, int status) {
        Feeds.ChunkedOutcome o = decode(body, false);
        assertThat(o.status()).as("%s (%s)", why, o.why()).isEqualTo(status);
    }

    @Test
    void aBodyExactlyAtTheLimitIsAcceptedAndOneMoreByteIsNot() {
        String chunk = "a".repeat(500);
        String twice = "1f4\r\n" + chunk + "\r\n1f4\r\n" + chunk + "\r\n";
        assertThat(decode(twice + "0\r\n\r\n", false).accepted()).isTrue();
        assertThat(decode(twice + "1\r\nb\r\n0\r\n\r\n", false).status()).isEqualTo(413);
    }

    @Test
    void exactlyTheAllowedTrailersAreAccepted() {
        Feeds.ChunkedOutcome o = decode("0\r\n" + "X: 1\r\n".repeat(MAX_TRAILER_COUNT) + "\r\n", false);
        assertThat(o.accepted()).as(o.why()).isTrue();
        assertThat(o.decoder().trailers.size()).isEqualTo(MAX_TRAILER_COUNT);
    }

    /** Decodes {@code input} whole, byte by byte, in a random split and at every index; all agree. @return the whole one */
    static Feeds.ChunkedOutcome decode(String input, boolean lenient) {
        byte[] b = bytes(input);
        Feeds.ChunkedOutcome whole = decode(b, lenient, Splits.WHOLE);
        same(whole, decode(b, lenient, Splits.BYTE_BY_BYTE), "byte by byte");
        same(whole, decode(b, lenient, Splits.random(input.hashCode())), "random split");
        // Split in two at every index too: cheap for inputs this small.
        for (int k = 1; k < b.length; k++) same(whole, decode(b, lenient, Splits.at(k)), "split at " + k);
        return whole;
    }

    private static Feeds.ChunkedOutcome decode(byte[] b, boolean lenient, Splits splits) {
        return Feeds.chunked(b, 0, lenient, LIMIT, MAX_TRAILER_BYTES, MAX_TRAILER_COUNT, 8192, splits);
    }

    private static void same(Feeds.ChunkedOutcome whole, Feeds.ChunkedOutcome split, String how) {
        assertThat(split.status()).as("status %s (%s) vs whole (%s)", how, split.why(), whole.why()).isEqualTo(whole.status());
        assertThat(split.end()).as("end %s", how).isEqualTo(whole.end());
        if (!whole.accepted()) return;
        assertThat(split.data()).as("data %s", how).isEqualTo(whole.data());
        assertThat(split.decoder().trailers.toString()).as("trailers %s", how).isEqualTo(whole.decoder().trailers.toString());
    }

    private static ChunkedDecoder<HttpException> decoder(boolean lenient) {
        return new ChunkedDecoder<>(Feeds.SERVER_ERRORS, MAX_TRAILER_BYTES, MAX_TRAILER_COUNT, lenient);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
