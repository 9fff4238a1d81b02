package dev.porter.http.internal.status;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one HTTP/1.1 connection while it is served ({@link Metrics#open()} to {@link Metrics#close}):
 * the latency histogram, the sum of durations and the status classes, written by the one thread serving the
 * connection and by no other ({@link #record}; the shared stripes of {@link Metrics} use {@link #recordShared}). So counting a response shares nothing with other connections: no atomic, no lock, no
 * cache line that another core writes. The sampler adds the meters up only when it looks, once a second.
 *
 * <p>Writes are opaque (plain stores on x86 and ARM, but never torn, cached in a register or reordered with each
 * other): a reader on another thread sees every counter only grow, perhaps a response late, which is all a
 * once-a-second figure needs. Thread-safety: one writer (the connection's thread) and any number of readers.
 */
public final class Meter {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /**
     * Unused slots (a cache line) before and after the counters: meters of connections served on different cores may
     * lie side by side in the heap, and must not share a line (false sharing would bring back the contention that
     * per-connection counting removes).
     */
    private static final int PAD = 8;

    /** Index of the duration sum in {@link #counts}, after the buckets. */
    static final int SUM = LatencyBuckets.COUNT;
    /** Index of the 1xx count; 2xx..5xx follow. */
    static final int CLASSES = SUM + 1;
    /**
     * Index of the first HTTP/2 counter ({@link Metrics#count}): counted into the shared stripes only, by the threads
     * of HTTP/2 connections and streams; a connection's own meter leaves them at 0.
     */
    static final int H2 = CLASSES + 5;
    /** Counters summed over meters: the buckets, the sum, the classes and the HTTP/2 counters. */
    static final int LENGTH = H2 + Metrics.H2_COUNTERS;
    /** Index of the longest duration since the sampler last took it (it swaps in 0). */
    private static final int MAX = LENGTH;

    /**
     * Bucket counts, the duration sum, responses by class, the maximum, each at {@link #PAD} + its index: grown only
     * by the owner, zeroed only when free.
     */
    private final long[] counts = new long[PAD + MAX + 1 + PAD];
    /** Where this meter sits in the live list of {@link Metrics} (guarded by its lock). */
    int slot = -1;

    /**
     * Counts one response. Owner thread only.
     *
     * @param nanos the duration, or -1 for a response that is counted but not timed (an event stream)
     */
    void record(int status, long nanos) {
        long[] a = counts;
        if (nanos >= 0) {
            add(a, LatencyBuckets.index(nanos / 1000), 1);
            add(a, SUM, nanos);
            // Racy with the sampler's swap on purpose: a response ending at the very instant the sampler takes the
            // maximum may miss the next second's; a CAS would cost every response.
            if (nanos > (long) LONGS.getOpaque(a, PAD + MAX)) LONGS.setOpaque(a, PAD + MAX, nanos);
        }
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) add(a, CLASSES + cls - 1, 1);
    }

    /**
     * Counts one response, from any number of threads at once (atomic adds; the maximum as racy as in
     * {@link #record}).
     */
    void recordShared(int status, long nanos) {
        long[] a = counts;
        if (nanos >= 0) {
            LONGS.getAndAdd(a, PAD + LatencyBuckets.index(nanos / 1000), 1L);
            LONGS.getAndAdd(a, PAD + SUM, nanos);
            if (nanos > (long) LONGS.getOpaque(a, PAD + MAX)) LONGS.setOpaque(a, PAD + MAX, nanos);
        }
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) LONGS.getAndAdd(a, PAD + CLASSES + cls - 1, 1L);
    }

    /** Adds one to counter {@code i}, from any number of threads at once (an atomic add). */
    void addShared(int i) {
        LONGS.getAndAdd(counts, PAD + i, 1L);
    }

    private static void add(long[] a, int i, long n) {
        LONGS.setOpaque(a, PAD + i, (long) LONGS.getOpaque(a, PAD + i) + n);
    }

    /** @return counter {@code i}, from any thread */
    long get(int i) {
        return (long) LONGS.getOpaque(counts, PAD + i);
    }

    /** @return the longest duration since the last call, from any thread; starts a new period */
    long takeMax() {
        return (long) LONGS.getAndSet(counts, PAD + MAX, 0L);
    }

    /** Back to zero, for reuse; only while no thread records into it. */
    void reset() {
        java.util.Arrays.fill(counts, 0);
    }
}
