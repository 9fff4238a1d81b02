package dev.porter.cli;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static dev.porter.cli.GetCommandTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code porter get} speaking HTTP/2: h2 chosen by ALPN by default on https, {@code --http2} for h2c with prior
 * knowledge on http (curl's {@code --http2-prior-knowledge}), {@code --http1.1} to stay on HTTP/1.1, and what
 * {@code -v} and {@code -I} print for an HTTP/2 exchange, like curl.
 */
class GetHttp2Test {

    @TempDir
    static Path dir;
    static TestCertificates ca;
    static HttpServer plain;
    static HttpServer tls;
    static HttpServer http11Only;
    static final byte[] BIG = new byte[1 << 20];

    @BeforeAll
    static void start() throws IOException {
        new Random(5).nextBytes(BIG);
        ca = TestCertificates.create(dir.resolve("ca"));
        Router router = new Router()
                .get("/text", (req, res) -> res.send("over " + req.version() + "\n"))
                .get("/big", (req, res) -> res.send(BIG))
                .post("/echo", (req, res) -> res.send(req.method() + " " + req.header("Content-Type") + " " + req.bodyString()));
        plain = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), router);
        tls = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0)
                .tls(TlsConfig.of(ca.server("localhost", "127.0.0.1").pem())).build(), router);
        http11Only = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).http2(Http2Config.disabled()).build(), router);
    }

    @AfterAll
    static void stop() {
        for (HttpServer s : new HttpServer[] {plain, tls, http11Only}) if (s != null) s.close();
    }

    private static String http(HttpServer s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    private static String https(String path) {
        return "https://localhost:" + tls.port() + path;
    }

    @Test
    void http2OnAnHttpUrlSpeaksH2cWithPriorKnowledgeAndVerboseShowsIt() {
        GetCommandTest.Run r = get("-v", "--http2", http(plain, "/text"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).isEqualTo("over HTTP/2.0\n");
        assertThat(r.err()).contains("* Connected to 127.0.0.1", "> GET /text HTTP/2\n",
                "> Host: 127.0.0.1:" + plain.port() + "\n", "< HTTP/2 200\n", "< content-type: text/plain");
        assertThat(r.err()).doesNotContain("HTTP/1.1");
    }

    @Test
    void httpsNegotiatesH2ByDefaultAndVerbosePrintsTheAlpnResultLikeCurl() {
        GetCommandTest.Run r = get("-v", "--cacert", ca.caFile().toString(), https("/text"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).isEqualTo("over HTTP/2.0\n");
        assertThat(r.err()).contains("* ALPN: server accepted h2\n", "> GET /text HTTP/2\n", "< HTTP/2 200\n");
        assertThat(r.err().indexOf("* ALPN: server accepted h2")).isLessThan(r.err().indexOf("> GET /text HTTP/2"));
    }

    @Test
    void http2OnAnHttpsUrlIsTheDefaultNegotiation() {
        GetCommandTest.Run r = get("--http2", "--cacert", ca.caFile().toString(), https("/text"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).isEqualTo("over HTTP/2.0\n");
    }

    @Test
    void http11KeepsHttpsOnHttp11() {
        GetCommandTest.Run r = get("-v", "--http1.1", "--cacert", ca.caFile().toString(), https("/text"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).isEqualTo("over HTTP/1.1\n");
        assertThat(r.err()).contains("* ALPN: server accepted http/1.1\n", "> GET /text HTTP/1.1\n", "< HTTP/1.1 200 OK\n");
    }

    @Test
    void withoutAnOptionHttpStaysOnHttp11() {
        GetCommandTest.Run r = get(http(plain, "/text"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).isEqualTo("over HTTP/1.1\n");
    }

    @Test
    void headPrintsTheHttp2HeadAsCurlDoes() {
        GetCommandTest.Run r = get("-I", "--http2", http(plain, "/text"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).startsWith("HTTP/2 200\r\n").contains("content-length: 14\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void dataAndDownloadsWorkOverHttp2() throws IOException {
        GetCommandTest.Run posted = get("--http2", "-d", "name=porter", http(plain, "/echo"));
        assertThat(posted.code()).as(posted.err()).isZero();
        assertThat(posted.outText()).isEqualTo("POST application/x-www-form-urlencoded name=porter");
        Path file = dir.resolve("big.bin");
        GetCommandTest.Run saved = get("--http2", "-o", file.toString(), http(plain, "/big"));
        assertThat(saved.code()).as(saved.err()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(BIG);
        Path overTls = dir.resolve("big-tls.bin");
        GetCommandTest.Run tlsSaved = get("--cacert", ca.caFile().toString(), "-o", overTls.toString(), https("/big"));
        assertThat(tlsSaved.code()).as(tlsSaved.err()).isZero();
        assertThat(Files.readAllBytes(overTls)).isEqualTo(BIG);
    }

    @Test
    void http2AgainstAServerWithoutH2cIsAMalformedResponseExit8() {
        GetCommandTest.Run r = get("--http2", http(http11Only, "/text"));
        assertThat(r.code()).isEqualTo(ExitCode.MALFORMED.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("porter get: malformed response: ")
                .contains("does not speak HTTP/2 with prior knowledge (h2c)");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void http2AndHttp11TogetherAreAUsageError() {
        GetCommandTest.Run r = get("--http2", "--http1.1", http(plain, "/text"));
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--http2 and --http1.1 exclude each other");
    }
}
