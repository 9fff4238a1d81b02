package dev.porter.http.internal.status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the status page counts on the hot path, once per response: a latency histogram and the status. Two ways in,
 * neither with a lock or an allocation:
 * <ul>
 *   <li>an HTTP/1.1 connection counts into a {@link Meter} of its own ({@link #open()} when its thread starts
 *   serving it, {@link #close} when the thread lets go: the connection ends or parks), with plain (opaque) writes
 *   that no other connection shares: no atomic, no contended cache line per response. A closed meter is folded
 *   into the totals and reused;</li>
 *   <li>{@link #record(int, long)}, for responses counted by threads that do not own a connection (HTTP/2 streams,
 *   a virtual thread each): atomic adds into one of a few padded stripes chosen by the thread's id, so threads on
 *   different cores rarely meet on a line. (A {@code LongAdder} did worse here: every new thread starts on the
 *   same cell until its first collision.)</li>
 * </ul>
 * Either way a response costs a division, a bucket index (a leading-zero count and two shifts), three additions
 * (bucket, duration sum, status class) and a comparison with the second's maximum; a 4xx/5xx status adds an atomic
 * increment (errors are rare; a table per connection would not be). Everything is summed only when the
 * {@link Sampler} looks, once a second. Counters only grow; rates and the last minute's percentiles come from the
 * sampler subtracting snapshots.
 *
 * <p>HTTP/2 connections, streams and resets are counted with {@link #count}: one atomic add into the caller's stripe
 * per event (a connection's start and end, a stream's start and end, an RST_STREAM), no lock, no allocation. What is
 * open now is started minus ended, taken when someone looks.
 */
public final class Metrics {

    /** {@link #count}: a connection began to speak HTTP/2 (prior knowledge, or ALPN h2). */
    public static final int H2_CONNECTIONS = 0;
    /** {@link #count}: an HTTP/2 connection ended (closed, not parked). */
    public static final int H2_CONNECTIONS_ENDED = 1;
    /** {@link #count}: a stream started (a request's HEADERS accepted; refused streams are not streams). */
    public static final int H2_STREAMS = 2;
    /** {@link #count}: a stream ended (its exchange is over, however). */
    public static final int H2_STREAMS_ENDED = 3;
    /** {@link #count}: an RST_STREAM frame arrived from a client. */
    public static final int H2_RESETS_RECEIVED = 4;
    /** {@link #count}: an RST_STREAM frame was sent (any error code, NO_ERROR included: RFC 9113 §8.1). */
    public static final int H2_RESETS_SENT = 5;
    /** How many HTTP/2 counters there are. */
    static final int H2_COUNTERS = 6;

    /** Free meters kept for reuse; more are dropped to the collector. */
    private static final int POOL = 256;

    /** Shared meters, a power of two: four per core, so two threads at once rarely pick the same one. */
    private final Meter[] stripes = stripes(Runtime.getRuntime().availableProcessors() * 4);
    /** Responses by status 400..599. */
    private final AtomicLongArray errors = new AtomicLongArray(200);

    /** Guards the fields below; taken once per served stretch of a connection and by the sampler, never per response. */
    private final Object lock = new Object();
    /** Meters in use, each knowing its slot. */
    private final ArrayList<Meter> live = new ArrayList<>();
    private final ArrayDeque<Meter> free = new ArrayDeque<>();
    /** The sum of every closed meter's counts. */
    private final long[] retired = new long[Meter.LENGTH];
    /** The longest duration of a meter closed since the sampler last took the maximum. */
    private long retiredMax;

    private static Meter[] stripes(int atLeast) {
        Meter[] m = new Meter[Integer.highestOneBit(Math.max(1, atLeast - 1)) << 1];
        for (int i = 0; i < m.length; i++) m[i] = new Meter();
        return m;
    }

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

    /**
     * Counts one response from any thread: its status and the time from its request head's arrival to its end.
     *
     * @param nanos the duration, or -1 for a response whose duration means nothing as a latency (an event stream
     *              lasts as long as its client stays): counted by status only
     */
    public void record(int status, long nanos) {
        stripes[(int) Thread.currentThread().threadId() & (stripes.length - 1)].recordShared(status, nanos);
        countError(status);
    }

    /**
     * Counts one response of a connection served by the calling thread, into its meter: no shared write unless the
     * status is an error.
     *
     * @param nanos the duration, or -1 for a response counted but not timed (see {@link #record(int, long)})
     */
    public void record(Meter m, int status, long nanos) {
        m.record(status, nanos);
        countError(status);
    }

    /**
     * Counts one HTTP/2 event, from any thread.
     *
     * @param counter one of {@link #H2_CONNECTIONS} … {@link #H2_RESETS_SENT}
     */
    public void count(int counter) {
        stripes[(int) Thread.currentThread().threadId() & (stripes.length - 1)].addShared(Meter.H2 + counter);
    }

    private void countError(int status) {
        if (status >= 400 && status <= 599) errors.incrementAndGet(status - 400);
    }

    /** @return counter {@code i} of every meter, shared, live and closed (under the lock) */
    private long total(int i) {
        long n = retired[i];
        for (Meter m : stripes) n += m.get(i);
        for (Meter m : live) n += m.get(i);
        return n;
    }

    /** @return the counts of every bucket, now */
    long[] buckets() {
        long[] b = new long[LatencyBuckets.COUNT];
        synchronized (lock) {
            for (int i = 0; i < b.length; i++) b[i] = total(i);
        }
        return b;
    }

    /** @return the sum of every duration counted, in nanoseconds */
    long sumNanos() {
        synchronized (lock) {
            return total(Meter.SUM);
        }
    }

    /** @return responses by status class: index 0 is 1xx, 4 is 5xx */
    long[] classes() {
        long[] c = new long[5];
        synchronized (lock) {
            for (int i = 0; i < 5; i++) c[i] = total(Meter.CLASSES + i);
        }
        return c;
    }

    /**
     * @return the HTTP/2 counters, indexed by {@link #H2_CONNECTIONS} … {@link #H2_RESETS_SENT}. Each "ended" counter
     * is read before its "started" one, so started minus ended is never below what is open (an end counted after
     * its start was read would make it negative).
     */
    long[] http2() {
        long[] h = new long[H2_COUNTERS];
        synchronized (lock) {
            for (int i = H2_COUNTERS - 1; i >= 0; i--) h[i] = total(Meter.H2 + i);
        }
        return h;
    }

    /** @return responses with status {@code code} (400..599) */
    long errors(int code) {
        return errors.get(code - 400);
    }

    /** @return the longest duration since the last call, and starts a new period */
    long takeMax() {
        synchronized (lock) {
            long m = retiredMax;
            retiredMax = 0;
            for (Meter meter : stripes) m = Math.max(m, meter.takeMax());
            for (Meter meter : live) m = Math.max(m, meter.takeMax());
            return m;
        }
    }
}
