package dev.porter.http.internal.status;

import java.util.concurrent.locks.LockSupport;

/**
 * Turns the ever-growing counters of {@link Metrics} into rates and the last minute's percentiles: once a second
 * (on a virtual thread of its own) it copies the histogram into a ring of 61 snapshots; the last minute is the
 * newest snapshot minus the one 60 seconds older. The hot path never sees any of this.
 */
final class Sampler {

    static final int WINDOW = 60;
    private static final long PERIOD_NANOS = 1_000_000_000L;

    private final Metrics metrics;
    /** Cumulative bucket counts, one per tick; slot {@code ticks % (WINDOW + 1)} is the newest. */
    private final long[][] ring = new long[WINDOW + 1][];
    private final long[] totals = new long[WINDOW + 1];
    private final long[] maxes = new long[WINDOW + 1];
    private final long[] times = new long[WINDOW + 1];
    private int ticks;
    private volatile Figures latest = Figures.NONE;
    private volatile boolean running = true;
    private Thread thread;

    Sampler(Metrics metrics) {
        this.metrics = metrics;
        ring[0] = new long[LatencyBuckets.COUNT];
        times[0] = System.nanoTime();
    }

    void start() {
        thread = Thread.ofVirtual().name("porter-status-sampler").start(() -> {
            long next = System.nanoTime() + PERIOD_NANOS;
            while (running) {
                LockSupport.parkNanos(next - System.nanoTime());
                if (!running) break;
                if (System.nanoTime() - next < 0) continue; // woken early
                next += PERIOD_NANOS;
                tick();
            }
        });
    }

    void stop() {
        running = false;
        if (thread != null) LockSupport.unpark(thread);
    }

    /** @return the figures of the last tick */
    Figures latest() {
        return latest;
    }

    /** Takes a snapshot and computes the figures; also called directly by tests. */
    synchronized void tick() {
        int slots = WINDOW + 1;
        ticks++;
        int now = ticks % slots;
        long[] buckets = metrics.buckets();
        long total = 0;
        for (long b : buckets) total += b;
        ring[now] = buckets;
        // Event streams are counted by status but not timed: the status classes hold every response.
        long responses = 0;
        for (long c : metrics.classes()) responses += c;
        totals[now] = responses;
        maxes[now] = metrics.takeMax();
        times[now] = System.nanoTime();

        int span = Math.min(ticks, WINDOW);
        int oldest = (ticks - span) % slots;
        long[] window = new long[buckets.length];
        for (int i = 0; i < window.length; i++) window[i] = buckets[i] - ring[oldest][i];
        long timed = total;
        for (long b : ring[oldest]) timed -= b;
        long max = 0;
        double[] series = new double[span];
        for (int k = 0; k < span; k++) {
            int to = (ticks - span + 1 + k) % slots;
            int from = (ticks - span + k) % slots;
            max = Math.max(max, maxes[to]);
            double seconds = Math.max(1e-3, (times[to] - times[from]) / 1e9);
            series[k] = (totals[to] - totals[from]) / seconds;
        }
        double maxMs = max / 1e6;
        latest = new Figures(responses, span == 0 ? 0 : series[span - 1], series, span, timed,
                ms(LatencyBuckets.percentile(window, 0.50), maxMs), ms(LatencyBuckets.percentile(window, 0.90), maxMs),
                ms(LatencyBuckets.percentile(window, 0.99), maxMs), maxMs);
    }

    /** Interpolating inside a bucket can overshoot the largest value actually seen: never report past it. */
    private static double ms(double micros, double maxMs) {
        double v = micros / 1000;
        return maxMs > 0 ? Math.min(v, maxMs) : v;
    }
}
