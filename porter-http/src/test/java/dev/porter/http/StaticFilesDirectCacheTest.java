package dev.porter.http;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.testing.TlsClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files held in direct memory for the transports without sendfile (HTTP/2 and HTTP/1.1 over TLS): the right
 * bytes whole and in ranges, the bounds (file size, memory budget) falling back to the descriptor, a file
 * changed on disk served anew after the validity, and plain HTTP/1.1 keeping sendfile (nothing held).
 */
class StaticFilesDirectCacheTest {

    private static final Duration WINDOW = Duration.ofMillis(200);

    @TempDir
    Path dir;
    private HttpServer server;
    private StaticFiles files;
    private HttpClient client;
    private boolean tls;

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.stop(Duration.ofSeconds(2));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Path site() throws IOException {
        return Files.createDirectories(dir.resolve("site"));
    }

    private void start(FileCache cache, boolean tls) throws IOException {
        this.tls = tls;
        files = new StaticFiles(StaticFiles.Options.of(site()).withMetadataCache(WINDOW).withFileCache(cache));
        HttpConfig.Builder config = HttpConfig.builder().host("127.0.0.1").port(0);
        HttpClient.Builder c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls) {
            TestCertificates ca = TestCertificates.create(dir.resolve("ca"));
            config.tls(TlsConfig.of(ca.server("localhost", "127.0.0.1").pem()));
            c.sslContext(TlsClients.trusting(ca));
        }
        server = HttpServer.start(config.build(), new Router().mount("/", files));
        client = c.build();
    }

    private HttpResponse<byte[]> get(String path, HttpClient.Version version, String... headers) throws Exception {
        String scheme = tls ? "https://localhost:" : "http://127.0.0.1:";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + server.port() + path)).version(version);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.version()).isEqualTo(version);
        return r;
    }

    @Test
    void aLargeFileIsHeldOnceAndServedWholeAndInRangesOverHttp2AndTls() throws Exception {
        byte[] file = random(300_000, 1);
        Files.write(site().resolve("big.bin"), file);
        start(new FileCache(100, 64 * 1024, 32 << 20, 1 << 20), true);
        for (HttpClient.Version v : HttpClient.Version.values()) {
            for (int i = 0; i < 3; i++) assertThat(get("/big.bin", v).body()).isEqualTo(file);
            HttpResponse<byte[]> range = get("/big.bin", v, "Range", "bytes=100000-170000");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.headers().firstValue("content-range")).hasValue("bytes 100000-170000/300000");
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(file, 100000, 170001));
            HttpResponse<byte[]> two = get("/big.bin", v, "Range", "bytes=0-9,299990-");
            assertThat(two.statusCode()).isEqualTo(206);
            assertThat(two.headers().firstValue("content-type").orElseThrow()).startsWith("multipart/byteranges");
        }
        assertThat(files.cachedBytes()).isEqualTo(file.length);
    }

    @Test
    void aFileOverTheBoundIsServedFromItsDescriptor() throws Exception {
        byte[] file = random(600_000, 2);
        Files.write(site().resolve("big.bin"), file);
        start(new FileCache(100, 64 * 1024, 32 << 20, 500_000), true);
        for (HttpClient.Version v : HttpClient.Version.values()) assertThat(get("/big.bin", v).body()).isEqualTo(file);
        assertThat(files.cachedBytes()).isZero();
    }

    @Test
    void aFullBudgetFallsBackToTheDescriptor() throws Exception {
        for (int i = 0; i < 4; i++) Files.write(site().resolve("f" + i + ".bin"), random(300_000, 10 + i));
        start(new FileCache(100, 64 * 1024, 500_000, 1 << 20), true);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                assertThat(get("/f" + i + ".bin", HttpClient.Version.HTTP_2).body()).isEqualTo(random(300_000, 10 + i));
                assertThat(files.cachedBytes()).isBetween(0L, 500_000L);
            }
        }
    }

    @Test
    void aFileChangedOnDiskIsServedAnewAfterTheValidity() throws Exception {
        Path f = site().resolve("page.bin");
        Files.write(f, random(200_000, 3));
        start(new FileCache(100, 64 * 1024, 32 << 20, 1 << 20), true);
        assertThat(get("/page.bin", HttpClient.Version.HTTP_2).body()).isEqualTo(random(200_000, 3));
        Path tmp = site().resolve(".new");
        Files.write(tmp, random(250_000, 4));
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        byte[] now = get("/page.bin", HttpClient.Version.HTTP_2).body();
        for (long end = System.nanoTime() + 10_000_000_000L; !Arrays.equals(now, random(250_000, 4))
                && System.nanoTime() < end; ) {
            Thread.sleep(20);
            now = get("/page.bin", HttpClient.Version.HTTP_1_1).body();
        }
        assertThat(now).isEqualTo(random(250_000, 4));
        assertThat(get("/page.bin", HttpClient.Version.HTTP_2).body()).isEqualTo(random(250_000, 4));
    }

    @Test
    void headOverHttp2SendsTheLengthAndNoBody() throws Exception {
        Files.write(site().resolve("big.bin"), random(300_000, 5));
        start(new FileCache(100, 64 * 1024, 32 << 20, 1 << 20), true);
        get("/big.bin", HttpClient.Version.HTTP_2);
        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
                + "/big.bin")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue("300000");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void plainHttp11KeepsSendfileAndHoldsNothing() throws Exception {
        byte[] file = random(300_000, 6);
        Files.write(site().resolve("big.bin"), file);
        start(new FileCache(100, 64 * 1024, 32 << 20, 1 << 20), false);
        assertThat(get("/big.bin", HttpClient.Version.HTTP_1_1).body()).isEqualTo(file);
        assertThat(files.cachedBytes()).isZero();
    }

    /**
     * h2c from memory: DATA goes out in batches of many frames, each batch cut short where Porter's client's stream
     * window (256 KiB) runs out, then resumed as the client reads; several streams of one connection at once, an
     * odd length (the last frame short), and a range that starts and ends mid-frame.
     */
    @Test
    void h2cSendsAFileFromMemoryAcrossTheClientsWindowOnConcurrentStreams() throws Exception {
        byte[] file = random(1_000_003, 7);
        Files.write(site().resolve("big.bin"), file);
        start(new FileCache(100, 64 * 1024, 32 << 20, 2 << 20), false);
        String url = "http://127.0.0.1:" + server.port() + "/big.bin";
        try (dev.porter.http.HttpClient h2c = dev.porter.http.HttpClient.create(ClientConfig.builder()
                .httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build());
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var bodies = new java.util.ArrayList<java.util.concurrent.Future<byte[]>>();
            for (int i = 0; i < 6; i++) {
                bodies.add(threads.submit(() -> {
                    try (ClientResponse r = h2c.get(url)) {
                        assertThat(r.version()).isEqualTo("HTTP/2");
                        return r.bodyBytes();
                    }
                }));
            }
            for (var b : bodies) assertThat(b.get()).isEqualTo(file);
            try (ClientResponse r = h2c.send(ClientRequest.builder("GET", url).header("Range", "bytes=20000-700000").build())) {
                assertThat(r.statusCode()).isEqualTo(206);
                assertThat(r.bodyBytes()).isEqualTo(Arrays.copyOfRange(file, 20000, 700001));
            }
        }
        assertThat(files.cachedBytes()).isEqualTo(file.length);
    }

    @Test
    void theDirectBoundIsValidatedAndDefaultsToFourMiB() {
        assertThat(FileCache.DEFAULT.maxDirectFileSize()).isEqualTo(4L << 20);
        assertThat(new FileCache(1, 0, 0).maxDirectFileSize()).isZero();
        assertThatThrownBy(() -> new FileCache(1, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileCache(1, 0, 0, 2L << 30)).isInstanceOf(IllegalArgumentException.class);
    }
}
