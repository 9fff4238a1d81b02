package dev.porter.bench.jmh;

import dev.porter.http.internal.status.Meter;
import dev.porter.http.internal.status.Metrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the status page costs a response: counting it (latency bucket, duration sum, maximum, status class) into a
 * per-connection {@link Meter} ({@code meter}: what an HTTP/1.1 connection does), into the shared stripes
 * ({@code shared}, {@link Metrics#record(int, long)}: what HTTP/2 streams do), and the way it was counted before
 * ({@code longAdders}: three {@code LongAdder} increments and a volatile maximum every thread shares), on two threads
 * at once like two cores serving connections. {@code off} is the same loop without counting. Run with
 * {@code -prof gc}: none of them allocates.
 *
 * <pre>java -jar bench/target/porter-bench.jar StatusCountBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(2)
public class StatusCountBenchmark {

    /** One server's counters, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Server {
        final Metrics metrics = new Metrics();
        final LongAdder[] buckets = new LongAdder[101];
        final LongAdder sum = new LongAdder();
        final LongAdder[] classes = new LongAdder[5];
        volatile long max;

        @Setup(Level.Trial)
        public void adders() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
            for (int i = 0; i < classes.length; i++) classes[i] = new LongAdder();
        }
    }

    /** One connection per thread: its meter, and durations that walk through the buckets. */
    @State(Scope.Thread)
    public static class Conn {
        Meter meter;
        final long[] durations = new long[64];
        int i;

        @Setup(Level.Trial)
        public void open(Server s) {
            meter = s.metrics.open();
            for (int k = 0; k < durations.length; k++) durations[k] = 20_000L + k * 7_919L; // 20 µs .. 0.5 ms
        }

        @TearDown(Level.Trial)
        public void close(Server s) {
            s.metrics.close(meter);
        }

        long next() {
            return durations[i++ & 63];
        }
    }

    @Benchmark
    public long off(Conn c) {
        return c.next();
    }

    @Benchmark
    public long shared(Server s, Conn c) {
        long d = c.next();
        s.metrics.record(200, d);
        return d;
    }

    /** The counting before per-connection meters (Metrics.record of 2026-12-03), inlined here. */
    @Benchmark
    public long longAdders(Server s, Conn c) {
        long d = c.next();
        long micros = d / 1000;
        int e = 63 - Long.numberOfLeadingZeros(micros);
        s.buckets[Math.min(100, 4 * (e - 1) + ((int) (micros >>> (e - 2)) & 3))].increment();
        s.sum.add(d);
        if (d > s.max) s.max = d;
        s.classes[1].increment();
        return d;
    }

    @Benchmark
    public long meter(Server s, Conn c) {
        long d = c.next();
        s.metrics.record(c.meter, 200, d);
        return d;
    }
}
