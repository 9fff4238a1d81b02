package dev.porter.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Precompressed siblings, Accept-Encoding negotiation, Vary, and on-the-fly gzip, over real sockets. */
class StaticFilesCompressionTest {

    @TempDir
    Path tmp;
    Path root;
    StaticServer server;
    StaticClient client;
    String js;
    byte[] gz;
    byte[] br;

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        js = "function hello() { return 'hello'; }\n".repeat(200);
        gz = gzip(js.getBytes(StandardCharsets.UTF_8));
        br = "not really brotli, but the server does not look inside".getBytes(StandardCharsets.US_ASCII);
        Files.writeString(root.resolve("app.js"), js);
        Files.write(root.resolve("app.js.gz"), gz);
        Files.write(root.resolve("app.js.br"), br);
        Files.writeString(root.resolve("only-gz.css"), "a{}");
        Files.write(root.resolve("only-gz.css.gz"), gzip("a{}".getBytes(StandardCharsets.UTF_8)));
        Files.writeString(root.resolve("page.html"), "<p>compress me</p>\n".repeat(300));
        Files.writeString(root.resolve("tiny.html"), "<p>tiny</p>");
        Files.write(root.resolve("pic.png"), new byte[5000]);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(StaticFiles.Options options) throws IOException {
        server = StaticServer.start(options);
        client = server.client;
    }

    private void start() throws IOException {
        start(StaticFiles.Options.of(root));
    }

