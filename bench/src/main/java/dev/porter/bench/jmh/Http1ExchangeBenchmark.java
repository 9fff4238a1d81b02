package dev.porter.bench.jmh;

import dev.porter.http.HttpConfig;
import dev.porter.http.Router;
import dev.porter.http.internal.http1.HttpProtocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/1.1 connection's keep-alive loop through the real server code ({@link HttpProtocol} with a
 * {@link Router} holding the demo's {@code /plaintext} route), over a {@link MemoryConnection} instead of a socket:
 * read a head, route, answer, flush, next request. One invocation is a new connection carrying
 * {@value #REQUESTS} requests, so what a connection allocates once is spread over them, as on a real keep-alive
 * connection; the score is per request. Run with {@code -prof gc} for the bytes allocated per request:
 * {@code java -jar bench/target/porter-bench.jar Http1Exchange -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Http1ExchangeBenchmark {

    static final int REQUESTS = 1000;
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** wrk's request to the plaintext route, and a typical browser's. */
    @Param({"wrk", "browser"})
    public String request;

    private MemoryConnection connection;
    private HttpProtocol protocol;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String path = "/plaintext";
        byte[] bytes = (switch (request) {
            case "wrk" -> "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
            default -> "GET " + path + "?v=3 HTTP/1.1\r\nHost: localhost:8080\r\nConnection: keep-alive\r\n"
                    + "sec-ch-ua: \"Chromium\";v=\"156\"\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
                    + "(KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\r\nAccept: */*\r\nSec-Fetch-Site: same-origin\r\n"
                    + "Sec-Fetch-Mode: no-cors\r\nSec-Fetch-Dest: script\r\nReferer: http://localhost:8080/\r\n"
                    + "Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-US,en;q=0.9\r\n"
                    + "If-None-Match: \"5f3a-18c2b\"\r\n\r\n";
        }).getBytes(StandardCharsets.ISO_8859_1);
        connection = new MemoryConnection(bytes);
        Router router = new Router().get(path, (req, res) -> res.contentType("text/plain").send(HELLO));
        protocol = new HttpProtocol(HttpConfig.defaults(), router);
        // Sanity: the protocol answers 200 with the body, once per request.
        connection.reset(2);
        protocol.serve(connection);
        if (connection.flushes != 2) throw new IllegalStateException("expected 2 responses, got " + connection.flushes);
    }

    @TearDown(Level.Trial)
    public void check() {
        if (connection.flushed == 0) throw new IllegalStateException("nothing was answered");
    }

    /** A new connection carrying {@value #REQUESTS} keep-alive requests, each answered and flushed. */
    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long keepAliveRequests() throws IOException {
        connection.reset(REQUESTS);
        protocol.serve(connection);
        return connection.flushed;
    }
}
