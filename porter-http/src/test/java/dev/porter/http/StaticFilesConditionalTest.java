package dev.porter.http;

import dev.porter.http.internal.DateCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Validators and conditional requests (RFC 9110 §8.8, §13) over real sockets. */
class StaticFilesConditionalTest {

    private static final long MTIME = Instant.parse("2025-03-04T05:06:07Z").getEpochSecond();

    @TempDir
    Path root;
    StaticServer server;
    StaticClient client;
    String etag;
    String lastModified;

    @BeforeEach
    void start() throws IOException {
        Path f = root.resolve("page.html");
        Files.writeString(f, "<p>hello</p>\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(MTIME)));
        server = StaticServer.start(StaticFiles.Options.of(root).withCacheControl("max-age=60"));
        client = server.client;
        StaticClient.Reply r = client.get("/page.html");
        etag = r.header("ETag");
        lastModified = r.header("Last-Modified");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertNotModified(StaticClient.Reply r) {
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("ETag")).isEqualTo(etag);
        assertThat(r.header("Cache-Control")).isEqualTo("max-age=60");
        // 304 carries no content metadata (RFC 9110 §15.4.5) and no body.
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.header("Content-Type")).isNull();
        assertThat(r.header("Transfer-Encoding")).isNull();
    }

    @Test
    void validatorsAreAStrongEtagAndTheModificationDate() {
        assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
        assertThat(lastModified).isEqualTo("Tue, 04 Mar 2025 05:06:07 GMT");
    }

    @Test
    void ifNoneMatchWithTheEtagAnswers304() throws IOException {
        assertNotModified(client.get("/page.html", "If-None-Match: " + etag));
        assertNotModified(client.head("/page.html", "If-None-Match: " + etag));
    }

    @Test
    void ifNoneMatchAcceptsListsStarAndWeakTags() throws IOException {
        assertNotModified(client.get("/page.html", "If-None-Match: \"a\", \"b,c\" ,  " + etag));
        assertNotModified(client.get("/page.html", "If-None-Match: \"other\"", "If-None-Match: " + etag));
        assertNotModified(client.get("/page.html", "If-None-Match: *"));
        assertNotModified(client.get("/page.html", "If-None-Match: W/" + etag)); // weak comparison (§13.1.2)
    }

    @Test
    void ifNoneMatchWithOtherTagsSendsTheFile() throws IOException {
        StaticClient.Reply r = client.get("/page.html", "If-None-Match: \"nope\", W/\"nope2\"");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("<p>hello</p>\n");
        assertThat(client.get("/page.html", "If-None-Match: garbage").status()).isEqualTo(200);
    }

    @Test
    void ifModifiedSinceAnswers304WhenNotModifiedSince() throws IOException {
        assertNotModified(client.get("/page.html", "If-Modified-Since: " + lastModified));
        assertNotModified(client.get("/page.html", "If-Modified-Since: " + DateCache.format(MTIME + 3600)));
        assertThat(client.get("/page.html", "If-Modified-Since: " + DateCache.format(MTIME - 1)).status()).isEqualTo(200);
    }

    @Test
    void ifModifiedSinceAcceptsTheObsoleteDateForms() throws IOException {
        assertNotModified(client.get("/page.html", "If-Modified-Since: Tuesday, 04-Mar-25 05:06:07 GMT"));
        assertNotModified(client.get("/page.html", "If-Modified-Since: Tue Mar  4 05:06:07 2025"));
    }

    @Test
    void anInvalidIfModifiedSinceIsIgnored() throws IOException {
        assertThat(client.get("/page.html", "If-Modified-Since: yesterday").status()).isEqualTo(200);
        assertThat(client.get("/page.html", "If-Modified-Since: Tue, 31 Feb 2025 05:06:07 GMT").status()).isEqualTo(200);
    }

    @Test
    void ifModifiedSinceIsIgnoredWhenIfNoneMatchIsPresent() throws IOException {
        StaticClient.Reply r = client.get("/page.html", "If-None-Match: \"stale\"", "If-Modified-Since: " + lastModified);
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void aChangedFileGetsANewEtagAndIsSentAgain() throws Exception {
        Files.writeString(root.resolve("page.html"), "<p>hello, again</p>\n");
        // The open-file cache trusts what it knows for the metadata window (1 s): poll past it, no timing asserted.
        StaticClient.Reply r = client.get("/page.html", "If-None-Match: " + etag);
        for (long deadline = System.nanoTime() + 10_000_000_000L; r.status() == 304 && System.nanoTime() < deadline; ) {
            Thread.sleep(50);
            r = client.get("/page.html", "If-None-Match: " + etag);
        }
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("ETag")).isNotEqualTo(etag);
        assertThat(r.text()).isEqualTo("<p>hello, again</p>\n");
    }

    @Test
    void ifMatchAndIfUnmodifiedSinceFailWith412() throws IOException {
        assertThat(client.get("/page.html", "If-Match: \"other\"").status()).isEqualTo(412);
        assertThat(client.get("/page.html", "If-Match: W/" + etag).status()).isEqualTo(412); // strong comparison
        assertThat(client.get("/page.html", "If-Match: " + etag).status()).isEqualTo(200);
        assertThat(client.get("/page.html", "If-Match: *").status()).isEqualTo(200);
        assertThat(client.get("/page.html", "If-Unmodified-Since: " + DateCache.format(MTIME - 10)).status()).isEqualTo(412);
        assertThat(client.get("/page.html", "If-Unmodified-Since: " + lastModified).status()).isEqualTo(200);
    }

    @Test
    void aListingWithoutValidatorsFailsIfMatchAndIsNotModifiedForIfNoneMatchStar() throws IOException {
        Files.createDirectory(root.resolve("folder"));
        // RFC 9110 §13.1.1: a listing has no entity-tag, so no listed tag matches it; "*" matches it, as it exists.
        assertThat(client.get("/folder/", "If-Match: \"other\"").status()).isEqualTo(412);
        assertThat(client.get("/folder/", "If-Match: *").status()).isEqualTo(200);
        // §13.1.2: "*" is false when a current representation exists, which for GET is a 304.
        assertThat(client.get("/folder/", "If-None-Match: *").status()).isEqualTo(304);
        assertThat(client.get("/folder/", "If-None-Match: \"other\"").status()).isEqualTo(200);
        // §13.1.3, §13.1.4: without a modification date, the date conditions are ignored.
        assertThat(client.get("/folder/", "If-Unmodified-Since: " + DateCache.format(MTIME - 10)).status()).isEqualTo(200);
        assertThat(client.get("/folder/", "If-Modified-Since: " + DateCache.format(4_102_444_800L)).status()).isEqualTo(200);
    }
}