    static byte[] gzip(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(in);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] in) throws IOException {
        try (GZIPInputStream g = new GZIPInputStream(new ByteArrayInputStream(in))) {
            return g.readAllBytes();
        }
    }

    private void assertEncoded(StaticClient.Reply r, String encoding, byte[] body) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo(encoding);
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.body()).isEqualTo(body);
    }

    @Test
    void brotliIsPreferredWhenBothAreAccepted() throws IOException {
        start();
        StaticClient.Reply r = client.get("/app.js", "Accept-Encoding: gzip, deflate, br, zstd");
        assertEncoded(r, "br", br);
        assertThat(r.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(br.length));
        assertThat(r.header("ETag")).isNotEqualTo(client.get("/app.js").header("ETag"));
    }

    @Test
    void gzipIsSentWhenBrotliIsNotAccepted() throws IOException {
        start();
        assertEncoded(client.get("/app.js", "Accept-Encoding: gzip"), "gzip", gz);
        assertEncoded(client.get("/app.js", "Accept-Encoding: x-gzip"), "gzip", gz);
        assertEncoded(client.get("/app.js", "Accept-Encoding: br;q=0, gzip"), "gzip", gz);
        assertEncoded(client.get("/app.js", "Accept-Encoding: br;q=0.5, gzip;q=0.8"), "gzip", gz);
        assertThat(gunzip(client.get("/app.js", "Accept-Encoding: gzip").body())).asString(StandardCharsets.UTF_8).isEqualTo(js);
    }

    @Test
    void theWildcardStandsForUnlistedCodings() throws IOException {
        start();
        assertEncoded(client.get("/app.js", "Accept-Encoding: *"), "br", br);
        assertEncoded(client.get("/app.js", "Accept-Encoding: br;q=0, *"), "gzip", gz);
    }

    @Test
    void identityIsSentWhenNoSiblingIsAcceptableAndStillVaries() throws IOException {
        start();
        for (String[] h : new String[][] {{}, {"Accept-Encoding: identity"}, {"Accept-Encoding: *;q=0"},
            {"Accept-Encoding: gzip;q=0, br;q=0.000"}, {"Accept-Encoding: "}}) {
            StaticClient.Reply r = client.get("/app.js", h);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Encoding")).as(String.join(",", h)).isNull();
            assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(r.text()).isEqualTo(js);
        }
    }

    @Test
    void onlyTheSiblingsThatExistAreConsidered() throws IOException {
        start();
        StaticClient.Reply r = client.get("/only-gz.css", "Accept-Encoding: br");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertEncoded(client.get("/only-gz.css", "Accept-Encoding: br, gzip"), "gzip",
                Files.readAllBytes(root.resolve("only-gz.css.gz")));
        assertThat(client.get("/page.html", "Accept-Encoding: br, gzip").header("Vary")).isNull();
    }

    @Test
    void aSiblingOlderThanTheFileIsStaleAndIgnored() throws IOException {
        Files.setLastModifiedTime(root.resolve("app.js.br"), FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
        start();
        assertEncoded(client.get("/app.js", "Accept-Encoding: br, gzip"), "gzip", gz);
    }

    @Test
    void aSiblingLinkingOutOfTheRootIsIgnored() throws IOException {
        Path outside = tmp.resolve("outside.br");
        Files.writeString(outside, "OUTSIDE");
        Files.delete(root.resolve("app.js.br"));
        try {
            Files.createSymbolicLink(root.resolve("app.js.br"), outside);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links not supported: " + e);
        }
        start();
        assertEncoded(client.get("/app.js", "Accept-Encoding: br, gzip"), "gzip", gz);
    }

    @Test
    void aRangeRequestIsServedFromTheUncompressedFile() throws IOException {
        start();
        StaticClient.Reply r = client.get("/app.js", "Accept-Encoding: br, gzip", "Range: bytes=0-7");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.text()).isEqualTo("function");
    }

    @Test
    void aPrecompressedVariantRevalidatesWith304AndVary() throws IOException {
        start();
        String etag = client.get("/app.js", "Accept-Encoding: br").header("ETag");
        StaticClient.Reply r = client.get("/app.js", "Accept-Encoding: br", "If-None-Match: " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("ETag")).isEqualTo(etag);
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        // The identity tag does not validate the br variant.
        String identity = client.get("/app.js").header("ETag");
        assertThat(client.get("/app.js", "Accept-Encoding: br", "If-None-Match: " + identity).status()).isEqualTo(200);
    }

    @Test
    void precompressedLookupCanBeTurnedOff() throws IOException {
        start(StaticFiles.Options.of(root).withPrecompressed(false));
        StaticClient.Reply r = client.get("/app.js", "Accept-Encoding: br, gzip");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isNull();
        assertThat(r.text()).isEqualTo(js);
    }

    @Test
    void onTheFlyGzipCompressesLargeTextAsAChunkedStream() throws IOException {
        start(StaticFiles.Options.of(root).withGzip(true, 1024));
        StaticClient.Reply r = client.get("/page.html", "Accept-Encoding: gzip");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("ETag")).startsWith("W/\"");
        assertThat(r.body().length).isLessThan(1000);
        assertThat(new String(gunzip(r.body()), StandardCharsets.UTF_8)).isEqualTo("<p>compress me</p>\n".repeat(300));
        // Revalidation works with the weak tag.
        assertThat(client.get("/page.html", "Accept-Encoding: gzip", "If-None-Match: " + r.header("ETag")).status())
                .isEqualTo(304);
    }

    @Test
    void ifMatchStarHoldsForAnOnTheFlyGzippedAnswerWhoseEtagIsWeak() throws IOException {
        // RFC 9110 §13.1.1: "*" is true whenever there is a current representation, whatever its entity-tag; only
        // a listed tag needs the strong comparison that a weak tag never passes.
        start(StaticFiles.Options.of(root).withGzip(true, 1024));
        StaticClient.Reply r = client.get("/page.html", "Accept-Encoding: gzip", "If-Match: *");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        String weak = r.header("ETag");
        assertThat(client.get("/page.html", "Accept-Encoding: gzip", "If-Match: " + weak).status()).isEqualTo(412);
    }

    @Test
    void onTheFlyGzipWorksForHttp10AndHead() throws IOException {
        start(StaticFiles.Options.of(root).withGzip(true, 1024));
        StaticClient.Reply r = client.raw("GET /page.html HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII), false);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(gunzip(r.body()), StandardCharsets.UTF_8)).isEqualTo("<p>compress me</p>\n".repeat(300));
        StaticClient.Reply head = client.head("/page.html", "Accept-Encoding: gzip");
        assertThat(head.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(head.header("Content-Length")).isNull();
    }

    @Test
    void onTheFlyGzipSkipsSmallFilesImagesRangesAndClientsThatDoNotAsk() throws IOException {
        start(StaticFiles.Options.of(root).withGzip(true, 1024));
        StaticClient.Reply tiny = client.get("/tiny.html", "Accept-Encoding: gzip");
        assertThat(tiny.header("Content-Encoding")).isNull();
        assertThat(tiny.header("Vary")).isNull();
        StaticClient.Reply png = client.get("/pic.png", "Accept-Encoding: gzip");
        assertThat(png.header("Content-Encoding")).isNull();
        assertThat(png.body()).hasSize(5000);
        StaticClient.Reply range = client.get("/page.html", "Accept-Encoding: gzip", "Range: bytes=0-2");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("<p>");
        StaticClient.Reply plain = client.get("/page.html");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(client.get("/page.html", "Accept-Encoding: gzip;q=0").header("Content-Encoding")).isNull();
    }

    @Test
    void aPrecompressedSiblingWinsOverOnTheFlyGzip() throws IOException {
        start(StaticFiles.Options.of(root).withGzip(true, 0));
        StaticClient.Reply r = client.get("/app.js", "Accept-Encoding: gzip");
        assertEncoded(r, "gzip", gz);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(gz.length));
    }
}
