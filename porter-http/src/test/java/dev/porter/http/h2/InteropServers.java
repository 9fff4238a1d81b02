package dev.porter.http.h2;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.AccessLog;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Router;
import dev.porter.http.StaticFiles;
import dev.porter.http.testing.TestHttp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two Porter servers with the same routes for the real-client HTTP/2 tests: one on a cleartext port (HTTP/1.1 and
 * h2c with prior knowledge), one over TLS (ALPN {@code h2} and {@code http/1.1}, a certificate for {@code localhost}
 * and {@code 127.0.0.1} from a test CA, {@link #caFile()}). Every request is recorded ({@link #log()}).
 *
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!}</li>
 *   <li>{@code GET /proto}: {@code VERSION SCHEME ALPN} as the handler saw them, e.g. {@code HTTP/2.0 https h2}</li>
 *   <li>{@code GET /bytes?n=N}: N bytes of {@link #pattern(int)}, sent in one piece</li>
 *   <li>{@code GET /stream?n=N}: the same N bytes written to {@code res.stream()} in 1000-byte writes, no length</li>
 *   <li>{@code GET /together?key=K&n=N}: answers {@code together} once N requests with key K are being handled at
 *       the same time, {@code alone} after 10 s otherwise: proof that streams run concurrently</li>
 *   <li>{@code POST /echo}: the body back, streamed as it arrives (with its length when the request declared one)</li>
 *   <li>{@code POST /digest}: {@code SHA-256-HEX LENGTH} of the body, read to its end first</li>
 *   <li>{@code GET|HEAD /static/…}: {@link StaticFiles} over {@link #site()}, gzip on the fly from 1 KiB</li>
 * </ul>
 */
final class InteropServers implements AutoCloseable {

    private final TestCertificates certs;
    private final TestCertificates.Issued issued;
    private final Path site;
    private final HttpServer clear;
    private final HttpServer tls;
    private final Queue<AccessLog.Entry> log = new ConcurrentLinkedQueue<>();
    private final Map<String, CountDownLatch> groups = new ConcurrentHashMap<>();

    private InteropServers(Path dir, Path site) throws IOException {
        this.certs = TestCertificates.create(dir.resolve("ca"));
        this.issued = certs.server("localhost", "127.0.0.1");
        this.site = site;
        Router router = routes(new StaticFiles(StaticFiles.Options.of(site).withGzip(true, 1024)));
        AccessLog sink = log::add;
        // Bodies up to 128 MiB: the large uploads (CurlHttp2Test) are over the default limit of 16 MiB.
        this.clear = TestHttp.start(HttpConfig.builder().accessLog(sink).maxBodySize(128L << 20), router);
        this.tls = TestHttp.start(HttpConfig.builder().accessLog(sink).maxBodySize(128L << 20)
                .tls(TlsConfig.of(issued.pem())), router);
    }

    /** Starts both servers; files placed in {@code dir/site} (created) are served under {@code /static/}. */
    static InteropServers start(Path dir) throws IOException {
        return new InteropServers(dir, Files.createDirectories(dir.resolve("site")));
    }

    /** @return byte {@code i} of every generated body: not a repeating short pattern, so a shifted copy fails */
    static byte pattern(int i) {
        return (byte) ((i * 131 + (i >>> 8) * 7 + (i >>> 16)) & 0xFF);
    }

    /** @return the first {@code n} bytes of {@link #pattern(int)} */
    static byte[] patternBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = pattern(i);
        return b;
    }

    /** @return {@code n} random bytes (seeded: the same every run) */
    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** @return the SHA-256 of {@code b}, in lower-case hex */
    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Router routes(StaticFiles files) {
        return new Router()
                .get("/plaintext", (req, res) -> res.contentType("text/plain").send("Hello, World!"))
                .get("/proto", (req, res) -> res.send(req.version() + " " + req.scheme() + " "
                        + req.tls().map(t -> t.applicationProtocol()).orElse("-")))
                .get("/bytes", (req, res) -> res.contentType("application/octet-stream")
                        .send(patternBytes(Integer.parseInt(req.query("n")))))
                .get("/stream", InteropServers::stream)
                .get("/together", this::together)
                .post("/echo", InteropServers::echo)
                .post("/digest", InteropServers::digest)
                .mount("/static", files);
    }

    private static void stream(Request req, Response res) throws IOException {
        int n = Integer.parseInt(req.query("n"));
        byte[] all = patternBytes(n);
        res.contentType("application/octet-stream");
        try (OutputStream out = res.stream()) {
            for (int i = 0; i < n; i += 1000) out.write(all, i, Math.min(1000, n - i));
        }
    }

    private void together(Request req, Response res) throws Exception {
        CountDownLatch group = groups.computeIfAbsent(req.query("key"), k -> new CountDownLatch(Integer.parseInt(req.query("n"))));
        group.countDown();
        res.send(group.await(10, TimeUnit.SECONDS) ? "together" : "alone");
    }

    private static void echo(Request req, Response res) throws IOException {
        String type = req.header("Content-Type");
        res.contentType(type != null ? type : "application/octet-stream");
        if (req.contentLength() >= 0) res.contentLength(req.contentLength());
        byte[] buf = new byte[16 * 1024];
        InputStream in = req.body();
        try (OutputStream out = res.stream()) {
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        }
    }

    private static void digest(Request req, Response res) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        byte[] buf = new byte[16 * 1024];
        InputStream in = req.body();
        for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
            total += n;
        }
        res.send(HexFormat.of().formatHex(sha.digest()) + " " + total);
    }

    /** @return the cleartext server (HTTP/1.1 and h2c) */
    HttpServer clear() {
        return clear;
    }

    /** @return the TLS server (h2 and http/1.1 by ALPN) */
    HttpServer tls() {
        return tls;
    }

    /** @return {@code http://127.0.0.1:PORT} + path on the cleartext server */
    String h2c(String path) {
        return "http://127.0.0.1:" + clear.port() + path;
    }

    /** @return {@code https://localhost:PORT} + path on the TLS server */
    String h2(String path) {
        return "https://localhost:" + tls.port() + path;
    }

    /** @return the test CA's certificate (PEM), which issued the TLS server's certificate */
    Path caFile() {
        return certs.caFile();
    }

    /** @return the TLS server's certificate and key */
    TestCertificates.Issued certificate() {
        return issued;
    }

    /** @return the directory served under {@code /static/} */
    Path site() {
        return site;
    }

    /** @return every request answered so far, in the order they ended */
    List<AccessLog.Entry> log() {
        return List.copyOf(log);
    }

    /** Forgets the requests logged so far. */
    void clearLog() {
        log.clear();
    }

    @Override
    public void close() {
        clear.stop(Duration.ofSeconds(2));
        tls.stop(Duration.ofSeconds(2));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
