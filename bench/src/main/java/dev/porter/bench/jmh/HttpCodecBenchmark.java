package dev.porter.bench.jmh;

import dev.porter.core.Client;
import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.http.HttpConfig;
import dev.porter.http.internal.http1.RequestFraming;
import dev.porter.http.internal.http1.RequestHead;
import dev.porter.http.internal.http1.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Porter's request-head parser and response writer, without I/O: the request bytes are fed to the parser's
 * state machine (as a read would leave them in the input buffer) and the response is written into a connection's
 * output buffer, which is then discarded. Uses porter-http's internal classes (what it measures) and porter-core's
 * public API only. Run with {@code -prof gc} for the allocation per request:
 * {@code java -jar bench/target/porter-bench.jar HttpCodec -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpCodecBenchmark {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** wrk's request, and a typical browser request. */
    @Param({"wrk", "browser"})
    public String request;

    private byte[] bytes;
    private ServerSocketChannel listener;
    private SocketChannel accepted;
    private Connection connection;
    private HttpConfig config;
    private RequestHead head;
    private RequestFraming framing;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        bytes = (switch (request) {
            case "wrk" -> "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
            default -> "GET /static/app.js?v=3 HTTP/1.1\r\nHost: localhost:8080\r\nConnection: keep-alive\r\n"
                    + "sec-ch-ua: \"Chromium\";v=\"156\"\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
                    + "(KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\r\nAccept: */*\r\nSec-Fetch-Site: same-origin\r\n"
                    + "Sec-Fetch-Mode: no-cors\r\nSec-Fetch-Dest: script\r\nReferer: http://localhost:8080/\r\n"
                    + "Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-US,en;q=0.9\r\n"
                    + "If-None-Match: \"5f3a-18c2b\"\r\n\r\n";
        }).getBytes(StandardCharsets.ISO_8859_1);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress at = (InetSocketAddress) listener.getLocalAddress();
        connection = Client.connect(at.getHostString(), at.getPort(), java.time.Duration.ofSeconds(5),
                ConnectionConfig.defaults());
        accepted = listener.accept();
        config = HttpConfig.defaults();
        head = new RequestHead(config);
        framing = new RequestFraming();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        connection.close();
        accepted.close();
        listener.close();
    }

    /** Parses and validates one request head, then derives its framing. */
    @Benchmark
    public RequestFraming parseRequest() {
        head.reset();
        head.parse(bytes, 0, bytes.length);
        framing.analyze(head, config);
        return framing;
    }

    /** Writes a complete small response (status line, Content-Type, Date, Server, Content-Length, body). */
    @Benchmark
    public int writeResponse() throws IOException {
        connection.output().truncate(0);
        ServerResponse res = new ServerResponse(connection, SERVER, false, false, false, null);
        res.contentType("text/plain").send(HELLO);
        res.finish();
        return connection.output().length();
    }

    private static final byte[] SERVER = "Server: Porter\r\n".getBytes(StandardCharsets.US_ASCII);
}
