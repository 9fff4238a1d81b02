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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void postWithABodyLargerThanTheServersWindowArrivesIntact() throws IOException {
        byte[] body = random(200 * 1024, 1); // Porter's stream window is 65,535 bytes: the client must wait for credit
        try (HttpClient client = h2c();
             ClientResponse res = client.send(ClientRequest.post(url("/echo"), ClientRequest.Body.of(body)))) {
            assertThat(res.version()).isEqualTo("HTTP/2");
            assertThat(res.header("x-length")).isEqualTo(String.valueOf(body.length));
            assertThat(res.bodyBytes()).isEqualTo(body);
        }
    }

    @Test
    void postOfAStreamOfUnknownLengthEndsWithAnEmptyDataFrame() throws IOException {
        byte[] body = random(100_000, 2);
        try (HttpClient client = h2c();
             ClientResponse res = client.send(ClientRequest.post(url("/echo"),
                     ClientRequest.Body.ofStream(new java.io.ByteArrayInputStream(body))))) {
            assertThat(res.header("x-length")).isEqualTo("-1"); // no content-length: the server reads to END_STREAM
            assertThat(res.bodyBytes()).isEqualTo(body);
        }
    }

    @Test
    void aResponseLargerThanTheWindowArrivesIntactWhileReadInSmallPieces() throws IOException {
        try (HttpClient client = h2c(); ClientResponse res = client.get(url("/big"))) {
            assertThat(res.contentLength()).isEqualTo(BIG.length);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[1000];
            try (InputStream in = res.body()) {
                for (int n; (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
            }
            assertThat(got.toByteArray()).isEqualTo(BIG);
        }
    }

    @Test
    void fiftyConcurrentRequestsFromThreadsShareOneConnection() throws Exception {
        long acceptedBefore = plain.stats().accepted();
        try (HttpClient client = h2c(); ExecutorService threads = Executors.newFixedThreadPool(50)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                answers.add(threads.submit(() -> {
                    go.await();
                    try (ClientResponse res = client.get(url("/slow?ms=" + (200 + n)))) {
                        return res.version() + " " + res.statusCode() + " " + res.bodyString();
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < 50; i++) assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("HTTP/2 200 slept " + (200 + i));
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
            assertThat(client.stats().exchanges()).isEqualTo(50);
        }
        assertThat(plain.stats().accepted() - acceptedBefore).isEqualTo(1);
    }

    @Test
    void sequentialRequestsReuseTheConnection() throws IOException {
        try (HttpClient client = h2c()) {
            for (int i = 0; i < 5; i++) {
                try (ClientResponse res = client.get(url("/hello"))) {
                    assertThat(res.bodyString()).startsWith("hello");
                }
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
            assertThat(client.stats().idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void headHasNoBody() throws IOException {
        try (HttpClient client = h2c(); ClientResponse res = client.send(ClientRequest.head(url("/hello")))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.contentLength()).isZero();
            assertThat(res.bodyBytes()).isEmpty();
        }
    }

    @Test
    void notFoundIsAnAnswerLikeAnyOther() throws IOException {
        try (HttpClient client = h2c(); ClientResponse res = client.get(url("/nope"))) {
            assertThat(res.statusCode()).isEqualTo(404);
            assertThat(res.status().reason()).isEqualTo("Not Found");
            assertThat(res.version()).isEqualTo("HTTP/2");
            res.bodyBytes();
        }
    }

    @Test
    void aStreamedResponseOfUnknownLengthReadsToItsEnd() throws IOException {
        try (HttpClient client = h2c(); ClientResponse res = client.get(url("/stream"))) {
            assertThat(res.contentLength()).isEqualTo(-1);
            String body = res.bodyString();
            assertThat(body).startsWith("line 0\n").endsWith("line 99\n");
        }
    }

    @Test
    void redirectsAndGzipWorkAsOverHttp11() throws IOException {
        try (HttpClient client = HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE)
                .decompress(true).build())) {
            try (ClientResponse res = client.get(url("/moved"))) {
                assertThat(res.uri()).isEqualTo(URI.create(url("/hello")));
                assertThat(res.bodyString()).startsWith("hello over HTTP/2");
            }
            try (ClientResponse res = client.get(url("/gzip"))) {
                assertThat(res.header("content-encoding")).isEqualTo("gzip");
                assertThat(res.contentLength()).isEqualTo(-1);
                assertThat(res.bodyString()).isEqualTo("compressible ".repeat(2000));
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void closingAResponseEarlyResetsOnlyItsStream() throws IOException {
        try (HttpClient client = h2c()) {
            try (ClientResponse res = client.get(url("/big"))) {
                assertThat(res.body().read()).isEqualTo(BIG[0] & 0xFF);
            } // CANCEL: the rest of the megabyte is not read
            try (ClientResponse res = client.get(url("/hello"))) {
                assertThat(res.bodyString()).startsWith("hello");
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void theWholeRequestTimeoutCancelsOnlyItsStream() throws IOException {
        try (HttpClient client = h2c()) {
            ClientRequest slow = ClientRequest.builder("GET", url("/slow?ms=3000")).timeout(Duration.ofMillis(300)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.send(slow)).isInstanceOf(HttpClientException.Timeout.class)
                    .satisfies(e -> assertThat(((HttpClientException.Timeout) e).kind())
                            .isEqualTo(HttpClientException.Timeout.Kind.REQUEST));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            try (ClientResponse res = client.get(url("/hello"))) {
                assertThat(res.bodyString()).startsWith("hello over HTTP/2");
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void plainHttpWithoutPriorKnowledgeStaysOnHttp11() throws IOException {
        try (HttpClient client = HttpClient.create(); ClientResponse res = client.get(url("/hello"))) {
            assertThat(res.version()).isEqualTo("HTTP/1.1");
            assertThat(res.bodyString()).isEqualTo("hello over HTTP/1.1");
        }
    }

    static ClientConfig.Builder trusting() {
        return ClientConfig.builder().tls(ClientTls.defaults().withTrust(certs.trust()));
    }

    @Test
    void httpsNegotiatesH2ByAlpnByDefault() throws IOException {
        List<String> alpn = new CopyOnWriteArrayList<>();
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void secured(URI uri, TlsInfo info) {
                alpn.add(info.applicationProtocol());
            }
        };
        try (HttpClient client = HttpClient.create(trusting().listener(listener).build());
             ClientResponse res = client.get("https://localhost:" + tls.port() + "/hello")) {
            assertThat(res.version()).isEqualTo("HTTP/2");
            assertThat(res.bodyString()).startsWith("hello over HTTP/2");
        }
        assertThat(alpn).containsExactly("h2");
    }

    @Test
    void httpsLargeTransfersBothWaysOverH2() throws IOException {
        byte[] body = random(300 * 1024, 3);
        try (HttpClient client = HttpClient.create(trusting().build())) {
            try (ClientResponse res = client.get("https://localhost:" + tls.port() + "/big")) {
                assertThat(res.bodyBytes()).isEqualTo(BIG);
            }
            try (ClientResponse res = client.send(ClientRequest.post("https://localhost:" + tls.port() + "/echo",
                    ClientRequest.Body.of(body)))) {
                assertThat(res.version()).isEqualTo("HTTP/2");
                assertThat(res.bodyBytes()).isEqualTo(body);
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void httpsWithHttp11OnlyOffersHttp11() throws IOException {
        try (HttpClient client = HttpClient.create(trusting().httpVersion(HttpVersion.HTTP_1_1).build());
             ClientResponse res = client.get("https://localhost:" + tls.port() + "/hello")) {
            assertThat(res.version()).isEqualTo("HTTP/1.1");
            assertThat(res.bodyString()).isEqualTo("hello over HTTP/1.1");
        }
    }

    @Test
    void concurrentFirstRequestsOverTlsShareOneConnection() throws Exception {
        try (HttpClient client = HttpClient.create(trusting().build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(threads.submit(() -> {
                    try (ClientResponse res = client.get("https://localhost:" + tls.port() + "/slow?ms=100")) {
                        return res.version() + " " + res.bodyString();
                    }
                }));
            }
            for (Future<String> f : answers) assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("HTTP/2 slept 100");
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void aGracefulStopLetsTheRequestInFlightFinishAndTheConnectionIsNotReused() throws Exception {
        HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), router());
        try (HttpClient client = h2c()) {
            String base = "http://127.0.0.1:" + server.port();
            try (ClientResponse warm = client.get(base + "/hello")) {
                warm.bodyBytes();
            }
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<String> inFlight = threads.submit(() -> {
                    try (ClientResponse res = client.get(base + "/slow?ms=500")) {
                        return res.bodyString();
                    }
                });
                Thread.sleep(150);
                Future<?> stopping = threads.submit(() -> server.stop(Duration.ofSeconds(5)));
                assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("slept 500");
                stopping.get(10, TimeUnit.SECONDS);
            }
            // The GOAWAY took the connection out of the pool: nothing is left to reuse.
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (client.stats().idleConnections() > 0 && System.nanoTime() < until) Thread.sleep(10);
            assertThat(client.stats().idleConnections()).isZero();
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
