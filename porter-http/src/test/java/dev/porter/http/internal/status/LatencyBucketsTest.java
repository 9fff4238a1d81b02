package dev.porter.http.internal.status;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The histogram's arithmetic: every value lands in the bucket whose bounds hold it, and percentiles read back. */
class LatencyBucketsTest {

    @Test
    void everyValueLiesWithinItsBucketsBounds() {
        Random r = new Random(1);
        for (int k = 0; k < 100_000; k++) {
            long v = k < 5000 ? k : (long) Math.pow(2, r.nextDouble() * 26.5);
            int i = LatencyBuckets.index(v);
            assertThat(i).isBetween(0, LatencyBuckets.OVERFLOW);
            if (i < LatencyBuckets.OVERFLOW) {
                assertThat(LatencyBuckets.lower(i)).as("lower of %s", v).isLessThanOrEqualTo(v);
                assertThat(LatencyBuckets.upper(i)).as("upper of %s", v).isGreaterThan(v);
                // Log-linear: a bucket is at most a quarter of its lower bound wide (exact below 4 µs).
                assertThat(LatencyBuckets.upper(i) - LatencyBuckets.lower(i)).isLessThanOrEqualTo(Math.max(1, LatencyBuckets.lower(i) / 4));
            } else {
                assertThat(v).isGreaterThanOrEqualTo(1L << 26);
            }
        }
    }

    @Test
    void bucketsAreContiguousAndIncreasing() {
        for (int i = 0; i < LatencyBuckets.OVERFLOW; i++) {
            assertThat(LatencyBuckets.upper(i)).isEqualTo(LatencyBuckets.lower(i + 1));
            assertThat(LatencyBuckets.index(LatencyBuckets.lower(i))).isEqualTo(i);
            assertThat(LatencyBuckets.index(LatencyBuckets.upper(i) - 1)).isEqualTo(i);
        }
        assertThat(LatencyBuckets.index(-5)).isZero();
        assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.OVERFLOW);
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinABucketsWidth() {
        long[] counts = new long[LatencyBuckets.COUNT];
        for (long us = 1; us <= 10_000; us++) counts[LatencyBuckets.index(us)]++;
        assertThat(LatencyBuckets.percentile(counts, 0.5)).isCloseTo(5000, within(5000 * 0.25));
        assertThat(LatencyBuckets.percentile(counts, 0.9)).isCloseTo(9000, within(9000 * 0.25));
        assertThat(LatencyBuckets.percentile(counts, 0.99)).isCloseTo(9900, within(9900 * 0.25));
        assertThat(LatencyBuckets.percentile(new long[LatencyBuckets.COUNT], 0.5)).isZero();
    }
}
