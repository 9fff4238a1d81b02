package dev.porter.http.internal.multipart;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link MultipartParser} on raw bodies: fed whole, byte by byte and in random pieces, it must report the
 * same parts with the same bytes, or refuse the body with 400 at the same point; it never reports more data than
 * the body held, and its only failure is an {@code HttpException} (another exception fails the run).
 */
class MultipartParserFuzzTest {

    static final String BOUNDARY = "XyZ-b";

    @FuzzTest(maxDuration = "10m")
    void theSplitNeverChangesTheOutcome(byte[] input) {
        MultipartFeeds.Outcome whole = MultipartFeeds.parse(input, BOUNDARY, MultipartFeeds.Mode.WHOLE, 0);
        long data = whole.parts().stream().mapToLong(s -> s.data().length).sum();
        assertThat(data).isLessThanOrEqualTo(input.length);
        if (whole.refusal() != null) assertThat(whole.refusal()).startsWith("400 ");
        String expected = whole.describe();
        assertThat(MultipartFeeds.parse(input, BOUNDARY, MultipartFeeds.Mode.BYTE_BY_BYTE, 0).describe()).isEqualTo(expected);
        assertThat(MultipartFeeds.parse(input, BOUNDARY, MultipartFeeds.Mode.RANDOM, Arrays.hashCode(input)).describe())
                .isEqualTo(expected);
    }
}
