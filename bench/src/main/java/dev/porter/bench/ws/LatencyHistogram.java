package dev.porter.bench.ws;

/**
 * Counts of values (microseconds) in buckets of under 1% width: exact below 256, then 128 buckets per power of
 * two. Recording is an array increment, so the load client can record every echo. Not thread-safe: one per
 * thread, {@linkplain #add added} together at the end.
 */
final class LatencyHistogram {

    private static final int EXACT = 256;
    private static final int SUB = 128;
    private final long[] counts = new long[EXACT + 64 * SUB];
    private long total;

    /** Records one value; negative ones count as 0. */
    void record(long value) {
        counts[index(Math.max(0, value))]++;
        total++;
    }

    /** Adds another histogram's counts to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        total += other.total;
    }

    /** @return how many values were recorded */
    long count() {
        return total;
    }

    /**
     * @param fraction e.g. 0.99
     * @return the smallest bucket bound that at least that fraction of the values are at or under (its lower
     *         bound: within 1% of the true value); 0 when empty
     */
    long percentile(double fraction) {
        if (total == 0) return 0;
        long target = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= target) return lowerBound(i);
        }
        return lowerBound(counts.length - 1);
    }

    static int index(long value) {
        if (value < EXACT) return (int) value;
        int exponent = 63 - Long.numberOfLeadingZeros(value); // 8 and up
        int shift = exponent - 7;
        int mantissa = (int) (value >>> shift) & (SUB - 1);
        return EXACT + (shift - 1) * SUB + mantissa;
    }

    static long lowerBound(int index) {
        if (index < EXACT) return index;
        int shift = (index - EXACT) / SUB + 1;
        int mantissa = (index - EXACT) % SUB;
        return (long) (SUB + mantissa) << shift;
    }
}
