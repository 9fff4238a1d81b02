package dev.porter.http;

import dev.porter.http.internal.DateCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Files, types, HEAD, methods, directories, listings and mounting, over real sockets. */
class StaticFilesTest {

    @TempDir
    Path tmp;
    Path root;
    StaticServer server;

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(root.resolve("app.css"), "body{color:red}\n");
        Files.writeString(root.resolve("app.js"), "console.log(1)\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>\n");
        Files.createDirectories(root.resolve("files/b-dir"));
        Files.createDirectories(root.resolve("files/A-dir"));
        Files.writeString(root.resolve("files/<script>.txt"), "x");
        Files.writeString(root.resolve("files/a \"quoted\" & 'odd' name.txt"), "y");
        Files.write(root.resolve("files/img10.png"), new byte[1536]);
        Files.write(root.resolve("files/img2.png"), new byte[3 * 1024 * 1024]);
        Files.writeString(root.resolve("files/.hidden"), "secret");
        Files.createDirectories(root.resolve("evil.example"));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private StaticClient start(StaticFiles.Options options) throws IOException {
        server = StaticServer.start(options);
        return server.client;
    }

    private StaticClient start() throws IOException {
        return start(StaticFiles.Options.of(root));
    }

    @Test
    void typesStreamingImageAndXhtmlFilesAsNginxDoes() throws IOException {
        // With nosniff a wrong type is final: an HLS playlist and its segments, HEIC and JPEG XL photos and XHTML
        // were served as application/octet-stream or text/html (found by a browser journey; nginx's mime.types).
        String[][] expected = {
                {"live.m3u8", "application/vnd.apple.mpegurl"}, {"seg1.ts", "video/mp2t"},
                {"photo.heic", "image/heic"}, {"photo.jxl", "image/jxl"},
                {"page.xhtml", "application/xhtml+xml; charset=utf-8"}};
        for (String[] e : expected) Files.writeString(root.resolve(e[0]), "x");
        StaticClient client = start();
        for (String[] e : expected) assertThat(client.get("/" + e[0]).header("Content-Type")).as(e[0]).isEqualTo(e[1]);
    }

    @Test
    void servesAFileWithTypeLengthValidatorsAndNosniff() throws IOException {
        StaticClient.Reply r = start().get("/app.css");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("body{color:red}\n");
        assertThat(r.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(r.header("Content-Length")).isEqualTo("16");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.header("ETag")).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        long mtime = Files.getLastModifiedTime(root.resolve("app.css")).to(TimeUnit.SECONDS);
        assertThat(r.header("Last-Modified")).isEqualTo(dev.porter.http.internal.DateCache.format(mtime));
        assertThat(r.header("Vary")).isNull();
    }

