package dev.porter.http.internal.http1;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.HttpException;
import dev.porter.http.testing.Splits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the chunked decoder ({@link ChunkedDecoder}, fed straight from the input by {@link Feeds}, no socket) on
 * raw bytes (the body and whatever follows it), strict and lenient, reading data in small and large pieces, with
 * the input arriving whole, byte by byte and in random splits. Every outcome must equal an independent decoder
 * written from RFC 9112 §7.1 ({@link RequestGrammar#chunked}): the same data and trailers, the same end (so the
 * next request starts exactly after the body, never inside it), or a refusal with the same status; the only
 * failure is an {@link HttpException}. (That a refused body is marked broken, so its connection closes, is
 * {@code ChunkedBodyTest}'s.)
 */
class ChunkedBodyFuzzTest {

    static final long LIMIT = 1000;
    static final int MAX_TRAILER_BYTES = 256;
    static final int MAX_TRAILER_COUNT = 8;

    @FuzzTest(maxDuration = "10m")
    void decodesExactlyWhatTheGrammarDefines(byte[] input) {
        for (boolean lenient : new boolean[] {false, true}) {
            RequestGrammar.Chunked expected = RequestGrammar.chunked(input, 0, lenient, LIMIT,
                    ChunkedDecoder.MAX_SIZE_LINE, MAX_TRAILER_BYTES, MAX_TRAILER_COUNT);
            check(input, lenient, 8192, Splits.WHOLE, expected);
            check(input, lenient, 1 + input.length % 7, Splits.WHOLE, expected);
            check(input, lenient, 8192, Splits.BYTE_BY_BYTE, expected);
            check(input, lenient, 8192, Splits.random(java.util.Arrays.hashCode(input)), expected);
        }
    }

    private static void check(byte[] input, boolean lenient, int readSize, Splits splits,
                              RequestGrammar.Chunked expected) {
        Feeds.ChunkedOutcome o = Feeds.chunked(input, 0, lenient, LIMIT, MAX_TRAILER_BYTES, MAX_TRAILER_COUNT,
                readSize, splits);
        String mode = (lenient ? "lenient" : "strict") + ", reads of " + readSize + ", split " + splits;
        assertThat((long) o.data().length).as("decoded bytes within the limit").isLessThanOrEqualTo(LIMIT);
        if (expected.accepted()) {
            if (!o.accepted()) fail("refused with " + o.status() + " (" + o.why() + ") a body the grammar accepts; " + mode);
            assertThat(o.data()).as("decoded data, %s", mode).isEqualTo(expected.data());
            assertThat(o.end()).as("end of the body, %s", mode).isEqualTo(expected.end());
            var trailers = o.decoder().trailers;
            assertThat(trailers.size()).isEqualTo(expected.trailers().size());
            for (int i = 0; i < expected.trailers().size(); i++) {
                assertThat(trailers.name(i)).isEqualTo(expected.trailers().get(i)[0]);
                assertThat(trailers.value(i)).isEqualTo(expected.trailers().get(i)[1]);
            }
        } else {
            if (o.accepted()) fail("accepted a body the grammar refuses with " + expected.status() + "; " + mode);
            assertThat(o.status()).as("status (%s), %s", o.why(), mode).isEqualTo(expected.status());
        }
    }
}
