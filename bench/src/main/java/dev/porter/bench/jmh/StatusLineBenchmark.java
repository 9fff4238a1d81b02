package dev.porter.bench.jmh;

import dev.porter.http.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A placeholder until porter-http has its request parser and response writer (their benchmarks go beside
 * this one): the cost of writing a status line into an output buffer built per response, against copying
 * one prebuilt per status. Run with {@code -prof gc} to see the allocation per response of each way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StatusLineBenchmark {

    private static final byte[] OK_LINE = statusLine(Status.OK);

    private final ByteBuffer out = ByteBuffer.allocate(256);

    private static byte[] statusLine(Status status) {
        return ("HTTP/1.1 " + status.code() + " " + status.reason() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Builds the line as a String and encodes it, as a naive writer would for every response. */
    @Benchmark
    public ByteBuffer builtPerResponse() {
        out.clear();
        return out.put(statusLine(Status.of(200)));
    }

    /** Copies the line prebuilt once for the status. */
    @Benchmark
    public ByteBuffer prebuilt() {
        out.clear();
        return out.put(OK_LINE);
    }
}
