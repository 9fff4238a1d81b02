package dev.porter.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link MultipartReader} on raw bodies against the push parser it is built on: read in random pieces, parts
 * skipped at random, it must give each part it reads with the parser's bytes, and accept or refuse as the parser
 * does, with the parser's status. Its only failure is an {@code HttpException} (another exception fails the run).
 */
class MultipartReaderFuzzTest {

    static final String BOUNDARY = "XyZ-b";
    /** Small limits, so that the fuzzer reaches them. */
    static final Multipart.Limits LIMITS = new Multipart.Limits(8, 64, 64);

    @FuzzTest(maxDuration = "10m")
    void pullsWhatThePushParserSees(byte[] input) {
        MultipartReads.Outcome push = MultipartReads.push(input, BOUNDARY, LIMITS);
        MultipartReads.Outcome pull = MultipartReads.pull(input, BOUNDARY, LIMITS, Arrays.hashCode(input));
        assertThat(push.parts()).containsAll(pull.parts());
        if (pull.refusal() == 415 || pull.refusal() == 413) {
            // A _charset_ field, read as it arrives (to its end or not): an unknown charset (415), or longer than a
            // text field may be (413), where the parser alone goes on.
            assertThat(push.charsetField()).isTrue();
        } else {
            assertThat(pull.refusal()).isEqualTo(push.refusal());
        }
    }
}
