package dev.porter.http.internal.status;

/**
 * The bucket layout of the latency histogram: log-linear in microseconds, four buckets per power of two, so a
 * bucket is at most 25% wide and a percentile read from it is off by at most that much. Values below 4 µs have a
 * bucket each; from 2<sup>26</sup> µs (about 67 s) on, everything is in the last bucket. Pure arithmetic: the index
 * of a value is a leading-zero count and two shifts, no loop, no table.
 */
final class LatencyBuckets {

    /** Powers of two covered: 2<sup>2</sup> .. 2<sup>26</sup> µs. */
    private static final int MAX_EXPONENT = 25;
    /** Buckets: 4 exact ones below 4 µs, 4 per power of two up to 2^26 µs, and one for everything above. */
    static final int COUNT = 4 * MAX_EXPONENT + 1;
    /** The index of the overflow bucket. */
    static final int OVERFLOW = COUNT - 1;

    private LatencyBuckets() {
    }

    /** @return the bucket of a duration of {@code micros} microseconds (negative counts as 0) */
    static int index(long micros) {
        if (micros < 4) return micros < 0 ? 0 : (int) micros;
        int e = 63 - Long.numberOfLeadingZeros(micros); // 2^e <= micros < 2^(e+1), e >= 2
        if (e > MAX_EXPONENT) return OVERFLOW;
        int sub = (int) (micros >>> (e - 2)) & 3;       // which quarter of [2^e, 2^(e+1))
        return 4 * (e - 1) + sub;
    }

    /** @return the smallest value in bucket {@code i}, in microseconds */
    static long lower(int i) {
        if (i < 4) return i;
        if (i >= OVERFLOW) return 1L << (MAX_EXPONENT + 1);
        int e = i / 4 + 1;
        return (4L + i % 4) << (e - 2);
    }

    /** @return the smallest value above bucket {@code i} (its exclusive upper bound), in microseconds */
    static long upper(int i) {
        if (i < 3) return i + 1;
        if (i >= OVERFLOW) return Long.MAX_VALUE;
        return lower(i + 1);
    }

    /**
     * The value below which a fraction {@code q} of the counted durations lie, interpolated linearly inside its
     * bucket.
     *
     * @param counts per-bucket counts ({@link #COUNT} long)
     * @return microseconds, or 0 when nothing was counted
     */
    static double percentile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0) return 0;
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            if (seen + counts[i] >= rank) {
                if (i == OVERFLOW) return lower(i);
                double within = (rank - seen) / counts[i];
                return lower(i) + within * (upper(i) - lower(i));
            }
            seen += counts[i];
        }
        return lower(OVERFLOW);
    }
}