    @Test
    void mediaTypesComeFromTheTableWithCharsetOnText() throws IOException {
        String[][] cases = {
            {"page.html", "text/html; charset=utf-8"}, {"mod.mjs", "text/javascript; charset=utf-8"},
            {"data.json", "application/json; charset=utf-8"}, {"logo.svg", "image/svg+xml"},
            {"pic.PNG", "image/png"}, {"photo.jpeg", "image/jpeg"}, {"anim.webp", "image/webp"},
            {"font.woff2", "font/woff2"}, {"lib.wasm", "application/wasm"}, {"doc.pdf", "application/pdf"},
            {"notes.md", "text/markdown; charset=utf-8"}, {"clip.mp4", "video/mp4"}, {"song.mp3", "audio/mpeg"},
            {"pack.zip", "application/zip"}, {"feed.xml", "application/xml; charset=utf-8"},
            {"blob.xyz", "application/octet-stream"}, {"Makefile", "application/octet-stream"},
        };
        for (String[] c : cases) Files.writeString(root.resolve(c[0]), "x");
        StaticClient client = start();
        for (String[] c : cases) {
            assertThat(client.get("/" + c[0]).header("Content-Type")).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void headSendsTheHeadersOfGetAndNoBodyOnAKeptAliveConnection() throws IOException {
        start();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("HEAD /app.js HTTP/1.1\r\nHost: x\r\n\r\nGET /app.css HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StaticClient.Reply head = StaticClient.read(in, true);
            StaticClient.Reply get = StaticClient.read(in, false);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("15");
            assertThat(head.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
            assertThat(head.header("ETag")).isNotNull();
            // Had HEAD leaked its body, these bytes would have been parsed as the next status line.
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).isEqualTo("body{color:red}\n");
        }
    }

    @Test
    void otherMethodsGet405WithAllowAndOptionsGets200() throws IOException {
        StaticClient client = start();
        for (String m : new String[] {"POST", "PUT", "DELETE", "PATCH", "BREW"}) {
            StaticClient.Reply r = client.exchange(m, "/app.css", "Content-Length: 0");
            assertThat(r.status()).as(m).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
        StaticClient.Reply options = client.exchange("OPTIONS", "/app.css");
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void aDirectoryServesItsIndexFile() throws IOException {
        StaticClient client = start();
        assertThat(client.get("/").text()).isEqualTo("<h1>home</h1>\n");
        StaticClient.Reply docs = client.get("/docs/");
        assertThat(docs.text()).isEqualTo("<h1>docs</h1>\n");
        assertThat(docs.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void aDirectoryWithoutSlashRedirectsToItsSlashFormKeepingTheQuery() throws IOException {
        StaticClient client = start();
        StaticClient.Reply r = client.get("/docs?lang=en&x=%20");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/docs/?lang=en&x=%20");
        assertThat(client.get("/files").header("Location")).isEqualTo("/files/");
    }

    @Test
    void aRedirectNeverPointsToAnotherHost() throws IOException {
        StaticClient.Reply r = start().get("//evil.example");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/evil.example/");
    }

    @Test
    void aFileNameWithATrailingSlashIsNotFound() throws IOException {
        assertThat(start().get("/app.css/").status()).isEqualTo(404);
    }

    @Test
    void theListingIsSortedEscapedAndEncoded() throws IOException {
        StaticClient.Reply r = start().get("/files/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        String html = r.text();
        assertThat(html).doesNotContain("<script>").doesNotContain(".hidden");
        assertThat(html).contains("<a href=\"%3Cscript%3E.txt\">&lt;script&gt;.txt</a>");
        assertThat(html).contains("href=\"a%20%22quoted%22%20%26%20%27odd%27%20name.txt\"")
                .contains("a &quot;quoted&quot; &amp; &#39;odd&#39; name.txt");
        assertThat(html).contains("<a href=\"../\">Parent directory</a>");
        // Folders first, case-insensitive; numbers by value: img2 before img10.
        assertThat(html.indexOf("A-dir/")).isLessThan(html.indexOf("b-dir/"));
        assertThat(html.indexOf("b-dir/")).isLessThan(html.indexOf("&lt;script&gt;"));
        assertThat(html.indexOf("img2.png")).isLessThan(html.indexOf("img10.png"));
        assertThat(html).contains(">1.5 KiB<").contains(">3.0 MiB<").contains(">1 B<");
        assertThat(html).contains("<title>Index of /files/</title>");
        assertThat(html).contains("2 folders, 4 files");
    }

    @Test
    void theRootListingHasNoParentLink() throws IOException {
        Files.delete(root.resolve("index.html"));
        String html = start().get("/").text();
        assertThat(html).contains("Index of").contains("href=\"docs/\"").doesNotContain("Parent directory");
    }

    @Test
    void listingsCanBeTurnedOffAndThenAnswer404() throws IOException {
        StaticClient client = start(StaticFiles.Options.of(root).withListing(false));
        assertThat(client.get("/files/").status()).isEqualTo(404);
        assertThat(client.get("/docs/").status()).isEqualTo(200); // an index file is still served
        assertThat(client.get("/files/img2.png").status()).isEqualTo(200);
    }

    @Test
    void theIndexFileNameIsConfigurable() throws IOException {
        Files.writeString(root.resolve("docs/start.htm"), "start");
        StaticClient client = start(StaticFiles.Options.of(root).withIndexFile("start.htm"));
        assertThat(client.get("/docs/").text()).isEqualTo("start");
        server.close();
        client = start(StaticFiles.Options.of(root).withIndexFile(null));
        assertThat(client.get("/docs/").text()).contains("Index of /docs/");
    }

    @Test
    void dotfilesAreHiddenByDefaultAndServedWhenAllowed() throws IOException {
        StaticClient client = start();
        assertThat(client.get("/files/.hidden").status()).isEqualTo(404);
        server.close();
        client = start(StaticFiles.Options.of(root).withHiddenDotfiles(false));
        assertThat(client.get("/files/.hidden").text()).isEqualTo("secret");
        assertThat(client.get("/files/").text()).contains(".hidden");
    }

    @Test
    void wellKnownIsNeverHidden() throws IOException {
        Files.createDirectories(root.resolve(".well-known"));
        Files.writeString(root.resolve(".well-known/security.txt"), "Contact: mailto:x@example.com\n");
        assertThat(start().get("/.well-known/security.txt").status()).isEqualTo(200);
    }

    @Test
    void cacheControlIsConfigurable() throws IOException {
        StaticClient client = start(StaticFiles.Options.of(root).withMaxAge(Duration.ofHours(1)));
        assertThat(client.get("/app.css").header("Cache-Control")).isEqualTo("max-age=3600");
        server.close();
        client = start(StaticFiles.Options.of(root).withCacheControl("public, max-age=31536000, immutable"));
        assertThat(client.get("/app.css").header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        server.close();
        client = start(StaticFiles.Options.of(root).withCacheControl(null));
        assertThat(client.get("/app.css").header("Cache-Control")).isNull();
    }

    @Test
    void worksMountedUnderAPrefixOfARouter() throws IOException {
        Router router = new Router().get("/api/ping", (req, res) -> res.send("pong"))
                .mount("/static", StaticFiles.of(root));
        server = StaticServer.start(router);
        StaticClient client = server.client;
        assertThat(client.get("/api/ping").text()).isEqualTo("pong");
        assertThat(client.get("/static/app.css").text()).isEqualTo("body{color:red}\n");
        assertThat(client.get("/static/files/%3Cscript%3E.txt").text()).isEqualTo("x");
        assertThat(client.get("/static").header("Location")).isEqualTo("/static/");
        assertThat(client.get("/static/files").header("Location")).isEqualTo("/static/files/");
        assertThat(client.get("/static/").text()).isEqualTo("<h1>home</h1>\n");
        String listing = client.get("/static/files/").text();
        assertThat(listing).contains("<title>Index of /static/files/</title>").contains("Parent directory")
                .contains("<a href=\"../\">static</a>");
        assertThat(client.get("/static/files%2Fimg2.png").status()).isEqualTo(400);
        assertThat(client.get("/static/files/..%2F..%2Fetc").status()).isEqualTo(400);
        assertThat(client.head("/static/app.css").header("Content-Length")).isEqualTo("16");
        StaticClient.Reply post = client.exchange("POST", "/static/app.css", "Content-Length: 0");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).contains("GET").contains("HEAD");
    }

    @Test
    void aFifoIsNotOpened() throws Exception {
        Path fifo = root.resolve("pipe.txt");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available: " + e.getMessage());
            return;
        }
        assumeTrue(p.waitFor() == 0, "mkfifo failed");
        // Opening a FIFO for reading blocks until a writer comes: answering at all proves it was not opened.
        assertThat(start().get("/pipe.txt").status()).isEqualTo(404);
    }

    @Test
    void anUnreadableFileAnswers403() throws IOException {
        Path f = root.resolve("locked.txt");
        Files.writeString(f, "locked");
        assumeTrue(f.toFile().setReadable(false, false), "cannot change permissions here");
        assumeTrue(!Files.isReadable(f), "running as a user who reads everything (root)");
        assertThat(start().get("/locked.txt").status()).isEqualTo(403);
    }

    @Test
    void theDirectoryDatesAreShownAndSizesOfFoldersAreDashes() throws IOException {
        Files.setLastModifiedTime(root.resolve("files/img2.png"), FileTime.from(Instant.parse("2024-02-29T12:00:00Z")));
        String html = start().get("/files/").text();
        assertThat(html).contains("<time datetime=\"2024-02-29T12:00:00Z\">2024-02-29 ");
        assertThat(html).contains("<td class=\"s\">&mdash;</td>");
    }

    @Test
    void theRootMustBeAnExistingDirectory() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticFiles.of(tmp.resolve("missing")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticFiles.of(root.resolve("app.css")))
                .isInstanceOf(java.nio.file.NotDirectoryException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticFiles.Options.of(root).withIndexFile("../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
