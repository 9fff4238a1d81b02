package dev.porter.http.internal.status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the status page counts on the hot path, once per response: a latency histogram and the status. Two ways in:
 * <ul>
 *   <li>an HTTP/1.1 connection counts into a {@link Meter} of its own ({@link #open()} when its thread starts
 *   serving it, {@link #close} when the thread lets go: the connection ends or parks), with plain (opaque) writes
 *   that no other connection shares: no atomic, no lock, no contended cache line per response. Meters are summed
 *   when the sampler looks; a closed meter is folded into the totals and reused;</li>
 *   <li>{@link #record}, for responses with no meter (HTTP/2 streams, which run on threads of their own): a division,
 *   a bucket index (a leading-zero count and two shifts) and three {@link LongAdder} increments (bucket, duration
 *   sum, status class), and a read of the second's maximum (written only when exceeded).</li>
 * </ul>
 * Either way a 4xx/5xx status adds an atomic increment (errors are rare; a table per connection would not be).
 * Counters only grow; rates and the last minute's percentiles come from the {@link Sampler} subtracting snapshots.
 */
public final class Metrics {

    /** Free meters kept for reuse; more are dropped to the collector. */
    private static final int POOL = 256;

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

    /** Guards the fields below; taken once per served stretch of a connection and by the sampler, never per response. */
    private final Object lock = new Object();
    /** Meters in use, each knowing its slot. */
    private final ArrayList<Meter> live = new ArrayList<>();
    private final ArrayDeque<Meter> free = new ArrayDeque<>();
    /** The sum of every closed meter's counts. */
    private final long[] retired = new long[Meter.LENGTH];
    /** The longest duration of a meter closed since the sampler last took the maximum. */
    private long retiredMax;

    /**
     * @return a meter for the calling thread to count one connection's responses into until {@link #close}; its
     * counts are in every figure from now on
     */
    public Meter open() {
        synchronized (lock) {
            Meter m = free.poll();
            if (m == null) m = new Meter();
            m.slot = live.size();
            live.add(m);
            return m;
        }
    }

    /** Folds a meter's counts into the totals and takes it back. Its thread must not count into it afterwards. */
    public void close(Meter m) {
        synchronized (lock) {
            int last = live.size() - 1;
            Meter moved = live.remove(last);
            if (moved != m) {
                live.set(m.slot, moved);
                moved.slot = m.slot;
            }
            for (int i = 0; i < Meter.LENGTH; i++) retired[i] += m.get(i);
            retiredMax = Math.max(retiredMax, m.takeMax());
            m.reset();
            m.slot = -1;
            if (free.size() < POOL) free.push(m);
        }
    }

    /** @return counter {@code i} of the meters, live and closed (under the lock) */
    private long metered(int i) {
        long n = retired[i];
        for (Meter m : live) n += m.get(i);
        return n;
    }

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
        countError(status);
        if (nanos >= 0) {
            buckets[LatencyBuckets.index(nanos / 1000)].increment();
            sumNanos.add(nanos);
            if (nanos > maxNanos) maxNanos = nanos;
        }
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) classes[cls - 1].increment();
    }

    /**
     * Counts one response of a connection served by the calling thread, into its meter: no shared write unless the
     * status is an error.
     *
     * @param nanos the duration, or -1 for a response counted but not timed (see {@link #record})
     */
    public void record(Meter m, int status, long nanos) {
        m.record(status, nanos);
        countError(status);
    }

    private void countError(int status) {
        if (status >= 400 && status <= 599) errors.incrementAndGet(status - 400);
    }

    /** @return the counts of every bucket, now */
    long[] buckets() {
        long[] b = new long[buckets.length];
        synchronized (lock) {
            for (int i = 0; i < b.length; i++) b[i] = buckets[i].sum() + metered(i);
        }
        return b;
    }

    /** @return the sum of every duration counted, in nanoseconds */
    long sumNanos() {
        synchronized (lock) {
            return sumNanos.sum() + metered(Meter.SUM);
        }
    }

    /** @return responses by status class: index 0 is 1xx, 4 is 5xx */
    long[] classes() {
        long[] c = new long[5];
        synchronized (lock) {
            for (int i = 0; i < 5; i++) c[i] = classes[i].sum() + metered(Meter.CLASSES + i);
        }
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
        synchronized (lock) {
            m = Math.max(m, retiredMax);
            retiredMax = 0;
            for (Meter meter : live) m = Math.max(m, meter.takeMax());
        }
        return m;
    }
}
