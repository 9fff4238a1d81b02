package dev.porter.http.internal.status;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the status page counts on the hot path, once per response: a latency histogram and the status. No lock, no
 * allocation: {@link #record} is a division, a bucket index (a leading-zero count and two shifts) and three
 * {@link LongAdder} increments (bucket, duration sum, status class), a fourth atomic increment for a 4xx/5xx
 * status, and a read of the second's maximum (written only when exceeded). Counters only grow; rates and the last
 * minute's percentiles come from the {@link Sampler} subtracting snapshots.
 */
public final class Metrics {

    private final LongAdder[] buckets = adders(LatencyBuckets.COUNT);
    private final LongAdder sumNanos = new LongAdder();
    /** Responses by status class, 1xx to 5xx. */
    private final LongAdder[] classes = adders(5);
    /** Responses by status 400..599. */
    private final AtomicLongArray errors = new AtomicLongArray(200);
    /**
     * The longest duration since the sampler last looked. A racy maximum on purpose: two responses finishing at the
     * same moment may lose one update, which costs at most one value of one second's maximum, where a CAS loop
     * would cost every response.
     */
    private volatile long maxNanos;

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) a[i] = new LongAdder();
        return a;
    }

    /**
     * Counts one response: its status and the time from its request head's arrival to its end.
     *
     * @param nanos the duration, or -1 for a response whose duration means nothing as a latency (an event stream
     *              lasts as long as its client stays): counted by status only
     */
    public void record(int status, long nanos) {
        if (nanos >= 0) {
            buckets[LatencyBuckets.index(nanos / 1000)].increment();
            sumNanos.add(nanos);
            if (nanos > maxNanos) maxNanos = nanos;
        }
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) classes[cls - 1].increment();
        if (status >= 400 && status <= 599) errors.incrementAndGet(status - 400);
    }

    /** @return the counts of every bucket, now */
    long[] buckets() {
        long[] b = new long[buckets.length];
        for (int i = 0; i < b.length; i++) b[i] = buckets[i].sum();
        return b;
    }

    /** @return the sum of every duration counted, in nanoseconds */
    long sumNanos() {
        return sumNanos.sum();
    }

    /** @return responses by status class: index 0 is 1xx, 4 is 5xx */
    long[] classes() {
        long[] c = new long[5];
        for (int i = 0; i < 5; i++) c[i] = classes[i].sum();
        return c;
    }

    /** @return responses with status {@code code} (400..599) */
    long errors(int code) {
        return errors.get(code - 400);
    }

    /** @return the longest duration since the last call, and starts a new period */
    long takeMax() {
        long m = maxNanos;
        maxNanos = 0;
        return m;
    }
}
