package dev.porter.http.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.core.internal.SocketConnection;
import dev.porter.http.HttpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the chunked decoder ({@link ChunkedBody}) on raw bytes (the body and whatever follows it), strict and
 * lenient, reading with small and large buffers. Every outcome must equal an independent decoder written from
 * RFC 9112 §7.1 ({@link RequestGrammar#chunked}): the same data and trailers, the same end (so the next request
 * starts exactly after the body, never inside it), or a refusal with the same status; the only failure is an
 * {@link HttpException}, and a refused body is marked broken so its connection is closed.
 */
class ChunkedBodyFuzzTest {

    static final long LIMIT = 1000;
    static final int MAX_TRAILER_BYTES = 256;
    static final int MAX_TRAILER_COUNT = 8;

    private static FedConnection fed;

    @BeforeAll
    static void openConnection() throws IOException {
        fed = FedConnection.open();
    }

    @AfterAll
    static void closeConnection() throws IOException {
        fed.close();
    }

    @FuzzTest(maxDuration = "10m")
    void decodesExactlyWhatTheGrammarDefines(byte[] input) throws IOException {
        for (boolean lenient : new boolean[] {false, true}) {
            RequestGrammar.Chunked expected = RequestGrammar.chunked(input, 0, lenient, LIMIT,
                    ChunkedDecoder.MAX_SIZE_LINE, MAX_TRAILER_BYTES, MAX_TRAILER_COUNT);
            for (int readSize : new int[] {1 + input.length % 7, 8192}) {
                check(input, lenient, readSize, expected);
            }
        }
    }

    private static void check(byte[] input, boolean lenient, int readSize, RequestGrammar.Chunked expected)
            throws IOException {
        SocketConnection c = fed.feed(input);
        ChunkedBody body = new ChunkedBody(c, LIMIT, null, MAX_TRAILER_BYTES, MAX_TRAILER_COUNT, lenient);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] buf = new byte[readSize];
        int status = 0;
        String why = null;
        try {
            for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) {
                assertThat(n).as("a read returns at least one byte").isPositive();
                data.write(buf, 0, n);
                assertThat((long) data.size()).as("decoded bytes within the limit").isLessThanOrEqualTo(LIMIT);
            }
        } catch (HttpException e) {
            status = e.status().code();
            why = e.getMessage();
            assertThat(body.broken()).as("a refused body is broken").isTrue();
        }
        String mode = (lenient ? "lenient" : "strict") + ", reads of " + readSize;
        if (expected.accepted()) {
            if (status != 0) fail("refused with " + status + " (" + why + ") a body the grammar accepts; " + mode);
            assertThat(data.toByteArray()).as("decoded data, %s", mode).isEqualTo(expected.data());
            assertThat(c.inPos).as("end of the body, %s", mode).isEqualTo(expected.end());
            assertThat(body.trailers.size()).isEqualTo(expected.trailers().size());
            for (int i = 0; i < expected.trailers().size(); i++) {
                assertThat(body.trailers.name(i)).isEqualTo(expected.trailers().get(i)[0]);
                assertThat(body.trailers.value(i)).isEqualTo(expected.trailers().get(i)[1]);
            }
            assertThat(body.read(buf, 0, buf.length)).as("reading past the end").isEqualTo(-1);
            assertThat(body.drain(0)).isTrue();
        } else {
            if (status == 0) fail("accepted a body the grammar refuses with " + expected.status() + "; " + mode);
            assertThat(status).as("status (%s), %s", why, mode).isEqualTo(expected.status());
            assertThat(body.drain(1 << 20)).as("a broken body never drains to a reusable end").isFalse();
        }
    }
}
