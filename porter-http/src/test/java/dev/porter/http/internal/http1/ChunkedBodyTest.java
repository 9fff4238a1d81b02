package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.HttpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A chunked request body ({@link ChunkedBody}, RFC 9112 §7.1) read from a real loopback connection whose peer sends
 * the bytes and closes ({@link FedConnection}): the production read path, end of stream included. What the body
 * promises the server's keep-alive loop: a refused body is broken and says why (so its connection closes and the
 * answer carries the body's own status, never a success), it never drains to a reusable end, and a valid body ends
 * exactly after its trailer section, leaving the next request's bytes unread. (The decoding itself, at every split,
 * is {@code ChunkedDecoderTest}'s and {@code ChunkedBodyFuzzTest}'s.)
 */
class ChunkedBodyTest {

    static final long LIMIT = 100;
    static final int MAX_TRAILER_BYTES = 256;
    static final int MAX_TRAILER_COUNT = 4;

    private static FedConnection fed;

    @BeforeAll
    static void open() throws IOException {
        fed = FedConnection.open();
    }

    @AfterAll
    static void close() throws IOException {
        fed.close();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("data not followed by CRLF", "5\r\nhelloX\r\n0\r\n\r\n", 400),
                arguments("chunk size not hex", "zz\r\nhello\r\n0\r\n\r\n", 400),
                arguments("bare LF (strict)", "5\nhello\n0\n\n", 400),
                arguments("bad chunk extension", "5;a \r\nhello\r\n0\r\n\r\n", 400),
                // The peer closes inside the body: the request cannot be complete.
                arguments("truncated in data", "5\r\nhel", 400),
                arguments("truncated in a size line", "5\r\nhello\r\n1", 400),
                arguments("truncated in the trailer section", "5\r\nhello\r\n0\r\nX: 1\r\n", 400),
                // RFC 9110 §15.5.14: 413 for a body over the limit, known from a chunk's size before its data.
                arguments("one chunk over the limit", "65\r\n" + "a".repeat(101) + "\r\n0\r\n\r\n", 413),
                arguments("chunks adding up over the limit", "32\r\n" + "a".repeat(50) + "\r\n33\r\n" + "b".repeat(51)
                        + "\r\n0\r\n\r\n", 413),
                // RFC 6585 §5: 431 for more trailer fields than allowed.
                arguments("too many trailers", "0\r\n" + "X: 1\r\n".repeat(MAX_TRAILER_COUNT + 1) + "\r\n", 431));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refused")
    void aRefusedBodyIsBrokenWithItsStatusAndNeverDrains(String why, String input, int status) throws IOException {
        ChunkedBody body = body(input);
        assertThatThrownBy(() -> readAll(body)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status().code()).as(why).isEqualTo(status));
        assertThat(body.broken()).as("a refused body is broken: its connection closes").isTrue();
        assertThat(body.failure().status().code()).as("the answer says why").isEqualTo(status);
        assertThat(body.drain(1 << 20)).as("never drains to a reusable end").isFalse();
        assertThatThrownBy(() -> body.read(new byte[8], 0, 8)).as("no byte after the failure").isInstanceOf(IOException.class);
        assertThat(body.failure().status().code()).as("the first failure stays").isEqualTo(status);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refused")
    void aRefusedBodyThatTheHandlerNeverReadFailsToDrainWithItsStatus(String why, String input, int status)
            throws IOException {
        // The server drains what the handler left unread before the next request: the same refusal, found there.
        ChunkedBody body = body(input);
        assertThat(body.drain(1 << 20)).as(why).isFalse();
        assertThat(body.broken()).isTrue();
        assertThat(body.failure().status().code()).as(why).isEqualTo(status);
    }

    @Test
    void aValidBodyReadsToItsEndThenReturnsMinusOneAndLeavesTheNextRequestUnread() throws IOException {
        String next = "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
        ChunkedBody body = body("5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n" + next);

        assertThat(new String(readAll(body), StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
        assertThat(body.read(new byte[8], 0, 8)).as("past the end").isEqualTo(-1);
        assertThat(body.read()).as("still past the end").isEqualTo(-1);
        assertThat(body.broken()).isFalse();
        assertThat(body.drain(1 << 20)).as("nothing left to drain").isTrue();
        assertThat(body.trailers.first("X-Sum")).isEqualTo("11");
        // RFC 9112 §9.3: the connection goes on with the next request, which starts right after the body.
        assertThat(rest(fed.connection())).isEqualTo(next);
    }

    @Test
    void aValidBodyTheHandlerNeverReadDrainsToItsEnd() throws IOException {
        ChunkedBody body = body("3\r\nabc\r\n0\r\n\r\nGET");
        assertThat(body.drain(1 << 20)).isTrue();
        assertThat(body.broken()).isFalse();
        assertThat(body.read(new byte[8], 0, 8)).as("past the end").isEqualTo(-1);
        assertThat(rest(fed.connection())).isEqualTo("GET");
    }

    @Test
    void aValidBodyLargerThanTheDrainAllowanceDoesNotDrain() throws IOException {
        // The drain allowance bounds what the server reads for a handler that ignored the body (the connection
        // then closes instead of reading on).
        ChunkedBody body = body("32\r\n" + "a".repeat(50) + "\r\n0\r\n\r\n");
        assertThat(body.drain(10)).isFalse();
    }

    private static ChunkedBody body(String input) throws IOException {
        Connection c = fed.feed(input.getBytes(StandardCharsets.ISO_8859_1));
        return new ChunkedBody(c, LIMIT, null, MAX_TRAILER_BYTES, MAX_TRAILER_COUNT, false);
    }

    /** Reads to the end in small reads, as a handler might. */
    private static byte[] readAll(ChunkedBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7];
        for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) {
            assertThat(n).as("a read returns at least one byte").isPositive();
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** @return what is left on the connection until the peer's close */
    private static String rest(Connection c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64];
        for (int n; (n = c.input().read(buf, 0, buf.length, ReadBuffer.Wait.IN_MESSAGE)) >= 0; ) out.write(buf, 0, n);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
